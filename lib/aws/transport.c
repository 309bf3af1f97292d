/* The shared part of every request: settings, connection, deadline, retries. */
#include "aws/transport.h"
#include "awssts/secret.h"
#include "awssts/sts.h"
#include "util/error_set.h"
#include "util/retry.h"
#include "util/text.h"

#include <stdlib.h>
#include <string.h>

struct transport {
    void *http;                    /* CURL easy handle, kept for connection reuse */
    struct http_settings settings; /* points at the copies below */
    char *ca_file, *ca_path, *proxy, *connect_to, *user_agent;
    long connect_timeout_ms;
    long timeout_ms;
    long long deadline_ms; /* of all requests together, from the first; 0 before it */
    unsigned max_attempts;
};

static char *dup_opt(const char *s, bool *ok)
{
    if (s == NULL || *s == '\0')
        return NULL;
    char *d = strdup(s);
    if (d == NULL)
        *ok = false;
    return d;
}

awssts_err awssts_transport_new(const struct transport_options *o, struct transport **out,
                                struct awssts_error_info *ei)
{
    *out = NULL;
    if (o->connect_timeout_ms < 0 || o->timeout_ms < 0 || o->connect_timeout_ms > 600000 ||
        o->timeout_ms > 600000 || o->max_attempts > 10)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "timeouts must be 0..600 s and attempts at most 10");
    awssts_err rc = awssts_http_global_init(ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct transport *t = calloc(1, sizeof(*t));
    if (t == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    bool ok = true;
    t->ca_file = dup_opt(o->ca_file, &ok);
    t->ca_path = dup_opt(o->ca_path, &ok);
    t->proxy = dup_opt(o->proxy, &ok);
    t->connect_to = dup_opt(o->connect_to, &ok);
    t->user_agent = dup_opt(o->user_agent, &ok);
    t->http = awssts_http_handle_new();
    if (!ok || t->http == NULL) {
        awssts_transport_free(t);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    t->settings =
        (struct http_settings){t->ca_file, t->ca_path, t->proxy, t->connect_to, t->user_agent};
    t->connect_timeout_ms =
        o->connect_timeout_ms ? o->connect_timeout_ms : AWSSTS_DEFAULT_CONNECT_TIMEOUT_MS;
    t->timeout_ms = o->timeout_ms ? o->timeout_ms : AWSSTS_DEFAULT_TIMEOUT_MS;
    t->max_attempts = o->max_attempts ? o->max_attempts : AWSSTS_DEFAULT_MAX_ATTEMPTS;
    *out = t;
    return AWSSTS_OK;
}

void awssts_transport_free(struct transport *t)
{
    if (t == NULL)
        return;
    awssts_http_handle_free(t->http);
    free(t->ca_file);
    free(t->ca_path);
    awssts_secret_free(t->proxy); /* may carry proxy credentials */
    free(t->connect_to);
    free(t->user_agent);
    free(t);
}

bool awssts_transport_failure_retryable(awssts_err rc, const struct http_response *resp,
                                        bool replay_safe)
{
    return (rc == AWSSTS_E_NETWORK || rc == AWSSTS_E_TIMEOUT) &&
           (!resp->request_sent || replay_safe) && resp->proxy_status < 300;
}

static awssts_err attempt_once(struct transport *t, const struct http_request *given,
                               const struct transport_attempt *how, long remaining,
                               struct http_response *resp, bool *retry,
                               struct awssts_error_info *ei)
{
    struct http_request req = *given;
    long total_ms = remaining;
    if (how->attempt_timeout_ms > 0 && how->attempt_timeout_ms < total_ms)
        total_ms = how->attempt_timeout_ms;
    long connect_ms = t->connect_timeout_ms < total_ms ? t->connect_timeout_ms : total_ms;
    if (how->connect_timeout_ms > 0 && how->connect_timeout_ms < connect_ms)
        connect_ms = how->connect_timeout_ms;
    awssts_err rc = how->prepare != NULL ? how->prepare(how->ctx, &req, ei) : AWSSTS_OK;
    if (rc == AWSSTS_OK)
        rc = awssts_http_exchange(t->http, &t->settings, &req, connect_ms, total_ms, resp, ei);
    if (how->finish != NULL)
        how->finish(how->ctx);
    ei->http_status = resp->status;
    if (ei->request_id[0] == '\0')
        awssts_text_copy_clean(ei->request_id, sizeof(ei->request_id), resp->request_id,
                               strlen(resp->request_id));
    *retry = false;
    return how->judge(how->ctx, rc, resp, retry, ei);
}

awssts_err awssts_transport_send(struct transport *t, const struct http_request *req,
                                 const struct transport_attempt *how, struct http_response *resp,
                                 struct awssts_error_info *ei)
{
    awssts_err rc = AWSSTS_OK;
    awssts_http_response_init(resp);
    /* One deadline for everything the client does: a login's GetSessionToken
     * and AssumeRole (and any unsigned request before them) share the
     * configured timeout. */
    if (t->deadline_ms == 0)
        t->deadline_ms = awssts_now_ms() + t->timeout_ms;
    const long long deadline = t->deadline_ms;
    unsigned max_attempts = t->max_attempts;
    if (how->max_attempts > 0 && how->max_attempts < max_attempts)
        max_attempts = how->max_attempts;
    for (unsigned attempt = 1;; attempt++) {
        long remaining = (long)(deadline - awssts_now_ms());
        if (remaining <= 0) {
            if (rc == AWSSTS_OK)
                rc = awssts_error_set(ei, AWSSTS_E_TIMEOUT, "no time left for a request");
            break;
        }
        awssts_error_info_reset(ei);
        ei->attempts = attempt;
        /* The previous attempt's response goes; the last one stays for the caller. */
        awssts_http_response_free(resp);
        bool retry = false;
        rc = attempt_once(t, req, how, remaining, resp, &retry, ei);
        if (!retry || attempt >= max_attempts)
            break;
        long pause = awssts_backoff_ms(attempt);
        if (awssts_now_ms() + pause >= deadline)
            break;
        awssts_sleep_ms(pause);
    }
    if (rc != AWSSTS_OK)
        ei->code = rc;
    return rc;
}
