/* The instance metadata service's answers as the IMDSv2 client reads them:
 * the endpoint, the token, the role listing, the credentials document and
 * the region, real shapes and hostile ones. */
#include "cm.h"

#include "aws/imds.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
#define TOKEN  "IQoJb3JpZ2luX2VjEXAMPLEtokenAAAAAAAAAAAAAAAAAAAAAA+/="

/* A credentials document as IMDS serves it, expiring at exp. */
static void doc(char *buf, size_t len, const char *code, const char *type, const char *exp)
{
    snprintf(buf, len,
             "{\n  \"Code\" : \"%s\",\n  \"LastUpdated\" : \"2024-05-01T10:00:00Z\",\n"
             "  \"Type\" : \"%s\",\n  \"AccessKeyId\" : \"ASIAIOSFODNN7EXAMPLE\",\n"
             "  \"SecretAccessKey\" : \"" SECRET "\",\n  \"Token\" : \"" TOKEN "\",\n"
             "  \"Expiration\" : \"%s\"\n}",
             code, type, exp);
}

static awssts_err read_doc(const char *d, struct imds_credentials *c, struct awssts_error_info *ei)
{
    awssts_error_info_reset(ei);
    memset(c, 0, sizeof(*c));
    return awssts_imds_read_credentials(d, strlen(d), c, ei);
}

static void test_credentials(void **state)
{
    (void)state;
    char d[1024];
    doc(d, sizeof(d), "Success", "AWS-HMAC", "2099-01-01T00:00:00Z");
    struct imds_credentials c;
    struct awssts_error_info ei;
    assert_int_equal(read_doc(d, &c, &ei), AWSSTS_OK);
    assert_string_equal(c.access_key_id, "ASIAIOSFODNN7EXAMPLE");
    assert_string_equal(c.secret_access_key, SECRET);
    assert_string_equal(c.session_token, TOKEN);
    assert_true(c.expiration > time(NULL));
    struct awssts_keys k = awssts_imds_credentials_keys(&c);
    assert_ptr_equal(k.secret_access_key, c.secret_access_key);
    awssts_imds_credentials_clear(&c);
    assert_null(c.access_key_id);
    assert_null(c.secret_access_key);
}

/* What must be refused, and no detail may hold the secret or the token. */
static void expect(const char *d, awssts_err want)
{
    struct imds_credentials c;
    struct awssts_error_info ei;
    awssts_err rc = read_doc(d, &c, &ei);
    if (rc != want)
        fail_msg("got %s want %s for %s (%s)", awssts_errname(rc), awssts_errname(want), d,
                 ei.detail);
    assert_null(c.access_key_id);
    assert_null(c.secret_access_key);
    assert_null(c.session_token);
    char line[1024];
    awssts_error_format(&ei, line, sizeof(line));
    assert_null(strstr(line, SECRET));
    assert_null(strstr(line, "IQoJb3JpZ2lu"));
}

static void test_credentials_refused(void **state)
{
    (void)state;
    char d[1024];
    doc(d, sizeof(d), "AssumeRoleUnauthorizedAccess", "AWS-HMAC", "2099-01-01T00:00:00Z");
    expect(d, AWSSTS_E_IMDS_REFUSED);
    struct imds_credentials c;
    struct awssts_error_info ei;
    read_doc(d, &c, &ei);
    assert_string_equal(ei.aws_code, "AssumeRoleUnauthorizedAccess");

    doc(d, sizeof(d), "Success", "AWS-HMAC", "2001-01-01T00:00:00Z");
    expect(d, AWSSTS_E_CLOCK_SKEW);
    doc(d, sizeof(d), "Success", "Other", "2099-01-01T00:00:00Z");
    expect(d, AWSSTS_E_IMDS_BAD_RESPONSE);
    doc(d, sizeof(d), "Success", "AWS-HMAC", "tomorrow");
    expect(d, AWSSTS_E_IMDS_BAD_RESPONSE);

    expect("", AWSSTS_E_IMDS_BAD_RESPONSE);
    expect("not json", AWSSTS_E_IMDS_BAD_RESPONSE);
    expect("[]", AWSSTS_E_IMDS_BAD_RESPONSE);
    expect("{\"Code\":\"Success\"}", AWSSTS_E_IMDS_BAD_RESPONSE);
    expect("{\"Code\":1}", AWSSTS_E_IMDS_BAD_RESPONSE);
    /* Truncated mid-secret. */
    doc(d, sizeof(d), "Success", "AWS-HMAC", "2099-01-01T00:00:00Z");
    d[strstr(d, SECRET) - d + 10] = '\0';
    expect(d, AWSSTS_E_IMDS_BAD_RESPONSE);
    /* Each field of the wrong shape. */
    expect("{\"Code\":\"Success\",\"AccessKeyId\":\"asia lower\",\"SecretAccessKey\":\"" SECRET
           "\",\"Token\":\"" TOKEN "\",\"Expiration\":\"2099-01-01T00:00:00Z\"}",
           AWSSTS_E_IMDS_BAD_RESPONSE);
    expect("{\"Code\":\"Success\",\"AccessKeyId\":\"ASIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":"
           "\"short\",\"Token\":\"" TOKEN "\",\"Expiration\":\"2099-01-01T00:00:00Z\"}",
           AWSSTS_E_IMDS_BAD_RESPONSE);
    expect("{\"Code\":\"Success\",\"AccessKeyId\":\"ASIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":"
           "\"" SECRET "\",\"Token\":\"a\\nb\",\"Expiration\":\"2099-01-01T00:00:00Z\"}",
           AWSSTS_E_IMDS_BAD_RESPONSE);
    expect("{\"Code\":\"Success\",\"AccessKeyId\":\"ASIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":"
           "\"" SECRET "\",\"Token\":{},\"Expiration\":\"2099-01-01T00:00:00Z\"}",
           AWSSTS_E_IMDS_BAD_RESPONSE);
    /* A member given twice. */
    expect("{\"Code\":\"Success\",\"Code\":\"Success\"}", AWSSTS_E_IMDS_BAD_RESPONSE);
}

static void test_role(void **state)
{
    (void)state;
    char role[AWSSTS_IMDS_ROLE_MAX + 1];
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_imds_read_role("bastion-role", 12, role, &ei), AWSSTS_OK);
    assert_string_equal(role, "bastion-role");
    assert_int_equal(awssts_imds_read_role("a+=,.@_-9\n", 10, role, &ei), AWSSTS_OK);
    assert_string_equal(role, "a+=,.@_-9");
    assert_int_equal(awssts_imds_read_role("", 0, role, &ei), AWSSTS_E_IMDS_NO_ROLE);
    assert_int_equal(awssts_imds_read_role("\n", 1, role, &ei), AWSSTS_E_IMDS_NO_ROLE);
    assert_int_equal(awssts_imds_read_role(NULL, 5, role, &ei), AWSSTS_E_IMDS_NO_ROLE);
    static const char *const bad[] = {
        "one\ntwo", "../x",  "a/b",
        "sp ace",   " lead", "a\rb",
        "a\x01",    "r%00",  "x1234567890123456789012345678901234567890123456789012345678901234",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        awssts_err rc = awssts_imds_read_role(bad[i], strlen(bad[i]), role, &ei);
        if (rc != AWSSTS_E_IMDS_BAD_RESPONSE)
            fail_msg("role '%s': %s", bad[i], awssts_errname(rc));
        assert_string_equal(role, "");
    }
    assert_int_equal(awssts_imds_read_role("a\0b", 3, role, &ei), AWSSTS_E_IMDS_BAD_RESPONSE);
}

static void test_region(void **state)
{
    (void)state;
    char region[32];
    struct awssts_error_info ei;
    assert_int_equal(awssts_imds_read_region("eu-west-3", 9, region, &ei), AWSSTS_OK);
    assert_string_equal(region, "eu-west-3");
    assert_int_equal(awssts_imds_read_region("us-gov-west-1\n", 14, region, &ei), AWSSTS_OK);
    assert_string_equal(region, "us-gov-west-1");
    static const char *const bad[] = {
        "", "\n", "eu west", "a\nb", "EU-WEST-1!", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(awssts_imds_read_region(bad[i], strlen(bad[i]), region, &ei),
                         AWSSTS_E_IMDS_BAD_RESPONSE);
    assert_int_equal(awssts_imds_read_region("us-east-1\0x", 11, region, &ei),
                     AWSSTS_E_IMDS_BAD_RESPONSE);
}

static void test_token(void **state)
{
    (void)state;
    assert_true(awssts_imds_token_valid("AQAEAFXk-_abc+/==", 17));
    assert_false(awssts_imds_token_valid("", 0));
    assert_false(awssts_imds_token_valid(NULL, 3));
    assert_false(awssts_imds_token_valid("a b", 3));
    assert_false(awssts_imds_token_valid("ab\r\nX-Evil: 1", 13));
    assert_false(awssts_imds_token_valid("a\0b", 3));
    char big[1026];
    memset(big, 'A', sizeof(big));
    assert_true(awssts_imds_token_valid(big, 1024));
    assert_false(awssts_imds_token_valid(big, 1025));
}

static void test_endpoint(void **state)
{
    (void)state;
    char base[256];
    struct awssts_error_info ei;
    static const struct {
        const char *in, *out;
    } good[] = {
        {"http://169.254.169.254", "http://169.254.169.254"},
        {"http://169.254.169.254/", "http://169.254.169.254"},
        {"http://[fd00:ec2::254]", "http://[fd00:ec2::254]"},
        {"http://[::1]:8080/", "http://[::1]:8080"},
        {"HTTP://localhost:1", "HTTP://localhost:1"},
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        awssts_error_info_reset(&ei);
        assert_int_equal(awssts_imds_endpoint_parse(good[i].in, base, sizeof(base), &ei),
                         AWSSTS_OK);
        assert_string_equal(base, good[i].out);
    }
    static const char *const bad[] = {
        "https://169.254.169.254",
        "169.254.169.254",
        "http://",
        "http://:80",
        "http://host/latest",
        "http://user@host",
        "http://host:0",
        "http://host:65536",
        "http://host:1234567",
        "http://[]",
        "http://[fd00:zz::1]",
        "http://[::1",
        "http://host?x",
        "http://-host",
        NULL,
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        awssts_err rc = awssts_imds_endpoint_parse(bad[i], base, sizeof(base), &ei);
        if (rc != AWSSTS_E_INVALID_ARGUMENT)
            fail_msg("endpoint '%s': %s", bad[i] ? bad[i] : "(null)", awssts_errname(rc));
        assert_string_equal(base, "");
    }
    /* Host and port as a connection takes them: the same URLs, the same refusals. */
    static const struct {
        const char *in, *host, *port;
    } parts[] = {
        {"http://169.254.169.254", "169.254.169.254", "80"},
        {"http://[fd00:ec2::254]/", "fd00:ec2::254", "80"},
        {"http://[::1]:8080/", "::1", "8080"},
        {"HTTP://localhost:1", "localhost", "1"},
    };
    char host[256], port[6];
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        assert_int_equal(awssts_imds_endpoint_host_port(parts[i].in, host, port, NULL), AWSSTS_OK);
        assert_string_equal(host, parts[i].host);
        assert_string_equal(port, parts[i].port);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(awssts_imds_endpoint_host_port(bad[i], host, port, NULL),
                         AWSSTS_E_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credentials), cmocka_unit_test(test_credentials_refused),
        cmocka_unit_test(test_role),        cmocka_unit_test(test_region),
        cmocka_unit_test(test_token),       cmocka_unit_test(test_endpoint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
