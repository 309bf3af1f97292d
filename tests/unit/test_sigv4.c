/* SigV4 pieces: canonical path and query, header folding, argument checks.
 * The full AWS suite runs through build/sigv4-sign (tests/sigv4-suite.sh). */
#include "cm.h"

#include "awssts/sigv4.h"
#include "util/buf.h"
#include "aws/uri.h"

#include <stdlib.h>
#include <string.h>

static char *canon_path(const char *p)
{
    struct awssts_buf b;
    awssts_buf_init(&b, 0);
    assert_true(awssts_uri_canonical_path(&b, p));
    return awssts_buf_steal(&b);
}

static char *canon_query(const char *q)
{
    struct awssts_buf b;
    awssts_buf_init(&b, 0);
    assert_true(awssts_uri_canonical_query(&b, q));
    return awssts_buf_steal(&b);
}

#define ASSERT_CANON(fn, in, want)                                                                 \
    do {                                                                                           \
        char *got_ = fn(in);                                                                       \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_canonical_path(void **state)
{
    (void)state;
    ASSERT_CANON(canon_path, "", "/");
    ASSERT_CANON(canon_path, "/", "/");
    ASSERT_CANON(canon_path, "//", "/");
    ASSERT_CANON(canon_path, "//example//", "/example/");
    ASSERT_CANON(canon_path, "/example/..", "/");
    ASSERT_CANON(canon_path, "/a/b/../..", "/");
    ASSERT_CANON(canon_path, "/../../x", "/x");
    ASSERT_CANON(canon_path, "/./example", "/example");
    ASSERT_CANON(canon_path, "/example space/", "/example%20space/");
    ASSERT_CANON(canon_path, "/example/$delete", "/example/%24delete");
    ASSERT_CANON(canon_path, "/\xe1\x88\xb4", "/%E1%88%B4");
    /* An escape in the path is encoded again, as AWS does outside S3. */
    ASSERT_CANON(canon_path, "/a%20b", "/a%2520b");
}

static void test_canonical_query(void **state)
{
    (void)state;
    ASSERT_CANON(canon_query, "", "");
    ASSERT_CANON(canon_query, "b=2&a=1", "a=1&b=2");
    ASSERT_CANON(canon_query, "Param1=value2&Param1=Value1", "Param1=Value1&Param1=value2");
    ASSERT_CANON(canon_query, "k", "k=");
    ASSERT_CANON(canon_query, "a=&&b=1", "a=&b=1");
    ASSERT_CANON(canon_query, "%E1%88%B4=x&P=y", "%E1%88%B4=x&P=y");
    ASSERT_CANON(canon_query, "\xe1\x88\xb4=bar", "%E1%88%B4=bar");
    ASSERT_CANON(canon_query, "a=b c+d", "a=b%20c%2Bd");
    ASSERT_CANON(canon_query, "bad=%zz%4", "bad=%25zz%254");
}

static const struct awssts_sigv4_params suite_params = {
    .access_key_id = "AKIDEXAMPLE",
    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    .region = "us-east-1",
    .service = "service",
    .amz_date = "20150830T123600Z",
};

static void test_sign_vanilla(void **state)
{
    (void)state;
    struct awssts_header h[] = {
        {"Host", "example.amazonaws.com"},
        {"X-Amz-Date", "20150830T123600Z"},
    };
    struct awssts_sigv4_request req = {.method = "GET", .path = "/", .headers = h, .n_headers = 2};
    struct awssts_sigv4_result r;
    assert_int_equal(awssts_sigv4_sign(&req, &suite_params, &r, NULL), AWSSTS_OK);
    assert_string_equal(r.authorization,
                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                        "aws4_request, SignedHeaders=host;x-amz-date, Signature="
                        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    awssts_sigv4_result_free(&r);
    assert_null(r.authorization);
}

static void test_header_folding(void **state)
{
    (void)state;
    struct awssts_header h[] = {
        {"My-Header1", "  a   b\tc  "},
        {"host", "example.amazonaws.com"},
        {"MY-HEADER1", "second"},
        {"X-Amz-Date", "20150830T123600Z"},
    };
    struct awssts_sigv4_request req = {.method = "GET", .path = "/", .headers = h, .n_headers = 4};
    struct awssts_sigv4_result r;
    assert_int_equal(awssts_sigv4_sign(&req, &suite_params, &r, NULL), AWSSTS_OK);
    assert_non_null(strstr(r.canonical_request,
                           "host:example.amazonaws.com\nmy-header1:a b c,second\n"
                           "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n"));
    awssts_sigv4_result_free(&r);
}

static void test_sign_rejects_bad_input(void **state)
{
    (void)state;
    struct awssts_header crlf[] = {{"Host", "a\r\nX-Evil: 1"}};
    struct awssts_header badname[] = {{"Ho st", "a"}};
    struct awssts_sigv4_request req = {
        .method = "GET", .path = "/", .headers = crlf, .n_headers = 1};
    struct awssts_sigv4_result r;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_sigv4_sign(&req, &suite_params, &r, &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_non_null(strstr(ei.detail, "control character"));
    req.headers = badname;
    assert_int_equal(awssts_sigv4_sign(&req, &suite_params, &r, &ei), AWSSTS_E_INVALID_ARGUMENT);

    struct awssts_header ok[] = {{"Host", "a"}};
    req.headers = ok;
    struct awssts_sigv4_params p = suite_params;
    p.amz_date = "2015-08-30T12:36:00Z";
    assert_int_equal(awssts_sigv4_sign(&req, &p, &r, NULL), AWSSTS_E_INVALID_ARGUMENT);
    p = suite_params;
    p.region = "us-east-1/evil";
    assert_int_equal(awssts_sigv4_sign(&req, &p, &r, NULL), AWSSTS_E_INVALID_ARGUMENT);
    p = suite_params;
    p.secret_access_key = "";
    assert_int_equal(awssts_sigv4_sign(&req, &p, &r, NULL), AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(awssts_sigv4_sign(NULL, &p, &r, NULL), AWSSTS_E_INVALID_ARGUMENT);
}

static void test_amz_date(void **state)
{
    (void)state;
    char d[17];
    assert_int_equal(awssts_sigv4_amz_date(1440938160LL, d), AWSSTS_OK);
    assert_string_equal(d, "20150830T123600Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_path),         cmocka_unit_test(test_canonical_query),
        cmocka_unit_test(test_sign_vanilla),           cmocka_unit_test(test_header_folding),
        cmocka_unit_test(test_sign_rejects_bad_input), cmocka_unit_test(test_amz_date),
    };
    return cmocka_run_group_tests_name("sigv4", tests, NULL, NULL);
}
