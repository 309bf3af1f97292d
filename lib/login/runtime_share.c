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
#include <stdbool.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHARE_HOLDERS       8    /* live sessions tried, at most */
#define SHARE_CHILD_WAIT_MS 5000 /* a child that joins a namespace and clones one mount */

/* Process pid runs as root: real, effective, saved and filesystem uid 0
 * (/proc/PID/status). */
static bool holder_is_root(pid_t pid)
{
    char p[64], line[256];
    snprintf(p, sizeof(p), "/proc/%ld/status", (long)pid);
    FILE *f = fopen(p, "re");
    if (f == NULL)
        return false;
    bool root = false;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "Uid:", 4) != 0)
            continue;
        /* Exactly four fields, each "0". */
        char *save = NULL, *field = strtok_r(line + 4, " \t\n", &save);
        int zeros = 0;
        for (; field != NULL; field = strtok_r(NULL, " \t\n", &save))
            zeros = strcmp(field, "0") == 0 && zeros >= 0 ? zeros + 1 : -1;
        root = zeros == 4;
        break;
    }
    fclose(f);
    return root;
}

/* fd is the file at path (the same namespace, for /proc/.../ns files). */
static bool same_file(int fd, const char *path)
{
    struct stat theirs, ours;
    return fstat(fd, &theirs) == 0 && stat(path, &ours) == 0 && theirs.st_dev == ours.st_dev &&
           theirs.st_ino == ours.st_ino;
}

/* The mount namespace nsfd is owned by this process's user namespace: one
 * that a user made (unshare -Urm) is the user's to change, never ours to join. */
static bool ns_in_our_userns(int nsfd)
{
    int ufd = ioctl(nsfd, NS_GET_USERNS);
    if (ufd < 0)
        return false;
    bool same = same_file(ufd, "/proc/self/ns/user");
    close(ufd);
    return same;
}

/*
 * The mount namespace of the holder's process, or -1: it is gone, or is
 * this process's own namespace, or is not root's to trust. A registered
 * process may have become the user since (user@, run0 exec the user's
 * program), so it must be root now, and its namespace owned by our user
 * namespace; the start time, read after both, proves it was that very
 * process throughout.
 */
static int holder_namespace(const struct awssts_holder *h)
{
    char p[64];
    snprintf(p, sizeof(p), "/proc/%ld/ns/mnt", (long)h->pid);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (same_file(fd, "/proc/self/ns/mnt") || !ns_in_our_userns(fd) || !holder_is_root(h->pid) ||
        awssts_process_start_time(h->pid) != h->start) {
        close(fd);
        return -1;
    }
    return fd;
}

static void send_fd(int sock, int fd)
{
    char one = 'm';
    struct iovec iov = {.iov_base = &one, .iov_len = 1};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } u;
    memset(&u, 0, sizeof(u));
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (fd >= 0) {
        msg.msg_control = u.buf;
        msg.msg_controllen = sizeof(u.buf);
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
    }
    (void)sendmsg(sock, &msg, MSG_NOSIGNAL);
}

/* In the child: join the namespace, clone the one mount at parent/leaf
 * (no link followed, nothing mounted below it taken), send it back (or a
 * byte without it), and live on until the parent closes its end, so the
 * PID it took a pidfd for is still this child. The way to the mount point
 * is root's alone (trusted uid 0). Only syscalls and _exit: a fork of a
 * PAM application runs no atexit handler and touches no PAM state. */
static void clone_child(int nsfd, int sock, const char *parent, const char *leaf)
{
    int pfd = -1, tfd = -1;
    if (setns(nsfd, CLONE_NEWNS) == 0 &&
        awssts_open_dir(parent, false, 0, 0, &pfd, NULL) == AWSSTS_OK)
        tfd = open_tree(pfd, leaf, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_SYMLINK_NOFOLLOW);
    send_fd(sock, tfd);
    char c;
    while (read(sock, &c, 1) < 0 && errno == EINTR)
        ;
    _exit(0);
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
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
        return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    int fd = -1;
    if (c != NULL && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
        c->cmsg_len == CMSG_LEN(sizeof(int)))
        memcpy(&fd, CMSG_DATA(c), sizeof(int));
    return fd;
}

/* The child's end: killed through its pidfd and reaped. A child that a
 * SIGCHLD handler of the application reaped first is not signalled: its
 * PID may be another process's by now. */
static void end_child(int pidfd)
{
    if (pidfd < 0)
        return;
    siginfo_t si;
    (void)pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
    while (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &si, WEXITED) < 0 && errno == EINTR)
        ;
    close(pidfd);
}

/* A detached, private copy of the mount at parent/leaf in the namespace
 * nsfd, or -1. */
static int clone_from(int nsfd, const char *parent, const char *leaf)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        clone_child(nsfd, sv[1], parent, leaf);
    }
    close(sv[1]);
    /* The child waits for sv[0] to close: this is still the child's PID. */
    int pidfd = pid > 0 ? pidfd_open(pid, 0) : -1;
    int fd = pidfd >= 0 ? receive_fd(sv[0]) : -1;
    close(sv[0]);
    end_child(pidfd); /* done, or stuck: either way not waited for longer */
    /* A copy of a shared mount joins its peer group: what is mounted under
     * the holder's would reach this namespace too. */
    struct mount_attr priv = {.propagation = MS_PRIVATE};
    if (fd >= 0 && mount_setattr(fd, "", AT_EMPTY_PATH, &priv, sizeof(priv)) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* The copy looks like the tmpfs the module mounts: a mount's root, the
 * user's, 0700, in memory, nosuid, nodev, noexec, of the own tmpfs's size
 * (not a bind of some other directory of the user's). A user could fake
 * all of that; what vouches for the copy is where it came from: a holder
 * that is root, in a namespace of our user namespace, reached through
 * root's directories only. */
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
        rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: does not look like the module's tmpfs",
                              path);
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
        int tfd = clone_from(nsfd, parent, name);
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
