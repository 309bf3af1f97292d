/* Internal: plain GET and PUT without a signature, on a client's transport
 * (the instance metadata service: http://169.254.169.254 and its session
 * token). The only requests that may use plain http://. */
#ifndef AWSSTS_UNSIGNED_REQUEST_H
#define AWSSTS_UNSIGNED_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include "awssts/error.h"
#include "aws/http.h"
#include "aws/transport.h"

/*
 * GET url (http:// or https://) with the given "Name: value" header lines.
 * AWSSTS_OK only for a 2xx; any other status is an error with
 * ei->http_status set (401 and 403: access denied, 404: not found, 429:
 * throttled, 5xx: server, 3xx: a redirect not followed). Both methods are
 * idempotent, so network failures, timeouts, 429 and 5xx are retried while
 * the transport's attempts and deadline allow. resp holds the last response
 * (status, body, headers) and always needs freeing. ei is required.
 */
awssts_err awssts_unsigned_get(struct transport *t, const char *url,
                               const char *const *header_lines, size_t n_headers,
                               struct http_response *resp, struct awssts_error_info *ei);

/* PUT body (may be NULL) to url; otherwise as awssts_unsigned_get. */
awssts_err awssts_unsigned_put(struct transport *t, const char *url,
                               const char *const *header_lines, size_t n_headers, const char *body,
                               size_t body_len, struct http_response *resp,
                               struct awssts_error_info *ei);

/* Any of the two with limits of its own, for a caller that knows its
 * server (the instance metadata service: awssts_imds_*). */
struct unsigned_request {
    enum http_method method; /* HTTP_GET or HTTP_PUT */
    const char *url;
    const char *const *header_lines;
    size_t n_headers;
    const char *body; /* PUT only; NULL is empty */
    size_t body_len;
    long connect_timeout_ms; /* 0: the transport's; never more than it */
    long attempt_timeout_ms; /* 0: what is left of the deadline */
    unsigned max_attempts;   /* 0: the transport's; never more than it */
    bool direct;             /* never through the configured proxy */
};

/* As awssts_unsigned_get and awssts_unsigned_put, with r's limits. */
awssts_err awssts_unsigned_send(struct transport *t, const struct unsigned_request *r,
                                struct http_response *resp, struct awssts_error_info *ei);

#endif
