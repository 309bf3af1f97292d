/* Safe reads and atomic writes of small secret files. */
#include "awssts/safefile.h"
#include "awssts/secret.h"
#include "util/crypto.h"
#include "util/error_set.h"
#include "util/retry.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

AWSSTS_API awssts_err awssts_fd_read(int fd, const char *label,
                                     const struct awssts_file_policy *policy, char **out,
                                     size_t *out_len, struct awssts_error_info *ei)
{
    *out = NULL;
    if (out_len != NULL)
        *out_len = 0;
    struct stat st;
    if (fstat(fd, &st) != 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "%s: %s", label, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: not a regular file", label);
    if (policy != NULL && !policy->any_owner && st.st_uid != policy->owner)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: owned by uid %u, expected %u", label,
                                (unsigned)st.st_uid, (unsigned)policy->owner);
    if (policy != NULL && (st.st_mode & policy->forbidden) != 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                "%s: mode %04o is too open (must clear %04o)", label,
                                (unsigned)(st.st_mode & 07777), (unsigned)policy->forbidden);
    if (st.st_size > AWSSTS_MAX_FILE)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: larger than %ld bytes", label,
                                AWSSTS_MAX_FILE);

    size_t want = (size_t)st.st_size;
    char *buf = malloc(want + 1);
    if (buf == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    size_t got = 0;
    while (got < want) {
        ssize_t r = pread(fd, buf + got, want - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    awssts_err rc = AWSSTS_OK;
    if (got != want)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "%s: changed while being read", label);
    else if (memchr(buf, '\0', got) != NULL)
        rc = awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: contains a NUL byte", label);
    if (rc != AWSSTS_OK) {
        awssts_memzero(buf, want + 1);
        free(buf);
        return rc;
    }
    buf[got] = '\0';
    *out = buf;
    if (out_len != NULL)
        *out_len = got;
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_file_open(int dirfd, const char *path, int *fd_out,
                                       struct awssts_error_info *ei)
{
    int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    *fd_out = fd;
    if (fd >= 0)
        return AWSSTS_OK;
    if (errno == ENOENT)
        return awssts_error_set(ei, AWSSTS_E_NOT_FOUND, "%s: no such file", path);
    if (errno == ELOOP)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: is a symbolic link", path);
    return awssts_error_set(ei, AWSSTS_E_FILE_IO, "%s: %s", path, strerror(errno));
}

AWSSTS_API awssts_err awssts_file_read(int dirfd, const char *path,
                                       const struct awssts_file_policy *policy, char **out,
                                       size_t *out_len, struct awssts_error_info *ei)
{
    int fd;
    *out = NULL;
    awssts_err rc = awssts_file_open(dirfd, path, &fd, ei);
    if (rc != AWSSTS_OK)
        return rc;
    rc = awssts_fd_read(fd, path, policy, out, out_len, ei);
    close(fd);
    return rc;
}

static bool write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        len -= (size_t)w;
    }
    return true;
}

AWSSTS_API awssts_err awssts_file_write_atomic(int dirfd, const char *name, const void *data,
                                               size_t len, mode_t mode,
                                               struct awssts_error_info *ei)
{
    if (name == NULL || *name == '\0' || strchr(name, '/') != NULL || strlen(name) > 200)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "file name must be a plain name in its directory");
    char tmp[256];
    int fd = -1;
    for (int tries = 0; tries < 8 && fd < 0; tries++) {
        unsigned char rnd[6];
        char hex[13];
        if (!awssts_random_bytes(rnd, sizeof(rnd)))
            return awssts_error_set(ei, AWSSTS_E_INTERNAL, "no random bytes for a temp name");
        awssts_hex(rnd, sizeof(rnd), hex);
        snprintf(tmp, sizeof(tmp), ".%s.%s.tmp", name, hex);
        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0 && errno != EEXIST)
            return awssts_error_set(ei, AWSSTS_E_FILE_IO, "create %s: %s", tmp, strerror(errno));
    }
    if (fd < 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "create temp for %s: name clash", name);

    awssts_err rc = AWSSTS_OK;
    /* fchmod: the umask may have taken bits we want, never adds any. */
    if (fchmod(fd, mode) != 0 || !write_all(fd, data, len) || fsync(fd) != 0)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "write %s: %s", name, strerror(errno));
    if (close(fd) != 0 && rc == AWSSTS_OK)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "close %s: %s", name, strerror(errno));
    if (rc == AWSSTS_OK && renameat(dirfd, tmp, dirfd, name) != 0)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "rename to %s: %s", name, strerror(errno));
    if (rc != AWSSTS_OK)
        unlinkat(dirfd, tmp, 0);
    return rc;
}

AWSSTS_API awssts_err awssts_lock_wait(int fd, int operation, long wait_ms,
                                       struct awssts_error_info *ei)
{
    const long long deadline = awssts_now_ms() + wait_ms;
    long pause = 5;
    for (;;) {
        if (flock(fd, operation | LOCK_NB) == 0)
            return AWSSTS_OK;
        if (errno != EWOULDBLOCK && errno != EINTR)
            return awssts_error_set(ei, AWSSTS_E_FILE_IO, "lock: %s", strerror(errno));
        long left = (long)(deadline - awssts_now_ms());
        if (left <= 0)
            return awssts_error_set(ei, AWSSTS_E_LOCK_TIMEOUT,
                                    "gave up waiting for the lock after %ld ms", wait_ms);
        awssts_sleep_ms(pause < left ? pause : left);
        if (pause < 100)
            pause *= 2;
    }
}

AWSSTS_API awssts_err awssts_dir_check_room(int dirfd, long min_bytes, long min_inodes,
                                            struct awssts_error_info *ei)
{
    struct statvfs sv;
    if (fstatvfs(dirfd, &sv) != 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "fstatvfs: %s", strerror(errno));
    unsigned long long bytes = (unsigned long long)sv.f_bavail * sv.f_frsize;
    if (bytes < (unsigned long long)min_bytes || sv.f_favail < (unsigned long)min_inodes)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "no room: %llu KiB and %llu inodes free",
                                bytes / 1024, (unsigned long long)sv.f_favail);
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_dir_check_memory_fs(int dirfd, struct awssts_error_info *ei)
{
    struct statfs sfs;
    if (fstatfs(dirfd, &sfs) != 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "fstatfs: %s", strerror(errno));
    if (sfs.f_type != TMPFS_MAGIC && sfs.f_type != RAMFS_MAGIC)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                "directory is not on tmpfs or ramfs (filesystem magic 0x%lx)",
                                (unsigned long)sfs.f_type);
    return AWSSTS_OK;
}
