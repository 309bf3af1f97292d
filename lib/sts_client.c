/* The STS client: endpoint, signing, transport, retry policy, error mapping. */
#include "sts_client.h"
#include "awssts/secret.h"
#include "awssts/sigv4.h"
#include "awssts/validate.h"
#include "buf.h"
#include "error_set.h"
#include "retry.h"
#include "sts_errors.h"
#include "text.h"
#include "uri.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STS_API_VERSION "2011-06-15"
#define FORM_CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"

static char *dup_opt(const char *s, bool *ok)
{
    if (s == NULL || *s == '\0')
        return NULL;
    char *d = strdup(s);
    if (d == NULL)
        *ok = false;
    return d;
}

AWSSTS_API awssts_err awssts_client_new(const struct awssts_client_options *o,
                                        struct awssts_client **out,
                                        struct awssts_error_info *ei)
{
    if (o == NULL || out == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "client: no options");
    *out = NULL;
    awssts_err rc = awssts_http_global_init(ei);
    if (rc != AWSSTS_OK)
        return rc;
    if (o->connect_timeout_ms < 0 || o->timeout_ms < 0 || o->connect_timeout_ms > 600000 ||
        o->timeout_ms > 600000 || o->max_attempts > 10)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "timeouts must be 0..600 s and attempts at most 10");

    struct awssts_client *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    struct awssts_endpoint_options eo = {
        .region = o->region, .override = o->endpoint, .fips = o->fips, .dualstack = o->dualstack,
    };
    rc = awssts_endpoint_resolve(&eo, &c->endpoint, ei);
    if (rc != AWSSTS_OK) {
        free(c);
        return rc;
    }
    bool ok = true;
    c->ca_file = dup_opt(o->ca_file, &ok);
    c->ca_path = dup_opt(o->ca_path, &ok);
    c->proxy = dup_opt(o->proxy, &ok);
    c->connect_to = dup_opt(o->connect_to, &ok);
    c->http = awssts_http_handle_new();
    if (!ok || c->http == NULL) {
        awssts_client_free(c);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    c->http_settings = (struct http_settings){c->ca_file, c->ca_path, c->proxy, c->connect_to};
    c->connect_timeout_ms = o->connect_timeout_ms ? o->connect_timeout_ms
                                                  : AWSSTS_DEFAULT_CONNECT_TIMEOUT_MS;
    c->timeout_ms = o->timeout_ms ? o->timeout_ms : AWSSTS_DEFAULT_TIMEOUT_MS;
    c->max_attempts = o->max_attempts ? o->max_attempts : AWSSTS_DEFAULT_MAX_ATTEMPTS;
    snprintf(c->user_agent, sizeof(c->user_agent), "pam_aws_sts/%s%s%.40s", AWSSTS_VERSION,
             o->user_agent ? " " : "", o->user_agent ? o->user_agent : "");
    awssts_text_sanitize(c->user_agent);
    *out = c;
    return AWSSTS_OK;
}

AWSSTS_API void awssts_client_free(struct awssts_client *c)
{
    if (c == NULL)
        return;
    awssts_http_handle_free(c->http);
    free(c->ca_file);
    free(c->ca_path);
    awssts_secret_free(c->proxy); /* may carry proxy credentials */
    free(c->connect_to);
    free(c);
}

AWSSTS_API const char *awssts_client_url(const struct awssts_client *c)
{
    return c->endpoint.url;
}

AWSSTS_API const char *awssts_client_host(const struct awssts_client *c)
{
    return c->endpoint.host;
}

AWSSTS_API const char *awssts_client_region(const struct awssts_client *c)
{
    return c->endpoint.region;
}

AWSSTS_API bool awssts_client_is_global(const struct awssts_client *c)
{
    return c->endpoint.is_global;
}

static awssts_err check_keys(const struct awssts_keys *k, struct awssts_error_info *ei)
{
    if (k == NULL || !awssts_valid_access_key_id(k->access_key_id))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "access key id must be 16-128 upper-case letters and digits");
    if (!awssts_valid_secret_key(k->secret_access_key))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "secret access key is not 16-256 base64 characters");
    if (k->session_token != NULL && !awssts_valid_session_token(k->session_token))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "session token is not base64 text of a sane length");
    return AWSSTS_OK;
}

static char *form_body(const struct sts_call *call)
{
    struct awssts_buf b;
    awssts_buf_init(&b, 0);
    awssts_buf_printf(&b, "Action=%s&Version=" STS_API_VERSION, call->action);
    for (size_t i = 0; i < call->n_params; i++) {
        const char *v = call->params[i].value;
        awssts_buf_printf(&b, "&%s=", call->params[i].name);
        awssts_uri_encode(&b, v, strlen(v), false);
    }
    return awssts_buf_steal(&b);
}

/* One signed attempt. Header lines hold the signature and token: zeroed after. */
static awssts_err send_once(struct awssts_client *c, const struct awssts_keys *keys,
                            const char *body, long connect_ms, long total_ms,
                            struct http_response *resp, struct awssts_error_info *ei)
{
    char amz_date[17];
    if (awssts_sigv4_amz_date((long long)time(NULL), amz_date) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "system clock unreadable");

    struct awssts_header h[4] = {
        {"Content-Type", FORM_CONTENT_TYPE},
        {"Host", c->endpoint.host},
        {"X-Amz-Date", amz_date},
        {"X-Amz-Security-Token", keys->session_token},
    };
    size_t nh = keys->session_token ? 4 : 3;
    struct awssts_sigv4_request req = {
        .method = "POST", .path = "/", .query = NULL,
        .headers = h, .n_headers = nh, .body = body, .body_len = strlen(body),
    };
    struct awssts_sigv4_params sp = {
        .access_key_id = keys->access_key_id, .secret_access_key = keys->secret_access_key,
        .region = c->endpoint.region, .service = "sts", .amz_date = amz_date,
    };
    struct awssts_sigv4_result sig;
    awssts_err rc = awssts_sigv4_sign(&req, &sp, &sig, ei);
    if (rc != AWSSTS_OK)
        return rc;

    struct awssts_buf lines[7];
    const char *ptrs[7];
    size_t n = 0;
    for (size_t i = 0; i < 7; i++)
        awssts_buf_init(&lines[i], 0);
    for (size_t i = 0; i < nh; i++)
        awssts_buf_printf(&lines[n++], "%s: %s", h[i].name, h[i].value);
    awssts_buf_printf(&lines[n++], "Authorization: %s", sig.authorization);
    awssts_buf_printf(&lines[n++], "User-Agent: %s", c->user_agent);
    awssts_buf_puts(&lines[n++], "Expect:");
    awssts_sigv4_result_free(&sig);

    bool built = true;
    for (size_t i = 0; i < n; i++) {
        built = built && !lines[i].failed;
        ptrs[i] = lines[i].data;
    }
    if (built)
        rc = awssts_http_post(c->http, &c->http_settings, c->endpoint.url, ptrs, n, body,
                              strlen(body), connect_ms, total_ms, resp, ei);
    else
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    for (size_t i = 0; i < 7; i++)
        awssts_buf_free(&lines[i]);
    return rc;
}

static void copy_field(char *dst, size_t len, const char *src)
{
    if (src != NULL)
        awssts_text_copy_clean(dst, len, src, strlen(src));
}

/* Turn a non-2xx (or error-document) response into the enum, filling ei. */
static awssts_err map_http_error(const char *action, struct http_response *resp,
                                 struct awssts_error_info *ei)
{
    if (resp->status >= 300 && resp->status < 400)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                                "HTTP %ld redirect%s%s not followed", resp->status,
                                resp->location[0] ? " to " : "", resp->location);
    struct sts_response doc;
    struct awssts_error_info parse_ei;
    awssts_error_info_reset(&parse_ei);
    awssts_err prc = awssts_sts_response_parse(resp->body.data, resp->body.len, action, &doc,
                                               &parse_ei);
    if (prc != AWSSTS_OK || !doc.is_error || doc.field[STS_F_ERROR_CODE] == NULL) {
        awssts_sts_response_free(&doc);
        awssts_err e = awssts_sts_error_map(NULL, NULL, resp->status);
        return awssts_error_set(ei, e, "HTTP %ld without an AWS error document",
                                resp->status);
    }
    const char *code = doc.field[STS_F_ERROR_CODE];
    const char *msg = doc.field[STS_F_ERROR_MESSAGE];
    copy_field(ei->aws_code, sizeof(ei->aws_code), code);
    copy_field(ei->message, sizeof(ei->message), msg);
    copy_field(ei->request_id, sizeof(ei->request_id), doc.field[STS_F_REQUEST_ID]);
    awssts_err e = awssts_sts_error_map(code, msg, resp->status);
    ei->code = e;
    awssts_sts_response_free(&doc);
    return e;
}

awssts_err awssts_sts_call(struct awssts_client *c, const struct awssts_keys *keys,
                           const struct sts_call *call, struct sts_response *out,
                           struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    awssts_err rc = check_keys(keys, ei);
    if (rc != AWSSTS_OK)
        return rc;
    char *body = form_body(call);
    if (body == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);

    /* One deadline for everything the client does: a login's GetSessionToken
     * and AssumeRole share the configured timeout. */
    if (c->deadline_ms == 0)
        c->deadline_ms = awssts_now_ms() + c->timeout_ms;
    const long long deadline = c->deadline_ms;
    for (unsigned attempt = 1;; attempt++) {
        long remaining = (long)(deadline - awssts_now_ms());
        if (remaining <= 0) {
            if (rc == AWSSTS_OK)
                rc = awssts_error_set(ei, AWSSTS_E_TIMEOUT, "no time left for a request");
            break;
        }
        awssts_error_info_reset(ei);
        ei->attempts = attempt;
        long connect_ms = c->connect_timeout_ms < remaining ? c->connect_timeout_ms : remaining;
        /* Initialised here: send_once may fail before the transport fills it. */
        struct http_response resp;
        memset(&resp, 0, sizeof(resp));
        awssts_buf_init(&resp.body, 0);
        rc = send_once(c, keys, body, connect_ms, remaining, &resp, ei);
        ei->http_status = resp.status;
        if (ei->request_id[0] == '\0')
            copy_field(ei->request_id, sizeof(ei->request_id), resp.request_id);

        bool retry = false;
        if (rc != AWSSTS_OK) {
            /* No response. Replaying is safe when nothing was sent, or
             * when no MFA code could have been consumed. */
            retry = (rc == AWSSTS_E_NETWORK || rc == AWSSTS_E_TIMEOUT) &&
                    (!resp.request_sent || !call->carries_mfa) &&
                    resp.proxy_status < 300; /* a proxy's no stays no */
        } else if (resp.status >= 200 && resp.status < 300) {
            rc = awssts_sts_response_parse(resp.body.data, resp.body.len, call->action, out, ei);
            if (rc == AWSSTS_OK && out->is_error) {
                awssts_sts_response_free(out);
                rc = map_http_error(call->action, &resp, ei);
            } else if (rc == AWSSTS_OK && ei->request_id[0] == '\0') {
                copy_field(ei->request_id, sizeof(ei->request_id),
                           out->field[STS_F_REQUEST_ID]);
            }
        } else {
            rc = map_http_error(call->action, &resp, ei);
            retry = rc == AWSSTS_E_THROTTLED || (rc == AWSSTS_E_SERVER && !call->carries_mfa);
        }
        awssts_http_response_free(&resp);

        if (!retry || attempt >= c->max_attempts)
            break;
        long pause = awssts_backoff_ms(attempt);
        if (awssts_now_ms() + pause >= deadline)
            break;
        awssts_sleep_ms(pause);
    }
    awssts_secret_free(body);
    if (rc != AWSSTS_OK)
        ei->code = rc;
    return rc;
}
