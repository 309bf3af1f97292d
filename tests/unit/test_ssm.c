/* keys = ssm:NAME without a network: the name template, the request body,
 * GetParameter's response, the parameter's value and awsJson1.1 errors. */
#include "cm.h"

#include "awssts/secret.h"
#include "aws/ssm.h"
#include "login/ssm_keys.h"

#include <stdio.h>
#include <string.h>

#define KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
#define MFA    "arn:aws:iam::123456789012:mfa/alice"
#define ROLE   "arn:aws:iam::123456789012:role/admin"

/* ---- names ---- */

static awssts_err expand(const char *tmpl, const char *user, uid_t uid, char *out,
                         struct awssts_error_info *ei)
{
    awssts_error_info_reset(ei);
    return awssts_ssm_name_expand(tmpl, user, uid, out, AWSSTS_SSM_NAME_MAX + 1, ei);
}

static void test_name_expand(void **state)
{
    (void)state;
    char out[AWSSTS_SSM_NAME_MAX + 1];
    struct awssts_error_info ei;
    assert_int_equal(expand("/bastion/keys/%u", "alice", 1001, out, &ei), AWSSTS_OK);
    assert_string_equal(out, "/bastion/keys/alice");
    assert_int_equal(expand("/bastion/%U/%u", "bob.smith", 4294967294u, out, &ei), AWSSTS_OK);
    assert_string_equal(out, "/bastion/4294967294/bob.smith");
    assert_int_equal(expand("keys-%u", "a_b-c", 0, out, &ei), AWSSTS_OK);
    assert_string_equal(out, "keys-a_b-c");
    assert_int_equal(expand("%u", "alice", 0, out, &ei), AWSSTS_OK);
    assert_string_equal(out, "alice");
}

static void test_name_template_refused(void **state)
{
    (void)state;
    char out[AWSSTS_SSM_NAME_MAX + 1];
    struct awssts_error_info ei;
    static const char *const bad[] = {
        "",
        "/bastion/keys", /* no %u or %U: one parameter for everyone */
        "/keys/%s",
        "/keys/%u%",
        "/keys/%%u",
        "/keys/%d", /* other % */
        "keys/%u",  /* a path not from the root */
        "/keys//%u",
        "/keys/%u/",
        "/keys/../%u",
        "/keys/./%u", /* empty, . or .. level */
        "/keys/%u with space",
        "/keys/%u:x",
        "/keys/é%u",
        "/aws/%u",
        "/AWS%u",
        "ssm-%u",
        "/SSM/%u",
        "aws%u",                                   /* reserved */
        "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/%u", /* 16 levels */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        awssts_err rc = expand(bad[i], "alice", 1, out, &ei);
        if (rc != AWSSTS_E_CONFIG)
            fail_msg("template '%s': %s (%s)", bad[i], awssts_errname(rc), ei.detail);
        assert_string_equal(out, "");
    }
    assert_int_equal(expand(NULL, "alice", 1, out, &ei), AWSSTS_E_CONFIG);
    /* 15 levels is SSM's limit, and fine. */
    assert_int_equal(expand("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/%u", "a", 1, out, &ei), AWSSTS_OK);
}

/* A user name that would make another parameter's name, or none SSM takes. */
static void test_name_user_refused(void **state)
{
    (void)state;
    char out[AWSSTS_SSM_NAME_MAX + 1];
    struct awssts_error_info ei;
    static const char *const bad[] = {
        "",
        "..",
        ".hidden",
        "-x",
        "a/b",
        "../admin",
        "al ice",
        "alice@example.com",
        "a%2fb",
        "al\nice",
        "domain\\user",
        "u12345678901234567890123456789012345678901234567890123456789012345", /* 65 */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        awssts_err rc = expand("/keys/%u", bad[i], 1, out, &ei);
        if (rc != AWSSTS_E_INVALID_ARGUMENT)
            fail_msg("user '%s': %s", bad[i], awssts_errname(rc));
        assert_string_equal(out, "");
    }
    assert_int_equal(expand("/keys/%u", NULL, 1, out, &ei), AWSSTS_E_INVALID_ARGUMENT);
    /* Names valid in themselves that make a reserved name. */
    assert_int_equal(expand("%u", "awsadmin", 1, out, &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(expand("%u-keys", "SSMuser", 1, out, &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_string_equal(out, "");
    /* Too long a result for SSM, and for the caller's buffer. */
    char tmpl[AWSSTS_SSM_NAME_MAX + 1];
    memset(tmpl, 'k', sizeof(tmpl));
    tmpl[0] = '/';
    memcpy(tmpl + AWSSTS_SSM_NAME_MAX - 6, "/%u", 4);
    assert_int_equal(expand(tmpl, "alice", 1, out, &ei), AWSSTS_OK); /* 1011: the limit */
    assert_int_equal(expand(tmpl, "alice2", 1, out, &ei), AWSSTS_E_INVALID_ARGUMENT);
    char small[8];
    assert_int_equal(awssts_ssm_name_expand("/k/%u", "alice", 1, small, sizeof(small), &ei),
                     AWSSTS_E_INVALID_ARGUMENT);
    assert_string_equal(small, "");
}

static void test_name_valid(void **state)
{
    (void)state;
    assert_true(awssts_ssm_name_valid("alice"));
    assert_true(awssts_ssm_name_valid("/a/b.c/d_e-f"));
    assert_false(awssts_ssm_name_valid(""));
    assert_false(awssts_ssm_name_valid(NULL));
    assert_false(awssts_ssm_name_valid("/"));
    assert_false(awssts_ssm_name_valid("/a/"));
    assert_false(awssts_ssm_name_valid("a/b"));
    assert_false(awssts_ssm_name_valid("/a/../b"));
    assert_false(awssts_ssm_name_valid("/aws/service/x"));
    char big[AWSSTS_SSM_NAME_MAX + 2];
    memset(big, 'a', sizeof(big));
    big[AWSSTS_SSM_NAME_MAX] = '\0';
    assert_true(awssts_ssm_name_valid(big));
    big[AWSSTS_SSM_NAME_MAX] = 'a';
    big[AWSSTS_SSM_NAME_MAX + 1] = '\0';
    assert_false(awssts_ssm_name_valid(big));
}

static void test_keys_template(void **state)
{
    (void)state;
    assert_string_equal(awssts_ssm_keys_template("ssm:/k/%u"), "/k/%u");
    assert_null(awssts_ssm_keys_template("/etc/pam_aws_sts.keys"));
    assert_null(awssts_ssm_keys_template("home"));
    assert_null(awssts_ssm_keys_template(NULL));
}

/* ---- the request ---- */

static void test_request_body(void **state)
{
    (void)state;
    char *body = NULL;
    size_t len = 0;
    struct awssts_error_info ei;
    assert_int_equal(awssts_ssm_request_body("/keys/alice", &body, &len, &ei), AWSSTS_OK);
    assert_string_equal(body, "{\"Name\":\"/keys/alice\",\"WithDecryption\":true}");
    assert_int_equal(len, strlen(body));
    awssts_secret_free(body);
}

/* ---- the response ---- */

static awssts_err response(const char *doc, const char *name, struct ssm_parameter *p,
                           struct awssts_error_info *ei)
{
    awssts_error_info_reset(ei);
    return awssts_ssm_read_response(doc, strlen(doc), name, p, ei);
}

static void test_response(void **state)
{
    (void)state;
    /* As SSM sends it. */
    const char *doc =
        "{\"Parameter\":{\"ARN\":\"arn:aws:ssm:eu-west-1:123456789012:parameter/keys/alice\","
        "\"DataType\":\"text\",\"LastModifiedDate\":1.714557e9,\"Name\":\"/keys/alice\","
        "\"Selector\":null,\"SourceResult\":null,\"Type\":\"SecureString\","
        "\"Value\":\"{\\\"aws_access_key_id\\\":\\\"" KEY_ID "\\\"}\",\"Version\":3}}";
    struct ssm_parameter p;
    struct awssts_error_info ei;
    assert_int_equal(response(doc, "/keys/alice", &p, &ei), AWSSTS_OK);
    assert_string_equal(p.value, "{\"aws_access_key_id\":\"" KEY_ID "\"}");
    assert_int_equal(p.value_len, strlen(p.value));
    awssts_ssm_parameter_free(&p);
    assert_null(p.value);
}

static void test_response_refused(void **state)
{
    (void)state;
    struct ssm_parameter p;
    struct awssts_error_info ei;
    /* A String is stored in the clear: refused, and the value not kept. */
    assert_int_equal(response("{\"Parameter\":{\"Name\":\"/k/a\",\"Type\":\"String\","
                              "\"Value\":\"" SECRET "\"}}",
                              "/k/a", &p, &ei),
                     AWSSTS_E_CONFIG);
    assert_null(p.value);
    assert_non_null(strstr(ei.detail, "SecureString"));
    assert_null(strstr(ei.detail, SECRET));
    assert_int_equal(response("{\"Parameter\":{\"Name\":\"/k/a\",\"Type\":\"StringList\","
                              "\"Value\":\"x\"}}",
                              "/k/a", &p, &ei),
                     AWSSTS_E_CONFIG);
    static const char *const bad[] = {
        "",
        "{",
        "[]",
        "null",
        "{}",
        "{\"Parameter\":null}",
        "{\"Parameter\":\"x\"}",
        "{\"Parameter\":{\"Name\":\"/k/a\",\"Type\":\"SecureString\"}}",
        "{\"Parameter\":{\"Name\":\"/k/a\",\"Type\":\"SecureString\",\"Value\":7}}",
        "{\"Parameter\":{\"Name\":\"/k/b\",\"Type\":\"SecureString\",\"Value\":\"v\"}}",
        "{\"Parameter\":{\"Type\":\"SecureString\",\"Value\":\"v\"}}",
        "{\"Parameter\":{\"Name\":\"/k/a\",\"Type\":\"SecureString\",\"Value\":\"v\\u0000\"}}",
        "{\"Parameter\":{\"Name\":\"/k/a\",\"Type\":\"SecureString\",\"Value\":\"v\"}} x",
        "{\"Parameter\":{\"Name\":\"/k/a\",\"Type\":\"SecureString\",\"Value\":\"v\","
        "\"Value\":\"w\"}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        awssts_err rc = response(bad[i], "/k/a", &p, &ei);
        if (rc != AWSSTS_E_BAD_RESPONSE)
            fail_msg("response '%s': %s", bad[i], awssts_errname(rc));
        assert_null(p.value);
    }
    assert_int_equal(response("{\"Parameter\":{\"Name\":\"/k/a\",\"Type\":\"SecureString\","
                              "\"Value\":\"v\"}}",
                              NULL, &p, &ei),
                     AWSSTS_E_BAD_RESPONSE);
}

/* ---- the value ---- */

static awssts_err value(const char *v, struct awssts_user_keys *k, struct awssts_error_info *ei)
{
    awssts_error_info_reset(ei);
    return awssts_ssm_keys_from_value(v, strlen(v), "ssm:/keys/alice", k, ei);
}

static void test_value(void **state)
{
    (void)state;
    struct awssts_user_keys k;
    struct awssts_error_info ei;
    assert_int_equal(value("{\"aws_access_key_id\":\"" KEY_ID
                           "\",\"aws_secret_access_key\":\"" SECRET "\",\"aws_mfa_device\":\"" MFA
                           "\",\"assume_role\":\"" ROLE "\"}",
                           &k, &ei),
                     AWSSTS_OK);
    assert_string_equal(k.access_key_id, KEY_ID);
    assert_string_equal(k.secret_access_key, SECRET);
    assert_string_equal(k.mfa_serial, MFA);
    assert_string_equal(k.role_arn, ROLE);
    assert_string_equal(k.source, "ssm:/keys/alice");
    awssts_user_keys_free(&k);

    /* The AWS CLI's names; no role, no device. */
    assert_int_equal(value("{\"aws_access_key_id\":\"" KEY_ID
                           "\",\"aws_secret_access_key\":\"" SECRET "\",\"mfa_serial\":\"" MFA
                           "\",\"role_arn\":\"" ROLE "\"}",
                           &k, &ei),
                     AWSSTS_OK);
    assert_string_equal(k.mfa_serial, MFA);
    assert_string_equal(k.role_arn, ROLE);
    awssts_user_keys_free(&k);
    assert_int_equal(value("{\"aws_access_key_id\":\"" KEY_ID
                           "\",\"aws_secret_access_key\":\"" SECRET "\"}",
                           &k, &ei),
                     AWSSTS_OK);
    assert_null(k.mfa_serial);
    assert_null(k.role_arn);
    awssts_user_keys_free(&k);
}

/* Refused as configuration, naming what, never showing a value. */
static void refused(const char *v, const char *named)
{
    struct awssts_user_keys k;
    struct awssts_error_info ei;
    awssts_err rc = value(v, &k, &ei);
    if (rc != AWSSTS_E_CONFIG)
        fail_msg("value '%s': %s (%s)", v, awssts_errname(rc), ei.detail);
    assert_null(k.access_key_id);
    assert_null(k.secret_access_key);
    char line[1024];
    awssts_error_format(&ei, line, sizeof(line));
    assert_non_null(strstr(line, "ssm:/keys/alice"));
    if (named != NULL && strstr(line, named) == NULL)
        fail_msg("'%s' does not name %s", line, named);
    assert_null(strstr(line, SECRET));
    assert_null(strstr(line, "wJalrXUtnFEMI"));
}

static void test_value_refused(void **state)
{
    (void)state;
    refused("{\"aws_access_key_id\":\"" KEY_ID "\",\"aws_secret_access_key\":\"" SECRET
            "\",\"region\":\"eu-west-1\"}",
            "region");
    refused("{\"aws_access_key_id\":\"" KEY_ID "\",\"aws_secret_access_key\":\"" SECRET
            "\",\"aws_session_token\":\"x\"}",
            "aws_session_token");
    refused("{\"aws_access_key_id\":\"" KEY_ID "\"}", "aws_secret_access_key");
    refused("{\"aws_secret_access_key\":\"" SECRET "\"}", "aws_access_key_id");
    refused("{\"aws_access_key_id\":\"" KEY_ID "\",\"aws_secret_access_key\":7}",
            "aws_secret_access_key");
    refused("{\"aws_access_key_id\":\"" KEY_ID "\",\"aws_secret_access_key\":{\"a\":\"" SECRET
            "\"}}",
            "aws_secret_access_key");
    refused("{\"aws_access_key_id\":\"" KEY_ID "\",\"aws_secret_access_key\":\"" SECRET
            "\",\"mfa_serial\":\"" MFA "\",\"aws_mfa_device\":\"" MFA "\"}",
            "mfa_serial");
    refused("{\"aws_access_key_id\":\"" KEY_ID "\",\"aws_secret_access_key\":\"" SECRET
            "\",\"role_arn\":\"" ROLE "\",\"assume_role\":\"" ROLE "\"}",
            "role_arn");
    refused("{\"aws_access_key_id\":\"" KEY_ID "\",\"aws_secret_access_key\":\"" SECRET
            "\",\"assume_role\":\"not-an-arn\"}",
            NULL);
    refused("{\"aws_access_key_id\":\"lower case\",\"aws_secret_access_key\":\"" SECRET "\"}",
            NULL);
    refused("{\"aws_access_key_id\":\"" KEY_ID "\",\"aws_secret_access_key\":\"x y\"}", NULL);
    /* Not an object of members: a keys file pasted, truncated JSON, a list. */
    refused("[default]\naws_access_key_id = " KEY_ID "\naws_secret_access_key = " SECRET, NULL);
    refused("{\"aws_access_key_id\":\"" KEY_ID "\",\"aws_secret_access_key\":\"wJalrXUtnFEMI",
            NULL);
    refused("[\"" KEY_ID "\",\"" SECRET "\"]", NULL);
    refused("", NULL);
    refused(KEY_ID ":" SECRET, NULL);
}

/* ---- errors ---- */

static void test_read_error(void **state)
{
    (void)state;
    struct aws_error_doc d;
    memset(&d, 0, sizeof(d));
    const char *doc = "{\"__type\":\"com.amazonaws.ssm#ParameterNotFound\",\"message\":\"\"}";
    assert_true(awssts_ssm_read_error(doc, strlen(doc), AWSSTS_SSM_TARGET, &d));
    assert_string_equal(d.code, "ParameterNotFound");
    memset(&d, 0, sizeof(d));
    doc = "{\"__type\":\"ThrottlingException:http://internal.amazon.com/\",\"Message\":\"Rate "
          "exceeded\\n\"}";
    assert_true(awssts_ssm_read_error(doc, strlen(doc), AWSSTS_SSM_TARGET, &d));
    assert_string_equal(d.code, "ThrottlingException");
    assert_string_equal(d.message, "Rate exceeded?");
    static const char *const no[] = {
        "", "{}", "<Error/>", "{\"__type\":\"\"}", "{\"__type\":7}", "{\"__type\":\"#\"}"};
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        memset(&d, 0, sizeof(d));
        assert_false(awssts_ssm_read_error(no[i], strlen(no[i]), AWSSTS_SSM_TARGET, &d));
    }
}

static void test_map_error(void **state)
{
    (void)state;
    assert_int_equal(awssts_ssm_map_error("ParameterNotFound", "", 400), AWSSTS_E_NO_KEYS);
    assert_int_equal(awssts_ssm_map_error("AccessDeniedException",
                                          "User: x is not authorized "
                                          "to perform: ssm:GetParameter",
                                          400),
                     AWSSTS_E_ACCESS_DENIED);
    assert_int_equal(awssts_ssm_map_error("ThrottlingException", "Rate exceeded", 400),
                     AWSSTS_E_THROTTLED);
    assert_int_equal(awssts_ssm_map_error("InternalServerError", "", 500), AWSSTS_E_SERVER);
    assert_int_equal(awssts_ssm_map_error("UnrecognizedClientException", "", 400),
                     AWSSTS_E_INVALID_KEYS);
    assert_int_equal(awssts_ssm_map_error("ExpiredTokenException", "", 400),
                     AWSSTS_E_EXPIRED_TOKEN);
    assert_int_equal(awssts_ssm_map_error("KMSAccessDeniedException", "", 400),
                     AWSSTS_E_ACCESS_DENIED);
    assert_int_equal(awssts_ssm_map_error("InvalidKeyId", "", 400), AWSSTS_E_ACCESS_DENIED);
    assert_int_equal(awssts_ssm_map_error("SomethingNew", "", 400), AWSSTS_E_STS_REJECTED);
    assert_int_equal(awssts_ssm_map_error(NULL, NULL, 403), AWSSTS_E_ACCESS_DENIED);
    assert_int_equal(awssts_ssm_map_error(NULL, NULL, 503), AWSSTS_E_SERVER);
    assert_int_equal(awssts_ssm_map_error(NULL, NULL, 429), AWSSTS_E_THROTTLED);

    assert_true(awssts_ssm_error_is_kms("AccessDeniedException",
                                        "... not authorized to perform: kms:Decrypt on ..."));
    assert_true(awssts_ssm_error_is_kms("AccessDeniedException",
                                        "denied (Service: AWSKMS; Status Code: 400)"));
    assert_true(awssts_ssm_error_is_kms("KMSAccessDeniedException", NULL));
    assert_false(awssts_ssm_error_is_kms("AccessDeniedException",
                                         "not authorized to perform: ssm:GetParameter"));
    assert_false(awssts_ssm_error_is_kms(NULL, "kms:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_expand),
        cmocka_unit_test(test_name_template_refused),
        cmocka_unit_test(test_name_user_refused),
        cmocka_unit_test(test_name_valid),
        cmocka_unit_test(test_keys_template),
        cmocka_unit_test(test_request_body),
        cmocka_unit_test(test_response),
        cmocka_unit_test(test_response_refused),
        cmocka_unit_test(test_value),
        cmocka_unit_test(test_value_refused),
        cmocka_unit_test(test_read_error),
        cmocka_unit_test(test_map_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
