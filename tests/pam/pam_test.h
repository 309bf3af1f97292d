/* Shared by the PAM test programs. pam_wrapper prints every pam_syslog line
 * on stderr, so each program runs its tests with stderr in a log file, counts
 * syslog lines there, and at the end copies its own lines (cmocka's) back to
 * the real stderr. Also: the checks on the files the module writes. */
#ifndef TEST_PAM_TEST_H
#define TEST_PAM_TEST_H

#include "../integration/peer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

static inline uid_t uid_of(const char *user)
{
    struct passwd *pw = getpwnam(user);
    assert_non_null(pw);
    return pw->pw_uid;
}

/* The file is the user's, 0600, on tmpfs, and holds want (if given). */
static inline void assert_user_file(const char *path, uid_t uid, const char *want)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        fail_msg("%s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode) || st.st_uid != uid || (st.st_mode & 07777) != 0600)
        fail_msg("%s: uid %u mode %04o, want a regular file of uid %u, mode 0600", path,
                 (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), (unsigned)uid);
    struct statfs sf;
    assert_int_equal(statfs(path, &sf), 0);
    assert_true(sf.f_type == TMPFS_MAGIC);
    if (want != NULL) {
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        char text[16384] = "";
        size_t n = fread(text, 1, sizeof(text) - 1, f);
        text[n] = '\0';
        fclose(f);
        if (strstr(text, want) == NULL)
            fail_msg("%s lacks '%s'", path, want);
    }
}

/* Run argv with exactly envp, its stdout and stderr in out (the last len-1
 * bytes, so a traceback's end, which says why, is kept); returns the wait
 * status. */
static inline int spawn_capture(char *const argv[], char *const envp[], char *out, size_t len)
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd[1], 1);
        dup2(fd[1], 2);
        close(fd[0]);
        execvpe(argv[0], argv, envp);
        _exit(127);
    }
    close(fd[1]);
    size_t have = 0;
    ssize_t got;
    for (;;) {
        if (have == len - 1) { /* full: keep the newer half */
            size_t keep = (len - 1) / 2;
            memmove(out, out + have - keep, keep);
            have = keep;
        }
        if ((got = read(fd[0], out + have, len - 1 - have)) <= 0)
            break;
        have += (size_t)got;
    }
    out[have] = '\0';
    close(fd[0]);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return st;
}

/* The user's session registry (root's), and how many sessions it holds:
 * -1 when it does not exist. Every entry is root's, 0600. */
static inline void registry_path(const char *user, char *out, size_t len)
{
    snprintf(out, len, "/run/aws-sts/sessions/%u", (unsigned)uid_of(user));
}

static inline int registry_entries(const char *user)
{
    char dir[128];
    registry_path(user, dir, sizeof(dir));
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strlen(e->d_name) != 32 || strspn(e->d_name, "0123456789abcdef") != 32)
            continue;
        char path[300];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
            (st.st_mode & 07777) != 0600)
            fail_msg("%s: not a root 0600 file", path);
        n++;
    }
    closedir(d);
    return n;
}

static char pam_log_path[300];

/* Syslog lines that hold a, and b when given. */
static inline int pam_log_count(const char *a, const char *b)
{
    FILE *f = fopen(pam_log_path, "r");
    assert_non_null(f);
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof(line), f) != NULL)
        n += strstr(line, "SYSLOG(") != NULL && strstr(line, a) != NULL &&
             (b == NULL || strstr(line, b) != NULL);
    fclose(f);
    return n;
}

/* Run the group with stderr in $PAS_TEST_DIR/log_name; stdout line-buffered,
 * so a crash still shows how far the tests got. */
static inline int pam_log_run(const char *group, const struct CMUnitTest *tests, size_t n,
                              const char *log_name)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* The programs the tests start (oathtool, ls, wc) need no wrapper, and
     * pam_wrapper setting itself up in several of them at once races for its
     * /tmp/pam.X directories: a loser exits 1 with no output. This process
     * has its wrappers loaded already; only its children lose them. */
    unsetenv("LD_PRELOAD");
    snprintf(pam_log_path, sizeof(pam_log_path), "%s/%s", peer_env("PAS_TEST_DIR"), log_name);
    int real_stderr = dup(2);
    int fd = open(pam_log_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
    if (fd < 0 || real_stderr < 0 || dup2(fd, 2) < 0)
        return 1;
    close(fd);
    int rc = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
    /* Not pam_wrapper's lines, nor valgrind's: those stay in the log. */
    FILE *f = fopen(pam_log_path, "r");
    char line[4096];
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, "PWRAP_", 6) != 0 && strncmp(line, "==", 2) != 0 &&
            write(real_stderr, line, strlen(line)) < 0)
            break;
    if (f != NULL)
        fclose(f);
    return rc;
}

#define PAM_LOG_RUN(group, tests, log_name)                                                        \
    pam_log_run((group), (tests), sizeof(tests) / sizeof((tests)[0]), (log_name))

#endif
