/* The rate limit on SSM key fetches that local callers cause (fetch_limit.h). */
#include "login/fetch_limit.h"
#include "awssts/safefile.h"
#include "util/error_set.h"
#include "files/paths.h"
#include "aws/ssm.h"
#include "util/text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Only the caller's own logins contend for its lock, each for a read and a
 * write of a few lines: a short wait, then a refusal. */
#define LOCK_WAIT_MS 2000L
/* More lines than the limits ever keep: a file root did not write. */
#define MAX_LINES (AWSSTS_FETCH_PER_CALLER + 8)

struct fetch {
    long at;
    long target;
};

/* One line "SECONDS TARGET_UID": two whole decimal numbers. */
static bool parse_line(char *l, struct fetch *f)
{
    char *sp = strchr(l, ' ');
    if (sp == NULL)
        return false;
    *sp = '\0';
    return awssts_text_parse_long(l, 0, LONG_MAX, &f->at) &&
           awssts_text_parse_long(sp + 1, 0, (long)UINT_MAX, &f->target);
}

bool awssts_fetch_code_first(const char *keys, bool secure, uid_t ruid, uid_t target)
{
    if (keys == NULL || awssts_ssm_keys_template(keys) == NULL)
        return false; /* a keys file costs no one's quota */
    return secure || (ruid != 0 && ruid != target);
}

/* The caller's lock file, made (O_EXCL) or opened without following a link,
 * and checked on the descriptor before it is locked. */
static awssts_err open_lock(int dirfd, const char *name, int *fd, struct awssts_error_info *ei)
{
    *fd = openat(dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (*fd < 0 && errno == EEXIST)
        *fd = openat(dirfd, name, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (*fd < 0)
        return awssts_error_set(ei, errno == ELOOP ? AWSSTS_E_FILE_UNSAFE : AWSSTS_E_FILE_IO,
                                "%s: %s", name,
                                errno == ELOOP ? "is a symbolic link" : strerror(errno));
    struct stat st;
    awssts_err rc = AWSSTS_OK;
    bool seen = fstat(*fd, &st) == 0;
    if (seen && (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 0077) != 0))
        rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                              "%s: must be a regular file of uid %u, mode 0600", name,
                              (unsigned)geteuid());
    else if (!seen || fchmod(*fd, 0600) != 0) /* fchmod: whatever the caller's umask left */
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "%s: %s", name, strerror(errno));
    if (rc != AWSSTS_OK) {
        close(*fd);
        *fd = -1;
    }
    return rc;
}

/* The fetches of the window ending at now, oldest first; *n of them. */
static awssts_err read_fetches(int dirfd, const char *name, long long now, struct fetch *f,
                               size_t *n, struct awssts_error_info *ei)
{
    const struct awssts_file_policy pol = {.owner = geteuid(), .forbidden = 0077};
    char *text = NULL;
    *n = 0;
    awssts_err rc = awssts_file_read(dirfd, name, &pol, &text, NULL, ei);
    if (rc == AWSSTS_E_NOT_FOUND) {
        awssts_error_info_reset(ei);
        return AWSSTS_OK;
    }
    if (rc != AWSSTS_OK)
        return rc;
    size_t lines = 0;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l != NULL;
         l = strtok_r(NULL, "\n", &save)) {
        struct fetch one;
        if (++lines > MAX_LINES || !parse_line(l, &one)) {
            rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                  "%s: not a file of fetch counts (line %zu)", name, lines);
            break;
        }
        /* A time ahead of now is kept: the clock does not go back. */
        if (one.at > now - AWSSTS_FETCH_WINDOW_S)
            f[(*n)++] = one;
    }
    free(text);
    return rc;
}

static awssts_err write_fetches(int dirfd, const char *name, const struct fetch *f, size_t n,
                                struct awssts_error_info *ei)
{
    char text[MAX_LINES * 48] = "";
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%ld %ld\n", f[i].at, f[i].target);
    return awssts_file_write_atomic(dirfd, name, text, len, 0600, ei);
}

/* Within the limits with one more fetch for target? Else say when. */
static awssts_err within_limits(const struct fetch *f, size_t n, uid_t caller, uid_t target,
                                long long now, struct awssts_error_info *ei)
{
    size_t for_target = 0;
    long long oldest_target = now, oldest = n > 0 ? f[0].at : now;
    for (size_t i = n; i-- > 0;)
        if (f[i].target == (long)target) {
            for_target++;
            oldest_target = f[i].at;
        }
    long long wait;
    if (for_target >= AWSSTS_FETCH_PER_TARGET)
        wait = oldest_target + AWSSTS_FETCH_WINDOW_S - now;
    else if (n >= AWSSTS_FETCH_PER_CALLER)
        wait = oldest + AWSSTS_FETCH_WINDOW_S - now;
    else
        return AWSSTS_OK;
    return awssts_error_set(ei, AWSSTS_E_RATE_LIMITED,
                            "uid %u made %zu key fetches for uid %u and %zu in all in %d s "
                            "(at most %d and %d): SSM not called; try again in %lld s",
                            (unsigned)caller, for_target, (unsigned)target, n,
                            AWSSTS_FETCH_WINDOW_S, AWSSTS_FETCH_PER_TARGET, AWSSTS_FETCH_PER_CALLER,
                            wait > 0 ? wait : 1);
}

awssts_err awssts_fetch_limit_take(int dirfd, uid_t caller, uid_t target, long long now,
                                   struct awssts_error_info *ei)
{
    char name[24], lock[32];
    snprintf(name, sizeof(name), "%u", (unsigned)caller);
    snprintf(lock, sizeof(lock), "%u.lock", (unsigned)caller);
    int lfd = -1;
    awssts_err rc = open_lock(dirfd, lock, &lfd, ei);
    if (rc != AWSSTS_OK)
        return rc;
    /* Only this caller's logins take this lock: a caller that stops its own
     * su while it holds it delays no one else. */
    if ((rc = awssts_lock_wait(lfd, LOCK_EX, LOCK_WAIT_MS, ei)) == AWSSTS_E_LOCK_TIMEOUT)
        rc = awssts_error_set(ei, AWSSTS_E_RATE_LIMITED,
                              "another login of uid %u holds its fetch count: SSM not called",
                              (unsigned)caller);
    struct fetch f[MAX_LINES + 1];
    size_t n = 0;
    if (rc == AWSSTS_OK)
        rc = read_fetches(dirfd, name, now, f, &n, ei);
    if (rc == AWSSTS_OK)
        rc = within_limits(f, n, caller, target, now, ei);
    if (rc == AWSSTS_OK) {
        f[n++] = (struct fetch){(long)now, (long)target};
        rc = write_fetches(dirfd, name, f, n, ei);
    }
    close(lfd); /* drops the lock */
    return rc;
}

awssts_err awssts_fetch_limit_check(uid_t caller, uid_t target, struct awssts_error_info *ei)
{
    int dfd = -1;
    awssts_err rc = awssts_open_dir(AWSSTS_FETCH_LIMIT_DIR, true, 0700, 0, &dfd, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct stat st;
    struct timespec ts;
    if (fstat(dfd, &st) != 0 || st.st_uid != 0 || (st.st_mode & 0077) != 0)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                              AWSSTS_FETCH_LIMIT_DIR ": must be root's, mode 0700");
    else if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
        rc = awssts_error_set(ei, AWSSTS_E_INTERNAL, "CLOCK_BOOTTIME: %s", strerror(errno));
    else
        rc = awssts_fetch_limit_take(dfd, caller, target, (long long)ts.tv_sec, ei);
    close(dfd);
    return rc;
}
