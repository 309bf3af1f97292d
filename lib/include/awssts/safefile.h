/* Files that hold secrets: opened without following links, checked on the
 * open descriptor, written to a temp file and renamed into place. */
#ifndef AWSSTS_SAFEFILE_H
#define AWSSTS_SAFEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "awssts/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AWSSTS_MAX_FILE (256L * 1024L)

/* Who may own a file we read, and which mode bits it may have. */
struct awssts_file_policy {
    uid_t owner;      /* the required owner */
    bool any_owner;   /* skip the owner check */
    mode_t forbidden; /* e.g. 0077: nothing for group and others; 0022: not writable */
};

/*
 * Read a whole regular file (at most AWSSTS_MAX_FILE) into a NUL-terminated
 * heap string for awssts_secret_free. dirfd may be AT_FDCWD. A symlink, a
 * non-regular file, the wrong owner or a forbidden mode bit fails with
 * AWSSTS_E_FILE_UNSAFE; a missing file with AWSSTS_E_NOT_FOUND.
 */
AWSSTS_API awssts_err awssts_file_read(int dirfd, const char *path,
                                       const struct awssts_file_policy *policy, char **out,
                                       size_t *out_len, struct awssts_error_info *ei);

/* Open for reading without following a final symlink (O_NOFOLLOW, O_NONBLOCK
 * so a FIFO cannot block us). Missing: AWSSTS_E_NOT_FOUND; a link: FILE_UNSAFE. */
AWSSTS_API awssts_err awssts_file_open(int dirfd, const char *path, int *fd,
                                       struct awssts_error_info *ei);

/* The checks and read of awssts_file_read on an open descriptor; label names
 * the file in errors. */
AWSSTS_API awssts_err awssts_fd_read(int fd, const char *label,
                                     const struct awssts_file_policy *policy, char **out,
                                     size_t *out_len, struct awssts_error_info *ei);

/*
 * Write data as dirfd/name atomically: a temp file in the same directory made
 * with O_CREAT|O_EXCL|O_NOFOLLOW and the given mode, written, fsynced and
 * renamed over name. On any failure the temp file is removed and name is
 * untouched. The file belongs to the calling process's fsuid.
 */
AWSSTS_API awssts_err awssts_file_write_atomic(int dirfd, const char *name, const void *data,
                                               size_t len, mode_t mode,
                                               struct awssts_error_info *ei);

/*
 * flock(fd, operation) (LOCK_SH or LOCK_EX), waiting at most wait_ms
 * (0: not at all) for whoever holds it: AWSSTS_E_LOCK_TIMEOUT when the time
 * ran out. A root process never waits for ever on a lock its user can hold.
 */
AWSSTS_API awssts_err awssts_lock_wait(int fd, int operation, long wait_ms,
                                       struct awssts_error_info *ei);

/* Room on the open directory's filesystem for min_bytes and min_inodes
 * more (as an unprivileged writer sees it), else AWSSTS_E_FILE_IO. */
AWSSTS_API awssts_err awssts_dir_check_room(int dirfd, long min_bytes, long min_inodes,
                                            struct awssts_error_info *ei);

/* True when the open directory lives on tmpfs or ramfs (fstatfs on the fd). */
AWSSTS_API awssts_err awssts_dir_check_memory_fs(int dirfd, struct awssts_error_info *ei);

#ifdef __cplusplus
}
#endif
#endif
