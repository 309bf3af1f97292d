/* The transport's pieces that need no peer: its options, which URLs each
 * kind of request may use, the retry rule for failures without a response,
 * and reading response headers. Exchanges are in tests/integration. */
#include "cm.h"

#include "awssts/sts.h"
#include "aws/http.h"
#include "aws/transport.h"
#include "aws/unsigned_request.h"

#include <string.h>

static void test_options_checked(void **state)
{
    (void)state;
    struct transport *t = NULL;
    struct awssts_error_info ei;
    const struct transport_options bad[] = {
        {.timeout_ms = -1},
        {.connect_timeout_ms = 600001},
        {.timeout_ms = 600001},
        {.max_attempts = 11},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(awssts_transport_new(&bad[i], &t, &ei), AWSSTS_E_INVALID_ARGUMENT);
        assert_null(t);
    }
    const struct transport_options good = {
        .ca_file = "/nonexistent/ca.pem",
        .proxy = "http://u:p@127.0.0.1:1",
        .user_agent = "test/1",
        .timeout_ms = 600000,
        .max_attempts = 10,
    };
    assert_int_equal(awssts_transport_new(&good, &t, NULL), AWSSTS_OK);
    awssts_transport_free(t);
    awssts_transport_free(NULL);
}

static void test_unsigned_urls(void **state)
{
    (void)state;
    struct transport *t = NULL;
    const struct transport_options o = {.timeout_ms = 1000};
    assert_int_equal(awssts_transport_new(&o, &t, NULL), AWSSTS_OK);
    const char *refused[] = {"ftp://127.0.0.1/", "file:///etc/passwd", "127.0.0.1/x",
                             "gopher://127.0.0.1/", ""};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        struct http_response r;
        struct awssts_error_info ei;
        awssts_error_info_reset(&ei);
        assert_int_equal(awssts_unsigned_get(t, refused[i], NULL, 0, &r, &ei),
                         AWSSTS_E_INVALID_ARGUMENT);
        assert_int_equal(ei.attempts, 0);
        assert_int_equal(r.status, 0);
        awssts_http_response_free(&r);
        assert_int_equal(awssts_unsigned_put(t, refused[i], NULL, 0, "x", 1, &r, &ei),
                         AWSSTS_E_INVALID_ARGUMENT);
        awssts_http_response_free(&r);
    }
    struct http_response r;
    struct awssts_error_info ei;
    assert_int_equal(awssts_unsigned_get(t, NULL, NULL, 0, &r, &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(awssts_unsigned_get(t, "http://127.0.0.1/", NULL, 1, &r, &ei),
                     AWSSTS_E_INVALID_ARGUMENT);
    awssts_http_response_free(&r);
    awssts_transport_free(t);
}

/* The exchange itself refuses plain http unless the request allows it. */
static void test_exchange_scheme_rule(void **state)
{
    (void)state;
    assert_int_equal(awssts_http_global_init(NULL), AWSSTS_OK);
    void *h = awssts_http_handle_new();
    assert_non_null(h);
    const struct http_settings s = {0};
    struct http_request req = {.method = HTTP_POST, .url = "http://127.0.0.1:1/"};
    struct http_response r;
    struct awssts_error_info ei;
    assert_int_equal(awssts_http_exchange(h, &s, &req, 100, 100, &r, &ei),
                     AWSSTS_E_INVALID_ARGUMENT);
    assert_string_equal(ei.detail, "https:// only for this request");
    assert_false(r.request_sent);
    awssts_http_response_free(&r);
    req.allow_http = true;
    req.url = "ftp://127.0.0.1:1/";
    assert_int_equal(awssts_http_exchange(h, &s, &req, 100, 100, &r, &ei),
                     AWSSTS_E_INVALID_ARGUMENT);
    assert_string_equal(ei.detail, "http:// or https:// only for this request");
    awssts_http_response_free(&r);
    awssts_http_handle_free(h);
}

static void test_failure_retry_rule(void **state)
{
    (void)state;
    struct http_response r;
    awssts_http_response_init(&r);
    /* Nothing reached the server: always safe. */
    assert_true(awssts_transport_failure_retryable(AWSSTS_E_NETWORK, &r, false));
    assert_true(awssts_transport_failure_retryable(AWSSTS_E_TIMEOUT, &r, false));
    /* Sent: only when replaying is harmless (no MFA code the server may have used). */
    r.request_sent = true;
    assert_false(awssts_transport_failure_retryable(AWSSTS_E_TIMEOUT, &r, false));
    assert_true(awssts_transport_failure_retryable(AWSSTS_E_TIMEOUT, &r, true));
    /* A proxy's refusal stays a refusal; TLS and bad responses are final. */
    r.request_sent = false;
    r.proxy_status = 407;
    assert_false(awssts_transport_failure_retryable(AWSSTS_E_NETWORK, &r, true));
    r.proxy_status = 0;
    assert_false(awssts_transport_failure_retryable(AWSSTS_E_TLS, &r, true));
    assert_false(awssts_transport_failure_retryable(AWSSTS_E_BAD_RESPONSE, &r, true));
    assert_false(awssts_transport_failure_retryable(AWSSTS_E_INVALID_ARGUMENT, &r, true));
}

static void test_response_headers(void **state)
{
    (void)state;
    struct http_response r;
    awssts_http_response_init(&r);
    char v[32];
    assert_false(awssts_http_response_header(&r, "Server", v, sizeof(v)));
    assert_string_equal(v, "");
    assert_true(awssts_buf_puts(&r.headers, "Content-Type: text/plain\n"
                                            "X-aws-ec2-metadata-token-ttl-seconds:  21600 \n"
                                            "X-Long: 0123456789012345678901234567890123456789\n"
                                            "X-Empty:\n"));
    assert_true(
        awssts_http_response_header(&r, "x-AWS-ec2-metadata-token-ttl-seconds", v, sizeof(v)));
    assert_string_equal(v, "21600");
    assert_true(awssts_http_response_header(&r, "content-type", v, sizeof(v)));
    assert_string_equal(v, "text/plain");
    assert_true(awssts_http_response_header(&r, "X-Empty", v, sizeof(v)));
    assert_string_equal(v, "");
    /* Too long for the caller's buffer: absent, not cut. */
    assert_false(awssts_http_response_header(&r, "X-Long", v, sizeof(v)));
    assert_string_equal(v, "");
    /* A name is matched whole. */
    assert_false(awssts_http_response_header(&r, "Content", v, sizeof(v)));
    assert_false(awssts_http_response_header(&r, "Content-Type-X", v, sizeof(v)));
    awssts_http_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_checked),      cmocka_unit_test(test_unsigned_urls),
        cmocka_unit_test(test_exchange_scheme_rule), cmocka_unit_test(test_failure_retry_rule),
        cmocka_unit_test(test_response_headers),
    };
    return cmocka_run_group_tests_name("transport", tests, NULL, NULL);
}
