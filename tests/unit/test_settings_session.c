/* The settings the module's session phase reads (awssts_settings_load_session,
 * lib/login/options.c): the file and each value as auth reads them, but not
 * the checks of a login, whose values the session takes from the state. */
#include "cm.h"
#include "tmpdir.h"

#include "login/options.h"

/* No region and connect_timeout above timeout: a login's configuration
 * mistakes, which the session phase does not check again. */
static const char conf[] = "[global]\n"
                           "staging_dir = /run/aws-sts/elsewhere\n"
                           "timeout = 7\n"
                           "connect_timeout = 9\n"
                           "on_error = allow\n";

static void test_session_reads_without_login_checks(void **state)
{
    (void)state;
    if (getuid() != 0)
        skip(); /* the configuration must be root's */
    write_file("session.conf", conf, 0644);
    char path[512];
    tmp_path(path, sizeof(path), "session.conf");
    struct awssts_settings s;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_settings_load(path, "root", 0, &s, &ei), AWSSTS_E_CONFIG);
    awssts_settings_free(&s);

    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_settings_load_session(path, "root", 0, &s, &ei), AWSSTS_OK);
    assert_string_equal(s.staging_dir, "/run/aws-sts/elsewhere");
    assert_int_equal(s.timeout, 7);
    assert_true(s.on_error_allow);
    awssts_settings_free(&s);
}

/* A value the table refuses is still refused: only the login's checks go. */
static void test_session_still_checks_values(void **state)
{
    (void)state;
    if (getuid() != 0)
        skip();
    write_file("bad.conf", "[global]\ntimeout = 0\n", 0644);
    char path[512];
    tmp_path(path, sizeof(path), "bad.conf");
    struct awssts_settings s;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_settings_load_session(path, "root", 0, &s, &ei), AWSSTS_E_CONFIG);
    awssts_settings_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_reads_without_login_checks),
        cmocka_unit_test(test_session_still_checks_values),
    };
    return cmocka_run_group_tests_name("settings_session", tests, tmpdir_setup, tmpdir_teardown);
}
