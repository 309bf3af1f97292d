/* Signed requests: keys checked, SigV4 on every attempt, https only, AWS's
 * retry rules, error documents through the protocol. */
#include "aws/aws_request.h"
#include "awssts/validate.h"
#include "util/error_set.h"
#include "util/text.h"

#include <string.h>
#include <strings.h>
#include <time.h>

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

static awssts_err check_request(const struct aws_request *r, struct awssts_error_info *ei)
{
    if (r->service == NULL || r->region == NULL || r->url == NULL || r->host == NULL ||
        r->content_type == NULL || r->operation == NULL || r->protocol == NULL ||
        (r->body == NULL && r->body_len > 0))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "signed request: missing field");
    /* The signature and session token are never sent in the clear. */
    if (strncasecmp(r->url, "https://", 8) != 0)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "signed requests go to https:// only");
    return AWSSTS_OK;
}

void awssts_aws_signed_free(struct aws_signed *s)
{
    for (size_t i = 0; i < AWS_SIGNED_LINES; i++)
        awssts_buf_free(&s->line[i]);
    awssts_sigv4_result_free(&s->sig);
    memset(s->lines, 0, sizeof(s->lines));
    s->n = 0;
}

awssts_err awssts_aws_request_sign(const struct aws_request *req, const struct awssts_keys *keys,
                                   const char *amz_date, struct aws_signed *out,
                                   struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < AWS_SIGNED_LINES; i++)
        awssts_buf_init(&out->line[i], 0);
    awssts_err rc = check_request(req, ei);
    if (rc == AWSSTS_OK)
        rc = check_keys(keys, ei);
    if (rc != AWSSTS_OK)
        return rc;

    struct awssts_header h[AWS_SIGNED_LINES - 1];
    size_t nh = 0;
    h[nh++] = (struct awssts_header){"Content-Type", req->content_type};
    h[nh++] = (struct awssts_header){"Host", req->host};
    h[nh++] = (struct awssts_header){"X-Amz-Date", amz_date};
    if (keys->session_token != NULL)
        h[nh++] = (struct awssts_header){"X-Amz-Security-Token", keys->session_token};
    if (req->target != NULL)
        h[nh++] = (struct awssts_header){"X-Amz-Target", req->target};
    const struct awssts_sigv4_request sreq = {
        .method = "POST",
        .path = "/",
        .query = NULL,
        .headers = h,
        .n_headers = nh,
        .body = req->body,
        .body_len = req->body_len,
    };
    const struct awssts_sigv4_params sp = {
        .access_key_id = keys->access_key_id,
        .secret_access_key = keys->secret_access_key,
        .region = req->region,
        .service = req->service,
        .amz_date = amz_date,
    };
    rc = awssts_sigv4_sign(&sreq, &sp, &out->sig, ei);
    if (rc != AWSSTS_OK)
        return rc;

    bool built = true;
    for (size_t i = 0; i < nh; i++)
        built = awssts_buf_printf(&out->line[i], "%s: %s", h[i].name, h[i].value) && built;
    built = awssts_buf_printf(&out->line[nh], "Authorization: %s", out->sig.authorization) && built;
    out->n = nh + 1;
    for (size_t i = 0; i < out->n; i++)
        out->lines[i] = out->line[i].data;
    if (!built) {
        awssts_aws_signed_free(out);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    return AWSSTS_OK;
}

static void copy_field(char *dst, size_t len, const char *src)
{
    if (src != NULL && *src != '\0')
        awssts_text_copy_clean(dst, len, src, strlen(src));
}

awssts_err awssts_aws_request_error(const struct aws_request *req, const struct http_response *resp,
                                    struct awssts_error_info *ei)
{
    if (resp->status >= 300 && resp->status < 400)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "HTTP %ld redirect%s%s not followed",
                                resp->status, resp->location[0] ? " to " : "", resp->location);
    struct aws_error_doc doc;
    memset(&doc, 0, sizeof(doc));
    if (!req->protocol->read_error(resp->body.data, resp->body.len, req->operation, &doc) ||
        doc.code[0] == '\0') {
        awssts_err e = req->protocol->map_error(NULL, NULL, resp->status);
        return awssts_error_set(ei, e, "HTTP %ld without an AWS error document", resp->status);
    }
    copy_field(ei->aws_code, sizeof(ei->aws_code), doc.code);
    copy_field(ei->message, sizeof(ei->message), doc.message);
    copy_field(ei->request_id, sizeof(ei->request_id), doc.request_id);
    ei->code = req->protocol->map_error(doc.code, doc.message, resp->status);
    return ei->code;
}

/* The attempt loop's view of one signed request. */
struct signing {
    const struct aws_request *req;
    const struct awssts_keys *keys;
    struct aws_signed sig;
};

static awssts_err prepare(void *ctx, struct http_request *hreq, struct awssts_error_info *ei)
{
    struct signing *s = ctx;
    char amz_date[17];
    if (awssts_sigv4_amz_date((long long)time(NULL), amz_date) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "system clock unreadable");
    awssts_err rc = awssts_aws_request_sign(s->req, s->keys, amz_date, &s->sig, ei);
    if (rc != AWSSTS_OK)
        return rc;
    hreq->header_lines = s->sig.lines;
    hreq->n_headers = s->sig.n;
    return AWSSTS_OK;
}

static void finish(void *ctx)
{
    struct signing *s = ctx;
    awssts_aws_signed_free(&s->sig);
}

static awssts_err judge(void *ctx, awssts_err rc, const struct http_response *resp, bool *retry,
                        struct awssts_error_info *ei)
{
    const struct aws_request *req = ((struct signing *)ctx)->req;
    if (rc != AWSSTS_OK) {
        *retry = awssts_transport_failure_retryable(rc, resp, !req->replay_unsafe);
        return rc;
    }
    if (resp->status >= 200 && resp->status < 300)
        return AWSSTS_OK;
    rc = awssts_aws_request_error(req, resp, ei);
    /* Throttling comes before the request is evaluated: safe to replay
     * even with an MFA code. A 5xx may come after. */
    *retry = rc == AWSSTS_E_THROTTLED || (rc == AWSSTS_E_SERVER && !req->replay_unsafe);
    return rc;
}

awssts_err awssts_aws_request_send(struct transport *t, const struct awssts_keys *keys,
                                   const struct aws_request *req, struct http_response *resp,
                                   struct awssts_error_info *ei)
{
    awssts_http_response_init(resp);
    awssts_err rc = check_request(req, ei);
    if (rc == AWSSTS_OK)
        rc = check_keys(keys, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct signing s = {.req = req, .keys = keys};
    const struct http_request hreq = {
        .method = HTTP_POST,
        .url = req->url,
        .allow_http = false,
        .body = req->body,
        .body_len = req->body_len,
    };
    const struct transport_attempt how = {
        .prepare = prepare,
        .judge = judge,
        .finish = finish,
        .ctx = &s,
    };
    return awssts_transport_send(t, &hreq, &how, resp, ei);
}
