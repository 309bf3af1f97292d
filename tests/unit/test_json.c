/* lib/json: the writer's text in both styles, the reader's refusals with
 * their details, the SSM documents it is for. */
#include "cm.h"

#include "json/json.h"
#include "awssts/secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Values the details must never show. */
#define SECRET "s3cr3t-VALUE"

static char *serialize(struct awssts_json *d, enum awssts_json_style style)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    char *text = NULL;
    size_t len = 0;
    awssts_err rc = awssts_json_serialize(d, style, &text, &len, &ei);
    if (rc != AWSSTS_OK)
        fail_msg("serialize: %s (%s)", awssts_errname(rc), ei.detail);
    assert_int_equal(strlen(text), len);
    return text;
}

static void expect_text(struct awssts_json *d, enum awssts_json_style style, const char *want)
{
    char *text = serialize(d, style);
    assert_string_equal(text, want);
    awssts_secret_free(text);
}

static struct awssts_json *new_doc(void)
{
    struct awssts_json *d = NULL;
    assert_int_equal(awssts_json_new(&d, NULL), AWSSTS_OK);
    assert_non_null(d);
    return d;
}

static void test_write_escaping(void **state)
{
    (void)state;
    struct awssts_json *d = new_doc();
    assert_int_equal(awssts_json_add_string(d, "quote", "a\"b", NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(d, "backslash", "a\\b", NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(d, "control", "\x01\b\t\n\f\r\x1f\x7f", NULL),
                     AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(d, "slash", "arn:aws:iam::1:role/a/b", NULL),
                     AWSSTS_OK);
    assert_int_equal(
        awssts_json_add_string(d, "utf8", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91", NULL),
        AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(d, "n\"ame\n", "", NULL), AWSSTS_OK);
    expect_text(d, AWSSTS_JSON_LINE,
                "{\"quote\":\"a\\\"b\",\"backslash\":\"a\\\\b\","
                "\"control\":\"\\u0001\\b\\t\\n\\f\\r\\u001f\x7f\","
                "\"slash\":\"arn:aws:iam::1:role/a/b\","
                "\"utf8\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91\","
                "\"n\\\"ame\\n\":\"\"}");
    awssts_json_free(d);
}

static void test_write_line_and_pretty(void **state)
{
    (void)state;
    struct awssts_json *d = new_doc(), *inner = NULL, *empty = NULL;
    assert_int_equal(awssts_json_add_int(d, "Version", 1, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(d, "s", "x", NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(d, "absent", NULL, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_null(d, "nothing", NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_bool(d, "yes", true, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_bool(d, "no", false, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_object(d, "inner", &inner, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_int(inner, "min", INT64_MIN, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_int(inner, "max", INT64_MAX, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_object(inner, "empty", &empty, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_int(d, "after", -5, NULL), AWSSTS_OK);
    expect_text(d, AWSSTS_JSON_LINE,
                "{\"Version\":1,\"s\":\"x\",\"absent\":null,\"nothing\":null,\"yes\":true,"
                "\"no\":false,\"inner\":{\"min\":-9223372036854775808,"
                "\"max\":9223372036854775807,\"empty\":{}},\"after\":-5}");
    expect_text(d, AWSSTS_JSON_PRETTY,
                "{\n"
                "  \"Version\": 1,\n"
                "  \"s\": \"x\",\n"
                "  \"absent\": null,\n"
                "  \"nothing\": null,\n"
                "  \"yes\": true,\n"
                "  \"no\": false,\n"
                "  \"inner\": {\n"
                "    \"min\": -9223372036854775808,\n"
                "    \"max\": 9223372036854775807,\n"
                "    \"empty\": {\n"
                "    }\n"
                "  },\n"
                "  \"after\": -5\n"
                "}");
    /* The same document again: json-c's buffer is reused. */
    expect_text(d, AWSSTS_JSON_LINE,
                "{\"Version\":1,\"s\":\"x\",\"absent\":null,\"nothing\":null,\"yes\":true,"
                "\"no\":false,\"inner\":{\"min\":-9223372036854775808,"
                "\"max\":9223372036854775807,\"empty\":{}},\"after\":-5}");
    awssts_json_free(d);

    d = new_doc();
    expect_text(d, AWSSTS_JSON_LINE, "{}");
    awssts_json_free(d);
}

/* The credential_process document, as the AWS CLI reads it. */
static void test_write_credential_process(void **state)
{
    (void)state;
    struct awssts_json *d = new_doc();
    assert_int_equal(awssts_json_add_int(d, "Version", 1, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(d, "AccessKeyId", "ASIAIOSFODNN7EXAMPLE", NULL),
                     AWSSTS_OK);
    assert_int_equal(
        awssts_json_add_string(d, "SecretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfi", NULL),
        AWSSTS_OK);
    assert_int_equal(
        awssts_json_add_string(d, "SessionToken", "AQoEXAMPLEH4aoAH0gNCAPy+Fvw==", NULL),
        AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(d, "Expiration", "2030-07-11T19:55:29Z", NULL),
                     AWSSTS_OK);
    expect_text(d, AWSSTS_JSON_PRETTY,
                "{\n"
                "  \"Version\": 1,\n"
                "  \"AccessKeyId\": \"ASIAIOSFODNN7EXAMPLE\",\n"
                "  \"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfi\",\n"
                "  \"SessionToken\": \"AQoEXAMPLEH4aoAH0gNCAPy+Fvw==\",\n"
                "  \"Expiration\": \"2030-07-11T19:55:29Z\"\n"
                "}");
    awssts_json_free(d);
}

static void test_write_refusals(void **state)
{
    (void)state;
    struct awssts_error_info ei;
    struct awssts_json *d = new_doc();
    assert_int_equal(awssts_json_add_string(d, "a", "1", NULL), AWSSTS_OK);

    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_json_add_int(d, "a", 2, &ei), AWSSTS_E_INTERNAL);
    assert_string_equal(ei.detail, "JSON member \"a\" added twice");
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_json_add_string(d, "bad\xff", "v", &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_string_equal(ei.detail, "JSON member name is not UTF-8");
    assert_int_equal(awssts_json_add_null(NULL, "x", &ei), AWSSTS_E_INTERNAL);
    assert_int_equal(awssts_json_add_bool(d, NULL, true, &ei), AWSSTS_E_INTERNAL);
    struct awssts_json *child = d;
    assert_int_equal(awssts_json_add_object(d, "a", &child, &ei), AWSSTS_E_INTERNAL);
    assert_null(child);

    size_t big = 1024 * 1024 + 1;
    char *v = malloc(big + 1);
    assert_non_null(v);
    memset(v, 'A', big);
    v[big] = '\0';
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_json_add_string(d, "big", v, &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_string_equal(ei.detail, "JSON member \"big\" is longer than 1048576 bytes");
    free(v);

    char x[] = "x";
    char *text = x;
    assert_int_equal(awssts_json_serialize(NULL, AWSSTS_JSON_LINE, &text, NULL, &ei),
                     AWSSTS_E_INTERNAL);
    assert_null(text);
    expect_text(d, AWSSTS_JSON_LINE, "{\"a\":\"1\"}");
    awssts_json_free(d);
    awssts_json_free(NULL);
}

/* Bytes that are not UTF-8 come out as U+FFFD: the text stays JSON. */
static void test_write_not_utf8(void **state)
{
    (void)state;
    struct awssts_json *d = new_doc();
    assert_int_equal(awssts_json_add_string(d, "u",
                                            "a\xff"
                                            "b\xc3"
                                            "c\xed\xa0\x80"
                                            "d\xc3\xa9",
                                            NULL),
                     AWSSTS_OK);
    expect_text(d, AWSSTS_JSON_LINE,
                "{\"u\":\"a\xef\xbf\xbd"
                "b\xef\xbf\xbd"
                "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                "d\xc3\xa9\"}");
    awssts_json_free(d);
}

/* The most escaping there can be (six bytes a byte), in a big document:
 * json-c's buffer is sized before the text is written. */
static void test_write_worst_case_size(void **state)
{
    (void)state;
    size_t n = 200000;
    char *v = malloc(n + 1);
    assert_non_null(v);
    memset(v, 0x01, n);
    v[n] = '\0';
    struct awssts_json *d = new_doc(), *inner = NULL;
    assert_int_equal(awssts_json_add_object(d, "\x01\x02", &inner, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(inner, "\x1f", v, NULL), AWSSTS_OK);
    for (enum awssts_json_style s = AWSSTS_JSON_LINE; s <= AWSSTS_JSON_PRETTY; s++) {
        char *text = serialize(d, s);
        assert_true(strlen(text) > 6 * n);
        awssts_secret_free(text);
    }
    awssts_json_free(d);
    free(v);
}

/* What the writer makes, the reader takes back. */
static void test_write_then_read(void **state)
{
    (void)state;
    const char *value = "q\"\\/\x01\n\x7f caf\xc3\xa9 \xf0\x9f\x94\x91";
    struct awssts_json *d = new_doc(), *inner = NULL;
    assert_int_equal(awssts_json_add_object(d, "Parameter", &inner, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(inner, "Value", value, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_int(inner, "Version", 3, NULL), AWSSTS_OK);
    for (enum awssts_json_style s = AWSSTS_JSON_LINE; s <= AWSSTS_JSON_PRETTY; s++) {
        char *text = serialize(d, s);
        struct awssts_json *back = NULL;
        const struct awssts_json *p = NULL;
        const char *got = NULL;
        assert_int_equal(awssts_json_parse(text, strlen(text), &back, NULL), AWSSTS_OK);
        assert_int_equal(awssts_json_get_object(back, "Parameter", &p, NULL), AWSSTS_OK);
        assert_int_equal(awssts_json_get_string(p, "Value", &got, NULL), AWSSTS_OK);
        assert_string_equal(got, value);
        awssts_json_free(back);
        awssts_secret_free(text);
    }
    awssts_json_free(d);
}

static struct awssts_json *parse_ok(const char *text)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_json *d = NULL;
    awssts_err rc = awssts_json_parse(text, strlen(text), &d, &ei);
    if (rc != AWSSTS_OK)
        fail_msg("parse: %s (%s)", awssts_errname(rc), ei.detail);
    return d;
}

static const char ssm_parameter[] =
    "{\"Parameter\":{\"ARN\":\"arn:aws:ssm:eu-west-1:123456789012:parameter/bastion/alice\","
    "\"DataType\":\"text\",\"LastModifiedDate\":1.684245362473E9,\"Name\":\"/bastion/alice\","
    "\"Type\":\"SecureString\",\"Value\":\"" SECRET "\",\"Version\":3}}";

static void test_read_ssm_parameter(void **state)
{
    (void)state;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_json *d = parse_ok(ssm_parameter);
    const struct awssts_json *p = NULL;
    const char *v = NULL;
    static const char *const top[] = {"Parameter", NULL};
    assert_int_equal(awssts_json_only_members(d, top, &ei), AWSSTS_OK);
    assert_int_equal(awssts_json_get_object(d, "Parameter", &p, &ei), AWSSTS_OK);
    assert_int_equal(awssts_json_get_string(p, "Type", &v, &ei), AWSSTS_OK);
    assert_string_equal(v, "SecureString");
    assert_int_equal(awssts_json_get_string(p, "Name", &v, &ei), AWSSTS_OK);
    assert_string_equal(v, "/bastion/alice");
    assert_int_equal(awssts_json_get_string(p, "Value", &v, &ei), AWSSTS_OK);
    assert_string_equal(v, SECRET);
    assert_true(awssts_json_has(p, "Version"));
    assert_false(awssts_json_has(p, "Selector"));

    /* Members in document order. */
    static const char *const order[] = {"ARN",  "DataType", "LastModifiedDate", "Name",
                                        "Type", "Value",    "Version"};
    struct awssts_json_iter it;
    const char *name;
    size_t k = 0;
    awssts_json_iter_init(p, &it);
    while (awssts_json_iter_next(&it, &name)) {
        assert_true(k < 7);
        assert_string_equal(name, order[k++]);
    }
    assert_int_equal(k, 7);

    /* A caller that knows fewer members names the first one it does not. */
    static const char *const known[] = {"ARN",   "DataType", "Name", "Type",
                                        "Value", "Version",  NULL};
    assert_int_equal(awssts_json_only_members(p, known, &ei), AWSSTS_E_BAD_RESPONSE);
    assert_string_equal(ei.detail, "JSON member \"LastModifiedDate\" is unexpected");
    awssts_json_free(d);
}

static void test_read_ssm_error(void **state)
{
    (void)state;
    struct awssts_json *d = parse_ok(
        "{\"__type\":\"com.amazonaws.ssm#ParameterNotFound\",\"message\":\"not found\"}\n");
    const char *v = NULL;
    assert_int_equal(awssts_json_get_string(d, "__type", &v, NULL), AWSSTS_OK);
    assert_string_equal(v, "com.amazonaws.ssm#ParameterNotFound");
    assert_true(awssts_json_has(d, "message"));
    assert_false(awssts_json_has(d, "Message"));
    assert_int_equal(awssts_json_get_string(d, "message", &v, NULL), AWSSTS_OK);
    assert_string_equal(v, "not found");
    awssts_json_free(d);
}

/* A parameter value that is itself an object of strings. */
static void test_read_value_object(void **state)
{
    (void)state;
    struct awssts_json *d =
        parse_ok(" {\n \"aws_access_key_id\" : \"AKIAIOSFODNN7EXAMPLE\",\n"
                 "  \"aws_secret_access_key\": \"wJalrXUtnFEMI\\/K7MDENG\\u002fbPxRfi\",\n"
                 "  \"note\": \"caf\\u00e9 \\ud83d\\udd11\"\n}\r\n");
    static const char *const names[] = {"aws_access_key_id", "aws_secret_access_key", "note"};
    static const char *const values[] = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfi",
                                         "caf\xc3\xa9 \xf0\x9f\x94\x91"};
    struct awssts_json_iter it;
    const char *name, *v;
    size_t k = 0;
    awssts_json_iter_init(d, &it);
    while (awssts_json_iter_next(&it, &name)) {
        assert_true(k < 3);
        assert_string_equal(name, names[k]);
        assert_int_equal(awssts_json_get_string(d, name, &v, NULL), AWSSTS_OK);
        assert_string_equal(v, values[k]);
        k++;
    }
    assert_int_equal(k, 3);
    awssts_json_free(d);

    d = parse_ok("{}");
    awssts_json_iter_init(d, &it);
    assert_false(awssts_json_iter_next(&it, &name));
    awssts_json_free(d);
}

static void expect_get_error(const struct awssts_json *d, const char *name, bool object,
                             const char *detail)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    const char *v = "x";
    const struct awssts_json *c = d;
    awssts_err rc = object ? awssts_json_get_object(d, name, &c, &ei)
                           : awssts_json_get_string(d, name, &v, &ei);
    assert_int_equal(rc, AWSSTS_E_BAD_RESPONSE);
    assert_string_equal(ei.detail, detail);
    assert_null(object ? (const void *)c : (const void *)v);
}

static void test_read_getters(void **state)
{
    (void)state;
    struct awssts_json *d =
        parse_ok("{\"n\":"
                 "12"
                 ",\"f\":1.5,\"t\":true,\"z\":null,\"o\":{\"Value\":\"" SECRET "\"},"
                 "\"a\":[\"" SECRET "\"],\"s\":\"" SECRET "\"}");
    expect_get_error(d, "missing", false, "JSON member \"missing\" is missing");
    expect_get_error(d, "n", false, "JSON member \"n\" is a number, not a string");
    expect_get_error(d, "f", false, "JSON member \"f\" is a number, not a string");
    expect_get_error(d, "t", false, "JSON member \"t\" is a boolean, not a string");
    expect_get_error(d, "z", false, "JSON member \"z\" is null, not a string");
    expect_get_error(d, "o", false, "JSON member \"o\" is an object, not a string");
    expect_get_error(d, "a", false, "JSON member \"a\" is an array, not a string");
    expect_get_error(d, "s", true, "JSON member \"s\" is a string, not an object");
    expect_get_error(d, "missing", true, "JSON member \"missing\" is missing");
    const struct awssts_json *o = NULL;
    assert_int_equal(awssts_json_get_object(d, "o", &o, NULL), AWSSTS_OK);
    expect_get_error(o, "Type", false, "JSON member \"Type\" is missing");
    assert_true(awssts_json_has(d, "z"));

    /* A long hostile name is cut, on a character boundary. */
    char name[200];
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    memcpy(name + 63, "\xc3\xa9", 2);
    char want[128];
    snprintf(want, sizeof(want), "JSON member \"%.63s\" is missing", name);
    expect_get_error(d, name, false, want);

    struct awssts_error_info ei;
    const char *v = NULL;
    assert_int_equal(awssts_json_get_string(NULL, "x", &v, &ei), AWSSTS_E_INTERNAL);
    assert_int_equal(awssts_json_get_string(d, "s", NULL, &ei), AWSSTS_E_INTERNAL);
    assert_false(awssts_json_has(NULL, "x"));
    awssts_json_free(d);
}

static void expect_refused_len(const char *text, size_t len, const char *detail)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_json *d = (struct awssts_json *)&ei; /* must come back NULL */
    assert_int_equal(awssts_json_parse(text, len, &d, &ei), AWSSTS_E_BAD_RESPONSE);
    assert_int_equal(ei.code, AWSSTS_E_BAD_RESPONSE);
    assert_null(d);
    if (strcmp(ei.detail, detail) != 0)
        fail_msg("refused with '%s', not '%s'", ei.detail, detail);
    assert_null(strstr(ei.detail, SECRET));
}

static void expect_refused(const char *text, const char *detail)
{
    expect_refused_len(text, strlen(text), detail);
}

static void test_read_refusals(void **state)
{
    (void)state;
    /* cut off, not one object */
    expect_refused("", "JSON text is empty");
    expect_refused("  \n", "JSON text ends before its value does (3 bytes)");
    expect_refused("{\"Value\":\"" SECRET, "JSON text ends before its value does (22 bytes)");
    expect_refused("{\"Parameter\":{\"Value\":\"" SECRET "\"}",
                   "JSON text ends before its value does (37 bytes)");
    expect_refused("{\"Value\":\"" SECRET "\"} x", "JSON text goes on after its object at byte 25");
    expect_refused("{\"a\":1}{}", "JSON text goes on after its object at byte 7");
    expect_refused("[\"" SECRET "\"]", "JSON text is not an object at byte 0");
    expect_refused("\"" SECRET "\"", "JSON text is not an object at byte 0");
    expect_refused("\xef\xbb\xbf{}", "JSON text is not an object at byte 0");
    expect_refused("{\"a\":[1}", "JSON bracket does not match at byte 7");
    /* json-c's grammar */
    expect_refused("{\"a\":1,}", "not JSON at byte 7: unexpected character");
    expect_refused("{\"a\" 1}", "not JSON at byte 5: object property name separator ':' expected");
    expect_refused("{\"a\":1 \"b\":2}", "not JSON at byte 7: object value separator ',' expected");
    expect_refused("{\"a\":}", "not JSON at byte 5: unexpected character");
    expect_refused("{\"a\":\"\\x\"}", "not JSON at byte 7: invalid string sequence");
    /* words and numbers */
    expect_refused("{a:1}", "JSON word other than true, false or null at byte 1");
    expect_refused("{\"a\":tru}", "JSON word other than true, false or null at byte 5");
    expect_refused("{\"a\":01}", "JSON number malformed at byte 5");
    /* before json-c */
    expect_refused_len("{\"Value\":\"" SECRET "\0\"}", 25, "JSON text has a NUL byte at byte 22");
    expect_refused("{\"a\":\"\xff\"}", "JSON text is not UTF-8 at byte 6");
    expect_refused("{\"a\":\"\xc0\xaf\"}", "JSON text is not UTF-8 at byte 6");     /* overlong */
    expect_refused("{\"a\":\"\xed\xa0\x80\"}", "JSON text is not UTF-8 at byte 6"); /* surrogate */
    expect_refused("{\"a\":\"\xf4\x90\x80\x80\"}",
                   "JSON text is not UTF-8 at byte 6");                         /* > U+10FFFF */
    expect_refused("{\"a\":\"\xe2\x82\"}", "JSON text is not UTF-8 at byte 6"); /* cut short */
    /* what json-c lets through */
    expect_refused("{\"Value\":\"" SECRET "\",\"Value\":\"x\"}",
                   "JSON member \"Value\" appears twice in one object");
    expect_refused("{\"o\":{\"a\":1,\"b\":{},\"\\u0061\":2}}",
                   "JSON member \"a\" appears twice in one object");
    expect_refused("{'a':1}", "JSON string in single quotes at byte 1");
    expect_refused("{\"a\":\"x\\u0000" SECRET "\"}", "JSON string holds \\u0000 at byte 7");
    expect_refused("{\"a\":\"x\ty\"}",
                   "JSON string holds an unescaped control character at byte 7");
    expect_refused("{\"a\":\"\\ud800\"}", "JSON string holds an unpaired surrogate at byte 6");
    expect_refused("{\"a\":\"\\ud800\\u0041\"}",
                   "JSON string holds an unpaired surrogate at byte 6");
    expect_refused("{\"a\":\"\\udc00\\ud800\"}",
                   "JSON string holds an unpaired surrogate at byte 6");
    expect_refused("{\"a\":NaN}", "JSON word other than true, false or null at byte 5");
    expect_refused("{\"a\":Infinity}", "JSON word other than true, false or null at byte 5");
    expect_refused("{\"a\":-Infinity}", "JSON number malformed at byte 5");
    expect_refused("{\"a\":1.}", "JSON number malformed at byte 5");
    expect_refused("{\"a\":9223372036854775808}", "JSON integer out of range at byte 5");
    expect_refused("{\"a\":-9223372036854775809}", "JSON integer out of range at byte 5");
    expect_refused("{\"a\":99999999999999999999999999}", "JSON integer out of range at byte 5");
    expect_refused("{\"a\":1e999}", "JSON number out of range at byte 5");
    expect_refused("{\"a\":-1.5E+309}", "JSON number out of range at byte 5");
    expect_refused("{\"a\":0.0000000000000000000000000000000000000000000000000000000000000001}",
                   "JSON number longer than 63 characters at byte 5");

    struct awssts_json *d =
        parse_ok("{\"a\":9223372036854775807,\"b\":-9223372036854775808,\"c\":1e308,\"d\":1e-400,"
                 "\"e\":-0,\"f\":0.5e+2,\"g\":[true,false,null,{}],\"\\u0062\\u0062\":1,\"h\":"
                 "\"\\ud83d\\udd11\"}");
    awssts_json_free(d);

    struct awssts_error_info ei;
    assert_int_equal(awssts_json_parse(NULL, 0, &d, &ei), AWSSTS_E_INTERNAL);
    assert_int_equal(awssts_json_parse("{}", 2, NULL, &ei), AWSSTS_E_INTERNAL);
}

static char *nested(int levels)
{
    char *s = malloc(16 * (size_t)levels + 8);
    assert_non_null(s);
    s[0] = '\0';
    for (int i = 0; i < levels; i++)
        strcat(s, i == levels - 1 ? "{" : "{\"a\":");
    for (int i = 0; i < levels; i++)
        strcat(s, "}");
    return s;
}

static void test_read_limits(void **state)
{
    (void)state;
    char *s = nested(AWSSTS_JSON_MAX_DEPTH);
    awssts_json_free(parse_ok(s));
    free(s);
    s = nested(AWSSTS_JSON_MAX_DEPTH + 1);
    expect_refused(s, "JSON nested deeper than 8 levels (at byte 40)");
    free(s);
    expect_refused("{\"a\":[[[[[[[[1]]]]]]]]}", "JSON nested deeper than 8 levels (at byte 12)");

    /* Exactly the size limit (blanks after the object) is read; a byte more is not. */
    size_t max = AWSSTS_JSON_MAX_SIZE;
    s = malloc(max + 2);
    assert_non_null(s);
    memset(s, ' ', max + 1);
    memcpy(s, "{\"a\":\"b\"}", 9);
    s[max] = '\0';
    awssts_json_free(parse_ok(s));
    s[max] = ' ';
    s[max + 1] = '\0';
    expect_refused(s, "JSON text of 65537 bytes, more than 65536");
    /* One string as long as the limit allows. */
    memset(s, 'v', max);
    memcpy(s, "{\"a\":\"", 6);
    memcpy(s + max - 2, "\"}", 2);
    s[max] = '\0';
    struct awssts_json *d = parse_ok(s);
    const char *v = NULL;
    assert_int_equal(awssts_json_get_string(d, "a", &v, NULL), AWSSTS_OK);
    assert_int_equal(strlen(v), max - 8);
    awssts_json_free(d);
    free(s);

    /* Many members in one object. */
    size_t n = 5000;
    s = malloc(n * 12 + 8);
    assert_non_null(s);
    size_t off = 0;
    s[off++] = '{';
    for (size_t i = 0; i < n; i++)
        off += (size_t)sprintf(s + off, "%s\"m%zu\":1", i ? "," : "", i);
    strcpy(s + off, "}");
    awssts_json_free(parse_ok(s));
    strcpy(s + off, ",\"m4321\":2}");
    expect_refused(s, "JSON member \"m4321\" appears twice in one object");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_escaping),
        cmocka_unit_test(test_write_line_and_pretty),
        cmocka_unit_test(test_write_credential_process),
        cmocka_unit_test(test_write_refusals),
        cmocka_unit_test(test_write_not_utf8),
        cmocka_unit_test(test_write_worst_case_size),
        cmocka_unit_test(test_write_then_read),
        cmocka_unit_test(test_read_ssm_parameter),
        cmocka_unit_test(test_read_ssm_error),
        cmocka_unit_test(test_read_value_object),
        cmocka_unit_test(test_read_getters),
        cmocka_unit_test(test_read_refusals),
        cmocka_unit_test(test_read_limits),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
