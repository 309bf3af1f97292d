/* Signed requests for any service: the canonical request and signature of
 * an awsJson1.1 call (SSM) checked against botocore's, https only, and the
 * mapping of failed responses through a protocol's error reader. */
#include "cm.h"

#include "aws/aws_request.h"
#include "awssts/sts.h"
#include "aws/http.h"
#include "aws/transport.h"

#include <stdio.h>
#include <string.h>

#define KEY_ID      "AKIAIOSFODNN7EXAMPLE"
#define SECRET      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define TOKEN       "IQoJb3JpZ2luX2VjEXAMPLETOKENdGVzdHRva2Vu/+="
#define DATE        "20150830T123600Z"
#define BODY        "{\"Name\":\"/app/db-password\",\"WithDecryption\":true}"
#define BODY_SHA256 "ef76a4d50c7afe1d10060989dab153dd2e22b44d21e05b62e52f741db23716cc"

/* A protocol for these tests: <Code>, <Message> and <RequestId> by search. */
static void between(const char *body, const char *open, const char *close, char *dst, size_t len)
{
    const char *a = strstr(body, open);
    const char *b = a != NULL ? strstr(a, close) : NULL;
    if (a == NULL || b == NULL)
        return;
    a += strlen(open);
    size_t n = (size_t)(b - a) < len - 1 ? (size_t)(b - a) : len - 1;
    memcpy(dst, a, n);
    dst[n] = '\0';
}

static bool test_read_error(const char *body, size_t len, const char *operation,
                            struct aws_error_doc *out)
{
    (void)len;
    (void)operation;
    if (body == NULL || strstr(body, "<Code>") == NULL)
        return false;
    between(body, "<Code>", "</Code>", out->code, sizeof(out->code));
    between(body, "<Message>", "</Message>", out->message, sizeof(out->message));
    between(body, "<RequestId>", "</RequestId>", out->request_id, sizeof(out->request_id));
    return true;
}

static awssts_err test_map_error(const char *code, const char *message, long status)
{
    (void)message;
    if (code != NULL && strcmp(code, "ThrottlingException") == 0)
        return AWSSTS_E_THROTTLED;
    return status >= 500 ? AWSSTS_E_SERVER : AWSSTS_E_STS_REJECTED;
}

static const struct aws_protocol test_protocol = {test_read_error, test_map_error};

static struct aws_request ssm_request(void)
{
    return (struct aws_request){
        .service = "ssm",
        .region = "eu-west-1",
        .url = "https://ssm.eu-west-1.amazonaws.com/",
        .host = "ssm.eu-west-1.amazonaws.com",
        .target = "AmazonSSM.GetParameter",
        .content_type = "application/x-amz-json-1.1",
        .body = BODY,
        .body_len = strlen(BODY),
        .operation = "AmazonSSM.GetParameter",
        .protocol = &test_protocol,
    };
}

#define AUTH_PREFIX                                                                                \
    "Authorization: AWS4-HMAC-SHA256 Credential=" KEY_ID "/20150830/eu-west-1/ssm/aws4_request, "

/* Expected values from botocore's SigV4Auth on the same request. */
static void test_awsjson_signed_like_botocore(void **state)
{
    (void)state;
    struct aws_request req = ssm_request();
    struct awssts_keys keys = {KEY_ID, SECRET, TOKEN};
    struct aws_signed s;
    struct awssts_error_info ei;
    assert_int_equal(awssts_aws_request_sign(&req, &keys, DATE, &s, &ei), AWSSTS_OK);
    assert_string_equal(
        s.sig.canonical_request,
        "POST\n/\n\n"
        "content-type:application/x-amz-json-1.1\n"
        "host:ssm.eu-west-1.amazonaws.com\n"
        "x-amz-date:" DATE "\n"
        "x-amz-security-token:" TOKEN "\n"
        "x-amz-target:AmazonSSM.GetParameter\n\n"
        "content-type;host;x-amz-date;x-amz-security-token;x-amz-target\n" BODY_SHA256);
    assert_string_equal(s.sig.string_to_sign,
                        "AWS4-HMAC-SHA256\n" DATE "\n20150830/eu-west-1/ssm/aws4_request\n"
                        "df2a695bebc00bd3001329c6db6909e36ceda638bc6575d4673ca4fb4f88354c");
    /* What goes on the wire: every signed header, the signature last. */
    assert_int_equal(s.n, 6);
    assert_string_equal(s.lines[0], "Content-Type: application/x-amz-json-1.1");
    assert_string_equal(s.lines[1], "Host: ssm.eu-west-1.amazonaws.com");
    assert_string_equal(s.lines[2], "X-Amz-Date: " DATE);
    assert_string_equal(s.lines[3], "X-Amz-Security-Token: " TOKEN);
    assert_string_equal(s.lines[4], "X-Amz-Target: AmazonSSM.GetParameter");
    assert_string_equal(s.lines[5], AUTH_PREFIX
                        "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;"
                        "x-amz-target, Signature="
                        "aeed0c529fbd218a92b11fd09acef319a7116039ed1b4d1f1f363ce1abcbd90f");
    awssts_aws_signed_free(&s);
    assert_int_equal(s.n, 0);
    assert_null(s.sig.authorization);

    /* Long-term keys: no token header, and the signature changes with it. */
    keys.session_token = NULL;
    assert_int_equal(awssts_aws_request_sign(&req, &keys, DATE, &s, &ei), AWSSTS_OK);
    assert_int_equal(s.n, 5);
    assert_string_equal(s.lines[3], "X-Amz-Target: AmazonSSM.GetParameter");
    assert_string_equal(s.lines[4], AUTH_PREFIX
                        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="
                        "8260a7fd87b0e4381a1780742f4775e2980dee0c733ea9070a833e112ead352c");
    awssts_aws_signed_free(&s);
}

/* STS's Query protocol through the same code: no X-Amz-Target at all. */
static void test_query_request_has_no_target(void **state)
{
    (void)state;
    struct aws_request req = ssm_request();
    req.service = "sts";
    req.url = "https://sts.eu-west-1.amazonaws.com/";
    req.host = "sts.eu-west-1.amazonaws.com";
    req.target = NULL;
    req.content_type = "application/x-www-form-urlencoded; charset=utf-8";
    req.body = "Action=GetCallerIdentity&Version=2011-06-15";
    req.body_len = strlen(req.body);
    struct awssts_keys keys = {KEY_ID, SECRET, NULL};
    struct aws_signed s;
    assert_int_equal(awssts_aws_request_sign(&req, &keys, DATE, &s, NULL), AWSSTS_OK);
    assert_int_equal(s.n, 4);
    assert_null(strstr(s.sig.canonical_request, "x-amz-target"));
    assert_non_null(strstr(s.lines[3], "/20150830/eu-west-1/sts/aws4_request, "
                                       "SignedHeaders=content-type;host;x-amz-date, "));
    awssts_aws_signed_free(&s);
}

static void test_signed_requests_are_https_only(void **state)
{
    (void)state;
    struct awssts_keys keys = {KEY_ID, SECRET, NULL};
    struct aws_signed s;
    struct awssts_error_info ei;
    const char *urls[] = {"http://ssm.eu-west-1.amazonaws.com/", "HTTP://169.254.169.254/",
                          "ftp://example.com/", "ssm.eu-west-1.amazonaws.com"};
    struct transport_options to = {.timeout_ms = 1000};
    struct transport *t = NULL;
    assert_int_equal(awssts_transport_new(&to, &t, NULL), AWSSTS_OK);
    for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        struct aws_request req = ssm_request();
        req.url = urls[i];
        awssts_error_info_reset(&ei);
        assert_int_equal(awssts_aws_request_sign(&req, &keys, DATE, &s, &ei),
                         AWSSTS_E_INVALID_ARGUMENT);
        assert_string_equal(ei.detail, "signed requests go to https:// only");
        assert_null(s.lines[0]);
        /* Refused before any attempt: nothing is sent. */
        struct http_response resp;
        awssts_error_info_reset(&ei);
        assert_int_equal(awssts_aws_request_send(t, &keys, &req, &resp, &ei),
                         AWSSTS_E_INVALID_ARGUMENT);
        assert_int_equal(ei.attempts, 0);
        awssts_http_response_free(&resp);
    }
    awssts_transport_free(t);
}

static void test_bad_keys_and_fields_refused(void **state)
{
    (void)state;
    struct aws_request req = ssm_request();
    struct aws_signed s;
    struct awssts_error_info ei;
    struct awssts_keys lower = {"akiaiosfodnn7example", SECRET, NULL};
    assert_int_equal(awssts_aws_request_sign(&req, &lower, DATE, &s, &ei),
                     AWSSTS_E_INVALID_ARGUMENT);
    assert_non_null(strstr(ei.detail, "access key id"));
    struct awssts_keys keys = {KEY_ID, SECRET, NULL};
    req.service = NULL;
    assert_int_equal(awssts_aws_request_sign(&req, &keys, DATE, &s, &ei),
                     AWSSTS_E_INVALID_ARGUMENT);
    req = ssm_request();
    req.target = "AmazonSSM.GetParameter\r\nX-Evil: 1";
    assert_int_equal(awssts_aws_request_sign(&req, &keys, DATE, &s, &ei),
                     AWSSTS_E_INVALID_ARGUMENT);
    assert_non_null(strstr(ei.detail, "control character"));
    awssts_aws_signed_free(&s);
}

static void response_with(struct http_response *r, long status, const char *body)
{
    awssts_http_response_init(r);
    r->status = status;
    if (body != NULL)
        assert_true(awssts_buf_puts(&r->body, body));
}

static void test_error_documents_through_the_protocol(void **state)
{
    (void)state;
    struct aws_request req = ssm_request();
    struct http_response r;
    struct awssts_error_info ei;

    awssts_error_info_reset(&ei);
    response_with(&r, 400,
                  "<E><Code>ThrottlingException</Code><Message>Rate\nexceeded</Message>"
                  "<RequestId>abc-123</RequestId></E>");
    assert_int_equal(awssts_aws_request_error(&req, &r, &ei), AWSSTS_E_THROTTLED);
    assert_int_equal(ei.code, AWSSTS_E_THROTTLED);
    assert_string_equal(ei.aws_code, "ThrottlingException");
    assert_string_equal(ei.message, "Rate?exceeded"); /* cleaned for one log line */
    assert_string_equal(ei.request_id, "abc-123");
    awssts_http_response_free(&r);

    awssts_error_info_reset(&ei);
    response_with(&r, 502, "<html>bad gateway</html>");
    assert_int_equal(awssts_aws_request_error(&req, &r, &ei), AWSSTS_E_SERVER);
    assert_string_equal(ei.detail, "HTTP 502 without an AWS error document");
    assert_string_equal(ei.aws_code, "");
    awssts_http_response_free(&r);

    awssts_error_info_reset(&ei);
    response_with(&r, 307, NULL);
    snprintf(r.location, sizeof(r.location), "%s", "http://169.254.169.254/");
    assert_int_equal(awssts_aws_request_error(&req, &r, &ei), AWSSTS_E_BAD_RESPONSE);
    assert_string_equal(ei.detail, "HTTP 307 redirect to http://169.254.169.254/ not followed");
    awssts_http_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_awsjson_signed_like_botocore),
        cmocka_unit_test(test_query_request_has_no_target),
        cmocka_unit_test(test_signed_requests_are_https_only),
        cmocka_unit_test(test_bad_keys_and_fields_refused),
        cmocka_unit_test(test_error_documents_through_the_protocol),
    };
    return cmocka_run_group_tests_name("aws_request", tests, NULL, NULL);
}
