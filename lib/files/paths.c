/* Path walking. Symlinks in any component are refused, so nobody but root
 * (or the user, where trusted) can redirect where we write. */
#include "files/paths.h"
#include "util/error_set.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whose file-system rights we hold: the euid's, or the user's taken with
 * setfsuid (pam_modutil_drop_priv), which leaves the euid 0. An invalid
 * uid changes nothing and returns the current one. */
static uid_t current_fsuid(void)
{
    return (uid_t)setfsuid((uid_t)-1);
}

/* mkdirat with the mode set exactly: the umask of a setuid caller (su keeps
 * the caller's) may have taken bits. The mode is set through an O_PATH
 * descriptor, as one made 0000 cannot be opened for reading by its owner,
 * and only on a directory of ours (made with the rights we hold now): a
 * name swapped in meanwhile is left alone. */
int awssts_mkdirat(int dirfd, const char *name, mode_t mode)
{
    if (mkdirat(dirfd, name, mode) != 0)
        return errno == EEXIST ? 0 : -1;
    int fd = openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char proc[64];
    struct stat st;
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    int rc =
        fstat(fd, &st) == 0 && (st.st_uid != current_fsuid() || chmod(proc, mode) == 0) ? 0 : -1;
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

/* The component just opened: owned by root or trusted_uid; with
 * searchable, also searchable by whoever is to reach what lies below it. */
static awssts_err check_component(int fd, const char *path, size_t upto, const char *comp,
                                  uid_t trusted_uid, bool searchable, struct awssts_error_info *ei)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || (st.st_uid != 0 && st.st_uid != trusted_uid))
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                "%s: component '%s' is owned by uid %u, not root", path, comp,
                                (unsigned)st.st_uid);
    /* Root's must let others through; the user's, the user. */
    mode_t search = st.st_uid == trusted_uid ? S_IXUSR : S_IXOTH;
    if (searchable && (st.st_mode & search) == 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                "%.*s: mode %04o, %s cannot search it, so the user could not reach "
                                "the files below it; make it searchable (chmod %s)",
                                (int)upto, path, (unsigned)(st.st_mode & 07777),
                                search == S_IXOTH ? "others" : "its owner",
                                search == S_IXOTH ? "o+x" : "u+x");
    return AWSSTS_OK;
}

static awssts_err walk_error(int e, const char *path, const char *comp,
                             struct awssts_error_info *ei)
{
    if (e == ENOENT)
        return awssts_error_set(ei, AWSSTS_E_NOT_FOUND, "%s: does not exist", path);
    if (e == ELOOP || e == ENOTDIR)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                "%s: component '%s' is a symbolic link or not a directory", path,
                                comp);
    return awssts_error_set(ei, AWSSTS_E_FILE_IO, "%s: %s", path, strerror(e));
}

static awssts_err walk(const char *path, bool create, mode_t last_mode, uid_t trusted_uid,
                       bool searchable, int *fd_out, struct awssts_error_info *ei)
{
    *fd_out = -1;
    if (path == NULL || path[0] != '/' || strstr(path, "/../") != NULL || strlen(path) >= 4096)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%.100s: not a clean absolute path",
                                path ? path : "");
    int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "open /: %s", strerror(errno));

    const char *p = path;
    while (*p != '\0') {
        while (*p == '/')
            p++;
        if (*p == '\0')
            break;
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char comp[256];
        if (n >= sizeof(comp) || (n == 2 && p[0] == '.' && p[1] == '.')) {
            close(fd);
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: bad path component", path);
        }
        memcpy(comp, p, n);
        comp[n] = '\0';
        bool last = true;
        for (const char *q = p + n; *q; q++)
            if (*q != '/')
                last = false;

        int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0 && errno == ENOENT && create) {
            if (awssts_mkdirat(fd, comp, last ? last_mode : 0755) != 0) {
                int e = errno;
                close(fd);
                return awssts_error_set(ei, AWSSTS_E_FILE_IO, "mkdir %s: %s", path, strerror(e));
            }
            next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        int e = errno;
        close(fd);
        if (next < 0)
            return walk_error(e, path, comp, ei);
        awssts_err rc =
            check_component(next, path, (size_t)(p + n - path), comp, trusted_uid, searchable, ei);
        if (rc != AWSSTS_OK) {
            close(next);
            return rc;
        }
        fd = next;
        p += n;
    }
    *fd_out = fd;
    return AWSSTS_OK;
}

awssts_err awssts_open_dir(const char *path, bool create, mode_t last_mode, uid_t trusted_uid,
                           int *fd_out, struct awssts_error_info *ei)
{
    return walk(path, create, last_mode, trusted_uid, false, fd_out, ei);
}

awssts_err awssts_path_reachable(const char *path, uid_t uid, struct awssts_error_info *ei)
{
    char parent[4096], leaf[256];
    struct awssts_error_info local;
    awssts_error_info_reset(&local);
    int fd = -1;
    awssts_err rc = awssts_split_path(path, parent, sizeof(parent), leaf, sizeof(leaf), &local);
    if (rc == AWSSTS_OK)
        rc = walk(parent, false, 0, uid, true, &fd, &local);
    if (fd >= 0)
        close(fd);
    /* A missing directory is made 0755 (awssts_mkdirat): only those there count. */
    if (rc == AWSSTS_OK || rc == AWSSTS_E_NOT_FOUND)
        return AWSSTS_OK;
    if (ei != NULL)
        *ei = local;
    return rc;
}

awssts_err awssts_open_existing_ancestor(const char *path, int *fd, char *at, size_t len,
                                         struct awssts_error_info *ei)
{
    char cur[4096], leaf[256];
    if (snprintf(cur, sizeof(cur), "%s", path) >= (int)sizeof(cur))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%.100s: path too long", path);
    for (;;) {
        awssts_err rc = awssts_open_dir(cur, false, 0, 0, fd, ei);
        if (rc != AWSSTS_E_NOT_FOUND) {
            snprintf(at, len, "%s", cur);
            return rc;
        }
        char parent[4096];
        if ((rc = awssts_split_path(cur, parent, sizeof(parent), leaf, sizeof(leaf), ei)) !=
            AWSSTS_OK)
            return rc;
        memcpy(cur, parent, strlen(parent) + 1);
    }
}

awssts_err awssts_split_path(const char *path, char *parent, size_t plen, char *leaf, size_t llen,
                             struct awssts_error_info *ei)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    const char *slash = NULL;
    for (size_t i = 0; i < n; i++)
        if (path[i] == '/')
            slash = path + i;
    if (slash == NULL || path[0] != '/' || slash == path + n - 1)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%.100s: not an absolute directory path",
                                path);
    size_t pl = slash == path ? 1 : (size_t)(slash - path);
    size_t ll = n - (size_t)(slash - path) - 1;
    if (pl >= plen || ll >= llen || ll == 0)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%.100s: path too long", path);
    memcpy(parent, path, pl);
    parent[pl] = '\0';
    memcpy(leaf, slash + 1, ll);
    leaf[ll] = '\0';
    if (strcmp(leaf, ".") == 0 || strcmp(leaf, "..") == 0)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%.100s: bad last component", path);
    return AWSSTS_OK;
}

awssts_err awssts_expand_path(const char *pattern, uid_t uid, const char *user, char *out,
                              size_t len, struct awssts_error_info *ei)
{
    size_t o = 0;
    char uid_text[24];
    snprintf(uid_text, sizeof(uid_text), "%u", (unsigned)uid);
    for (const char *p = pattern; *p; p++) {
        const char *add = p;
        size_t n = 1;
        if (p[0] == '%') {
            if (p[1] != 'U' && p[1] != 'u')
                return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                        "%.100s: only %%U and %%u may follow %%", pattern);
            add = p[1] == 'U' ? uid_text : user;
            if (add == NULL)
                return awssts_error_set(ei, AWSSTS_E_CONFIG, "%.100s: %%u, but no user name",
                                        pattern);
            n = strlen(add);
            p++;
        }
        if (o + n >= len)
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%.100s: expanded path too long", pattern);
        memcpy(out + o, add, n);
        o += n;
    }
    out[o] = '\0';
    return AWSSTS_OK;
}
