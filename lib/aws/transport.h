/* Internal: what every request of a client shares, signed or not: the TLS,
 * CA and proxy settings, one connection, the timeouts, one deadline for all
 * of its requests from the first, and the attempt loop with jittered
 * backoff. What to send on each attempt, and whether a failed attempt may
 * be replayed, are the caller's (aws_request.h, unsigned_request.h). */
#ifndef AWSSTS_TRANSPORT_H
#define AWSSTS_TRANSPORT_H

#include <stdbool.h>
#include "awssts/error.h"
#include "aws/http.h"

struct transport_options {
    const char *ca_file;     /* optional CA bundle */
    const char *ca_path;     /* optional CA directory */
    const char *proxy;       /* optional; NULL: no proxy, environment ignored */
    const char *connect_to;  /* optional curl CONNECT_TO "host:port:addr:port" */
    long connect_timeout_ms; /* 0: AWSSTS_DEFAULT_CONNECT_TIMEOUT_MS */
    long timeout_ms;         /* 0: AWSSTS_DEFAULT_TIMEOUT_MS, all requests together */
    unsigned max_attempts;   /* 0: AWSSTS_DEFAULT_MAX_ATTEMPTS */
    const char *user_agent;  /* the whole User-Agent value; NULL: none */
};

struct transport;

/* Loads libcurl on first use; options are copied. */
awssts_err awssts_transport_new(const struct transport_options *o, struct transport **out,
                                struct awssts_error_info *ei);
void awssts_transport_free(struct transport *t);

/* What a caller plugs into the attempt loop. */
struct transport_attempt {
    /* Before each attempt: fill req->header_lines and the like that must be
     * fresh every time (a signature and its date). NULL: req as given. */
    awssts_err (*prepare)(void *ctx, struct http_request *req, struct awssts_error_info *ei);
    /* After each attempt: rc is the exchange's, resp what came back. Return
     * the attempt's outcome (filling ei) and set *retry when another attempt
     * is safe and may help. */
    awssts_err (*judge)(void *ctx, awssts_err rc, const struct http_response *resp, bool *retry,
                        struct awssts_error_info *ei);
    /* Called after each attempt, whatever its outcome (zero what prepare made). */
    void (*finish)(void *ctx);
    void *ctx;
    /* Tighter limits for this request alone (0: the transport's), always
     * within the transport's own and its one deadline: a service that
     * answers at once or not at all (the instance metadata service) should
     * not spend a login's time waiting. */
    long connect_timeout_ms;
    long attempt_timeout_ms;
    unsigned max_attempts;
};

/*
 * Send req, attempt after attempt while the judge says retry, attempts are
 * left and the deadline allows; the deadline is the transport's, set by its
 * first request. ei->attempts and ei->http_status are the last attempt's.
 * resp holds the last response; the caller frees it, whatever the result.
 * ei is required.
 */
awssts_err awssts_transport_send(struct transport *t, const struct http_request *req,
                                 const struct transport_attempt *how, struct http_response *resp,
                                 struct awssts_error_info *ei);

/* The rule for an attempt that got no response: replay after a network
 * failure or a timeout when nothing reached the server or replaying is
 * harmless, and never when a proxy refused the tunnel (its no stays no). */
bool awssts_transport_failure_retryable(awssts_err rc, const struct http_response *resp,
                                        bool replay_safe);

#endif
