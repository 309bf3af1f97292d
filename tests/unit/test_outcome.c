/* The outcome table (lib/login/outcome.c): the session phase's failure is
 * one of its rows, so on_error decides it by the same lookup as auth's. */
#include "cm.h"

#include "login/outcome.h"

#include <syslog.h>

/* on_error = allow lets a session go on without credentials; otherwise
 * the phase fails with its own PAM code. */
static void test_session_error_follows_on_error(void **state)
{
    (void)state;
    assert_int_equal(awssts_outcome_result(AWSSTS_OUT_SESSION_ERROR, true), AWSSTS_RESULT_IGNORE);
    assert_int_equal(awssts_outcome_result(AWSSTS_OUT_SESSION_ERROR, false),
                     AWSSTS_RESULT_PHASE_ERR);
    assert_int_equal(awssts_outcome(AWSSTS_OUT_SESSION_ERROR)->level, LOG_ERR);
}

/* Never an outcome= line, and nothing said to the user (the session
 * phase's line is "PHASE: detail"). */
static void test_session_error_has_no_label_or_message(void **state)
{
    (void)state;
    assert_null(awssts_outcome_label(AWSSTS_OUT_SESSION_ERROR, false));
    assert_null(awssts_outcome_label(AWSSTS_OUT_SESSION_ERROR, true));
    bool info = false;
    assert_null(awssts_outcome_message(AWSSTS_OUT_SESSION_ERROR, false, &info));
    assert_null(awssts_outcome_message(AWSSTS_OUT_SESSION_ERROR, true, &info));
}

/* Every outcome of auth has its label; only the session's has none. */
static void test_auth_outcomes_labelled(void **state)
{
    (void)state;
    for (int i = 0; i < AWSSTS_OUT__COUNT; i++)
        if (i != AWSSTS_OUT_SESSION_ERROR)
            assert_non_null(awssts_outcome((enum awssts_outcome)i)->label);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_error_follows_on_error),
        cmocka_unit_test(test_session_error_has_no_label_or_message),
        cmocka_unit_test(test_auth_outcomes_labelled),
    };
    return cmocka_run_group_tests_name("outcome", tests, NULL, NULL);
}
