/* Every error has a name and an actionable sentence; the one-line format
 * carries the AWS code, detail and request id but no control characters. */
#include "cm.h"

#include "awssts/error.h"
#include "util/buf.h"
#include "util/error_set.h"
#include "util/text.h"

#include <stdlib.h>
#include <string.h>

static void test_every_code_described(void **state)
{
    (void)state;
    for (int i = 0; i < AWSSTS_E__COUNT; i++) {
        const char *s = awssts_strerror((awssts_err)i);
        assert_non_null(s);
        assert_true(strlen(s) > 5);
        assert_string_not_equal(awssts_errname((awssts_err)i), "unknown");
        for (int j = 0; j < i; j++) {
            assert_string_not_equal(s, awssts_strerror((awssts_err)j));
            assert_string_not_equal(awssts_errname((awssts_err)i), awssts_errname((awssts_err)j));
        }
    }
    assert_string_equal(awssts_strerror(AWSSTS_E__COUNT), "unknown error");
    assert_string_equal(awssts_strerror((awssts_err)-1), "unknown error");
}

static void test_format(void **state)
{
    (void)state;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_error_set(&ei, AWSSTS_E_MFA_CODE, "line1\nline2");
    strcpy(ei.aws_code, "AccessDenied");
    strcpy(ei.message, "MultiFactorAuthentication failed");
    strcpy(ei.request_id, "abc-123");
    char line[512];
    awssts_error_format(&ei, line, sizeof(line));
    assert_string_equal(line, "STS rejected the MFA code: wait for the next code and try again "
                              "(AccessDenied: MultiFactorAuthentication failed) [line1?line2] "
                              "request-id=abc-123");
    char tiny[8];
    awssts_error_format(&ei, tiny, sizeof(tiny));
    assert_int_equal(strlen(tiny), 7);

    awssts_error_info_reset(&ei);
    ei.code = AWSSTS_E_SERVER;
    ei.http_status = 503;
    awssts_error_format(&ei, line, sizeof(line));
    assert_non_null(strstr(line, "(HTTP 503)"));
    assert_int_equal(awssts_error_set(NULL, AWSSTS_E_TLS, "x"), AWSSTS_E_TLS);

    /* An error found in a 200 answer says nothing of HTTP. */
    awssts_error_info_reset(&ei);
    awssts_error_set(&ei, AWSSTS_E_BAD_RESPONSE, "SessionToken is not base64");
    ei.http_status = 200;
    awssts_error_format(&ei, line, sizeof(line));
    assert_string_equal(line, "STS sent a response that is malformed or unsafe: nothing was used "
                              "[SessionToken is not base64]");
}

static void test_buf_limits(void **state)
{
    (void)state;
    struct awssts_buf b;
    awssts_buf_init(&b, 10);
    assert_true(awssts_buf_puts(&b, "0123456789"));
    assert_false(awssts_buf_putc(&b, 'x'));
    assert_true(b.failed);
    assert_null(awssts_buf_steal(&b));
    awssts_buf_init(&b, 0);
    for (int i = 0; i < 1000; i++)
        assert_true(awssts_buf_printf(&b, "%04d", i));
    assert_int_equal(b.len, 4000);
    char *s = awssts_buf_steal(&b);
    assert_int_equal(strncmp(s, "00000001", 8), 0);
    free(s);
    awssts_buf_free(&b);
}

static void test_text(void **state)
{
    (void)state;
    char s[] = "  \t hi there \n";
    assert_string_equal(awssts_text_trim(s), "hi there");
    long v;
    assert_true(awssts_text_parse_long("42", 0, 100, &v) && v == 42);
    assert_false(awssts_text_parse_long("101", 0, 100, &v));
    assert_false(awssts_text_parse_long(" 1", 0, 100, &v));
    assert_false(awssts_text_parse_long("1x", 0, 100, &v));
    assert_false(awssts_text_parse_long("99999999999999999999999", 0, 100, &v));
    assert_true(awssts_text_has_ctl("a\x1b", 2));
    assert_false(awssts_text_has_ctl("a\tb", 3));

    /* Inside a "..." log field: quotes and backslashes escaped, cut between escapes. */
    char q[16];
    awssts_text_escape_quoted(q, sizeof(q), "a\"b\\c");
    assert_string_equal(q, "a\\\"b\\\\c");
    awssts_text_escape_quoted(q, 4, "ab\"cd"); /* no room for the escape: cut before it */
    assert_string_equal(q, "ab");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_described),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_buf_limits),
        cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
