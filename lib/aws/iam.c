/* IAM ListMFADevices: the form, the signed call, the XML through the
 * guarded expat (aws/xml_guard.h). Nothing in it is a secret. */
#include "aws/iam.h"
#include "aws/aws_request.h"
#include "aws/form.h"
#include "awssts/secret.h"
#include "aws/sts_call.h"
#include "aws/xml_guard.h"
#include "util/error_set.h"
#include "util/text.h"

#include <expat.h>
#include <stdio.h>
#include <string.h>

#define IAM_DEPTH  8
#define IAM_NAME   64
#define IAM_SERIAL 300

struct devices_state {
    struct awssts_xml xml; /* first: the guard's handlers get the state */
    const char *serial;
    struct iam_mfa_devices *out;
    char stack[IAM_DEPTH][IAM_NAME];
    int depth;
    char text[IAM_SERIAL + 1];
    size_t text_len;
    bool capture, too_long;
};

static const char *local_name(const char *n)
{
    const char *colon = strrchr(n, ':');
    return colon ? colon + 1 : n;
}

static void stop(struct devices_state *st, const char *why)
{
    awssts_xml_refuse(&st->xml, why);
}

/* The element at depth d from the top (0: the current one), or "". */
static const char *up(const struct devices_state *st, int d)
{
    return st->depth - 1 - d >= 0 ? st->stack[st->depth - 1 - d] : "";
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    struct devices_state *st = ud;
    (void)attrs;
    const char *ln = local_name(name);
    if (st->depth == 0 && strcmp(ln, "ListMFADevicesResponse") != 0) {
        stop(st, "not a ListMFADevicesResponse");
        return;
    }
    if (st->depth >= IAM_DEPTH || st->capture) {
        stop(st, st->capture ? "markup inside a value" : "elements nested too deep");
        return;
    }
    snprintf(st->stack[st->depth++], IAM_NAME, "%s", ln);
    bool in_member = strcmp(up(st, 1), "member") == 0 && strcmp(up(st, 2), "MFADevices") == 0;
    if (strcmp(ln, "member") == 0 && strcmp(up(st, 1), "MFADevices") == 0)
        st->out->count++;
    st->capture =
        (in_member && strcmp(ln, "SerialNumber") == 0) ||
        (strcmp(ln, "IsTruncated") == 0 && strcmp(up(st, 1), "ListMFADevicesResult") == 0);
    st->text_len = 0;
    st->too_long = false;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct devices_state *st = ud;
    (void)name;
    if (st->capture) {
        size_t n = 0;
        st->text[st->text_len] = '\0';
        const char *v = awssts_text_span_trim(st->text, st->text_len, &n);
        bool serial = strcmp(up(st, 0), "SerialNumber") == 0;
        if (serial && !st->too_long && st->serial != NULL && n == strlen(st->serial) &&
            strncmp(v, st->serial, n) == 0)
            st->out->has_serial = true;
        if (!serial)
            st->out->truncated = n == 4 && strncmp(v, "true", 4) == 0;
        st->capture = false;
    }
    st->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct devices_state *st = ud;
    if (!st->capture || len <= 0)
        return;
    if ((size_t)len > IAM_SERIAL - st->text_len) {
        st->too_long = true; /* no device of ours */
        return;
    }
    memcpy(st->text + st->text_len, s, (size_t)len);
    st->text_len += (size_t)len;
}

awssts_err awssts_iam_mfa_devices_parse(const char *body, size_t len, const char *serial,
                                        struct iam_mfa_devices *out, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    if (body == NULL || len == 0 || len > 0x7fffffff)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "ListMFADevices: empty or huge body");
    struct devices_state st = {.serial = serial, .out = out};
    if (!awssts_xml_open(&st.xml, &st))
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    XML_SetElementHandler(st.xml.parser, on_start, on_end);
    XML_SetCharacterDataHandler(st.xml.parser, on_text);
    awssts_err rc = awssts_xml_parse(&st.xml, body, len, ei);
    if (rc != AWSSTS_OK)
        awssts_error_prefix(ei, "ListMFADevices response");
    awssts_xml_close(&st.xml);
    if (rc != AWSSTS_OK)
        memset(out, 0, sizeof(*out));
    return rc;
}

awssts_err awssts_iam_list_mfa_devices(struct transport *t, const struct awssts_endpoint *ep,
                                       const struct awssts_keys *keys, const char *user_name,
                                       const char *serial, struct iam_mfa_devices *out,
                                       struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    struct awssts_error_info local;
    if (ei == NULL) { /* the request's layer writes the request id there */
        awssts_error_info_reset(&local);
        ei = &local;
    }
    if (t == NULL || ep == NULL || keys == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "ListMFADevices: no client");
    struct form f;
    awssts_form_init(&f);
    char *body = NULL;
    awssts_err rc = awssts_form_add(&f, "Action", "ListMFADevices", ei);
    if (rc == AWSSTS_OK)
        rc = awssts_form_add(&f, "Version", AWSSTS_IAM_API_VERSION, ei);
    if (rc == AWSSTS_OK && user_name != NULL)
        rc = awssts_form_add(&f, "UserName", user_name, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_form_encode(&f, &body, ei);
    awssts_form_free(&f);
    if (rc != AWSSTS_OK)
        return rc;
    const struct aws_request req = {
        .service = "iam",
        .region = ep->region,
        .url = ep->url,
        .host = ep->host,
        .content_type = "application/x-www-form-urlencoded; charset=utf-8",
        .body = body,
        .body_len = strlen(body),
        .operation = "ListMFADevices",
        .protocol = &awssts_query_protocol,
    };
    struct http_response resp;
    rc = awssts_aws_request_send(t, keys, &req, &resp, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_iam_mfa_devices_parse(resp.body.data, resp.body.len, serial, out, ei);
    else
        awssts_error_prefix(ei, "IAM ListMFADevices");
    awssts_http_response_free(&resp);
    awssts_secret_free(body);
    if (rc != AWSSTS_OK)
        ei->code = rc;
    return rc;
}
