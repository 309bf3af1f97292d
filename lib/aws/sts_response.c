/* STS response documents through expat. Elements are matched by their own
 * name and their parent's, in any order; everything else is skipped. */
#include "aws/sts_response.h"
#include "aws/xml_guard.h"
#include "awssts/secret.h"
#include "util/buf.h"
#include "util/error_set.h"
#include "util/text.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16
#define MAX_FIELD ((size_t)16 * 1024)
#define MAX_NAME  64

struct field_rule {
    const char *parent; /* NULL: any element whose name ends in "Result" */
    const char *name;
    enum sts_field field;
};

static const struct field_rule rules[] = {
    {"Credentials", "AccessKeyId", STS_F_ACCESS_KEY_ID},
    {"Credentials", "SecretAccessKey", STS_F_SECRET_ACCESS_KEY},
    {"Credentials", "SessionToken", STS_F_SESSION_TOKEN},
    {"Credentials", "Expiration", STS_F_EXPIRATION},
    {"AssumedRoleUser", "Arn", STS_F_ROLE_ARN},
    {"AssumedRoleUser", "AssumedRoleId", STS_F_ROLE_ID},
    {NULL, "SourceIdentity", STS_F_SOURCE_IDENTITY},
    {"GetCallerIdentityResult", "Account", STS_F_ACCOUNT},
    {"GetCallerIdentityResult", "Arn", STS_F_ARN},
    {"GetCallerIdentityResult", "UserId", STS_F_USER_ID},
    {"ResponseMetadata", "RequestId", STS_F_REQUEST_ID},
    {"ErrorResponse", "RequestId", STS_F_REQUEST_ID},
    {"Error", "Type", STS_F_ERROR_TYPE},
    {"Error", "Code", STS_F_ERROR_CODE},
    {"Error", "Message", STS_F_ERROR_MESSAGE},
};

struct parse_state {
    struct awssts_xml xml; /* first: the guard's handlers get the state */
    const char *action;
    struct sts_response *out;
    char stack[MAX_DEPTH][MAX_NAME];
    int depth;
    int capture; /* index into rules, or -1 */
    int capture_depth;
    struct awssts_buf text;
};

/* Names without a namespace prefix ("sts:Foo" -> "Foo"). */
static const char *local_name(const char *n)
{
    const char *colon = strrchr(n, ':');
    return colon ? colon + 1 : n;
}

static void fail(struct parse_state *st, const char *why)
{
    awssts_xml_refuse(&st->xml, why);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    struct parse_state *st = ud;
    (void)attrs;
    const char *ln = local_name(name);
    if (st->capture >= 0) {
        fail(st, "markup inside a value");
        return;
    }
    if (st->depth >= MAX_DEPTH) {
        fail(st, "elements nested too deep");
        return;
    }
    if (st->depth == 0) {
        char want[MAX_NAME];
        snprintf(want, sizeof(want), "%sResponse", st->action);
        if (strcmp(ln, "ErrorResponse") == 0)
            st->out->is_error = true;
        else if (strcmp(ln, want) != 0) {
            fail(st, "unexpected root element");
            return;
        }
    }
    const char *parent = st->depth > 0 ? st->stack[st->depth - 1] : "";
    snprintf(st->stack[st->depth], MAX_NAME, "%s", ln);
    st->depth++;

    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        bool parent_ok =
            rules[i].parent ? strcmp(parent, rules[i].parent) == 0 : ends_with(parent, "Result");
        if (parent_ok && strcmp(ln, rules[i].name) == 0) {
            if (st->out->field[rules[i].field] != NULL) {
                fail(st, "a field appears twice");
                return;
            }
            st->capture = (int)i;
            st->capture_depth = st->depth;
            awssts_buf_free(&st->text);
            return;
        }
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    struct parse_state *st = ud;
    (void)name;
    if (st->capture >= 0 && st->depth == st->capture_depth) {
        enum sts_field f = rules[st->capture].field;
        size_t n = 0;
        const char *v = awssts_text_span_trim(st->text.data ? st->text.data : "", st->text.len, &n);
        char *copy = malloc(n + 1);
        if (copy == NULL) {
            fail(st, "out of memory");
            return;
        }
        memcpy(copy, v, n);
        copy[n] = '\0';
        st->out->field[f] = copy;
        st->capture = -1;
        awssts_buf_free(&st->text);
    }
    st->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct parse_state *st = ud;
    if (st->capture < 0 || len <= 0)
        return;
    if (!awssts_buf_append(&st->text, s, (size_t)len))
        fail(st,
             st->text.len + (size_t)len > MAX_FIELD ? "a value is over 16 KiB" : "out of memory");
}

awssts_err awssts_sts_response_parse(const char *body, size_t len, const char *action,
                                     struct sts_response *out, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    if (body == NULL || len == 0)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "empty response body");
    if (len > 0x7fffffff)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "response too large");

    struct parse_state st;
    memset(&st, 0, sizeof(st));
    st.action = action;
    st.out = out;
    st.capture = -1;
    awssts_buf_init(&st.text, MAX_FIELD);

    if (!awssts_xml_open(&st.xml, &st))
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    XML_SetElementHandler(st.xml.parser, on_start, on_end);
    XML_SetCharacterDataHandler(st.xml.parser, on_text);
    awssts_err rc = awssts_xml_parse(&st.xml, body, len, ei);
    awssts_xml_close(&st.xml);
    awssts_buf_free(&st.text);
    if (rc != AWSSTS_OK)
        awssts_sts_response_free(out);
    return rc;
}

void awssts_sts_response_free(struct sts_response *r)
{
    if (r == NULL)
        return;
    for (int i = 0; i < STS_F__COUNT; i++)
        awssts_secret_free(r->field[i]);
    memset(r, 0, sizeof(*r));
}
