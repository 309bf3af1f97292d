/* The user's tmpfs shared from the mount namespace of a live session. */
#include "login/runtime_share.h"
#include "awssts/safefile.h"
#include "util/error_set.h"
#include "files/paths.h"
#include "login/registry.h"
#include "login/own_tmpfs.h"
#include "files/runtime_files.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHARE_HOLDERS 8         /* live sessions tried, at most */
#define SHARE_CHILD_WAIT_MS 5000 /* a child that joins a namespace and clones one mount */

/* The mount namespace of the holder's process, checked to be that very
 * process (its start time, read after the open); -1 when it is gone or
 * is this process's own namespace. */
static int holder_namespace(const struct awssts_holder *h)
{
    char p[64];
    snprintf(p, sizeof(p), "/proc/%ld/ns/mnt", (long)h->pid);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    struct stat theirs, ours;
    if (fd >= 0 && (awssts_process_start_time(h->pid) != h->start || fstat(fd, &theirs) != 0 ||
                    (stat("/proc/self/ns/mnt", &ours) == 0 && theirs.st_dev == ours.st_dev &&
                     theirs.st_ino == ours.st_ino))) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* In the child: join the namespace, clone the one mount at parent/leaf
 * (no link followed, nothing mounted below it taken), send it back. Only
 * syscalls and _exit: a fork of a PAM application runs no atexit handler
 * and touches no PAM state. */
static void clone_child(int nsfd, int sock, const char *parent, const char *leaf, uid_t uid)
{
    int pfd = -1;
    if (setns(nsfd, CLONE_NEWNS) != 0 || awssts_open_dir(parent, false, 0, uid, &pfd, NULL) != AWSSTS_OK)
        _exit(1);
    int tfd = open_tree(pfd, leaf, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW);
    if (tfd < 0)
        _exit(2);
    char one = 'm';
    struct iovec iov = {.iov_base = &one, .iov_len = 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof(u));
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                         .msg_controllen = sizeof(u.buf)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &tfd, sizeof(int));
    _exit(sendmsg(sock, &msg, MSG_NOSIGNAL) == 1 ? 0 : 3);
}

/* The descriptor the child sent, or -1 (nothing within the wait). */
static int receive_fd(int sock)
{
    struct pollfd p = {.fd = sock, .events = POLLIN};
    if (poll(&p, 1, SHARE_CHILD_WAIT_MS) != 1)
        return -1;
    char one;
    struct iovec iov = {.iov_base = &one, .iov_len = 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                         .msg_controllen = sizeof(u.buf)};
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
        return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    int fd = -1;
    if (c != NULL && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
        c->cmsg_len == CMSG_LEN(sizeof(int)))
        memcpy(&fd, CMSG_DATA(c), sizeof(int));
    return fd;
}

/* A detached copy of the mount at parent/leaf in the namespace nsfd, or -1. */
static int clone_from(int nsfd, const char *parent, const char *leaf, uid_t uid)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        clone_child(nsfd, sv[1], parent, leaf, uid);
    }
    close(sv[1]);
    int fd = pid > 0 ? receive_fd(sv[0]) : -1;
    close(sv[0]);
    if (pid > 0) {
        kill(pid, SIGKILL); /* done, or stuck: either way not waited for longer */
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    return fd;
}

/* The copy is the user's tmpfs as the module mounts it: a mount's root, the
 * user's, 0700, in memory, nosuid, nodev, noexec, of the own tmpfs's size
 * (not a bind of some other directory of the user's). */
static awssts_err check_copy(int fd, const char *path, uid_t uid, struct awssts_error_info *ei)
{
    struct statx sx;
    struct statvfs sv;
    const unsigned long want = ST_NOSUID | ST_NODEV | ST_NOEXEC;
    awssts_err rc = awssts_runtime_dir_check(fd, path, uid, ei);
    if (rc == AWSSTS_OK &&
        (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx) != 0 ||
         (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) == 0 ||
         (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) == 0 || fstatvfs(fd, &sv) != 0 ||
         (sv.f_flag & want) != want || sv.f_files != (fsfilcnt_t)AWSSTS_OWN_TMPFS_INODES ||
         sv.f_blocks * sv.f_frsize != (fsblkcnt_t)AWSSTS_OWN_TMPFS_BYTES))
        rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: not the user's own tmpfs there", path);
    return rc;
}

awssts_err awssts_runtime_share(const struct passwd *pw, const char *path, int pfd,
                                const char *leaf, bool probe, struct awssts_error_info *ei)
{
    struct awssts_holder h[SHARE_HOLDERS];
    size_t n = 0;
    char parent[4096], name[256];
    awssts_err rc = awssts_registry_holders(pw->pw_uid, h, SHARE_HOLDERS, &n, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_split_path(path, parent, sizeof(parent), name, sizeof(name), ei);
    if (rc != AWSSTS_OK)
        return rc;
    pid_t elsewhere = 0;
    for (size_t i = 0; i < n; i++) {
        int nsfd = holder_namespace(&h[i]);
        if (nsfd < 0)
            continue;
        if (elsewhere == 0)
            elsewhere = h[i].pid;
        int tfd = clone_from(nsfd, parent, name, pw->pw_uid);
        close(nsfd);
        if (tfd < 0 || check_copy(tfd, path, pw->pw_uid, NULL) != AWSSTS_OK) {
            if (tfd >= 0)
                close(tfd);
            continue;
        }
        int moved = probe ? 0 : move_mount(tfd, "", pfd, leaf, MOVE_MOUNT_F_EMPTY_PATH);
        close(tfd);
        if (moved == 0)
            return AWSSTS_OK;
    }
    if (elsewhere == 0)
        return AWSSTS_E_NOT_FOUND;
    return awssts_error_set(ei, AWSSTS_E_FILE_IO,
                            "%s: the user's files are held in another mount namespace (session "
                            "PID %ld) and cannot be shared into this one; log in where that "
                            "session runs, or end it",
                            path, (long)elsewhere);
}
