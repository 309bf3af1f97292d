/* Walking and making directories: the modes of what is made do not depend
 * on the umask (su keeps the caller's). */
#include "cm.h"

#include "files/paths.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

static char test_dir[256];

static int setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(test_dir, sizeof(test_dir), "%s/awssts-paths-XXXXXX", base);
    return mkdtemp(test_dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", test_dir, test_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", test_dir, name);
    return buf;
}

static mode_t mode_of(const char *rel)
{
    char p[512];
    struct stat st;
    assert_int_equal(lstat(tmp_path(p, sizeof(p), rel), &st), 0);
    return st.st_mode & 07777;
}

/* Under each umask, the components made are 0755 and the last one
 * last_mode, exactly. */
static void test_made_modes_ignore_umask(void **state)
{
    (void)state;
    static const mode_t masks[] = {0077, 0777, 0022, 0};
    for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
        char rel[64], p[512];
        snprintf(rel, sizeof(rel), "m%zu/shared/own", i);
        tmp_path(p, sizeof(p), rel);
        mode_t old = umask(masks[i]);
        int fd = -1;
        awssts_err rc = awssts_open_dir(p, true, 0700, getuid(), &fd, NULL);
        umask(old);
        assert_int_equal(rc, AWSSTS_OK);
        close(fd);
        snprintf(rel, sizeof(rel), "m%zu", i);
        assert_int_equal(mode_of(rel), 0755);
        snprintf(rel, sizeof(rel), "m%zu/shared", i);
        assert_int_equal(mode_of(rel), 0755);
        snprintf(rel, sizeof(rel), "m%zu/shared/own", i);
        assert_int_equal(mode_of(rel), 0700);
    }
}

/* A directory that exists keeps its mode: only what was made is set. */
static void test_existing_mode_kept(void **state)
{
    (void)state;
    char p[512];
    assert_int_equal(mkdir(tmp_path(p, sizeof(p), "kept"), 0700), 0);
    assert_int_equal(chmod(p, 0711), 0);
    int fd = -1;
    assert_int_equal(
        awssts_open_dir(tmp_path(p, sizeof(p), "kept/new"), true, 0700, getuid(), &fd, NULL),
        AWSSTS_OK);
    close(fd);
    assert_int_equal(mode_of("kept"), 0711);
    assert_int_equal(mode_of("kept/new"), 0700);
}

/* The way down to a user's directory: each directory above it that exists
 * must let the user through; a missing one will be made 0755. */
static void test_reachable(void **state)
{
    (void)state;
    /* As root, the user is someone else (o+x counts); otherwise the test's
     * own directories are the user's (u+x counts). */
    bool root = geteuid() == 0;
    uid_t who = root ? 65534 : getuid();
    mode_t closed = root ? 0700 : 0600;
    char p[512];
    assert_int_equal(chmod(test_dir, 0755), 0);
    assert_int_equal(mkdir(tmp_path(p, sizeof(p), "r"), 0755), 0);
    assert_int_equal(chmod(p, 0755), 0);
    assert_int_equal(mkdir(tmp_path(p, sizeof(p), "r/closed"), 0700), 0);
    assert_int_equal(chmod(p, closed), 0);
    assert_int_equal(awssts_path_reachable(tmp_path(p, sizeof(p), "r/leaf"), who, NULL), AWSSTS_OK);
    tmp_path(p, sizeof(p), "r/missing/more/leaf");
    assert_int_equal(awssts_path_reachable(p, who, NULL), AWSSTS_OK);
    /* The last component is the user's own directory, checked elsewhere. */
    tmp_path(p, sizeof(p), "r/closed");
    assert_int_equal(awssts_path_reachable(p, who, NULL), AWSSTS_OK);
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_path_reachable(tmp_path(p, sizeof(p), "r/closed/leaf"), who, &ei),
                     AWSSTS_E_FILE_UNSAFE);
    assert_non_null(strstr(ei.detail, "/r/closed: mode 0"));
    const char *who_cannot = root ? "others cannot search it" : "its owner cannot search it";
    assert_non_null(strstr(ei.detail, who_cannot));
    assert_int_equal(awssts_path_reachable(tmp_path(p, sizeof(p), "r/closed/sub/leaf"), who, NULL),
                     AWSSTS_E_FILE_UNSAFE);
}

/* The module makes the user's directory in logind's /run/user/UID with the
 * user's rights (pam_modutil_drop_priv: setfsuid, the euid stays 0): its
 * mode is exact too, whatever the caller's umask. */
static void test_made_as_user_ignores_umask(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip(); /* taking another uid's file-system rights needs root */
    const uid_t user = 65534;
    static const mode_t masks[] = {0277, 0777, 0077};
    char p[512];
    assert_int_equal(mkdir(tmp_path(p, sizeof(p), "user"), 0700), 0);
    assert_int_equal(chown(p, user, user), 0);
    int pfd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(pfd >= 0);
    int wrong = 0;
    for (size_t i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
        char name[16], rel[32];
        snprintf(name, sizeof(name), "d%zu", i);
        mode_t old = umask(masks[i]);
        setfsgid(user);
        setfsuid(user);
        int rc = awssts_mkdirat(pfd, name, 0700);
        setfsuid(0);
        setfsgid(0);
        umask(old);
        assert_int_equal(rc, 0);
        snprintf(rel, sizeof(rel), "user/%s", name);
        struct stat st;
        assert_int_equal(lstat(tmp_path(p, sizeof(p), rel), &st), 0);
        assert_int_equal(st.st_uid, user);
        if ((st.st_mode & 07777) != 0700) {
            print_error("umask %04o: made %04o, not 0700\n", (unsigned)masks[i],
                        (unsigned)(st.st_mode & 07777));
            wrong++;
        }
    }
    close(pfd);
    assert_int_equal(wrong, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_made_modes_ignore_umask),
        cmocka_unit_test(test_existing_mode_kept),
        cmocka_unit_test(test_reachable),
        cmocka_unit_test(test_made_as_user_ignores_umask),
    };
    return cmocka_run_group_tests_name("paths", tests, setup, teardown);
}
