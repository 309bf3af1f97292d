/*
 * Internal: the instance metadata service, version 2 only, on a client's
 * transport: a session token (PUT /latest/api/token), then the instance
 * role's name and credentials and the instance's region, each GET with
 * the token. No request is ever sent without a token, and a refused token
 * request is an error, never a fall-back to IMDSv1.
 *
 * Every request is plain http straight to the service (never through the
 * configured proxy), with short limits of its own (it answers in
 * microseconds or not at all) inside the transport's one deadline. The
 * token and the credentials are zeroed when they are freed, and no detail
 * ever holds them.
 */
#ifndef AWSSTS_IMDS_H
#define AWSSTS_IMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "awssts/error.h"
#include "awssts/sts.h"
#include "aws/transport.h"

#define AWSSTS_IMDS_ENDPOINT           "http://169.254.169.254"
#define AWSSTS_IMDS_ENDPOINT_IPV6      "http://[fd00:ec2::254]"
#define AWSSTS_IMDS_CONNECT_TIMEOUT_MS 1000
#define AWSSTS_IMDS_ATTEMPT_TIMEOUT_MS 1000
#define AWSSTS_IMDS_MAX_ATTEMPTS       2
/* The token lives as long as one login needs it, not the service's 6 hours. */
#define AWSSTS_IMDS_TOKEN_TTL     60
#define AWSSTS_IMDS_TOKEN_TTL_MAX 21600
/* IAM's limit on a role name. */
#define AWSSTS_IMDS_ROLE_MAX 64

struct imds_options {
    const char *endpoint;       /* http://host[:port][/]; NULL or "": AWSSTS_IMDS_ENDPOINT */
    long connect_timeout_ms;    /* 0: AWSSTS_IMDS_CONNECT_TIMEOUT_MS */
    long attempt_timeout_ms;    /* 0: AWSSTS_IMDS_ATTEMPT_TIMEOUT_MS */
    unsigned max_attempts;      /* 0: AWSSTS_IMDS_MAX_ATTEMPTS */
    unsigned token_ttl_seconds; /* 0: AWSSTS_IMDS_TOKEN_TTL; at most 21600 */
};

/* A session: the endpoint and its token. */
struct imds;

/* The role's temporary credentials; free with awssts_imds_credentials_clear. */
struct imds_credentials {
    char role[AWSSTS_IMDS_ROLE_MAX + 1];
    char *access_key_id;
    char *secret_access_key;
    char *session_token;
    time_t expiration;
};

/*
 * Get a session token from the endpoint. Errors: AWSSTS_E_IMDS_UNREACHABLE
 * (no connection), AWSSTS_E_IMDS_TIMEOUT, AWSSTS_E_IMDS_REFUSED (any HTTP
 * error, 401 and 403 included), AWSSTS_E_IMDS_BAD_RESPONSE (a token that
 * is not one), AWSSTS_E_INVALID_ARGUMENT (options). ei is required.
 */
awssts_err awssts_imds_open(struct transport *t, const struct imds_options *o, struct imds **out,
                            struct awssts_error_info *ei);

/* Zero the token and free. NULL is fine. */
void awssts_imds_close(struct imds *m);

/*
 * The instance role's name (the one line of .../iam/security-credentials/)
 * and its credentials, checked as STS's are. AWSSTS_E_IMDS_NO_ROLE for a 404
 * or an empty list; AWSSTS_E_IMDS_REFUSED for a Code other than "Success"
 * (ei->aws_code and ei->message carry the service's Code and Message);
 * AWSSTS_E_IMDS_BAD_RESPONSE for anything malformed, more than one role
 * included; AWSSTS_E_CLOCK_SKEW for credentials already expired by this
 * host's clock; the request errors of awssts_imds_open.
 */
awssts_err awssts_imds_role_credentials(struct imds *m, struct imds_credentials *out,
                                        struct awssts_error_info *ei);

/* Zero and free the strings. */
void awssts_imds_credentials_clear(struct imds_credentials *c);

/* The credentials as keys to sign with (borrowed). */
struct awssts_keys awssts_imds_credentials_keys(const struct imds_credentials *c);

/* The instance's region (placement/region), a region name; errors as above. */
awssts_err awssts_imds_region(struct imds *m, char region[32], struct awssts_error_info *ei);

/* ---- the pure parts, for the tests and the fuzzer ---- */

/* "http://" host (DNS name, IPv4 or [IPv6]) [":" port] ["/"]; into base
 * without the slash. AWSSTS_E_INVALID_ARGUMENT otherwise. */
awssts_err awssts_imds_endpoint_parse(const char *url, char *base, size_t len,
                                      struct awssts_error_info *ei);

/* The same URL's host (an IPv6 address without its brackets) and port
 * ("80" when none is written), for a connection made elsewhere. */
awssts_err awssts_imds_endpoint_host_port(const char *url, char host[256], char port[6],
                                          struct awssts_error_info *ei);

/* A token fit for a header line: 1 to 1024 base64 or base64url characters. */
bool awssts_imds_token_valid(const char *s, size_t len);

/* The one role name of a security-credentials listing. */
awssts_err awssts_imds_read_role(const char *body, size_t len, char role[AWSSTS_IMDS_ROLE_MAX + 1],
                                 struct awssts_error_info *ei);

/* The credentials document of a role (lib/json), checked; out->role is left
 * as it was. On failure out holds nothing. */
awssts_err awssts_imds_read_credentials(const char *body, size_t len, struct imds_credentials *out,
                                        struct awssts_error_info *ei);

/* A region name, alone on its line. */
awssts_err awssts_imds_read_region(const char *body, size_t len, char region[32],
                                   struct awssts_error_info *ei);

#endif
