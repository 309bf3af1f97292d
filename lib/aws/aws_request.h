/* Internal: a SigV4-signed POST to any AWS service, on a client's transport.
 * The body and its content type are the protocol's (a form for STS's Query
 * protocol, JSON with X-Amz-Target for awsJson1.1), and so is the reading of
 * error documents; signing, https only, the retry policy and the mapping of
 * a failed response to ei are here. */
#ifndef AWSSTS_AWS_REQUEST_H
#define AWSSTS_AWS_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include "awssts/error.h"
#include "awssts/sigv4.h"
#include "awssts/sts.h"
#include "util/buf.h"
#include "aws/http.h"
#include "aws/transport.h"

/* What an error document says, cleaned of control characters. */
struct aws_error_doc {
    char code[64];
    char message[256];
    char request_id[80];
};

/* A protocol's error documents. */
struct aws_protocol {
    /* Find code, message and request id in body, a response to operation;
     * false when body is no error document of this protocol. */
    bool (*read_error)(const char *body, size_t len, const char *operation,
                       struct aws_error_doc *out);
    /* The enum for an error code and message; code NULL: from the status alone. */
    awssts_err (*map_error)(const char *code, const char *message, long http_status);
};

struct aws_request {
    const char *service; /* signing name: "sts", "ssm" */
    const char *region;
    const char *url;    /* https://host[:port]/; the path signed is "/" */
    const char *host;   /* the Host header as signed: host[:port] */
    const char *target; /* X-Amz-Target (awsJson), NULL for Query */
    const char *content_type;
    const char *body;
    size_t body_len;
    const char *operation; /* STS's action or awsJson's target, for read_error */
    bool replay_unsafe;    /* the server may consume something in it once (an MFA code) */
    const struct aws_protocol *protocol;
};

#define AWS_SIGNED_LINES 6

/* The signed header lines of one attempt; they hold the signature and the
 * session token, so awssts_aws_signed_free zeroes them. */
struct aws_signed {
    struct awssts_buf line[AWS_SIGNED_LINES];
    const char *lines[AWS_SIGNED_LINES]; /* "Name: value", Authorization last */
    size_t n;
    struct awssts_sigv4_result sig; /* canonical request, string to sign */
};

/* Sign req with keys at amz_date (YYYYMMDDTHHMMSSZ): Content-Type, Host,
 * X-Amz-Date, X-Amz-Security-Token and X-Amz-Target when present, all signed. */
awssts_err awssts_aws_request_sign(const struct aws_request *req, const struct awssts_keys *keys,
                                   const char *amz_date, struct aws_signed *out,
                                   struct awssts_error_info *ei);
void awssts_aws_signed_free(struct aws_signed *s);

/*
 * Send req signed with keys, signed again at each attempt. AWSSTS_OK for a
 * 2xx, whose body is the protocol's to read; otherwise the error mapped
 * through req->protocol. Retried: throttling, and without replay_unsafe
 * 5xx; failures with no response as awssts_transport_failure_retryable
 * says. resp always needs freeing. ei is required.
 */
awssts_err awssts_aws_request_send(struct transport *t, const struct awssts_keys *keys,
                                   const struct aws_request *req, struct http_response *resp,
                                   struct awssts_error_info *ei);

/* A response that is not a success (or a 2xx carrying an error document),
 * mapped into ei through req->protocol; returns the code. */
awssts_err awssts_aws_request_error(const struct aws_request *req, const struct http_response *resp,
                                    struct awssts_error_info *ei);

#endif
