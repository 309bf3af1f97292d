/* The limit on SSM key fetches that local callers cause (lib/login/fetch_limit.h):
 * who gets the code first, the window, the counts per target and per
 * caller, and the state files a link or another owner's refused. */
#include "cm.h"
#include "tmpdir.h"

#include "login/fetch_limit.h"
#include "aws/ssm.h"
#include "login/ssm_keys.h"

#include <errno.h>

#define T0 100000LL
#define A  1001 /* callers */
#define B  1002
#define X  2001 /* targets */
#define Y  2002

static int dir_fd = -1;

/* A fresh directory of counts for each test. */
static int fresh(void **state)
{
    (void)state;
    if (dir_fd >= 0)
        close(dir_fd);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'/fl && mkdir -m 0700 '%s'/fl", test_dir, test_dir);
    if (system(cmd) != 0)
        return -1;
    char p[300];
    dir_fd = open(tmp_path(p, sizeof(p), "fl"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return dir_fd < 0 ? -1 : 0;
}

static awssts_err take(uid_t caller, uid_t target, long long now)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc = awssts_fetch_limit_take(dir_fd, caller, target, now, &ei);
    assert_int_equal(ei.code, rc);
    return rc;
}

static void code_first_only_for_ssm_and_a_caller_not_root(void **state)
{
    (void)state;
    const char *ssm = "ssm:/bastion/keys/%u";
    assert_true(awssts_ssm_keys_template(ssm) != NULL);
    /* sshd: real uid 0, not setuid: keys before the prompt. */
    assert_false(awssts_fetch_code_first(ssm, false, 0, X));
    /* su, sudo (AT_SECURE), whoever the target, even the caller itself. */
    assert_true(awssts_fetch_code_first(ssm, true, A, X));
    assert_true(awssts_fetch_code_first(ssm, true, X, X));
    /* Not setuid, but another user's process (e.g. given capabilities). */
    assert_true(awssts_fetch_code_first(ssm, false, A, X));
    /* The user's own unprivileged process (a screen locker) costs nothing more. */
    assert_false(awssts_fetch_code_first(ssm, false, X, X));
    /* A keys file or home costs no SSM quota. */
    assert_false(awssts_fetch_code_first("/etc/aws-sts/keys", true, A, X));
    assert_false(awssts_fetch_code_first("home", true, A, X));
    assert_false(awssts_fetch_code_first(NULL, true, A, X));
}

static void window(void **state)
{
    (void)state;
    for (int i = 0; i < AWSSTS_FETCH_PER_TARGET; i++)
        assert_int_equal(take(A, X, T0 + i), AWSSTS_OK);
    assert_int_equal(take(A, X, T0 + 10), AWSSTS_E_RATE_LIMITED);
    assert_int_equal(take(A, X, T0 + AWSSTS_FETCH_WINDOW_S - 1), AWSSTS_E_RATE_LIMITED);
    /* The first fetch leaves the window: one more, and only one. */
    assert_int_equal(take(A, X, T0 + AWSSTS_FETCH_WINDOW_S), AWSSTS_OK);
    assert_int_equal(take(A, X, T0 + AWSSTS_FETCH_WINDOW_S), AWSSTS_E_RATE_LIMITED);
    /* A whole window later, all of them again. */
    long long later = T0 + 3 * AWSSTS_FETCH_WINDOW_S;
    for (int i = 0; i < AWSSTS_FETCH_PER_TARGET; i++)
        assert_int_equal(take(A, X, later), AWSSTS_OK);
    assert_int_equal(take(A, X, later), AWSSTS_E_RATE_LIMITED);
}

static void refusal_says_when(void **state)
{
    (void)state;
    struct awssts_error_info ei;
    for (int i = 0; i < AWSSTS_FETCH_PER_TARGET; i++)
        assert_int_equal(take(A, X, T0), AWSSTS_OK);
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_fetch_limit_take(dir_fd, A, X, T0 + 20, &ei), AWSSTS_E_RATE_LIMITED);
    assert_non_null(strstr(ei.detail, "uid 1001"));
    assert_non_null(strstr(ei.detail, "SSM not called"));
    assert_non_null(strstr(ei.detail, "try again in 40 s"));
}

static void per_target(void **state)
{
    (void)state;
    for (int i = 0; i < AWSSTS_FETCH_PER_TARGET; i++)
        assert_int_equal(take(A, X, T0), AWSSTS_OK);
    assert_int_equal(take(A, X, T0), AWSSTS_E_RATE_LIMITED);
    /* Another target of the same caller has its own count. */
    assert_int_equal(take(A, Y, T0), AWSSTS_OK);
}

static void per_caller(void **state)
{
    (void)state;
    /* Many targets, a few each: the caller's total stops it. */
    int ok = 0;
    for (uid_t t = X; t < X + AWSSTS_FETCH_PER_CALLER + 5; t++)
        ok += take(A, t, T0) == AWSSTS_OK;
    assert_int_equal(ok, AWSSTS_FETCH_PER_CALLER);
    assert_int_equal(take(A, Y + 100, T0 + 1), AWSSTS_E_RATE_LIMITED);
    /* Another caller, for the same target: its own count, untouched. The
     * target's own su is such a caller. */
    for (int i = 0; i < AWSSTS_FETCH_PER_TARGET; i++)
        assert_int_equal(take(B, X, T0), AWSSTS_OK);
    assert_int_equal(take(X, X, T0), AWSSTS_OK);
}

static void state_is_owners_only(void **state)
{
    (void)state;
    assert_int_equal(take(A, X, T0), AWSSTS_OK);
    struct stat st;
    assert_int_equal(fstatat(dir_fd, "1001", &st, AT_SYMLINK_NOFOLLOW), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_uid, geteuid());
    assert_int_equal(fstatat(dir_fd, "1001.lock", &st, AT_SYMLINK_NOFOLLOW), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
}

/* name in the counts directory becomes a link to a file with the given text. */
static void plant_link(const char *name, const char *text)
{
    write_file("target", text, 0600);
    char p[300];
    assert_int_equal(symlinkat(tmp_path(p, sizeof(p), "target"), dir_fd, name), 0);
}

static void link_refused(void **state)
{
    (void)state;
    /* An empty file behind the link would reset the count. */
    plant_link("1001", "");
    assert_int_equal(take(A, X, T0), AWSSTS_E_FILE_UNSAFE);
    assert_int_equal(unlinkat(dir_fd, "1001", 0), 0);
    assert_int_equal(unlinkat(dir_fd, "1001.lock", 0), 0); /* made by the take above */
    plant_link("1001.lock", "");
    assert_int_equal(take(A, X, T0), AWSSTS_E_FILE_UNSAFE);
}

/* Another owner needs root to arrange; the module runs as root. As
 * another user (make check unprivileged), the case is skipped: nobody's
 * chown to nobody would change no owner at all. */
static void chown_or_fail(const char *name)
{
    if (geteuid() != 0)
        skip();
    if (fchownat(dir_fd, name, 65534, 65534, AT_SYMLINK_NOFOLLOW) != 0)
        fail_msg("chown %s: %s (this test must run as root)", name, strerror(errno));
}

static void wrong_owner_refused(void **state)
{
    (void)state;
    for (int i = 0; i < AWSSTS_FETCH_PER_TARGET; i++)
        assert_int_equal(take(A, X, T0), AWSSTS_OK);
    chown_or_fail("1001");
    assert_int_equal(take(A, X, T0 + AWSSTS_FETCH_WINDOW_S * 2), AWSSTS_E_FILE_UNSAFE);
    assert_int_equal(fchownat(dir_fd, "1001", geteuid(), getegid(), AT_SYMLINK_NOFOLLOW), 0);
    chown_or_fail("1001.lock");
    assert_int_equal(take(A, X, T0 + AWSSTS_FETCH_WINDOW_S * 2), AWSSTS_E_FILE_UNSAFE);
}

static void open_mode_refused(void **state)
{
    (void)state;
    assert_int_equal(take(A, X, T0), AWSSTS_OK);
    assert_int_equal(fchmodat(dir_fd, "1001", 0644, 0), 0);
    assert_int_equal(take(A, X, T0), AWSSTS_E_FILE_UNSAFE);
}

static void malformed_refused(void **state)
{
    (void)state;
    int fd = openat(dir_fd, "1001", O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "100000 2001 extra\n", 18), 18);
    close(fd);
    assert_int_equal(take(A, X, T0), AWSSTS_E_FILE_UNSAFE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(code_first_only_for_ssm_and_a_caller_not_root),
        cmocka_unit_test_setup(window, fresh),
        cmocka_unit_test_setup(refusal_says_when, fresh),
        cmocka_unit_test_setup(per_target, fresh),
        cmocka_unit_test_setup(per_caller, fresh),
        cmocka_unit_test_setup(state_is_owners_only, fresh),
        cmocka_unit_test_setup(link_refused, fresh),
        cmocka_unit_test_setup(wrong_owner_refused, fresh),
        cmocka_unit_test_setup(open_mode_refused, fresh),
        cmocka_unit_test_setup(malformed_refused, fresh),
    };
    int rc = cmocka_run_group_tests_name("fetch_limit", tests, tmpdir_setup, tmpdir_teardown);
    if (dir_fd >= 0)
        close(dir_fd);
    return rc;
}
