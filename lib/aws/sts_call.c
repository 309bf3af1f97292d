/* STS's Query protocol on top of a signed request: the form, the XML. */
#include "aws/sts_call.h"
#include "aws/aws_request.h"
#include "awssts/secret.h"
#include "util/error_set.h"
#include "aws/sts_errors.h"
#include "util/text.h"

#include <string.h>

#define STS_API_VERSION   "2011-06-15"
#define FORM_CONTENT_TYPE "application/x-www-form-urlencoded; charset=utf-8"

void awssts_sts_call_init(struct sts_call *call, const char *action)
{
    memset(call, 0, sizeof(*call));
    call->action = action;
    awssts_form_init(&call->params);
}

awssts_err awssts_sts_call_add(struct sts_call *call, const char *name, const char *value,
                               struct awssts_error_info *ei)
{
    return awssts_form_add(&call->params, name, value, ei);
}

void awssts_sts_call_free(struct sts_call *call)
{
    awssts_form_free(&call->params);
}

awssts_err awssts_sts_form_body(const struct sts_call *call, char **out,
                                struct awssts_error_info *ei)
{
    *out = NULL;
    if (call->params.failed)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "%s: a parameter could not be added",
                                call->action);
    struct form all;
    awssts_form_init(&all);
    awssts_err rc = awssts_form_add(&all, "Action", call->action, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_form_add(&all, "Version", STS_API_VERSION, ei);
    for (size_t i = 0; i < call->params.n && rc == AWSSTS_OK; i++)
        rc = awssts_form_add(&all, call->params.items[i].name, call->params.items[i].value, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_form_encode(&all, out, ei);
    awssts_form_free(&all);
    return rc;
}

static void copy_field(char *dst, size_t len, const char *src)
{
    if (src != NULL)
        awssts_text_copy_clean(dst, len, src, strlen(src));
}

/* <ErrorResponse><Error><Code>...; the same reader as for a success. */
static bool query_read_error(const char *body, size_t len, const char *action,
                             struct aws_error_doc *out)
{
    struct sts_response doc;
    awssts_err rc = awssts_sts_response_parse(body, len, action, &doc, NULL);
    bool found = rc == AWSSTS_OK && doc.is_error && doc.field[STS_F_ERROR_CODE] != NULL;
    if (found) {
        copy_field(out->code, sizeof(out->code), doc.field[STS_F_ERROR_CODE]);
        copy_field(out->message, sizeof(out->message), doc.field[STS_F_ERROR_MESSAGE]);
        copy_field(out->request_id, sizeof(out->request_id), doc.field[STS_F_REQUEST_ID]);
    }
    awssts_sts_response_free(&doc);
    return found;
}

const struct aws_protocol awssts_query_protocol = {
    .read_error = query_read_error,
    .map_error = awssts_sts_error_map,
};

awssts_err awssts_sts_call(struct awssts_client *c, const struct awssts_keys *keys,
                           const struct sts_call *call, struct sts_response *out,
                           struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    char *body = NULL;
    awssts_err rc = awssts_sts_form_body(call, &body, ei);
    if (rc != AWSSTS_OK || body == NULL)
        return rc != AWSSTS_OK ? rc : awssts_error_set(ei, AWSSTS_E_INTERNAL, "no form body");
    const struct aws_request req = {
        .service = "sts",
        .region = c->endpoint.region,
        .url = c->endpoint.url,
        .host = c->endpoint.host,
        .content_type = FORM_CONTENT_TYPE,
        .body = body,
        .body_len = strlen(body),
        .operation = call->action,
        .replay_unsafe = call->carries_mfa,
        .protocol = &awssts_query_protocol,
    };
    struct http_response resp;
    rc = awssts_aws_request_send(c->transport, keys, &req, &resp, ei);
    if (rc == AWSSTS_OK) {
        rc = awssts_sts_response_parse(resp.body.data, resp.body.len, call->action, out, ei);
        if (rc == AWSSTS_OK && out->is_error) {
            /* A 2xx carrying an error document is still an error. */
            awssts_sts_response_free(out);
            rc = awssts_aws_request_error(&req, &resp, ei);
        } else if (rc == AWSSTS_OK && ei->request_id[0] == '\0') {
            copy_field(ei->request_id, sizeof(ei->request_id), out->field[STS_F_REQUEST_ID]);
        }
    }
    awssts_http_response_free(&resp);
    awssts_secret_free(body); /* the MFA code */
    if (rc != AWSSTS_OK)
        ei->code = rc;
    return rc;
}
