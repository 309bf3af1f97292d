/* Expiration parsing: STS's forms, aws-mfa's form, and what is refused. */
#include "cm.h"

#include "awssts/timeutil.h"

static void test_parse(void **state)
{
    (void)state;
    time_t t;
    assert_int_equal(awssts_time_parse("2015-08-30T12:36:00Z", &t), AWSSTS_OK);
    assert_int_equal(t, 1440938160);
    assert_int_equal(awssts_time_parse("2015-08-30T12:36:00.611Z", &t), AWSSTS_OK);
    assert_int_equal(t, 1440938160);
    assert_int_equal(awssts_time_parse("2015-08-30 12:36:00", &t), AWSSTS_OK);
    assert_int_equal(t, 1440938160);
    assert_int_equal(awssts_time_parse("2015-08-30T12:36:00+00:00", &t), AWSSTS_OK);
    assert_int_equal(awssts_time_parse("2024-02-29T00:00:00Z", &t), AWSSTS_OK);
}

static void test_refused(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "tomorrow",
        "2015-08-30",
        "2015-08-30T12:36Z",
        "2015-13-30T12:36:00Z",
        "2015-02-30T12:36:00Z",
        "2023-02-29T00:00:00Z",
        "2015-08-30T24:00:00Z",
        "2015-08-30T12:60:00Z",
        "2015-08-30T12:36:00.Z",
        "2015-08-30T12:36:00Zjunk",
        "2015-08-30T12:36:00+02:00",
        "1969-12-31T23:59:59Z",
        "2015-08-30X12:36:00Z",
        "2015-08-30T12:36:00.1234567890Z",
    };
    time_t t = 42;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(awssts_time_parse(bad[i], &t), AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(t, 42);
    assert_int_equal(awssts_time_parse(NULL, &t), AWSSTS_E_INVALID_ARGUMENT);
}

static void test_format(void **state)
{
    (void)state;
    char iso[21], mfa[20];
    assert_int_equal(awssts_time_format_iso8601(1440938160, iso), AWSSTS_OK);
    assert_string_equal(iso, "2015-08-30T12:36:00Z");
    assert_int_equal(awssts_time_format_mfa(1440938160, mfa), AWSSTS_OK);
    assert_string_equal(mfa, "2015-08-30 12:36:00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests_name("timeutil", tests, NULL, NULL);
}
