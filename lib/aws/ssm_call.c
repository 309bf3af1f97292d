/* SSM GetParameter over a signed awsJson1.1 request: the body, the
 * response, and the details a failure gets. */
#include "aws/ssm.h"
#include "awssts/secret.h"
#include "util/error_set.h"
#include "json/json.h"

#include <stdio.h>
#include <string.h>

awssts_err awssts_ssm_request_body(const char *name, char **body, size_t *len,
                                   struct awssts_error_info *ei)
{
    *body = NULL;
    struct awssts_json *d = NULL;
    awssts_err rc = awssts_json_new(&d, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "Name", name, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_bool(d, "WithDecryption", true, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_serialize(d, AWSSTS_JSON_LINE, body, len, ei);
    awssts_json_free(d);
    return rc;
}

void awssts_ssm_parameter_free(struct ssm_parameter *p)
{
    if (p == NULL)
        return;
    if (p->value != NULL)
        awssts_memzero(p->value, p->value_len);
    awssts_secret_free(p->value);
    memset(p, 0, sizeof(*p));
}

/* lib/json's "malformed" says where; the parameter's name says what. */
static awssts_err in_response(awssts_err rc, struct awssts_error_info *ei)
{
    if (rc != AWSSTS_OK)
        awssts_error_prefix(ei, "GetParameter response");
    return rc;
}

awssts_err awssts_ssm_read_response(const char *body, size_t len, const char *name,
                                    struct ssm_parameter *out, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    struct awssts_json *d = NULL;
    awssts_err rc = awssts_json_parse(body != NULL ? body : "", body != NULL ? len : 0, &d, ei);
    if (rc != AWSSTS_OK)
        return in_response(rc, ei);
    const struct awssts_json *p = NULL;
    const char *got_name = NULL, *type = NULL, *value = NULL;
    rc = awssts_json_get_object(d, "Parameter", &p, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_get_string(p, "Name", &got_name, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_get_string(p, "Type", &type, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_get_string(p, "Value", &value, ei);
    rc = in_response(rc, ei);
    if (rc == AWSSTS_OK && (name == NULL || strcmp(got_name, name) != 0))
        rc = awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                              "GetParameter response: a parameter of another name");
    /* A String parameter is stored in the clear: keys must be encrypted
     * at rest, so it is the store's mistake, never read. */
    if (rc == AWSSTS_OK && strcmp(type, "SecureString") != 0)
        rc = awssts_error_set(ei, AWSSTS_E_CONFIG,
                              "SSM parameter %.200s is not a SecureString: keys must be "
                              "encrypted with KMS",
                              name);
    /* arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME: whose store answered. */
    const char *arn = NULL;
    if (rc == AWSSTS_OK && awssts_json_get_string(p, "ARN", &arn, NULL) == AWSSTS_OK) {
        const char *q = arn;
        for (int field = 0; field < 4 && q != NULL; field++)
            q = strchr(q, ':') != NULL ? strchr(q, ':') + 1 : NULL;
        size_t n = q != NULL ? strspn(q, "0123456789") : 0;
        if (n == 12 && q[12] == ':')
            memcpy(out->account, q, 12);
    }
    if (rc == AWSSTS_OK) {
        out->value = awssts_secret_dup(value);
        out->value_len = strlen(value);
        if (out->value == NULL)
            rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    awssts_json_free(d); /* zeroes the value */
    return rc;
}

/* One line for a failed call: what SSM's error means here, and the name. */
static void explain(awssts_err rc, const char *name, struct awssts_error_info *ei)
{
    if (rc == AWSSTS_E_NO_KEYS) {
        awssts_error_set(ei, rc, "SSM parameter %.200s does not exist", name);
    } else if (rc == AWSSTS_E_ACCESS_DENIED && awssts_ssm_error_is_kms(ei->aws_code, ei->message)) {
        awssts_error_set(ei, rc,
                         "KMS refused to decrypt SSM parameter %.200s: the instance role needs "
                         "kms:Decrypt on its key",
                         name);
    } else {
        char prefix[300];
        snprintf(prefix, sizeof(prefix), "SSM GetParameter %.200s", name);
        if (ei->detail[0] == '\0')
            awssts_error_set(ei, rc, "%s", prefix);
        else
            awssts_error_prefix(ei, prefix);
    }
}

awssts_err awssts_ssm_get_parameter(struct transport *t, const struct awssts_endpoint *ep,
                                    const struct awssts_keys *keys, const char *name,
                                    struct ssm_parameter *out, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    if (t == NULL || ep == NULL || name == NULL || !awssts_ssm_name_valid(name))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "GetParameter: no transport, endpoint or valid name");
    char *body = NULL;
    size_t body_len = 0;
    awssts_err rc = awssts_ssm_request_body(name, &body, &body_len, ei);
    if (rc != AWSSTS_OK)
        return rc;
    const struct aws_request req = {
        .service = "ssm",
        .region = ep->region,
        .url = ep->url,
        .host = ep->host,
        .target = AWSSTS_SSM_TARGET,
        .content_type = AWSSTS_SSM_CONTENT_TYPE,
        .body = body,
        .body_len = body_len,
        .operation = AWSSTS_SSM_TARGET,
        .protocol = &awssts_ssm_protocol,
    };
    struct http_response resp;
    rc = awssts_aws_request_send(t, keys, &req, &resp, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_ssm_read_response(resp.body.data, resp.body.len, name, out, ei);
    else
        explain(rc, name, ei);
    awssts_http_response_free(&resp); /* zeroes the decrypted value */
    awssts_secret_free(body);
    if (rc != AWSSTS_OK)
        ei->code = rc;
    return rc;
}
