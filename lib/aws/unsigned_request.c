/* Unsigned GET/PUT: the transport's loop with a judge for plain HTTP. */
#include "aws/unsigned_request.h"
#include "util/error_set.h"

#include <strings.h>

/* A status without an AWS error document: the closest of our errors. */
static awssts_err judge_status(long status, struct awssts_error_info *ei, const char *location)
{
    if (status >= 300 && status < 400)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "HTTP %ld redirect%s%s not followed",
                                status, location[0] ? " to " : "", location);
    awssts_err e = AWSSTS_E_STS_REJECTED;
    if (status == 401 || status == 403)
        e = AWSSTS_E_ACCESS_DENIED;
    else if (status == 404)
        e = AWSSTS_E_NOT_FOUND;
    else if (status == 429)
        e = AWSSTS_E_THROTTLED;
    else if (status >= 500)
        e = AWSSTS_E_SERVER;
    else if (status < 200)
        e = AWSSTS_E_BAD_RESPONSE;
    return awssts_error_set(ei, e, "HTTP %ld", status);
}

static awssts_err judge(void *ctx, awssts_err rc, const struct http_response *resp, bool *retry,
                        struct awssts_error_info *ei)
{
    (void)ctx;
    if (rc != AWSSTS_OK) {
        *retry = awssts_transport_failure_retryable(rc, resp, true);
        return rc;
    }
    if (resp->status >= 200 && resp->status < 300)
        return AWSSTS_OK;
    rc = judge_status(resp->status, ei, resp->location);
    *retry = rc == AWSSTS_E_THROTTLED || rc == AWSSTS_E_SERVER;
    return rc;
}

awssts_err awssts_unsigned_send(struct transport *t, const struct unsigned_request *r,
                                struct http_response *resp, struct awssts_error_info *ei)
{
    awssts_http_response_init(resp);
    if (r == NULL || r->url == NULL || (r->n_headers > 0 && r->header_lines == NULL) ||
        (r->method != HTTP_GET && r->method != HTTP_PUT))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "unsigned request: URL, method or header lines missing");
    if (strncasecmp(r->url, "http://", 7) != 0 && strncasecmp(r->url, "https://", 8) != 0)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "unsigned request: http:// or https:// only");
    const struct http_request req = {
        .method = r->method,
        .url = r->url,
        .allow_http = true,
        .direct = r->direct,
        .header_lines = r->header_lines,
        .n_headers = r->n_headers,
        .body = r->method == HTTP_PUT ? r->body : NULL,
        .body_len = r->method == HTTP_PUT ? r->body_len : 0,
    };
    const struct transport_attempt how = {
        .judge = judge,
        .connect_timeout_ms = r->connect_timeout_ms,
        .attempt_timeout_ms = r->attempt_timeout_ms,
        .max_attempts = r->max_attempts,
    };
    return awssts_transport_send(t, &req, &how, resp, ei);
}

awssts_err awssts_unsigned_get(struct transport *t, const char *url,
                               const char *const *header_lines, size_t n_headers,
                               struct http_response *resp, struct awssts_error_info *ei)
{
    const struct unsigned_request r = {
        .method = HTTP_GET,
        .url = url,
        .header_lines = header_lines,
        .n_headers = n_headers,
    };
    return awssts_unsigned_send(t, &r, resp, ei);
}

awssts_err awssts_unsigned_put(struct transport *t, const char *url,
                               const char *const *header_lines, size_t n_headers, const char *body,
                               size_t body_len, struct http_response *resp,
                               struct awssts_error_info *ei)
{
    const struct unsigned_request r = {
        .method = HTTP_PUT,
        .url = url,
        .header_lines = header_lines,
        .n_headers = n_headers,
        .body = body,
        .body_len = body_len,
    };
    return awssts_unsigned_send(t, &r, resp, ei);
}
