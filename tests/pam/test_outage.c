/*
 * STS down, and sshd asking again on the same connection: after an outage
 * verdict (STS timed out, unreachable, 5xx) the next pam_authenticate on
 * the same handle fails at once, without a prompt and without calling STS,
 * and says the service is unreachable; a wrong code sets nothing. Both
 * ways sshd can hold the handle: one process, and OpenSSH's, where each
 * attempt runs in a forked child that hands back only the PAM environment.
 * Users: tests/pam/users/outage.json.
 */
#include "pam_login.h"

#include <security/pam_appl.h>

#define UNREACHABLE "The AWS service (STS) is unreachable"

/* Prompts the module made on l so far. */
static int prompts(const struct login *l)
{
    int n = 0;
    for (int i = 0; i < l->script.n_events && i < SCRIPT_EVENTS; i++)
        n += l->script.events[i].style == PAM_PROMPT_ECHO_OFF ||
             l->script.events[i].style == PAM_PROMPT_ECHO_ON;
    return n;
}

/* The second attempt after a hang: no prompt, no STS call, the words. */
static void assert_failed_at_once(struct login *l, int rc, long long ms, int prompts_before,
                                  int calls_before)
{
    if (rc != PAM_AUTHINFO_UNAVAIL)
        fail_msg("second attempt: %s", pam_strerror(l->ph, rc));
    assert_int_equal(prompts(l), prompts_before);
    assert_int_equal(pam_log_count("user=outhang: calling STS", NULL), calls_before);
    assert_non_null(strstr(l->script.messages, UNREACHABLE));
    assert_true(pam_log_count("user=outhang outcome=sts_unreachable", NULL) >= 1);
    printf("second attempt: %lld ms\n", ms);
}

static void test_hang_then_at_once(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts", "outhang", code_at(0));
    l.script.answers[1] = l.code; /* a second prompt would be answered */
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_AUTHINFO_UNAVAIL);
    assert_int_equal(prompts(&l), 1);
    int calls = pam_log_count("user=outhang: calling STS", NULL);
    assert_true(calls >= 1);
    long long t0 = now_ms();
    int rc = pam_authenticate(l.ph, 0);
    assert_failed_at_once(&l, rc, now_ms() - t0, 1, calls);
    login_finish(&l);
}

/* OpenSSH's way: each attempt in a child of the process holding the handle. */
static void test_hang_then_at_once_in_children(void **state)
{
    (void)state;
    struct login l;
    bool handoff = false;
    login_start(&l, "awssts", "outhang", code_at(0));
    l.script.answers[1] = l.code;
    assert_false(login_auth_in_child(&l, &handoff));
    int calls = pam_log_count("user=outhang: calling STS", NULL);
    assert_true(calls >= 1);
    /* The child's prompt was counted in the child: this process saw none. */
    long long t0 = now_ms();
    int rc = pam_authenticate(l.ph, 0);
    assert_failed_at_once(&l, rc, now_ms() - t0, 0, calls);
    login_finish(&l);
}

/* A wrong code is the user's to retry: the right one then works. */
static void test_wrong_then_right(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts", "outok", "000000");
    l.script.answers[1] = code_at(0);
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_AUTH_ERR);
    login_auth_ok(&l, "outok");
    assert_int_equal(prompts(&l), 2);
    assert_null(strstr(l.script.messages, UNREACHABLE));
    assert_int_equal(pam_log_count("user=outok outcome=sts_unreachable", NULL), 0);
    login_finish(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hang_then_at_once),
        cmocka_unit_test(test_hang_then_at_once_in_children),
        cmocka_unit_test(test_wrong_then_right),
    };
    return PAM_LOG_RUN("pam_outage", tests, "outage.log");
}
