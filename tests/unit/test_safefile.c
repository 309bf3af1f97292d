/* Atomic writes and checked reads; the tmpfs check on an open directory. */
#include "cm.h"
#include "tmpdir.h"

#include "awssts/safefile.h"
#include "awssts/secret.h"

#include <dirent.h>
#include <errno.h>
#include <sys/file.h>
#include <sys/mount.h>

static int dir_fd(void)
{
    int fd = open(test_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    return fd;
}

static int count_entries(void)
{
    DIR *d = opendir(test_dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.' || (e->d_name[1] != '\0' && e->d_name[1] != '.');
    closedir(d);
    return n;
}

static void test_atomic_write(void **state)
{
    (void)state;
    int dfd = dir_fd();
    int before = count_entries();
    mode_t old = umask(0);
    assert_int_equal(awssts_file_write_atomic(dfd, "out", "one\n", 4, 0600, NULL), AWSSTS_OK);
    assert_int_equal(awssts_file_write_atomic(dfd, "out", "two\n", 4, 0600, NULL), AWSSTS_OK);
    umask(old);
    struct stat st;
    assert_int_equal(fstatat(dfd, "out", &st, AT_SYMLINK_NOFOLLOW), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_uid, getuid());
    char *text = NULL;
    size_t len = 0;
    struct awssts_file_policy pol = {.owner = getuid(), .forbidden = 0077};
    assert_int_equal(awssts_file_read(dfd, "out", &pol, &text, &len, NULL), AWSSTS_OK);
    assert_string_equal(text, "two\n");
    assert_int_equal(len, 4);
    awssts_secret_free(text);
    /* No temp file left behind. */
    assert_int_equal(count_entries(), before + 1);
    close(dfd);
}

static void test_write_refuses(void **state)
{
    (void)state;
    int dfd = dir_fd();
    assert_int_equal(awssts_file_write_atomic(dfd, "../escape", "x", 1, 0600, NULL),
                     AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(awssts_file_write_atomic(dfd, "", "x", 1, 0600, NULL),
                     AWSSTS_E_INVALID_ARGUMENT);
    /* A directory in the way: the rename fails and the temp file is removed. */
    int before = count_entries();
    assert_int_equal(mkdirat(dfd, "isdir", 0700), 0);
    assert_int_equal(mknodat(dfd, "isdir/f", S_IFREG | 0600, 0), 0);
    assert_int_equal(awssts_file_write_atomic(dfd, "isdir", "x", 1, 0600, NULL), AWSSTS_E_FILE_IO);
    assert_int_equal(count_entries(), before + 1);
    close(dfd);
}

static void test_read_refuses(void **state)
{
    (void)state;
    int dfd = dir_fd();
    struct awssts_file_policy pol = {.owner = getuid(), .forbidden = 0077};
    char *text = NULL;
    struct awssts_error_info ei;

    write_file("open", "secret", 0644);
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_file_read(dfd, "open", &pol, &text, NULL, &ei), AWSSTS_E_FILE_UNSAFE);
    assert_non_null(strstr(ei.detail, "mode 0644"));

    assert_int_equal(symlinkat("open", dfd, "link"), 0);
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_file_read(dfd, "link", NULL, &text, NULL, &ei), AWSSTS_E_FILE_UNSAFE);
    assert_non_null(strstr(ei.detail, "symbolic link"));

    assert_int_equal(mkfifoat(dfd, "fifo", 0600), 0);
    assert_int_equal(awssts_file_read(dfd, "fifo", NULL, &text, NULL, NULL), AWSSTS_E_FILE_UNSAFE);

    assert_int_equal(awssts_file_read(dfd, "absent", NULL, &text, NULL, NULL), AWSSTS_E_NOT_FOUND);

    char *big = malloc(AWSSTS_MAX_FILE + 2);
    memset(big, 'a', AWSSTS_MAX_FILE + 1);
    big[AWSSTS_MAX_FILE + 1] = '\0';
    write_file("big", big, 0600);
    free(big);
    assert_int_equal(awssts_file_read(dfd, "big", &pol, &text, NULL, NULL), AWSSTS_E_FILE_UNSAFE);

    pol.owner = getuid() + 1;
    write_file("mine", "x", 0600);
    assert_int_equal(awssts_file_read(dfd, "mine", &pol, &text, NULL, NULL), AWSSTS_E_FILE_UNSAFE);
    assert_null(text);
    close(dfd);
}

static void test_memory_fs_check(void **state)
{
    (void)state;
    /* /proc is neither tmpfs nor ramfs. */
    int fd = open("/proc", O_RDONLY | O_DIRECTORY);
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_dir_check_memory_fs(fd, &ei), AWSSTS_E_FILE_UNSAFE);
    assert_non_null(strstr(ei.detail, "not on tmpfs"));
    close(fd);
    /* /dev/shm is tmpfs on Linux. */
    fd = open("/dev/shm", O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        assert_int_equal(awssts_dir_check_memory_fs(fd, NULL), AWSSTS_OK);
        close(fd);
    }
}

/* A lock held too long has its own error, whose text names no network:
 * the log of a login that waited for one must not send anyone to STS. */
static void test_lock_timeout_text(void **state)
{
    (void)state;
    int holder = dir_fd(), waiter = dir_fd(); /* two open files: flock sees two holders */
    assert_int_equal(flock(holder, LOCK_EX), 0);
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc = awssts_lock_wait(waiter, LOCK_EX, 50, &ei);
    assert_string_equal(awssts_errname(rc), "lock_timeout");
    char line[600];
    awssts_error_format(&ei, line, sizeof(line));
    if (strstr(line, "STS") != NULL || strstr(line, "network") != NULL)
        fail_msg("a lock timeout reads: %s", line);
    assert_non_null(strstr(line, "gave up waiting for the lock"));
    close(holder);
    assert_int_equal(awssts_lock_wait(waiter, LOCK_EX, 50, NULL), AWSSTS_OK);
    close(waiter);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atomic_write),      cmocka_unit_test(test_write_refuses),
        cmocka_unit_test(test_read_refuses),      cmocka_unit_test(test_memory_fs_check),
        cmocka_unit_test(test_lock_timeout_text),
    };
    return cmocka_run_group_tests_name("safefile", tests, tmpdir_setup, tmpdir_teardown);
}
