/* The user's runtime directory: chosen, checked, made, opened, released.
 * Inside a directory of the user's, everything is done with the user's
 * rights (the caller's as_user), so a link the user planted never makes
 * root read, write or remove something else. */
#include "login/runtime_dir.h"
#include "awssts/safefile.h"
#include "util/error_set.h"
#include "files/paths.h"
#include "login/runtime_share.h"
#include "files/runtime_files.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static bool logind_dir_present(const struct passwd *pw)
{
    char dir[64];
    struct stat st;
    if (awssts_expand_path(AWSSTS_LOGIND_DIR, pw->pw_uid, NULL, dir, sizeof(dir), NULL) !=
        AWSSTS_OK)
        return false;
    return lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == pw->pw_uid;
}

static bool parent_exists(const char *path)
{
    char parent[4096], leaf[256];
    struct stat st;
    return awssts_split_path(path, parent, sizeof(parent), leaf, sizeof(leaf), NULL) == AWSSTS_OK &&
           lstat(parent, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *awssts_runtime_source_text(enum awssts_runtime_source src)
{
    switch (src) {
    case AWSSTS_RUNTIME_LIVE:
        return "where the user's open sessions keep theirs";
    case AWSSTS_RUNTIME_CONFIGURED:
        return "runtime_dir";
    case AWSSTS_RUNTIME_LOGIND:
        return "in systemd-logind's /run/user/UID";
    case AWSSTS_RUNTIME_AT_SESSION:
        return "in /run/user/UID, which systemd-logind makes at open_session";
    case AWSSTS_RUNTIME_OWN:
        return "the module's own tmpfs for the user";
    }
    return "?";
}

awssts_err awssts_runtime_choose(const struct awssts_settings *s, const struct passwd *pw,
                                 const struct awssts_registry *reg, bool may_make_own, char *path,
                                 size_t len, enum awssts_runtime_source *source,
                                 struct awssts_error_info *ei)
{
    bool live = false;
    awssts_err rc = reg != NULL ? awssts_registry_live(reg, &live, path, len, ei) : AWSSTS_OK;
    if (rc != AWSSTS_OK)
        return rc;
    /* A directory whose parent went (logind removed /run/user/UID under a
     * session that did not hold it) is chosen anew. */
    *source = AWSSTS_RUNTIME_LIVE;
    if (live && parent_exists(path))
        return AWSSTS_OK;
    *source = AWSSTS_RUNTIME_CONFIGURED;
    if (s->runtime_dir != NULL)
        return awssts_expand_path(s->runtime_dir, pw->pw_uid, pw->pw_name, path, len, ei);
    *source = AWSSTS_RUNTIME_LOGIND;
    if (logind_dir_present(pw))
        return awssts_expand_path(AWSSTS_LOGIND_RUNTIME_DIR, pw->pw_uid, pw->pw_name, path, len,
                                  ei);
    *source = AWSSTS_RUNTIME_OWN;
    if (may_make_own)
        return awssts_expand_path(AWSSTS_OWN_RUNTIME_DIR, pw->pw_uid, pw->pw_name, path, len, ei);
    *source = AWSSTS_RUNTIME_AT_SESSION;
    if (len > 0)
        path[0] = '\0';
    return AWSSTS_OK;
}

static bool is_default_own(const struct passwd *pw, const char *path)
{
    char own[4096];
    return awssts_expand_path(AWSSTS_OWN_RUNTIME_DIR, pw->pw_uid, pw->pw_name, own, sizeof(own),
                              NULL) == AWSSTS_OK &&
           strcmp(own, path) == 0;
}

/* The parent of the user's directory: root's (the module makes the user's
 * tmpfs in it) or the user's (logind's), without a link, on tmpfs. */
static awssts_err open_parent(const struct passwd *pw, const char *path, bool create, int *pfd,
                              struct stat *pst, char *leaf, size_t leaflen,
                              struct awssts_error_info *ei)
{
    char parent[4096];
    awssts_err rc = awssts_split_path(path, parent, sizeof(parent), leaf, leaflen, ei);
    /* Only our own /run/aws-sts is made here; any other parent is the
     * administrator's or logind's to make. */
    if (rc == AWSSTS_OK)
        rc = awssts_open_dir(parent, create && is_default_own(pw, path), 0755, pw->pw_uid, pfd, ei);
    if (rc != AWSSTS_OK)
        return rc;
    if (fstat(*pfd, pst) != 0 || (pst->st_uid != 0 && pst->st_uid != pw->pw_uid))
        rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: must be root's or %s's", parent,
                              pw->pw_name);
    else if (pst->st_uid == 0 && (pst->st_mode & 0022) != 0)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: writable by others", parent);
    else if ((rc = awssts_dir_check_memory_fs(*pfd, ei)) != AWSSTS_OK)
        awssts_error_prefix(ei, parent);
    if (rc != AWSSTS_OK) {
        close(*pfd);
        *pfd = -1;
    }
    return rc;
}

static awssts_err check_dir(int fd, const char *path, const struct passwd *pw,
                            struct awssts_error_info *ei)
{
    return awssts_runtime_dir_check(fd, path, pw->pw_uid, ei);
}

static awssts_err check_room(int fd, const char *path, struct awssts_error_info *ei)
{
    awssts_err rc = awssts_dir_check_room(fd, AWSSTS_RUNTIME_MIN_FREE_BYTES,
                                          AWSSTS_RUNTIME_MIN_FREE_INODES, ei);
    if (rc != AWSSTS_OK)
        awssts_error_prefix(ei, path);
    return rc;
}

/* A mount point: another filesystem than its parent's. */
static bool is_mount_of(const struct stat *st, const struct stat *parent)
{
    return st->st_dev != parent->st_dev;
}

/* Where the module mounts the user's tmpfs, with nothing mounted on it in
 * this namespace: root's, in root's. */
static bool is_bare_mount_point(const struct stat *st, const struct stat *parent)
{
    return parent->st_uid == 0 && st->st_uid == 0 && !is_mount_of(st, parent);
}

static awssts_err open_errno(int e, const char *path, struct awssts_error_info *ei)
{
    if (e == ENOENT)
        return awssts_error_set(ei, AWSSTS_E_NOT_FOUND, "%s: does not exist", path);
    if (e == ELOOP || e == ENOTDIR)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                "%s: is a symbolic link or not a directory", path);
    return awssts_error_set(ei, AWSSTS_E_FILE_IO, "%s: %s", path, strerror(e));
}

static bool can_mount(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
    if (syscall(SYS_capget, &h, d) != 0)
        return false;
    return (d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective & CAP_TO_MASK(CAP_SYS_ADMIN)) != 0;
}

/* The user's own tmpfs on the root-owned directory fd (a new mount point). */
static awssts_err mount_own_tmpfs(int fd, const struct passwd *pw, const char *path,
                                  struct awssts_error_info *ei)
{
    char target[64], opts[160];
    snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
    snprintf(opts, sizeof(opts), "mode=0700,uid=%u,gid=%u,size=%ld,nr_inodes=%ld",
             (unsigned)pw->pw_uid, (unsigned)pw->pw_gid, AWSSTS_OWN_TMPFS_BYTES,
             AWSSTS_OWN_TMPFS_INODES);
    if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) != 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "mount a tmpfs for %s on %s: %s", pw->pw_name,
                                path, strerror(errno));
    return AWSSTS_OK;
}

/* Make the user's directory in the open parent: as the user in the user's
 * own parent; as root in a root-owned one (where fill_mount_point puts the
 * user's tmpfs on it). */
static awssts_err make_dir(const struct awssts_as_user *as_user, int pfd, const struct stat *pst,
                           const char *leaf, const struct passwd *pw, const char *path, int *fd,
                           struct awssts_error_info *ei)
{
    awssts_err rc = AWSSTS_OK;
    int e = 0;
    if (pst->st_uid == pw->pw_uid) {
        if ((rc = awssts_as_user_enter(as_user, ei)) == AWSSTS_OK) {
            if (awssts_mkdirat(pfd, leaf, 0700) != 0)
                e = errno;
            rc = awssts_as_user_leave(as_user, rc, ei);
        }
    } else if (awssts_mkdirat(pfd, leaf, 0700) != 0) {
        e = errno;
    }
    if (rc == AWSSTS_OK && e != 0)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "mkdir %s: %s", path, strerror(e));
    if (rc != AWSSTS_OK)
        return rc;
    *fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    return *fd < 0 ? open_errno(errno, path, ei) : AWSSTS_OK;
}

/*
 * The user's tmpfs on a bare mount point (*fd), under the registry's lock.
 * The mount lives in one mount namespace, the mount point on the shared
 * filesystem: a live session in another namespace holds the tmpfs, and
 * this one gets the same (awssts_runtime_share), or the check before the
 * prompt has refused it; with no live session elsewhere (none, or its
 * namespace died with it) a fresh one is mounted. made: *fd was made just
 * now, and goes again on failure.
 */
static awssts_err fill_mount_point(int pfd, const char *leaf, const struct passwd *pw,
                                   const char *path, bool made, int *fd,
                                   struct awssts_error_info *ei)
{
    awssts_err rc =
        made ? AWSSTS_E_NOT_FOUND : awssts_runtime_share(pw, path, pfd, leaf, false, ei);
    if (rc == AWSSTS_E_NOT_FOUND)
        rc = mount_own_tmpfs(*fd, pw, path, ei);
    close(*fd);
    *fd = -1;
    if (rc != AWSSTS_OK) {
        if (made)
            unlinkat(pfd, leaf, AT_REMOVEDIR);
        return rc;
    }
    *fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    return *fd < 0 ? open_errno(errno, path, ei) : AWSSTS_OK;
}

awssts_err awssts_runtime_open(const struct awssts_settings *s, const struct passwd *pw,
                               const struct awssts_as_user *as_user, const char *path, bool create,
                               struct awssts_runtime *rt, struct awssts_error_info *ei)
{
    memset(rt, 0, sizeof(*rt));
    rt->dirfd = -1;
    snprintf(rt->path, sizeof(rt->path), "%s", path);
    int pfd = -1;
    struct stat pst;
    char leaf[256];
    awssts_err rc = awssts_path_reachable(path, pw->pw_uid, ei);
    if (rc == AWSSTS_OK)
        rc = open_parent(pw, path, create, &pfd, &pst, leaf, sizeof(leaf), ei);
    if (rc != AWSSTS_OK)
        return rc;
    int fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    bool made = fd < 0 && errno == ENOENT && create;
    if (made)
        rc = make_dir(as_user, pfd, &pst, leaf, pw, path, &fd, ei);
    else if (fd < 0)
        rc = open_errno(errno, path, ei);
    struct stat st;
    if (rc == AWSSTS_OK && create && fstat(fd, &st) == 0 && is_bare_mount_point(&st, &pst))
        rc = fill_mount_point(pfd, leaf, pw, path, made, &fd, ei);
    close(pfd);
    if (rc == AWSSTS_OK)
        rc = check_dir(fd, path, pw, ei);
    if (rc == AWSSTS_OK && (rc = awssts_lock_wait(fd, LOCK_EX, s->timeout * 1000, ei)) != AWSSTS_OK)
        awssts_error_prefix(ei, path);
    if (rc == AWSSTS_OK && fstat(fd, &st) == 0 && st.st_nlink == 0)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "%s: removed while opening", path);
    if (rc != AWSSTS_OK) {
        if (fd >= 0)
            close(fd);
        return rc;
    }
    rt->dirfd = fd;
    return AWSSTS_OK;
}

void awssts_runtime_close(struct awssts_runtime *rt)
{
    if (rt->dirfd >= 0)
        close(rt->dirfd); /* releases the lock */
    rt->dirfd = -1;
}

/* /run/aws-sts is made by the first login: what it would be made in must
 * be root's, closed to others and in memory, and the user's tmpfs mountable. */
static awssts_err check_own_parent_to_make(const char *path, struct awssts_error_info *ei)
{
    int fd = -1;
    char at[4096];
    awssts_err rc = awssts_open_existing_ancestor(path, &fd, at, sizeof(at), ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_uid != 0 || (st.st_mode & 0022) != 0)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                              "%s would be made in %s, which must be root's and closed to others",
                              path, at);
    else if ((rc = awssts_dir_check_memory_fs(fd, ei)) != AWSSTS_OK)
        awssts_error_prefix(ei, at);
    else if (!can_mount())
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO,
                              "%s: cannot mount the user's tmpfs here (no CAP_SYS_ADMIN)", path);
    close(fd);
    return rc;
}

awssts_err awssts_runtime_check(const struct awssts_settings *s, const struct passwd *pw,
                                const char *path, struct awssts_error_info *ei)
{
    (void)s;
    int pfd = -1;
    struct stat pst;
    char leaf[256];
    /* The user reads the files as itself: the way down must let it through. */
    awssts_err rc = awssts_path_reachable(path, pw->pw_uid, ei);
    if (rc != AWSSTS_OK)
        return rc;
    rc = open_parent(pw, path, false, &pfd, &pst, leaf, sizeof(leaf), ei);
    if (rc == AWSSTS_E_NOT_FOUND && is_default_own(pw, path))
        return check_own_parent_to_make(path, ei);
    if (rc != AWSSTS_OK)
        return rc;
    int fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        struct stat st;
        /* Where the module mounts the user's tmpfs: shared from a live
         * session's namespace, or refused here; else mounted afresh. */
        bool to_mount = fstat(fd, &st) == 0 && is_bare_mount_point(&st, &pst);
        if (to_mount &&
            (rc = awssts_runtime_share(pw, path, pfd, leaf, true, ei)) == AWSSTS_E_NOT_FOUND)
            rc = can_mount()
                     ? AWSSTS_OK
                     : awssts_error_set(ei, AWSSTS_E_FILE_IO,
                                        "%s: cannot mount the user's tmpfs here (no CAP_SYS_ADMIN)",
                                        path);
        else if (!to_mount && (rc = check_dir(fd, path, pw, ei)) == AWSSTS_OK)
            rc = check_room(fd, path, ei);
        close(fd);
    } else if (errno != ENOENT) {
        rc = open_errno(errno, path, ei);
    } else if (pst.st_uid == 0 && !can_mount()) {
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO,
                              "%s: cannot mount the user's tmpfs here (no CAP_SYS_ADMIN)", path);
    } else if (pst.st_uid != 0) {
        rc = check_room(pfd, path, ei);
    }
    close(pfd);
    return rc;
}

/* Unmounts at most, on one mount point: far more layers than propagation
 * stacks there; more means someone keeps mounting, and the admin is told. */
#define UNMOUNT_LAYERS_MAX 1024

/* Something is mounted on parent/leaf in this namespace: the root of a
 * mount, even a bind from the parent's own filesystem. */
static bool mounted_on(int pfd, const char *leaf, const struct stat *pst)
{
    struct statx sx;
    if (statx(pfd, leaf, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_BASIC_STATS, &sx) != 0)
        return false;
    if ((sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) != 0)
        return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
    return makedev(sx.stx_dev_major, sx.stx_dev_minor) != pst->st_dev;
}

/* Every layer of the user's tmpfs on parent/leaf in this namespace: one
 * shared into the host's namespace comes back to the slave it came from
 * on top of its own (propagation), and the mount point goes only when
 * nothing is mounted on it here. Layers are taken until none is left,
 * not a fixed number of them. */
static awssts_err unmount_all(int pfd, const struct stat *pst, const char *leaf, const char *path,
                              struct awssts_error_info *ei)
{
    /* Through the parent we hold: the mount we made, nothing a path swap could name. */
    char target[300];
    snprintf(target, sizeof(target), "/proc/self/fd/%d/%s", pfd, leaf);
    for (int layer = 0; layer < UNMOUNT_LAYERS_MAX; layer++) {
        if (!mounted_on(pfd, leaf, pst))
            return AWSSTS_OK;
        if (umount2(target, MNT_DETACH | UMOUNT_NOFOLLOW) != 0)
            return awssts_error_set(ei, AWSSTS_E_FILE_IO, "unmount %s: %s", path, strerror(errno));
    }
    if (!mounted_on(pfd, leaf, pst))
        return AWSSTS_OK;
    return awssts_error_set(ei, AWSSTS_E_FILE_IO,
                            "%s: still mounted after %d unmounts; something keeps mounting "
                            "there: find it, then unmount it with umount -R",
                            path, UNMOUNT_LAYERS_MAX);
}

awssts_err awssts_runtime_release(const struct awssts_settings *s, const struct passwd *pw,
                                  const struct awssts_as_user *as_user, const char *path,
                                  struct awssts_error_info *ei)
{
    int pfd = -1;
    struct stat pst, st;
    char leaf[256];
    if (open_parent(pw, path, false, &pfd, &pst, leaf, sizeof(leaf), NULL) != AWSSTS_OK)
        return AWSSTS_OK; /* logind removed /run/user/UID first: nothing of ours is left */
    int fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    bool seen = fd >= 0 && fstat(fd, &st) == 0;
    if (!seen || st.st_uid != pw->pw_uid) {
        /* A bare mount point: the tmpfs is mounted only in other namespaces
         * (or none). Removing the mount point unmounts it there too (Linux
         * 3.18 on), and its files go with it. */
        if (seen && is_bare_mount_point(&st, &pst) && (pst.st_mode & 0022) == 0)
            unlinkat(pfd, leaf, AT_REMOVEDIR);
        if (fd >= 0)
            close(fd);
        close(pfd);
        return AWSSTS_OK;
    }
    bool own_tmpfs = pst.st_uid == 0 && is_mount_of(&st, &pst);
    /* A renewal by the user's awssts finishes first; one stuck for longer
     * than the timeout does not keep the files. */
    awssts_err rc = awssts_lock_wait(fd, LOCK_EX, s->timeout * 1000, ei);
    if (rc != AWSSTS_OK)
        awssts_error_prefix(ei, path);
    awssts_err urc = awssts_as_user_enter(as_user, NULL);
    if (urc == AWSSTS_OK) {
        unlinkat(fd, AWSSTS_SESSION_CREDENTIALS, 0);
        unlinkat(fd, AWSSTS_SESSION_STATE, 0);
        if (pst.st_uid == pw->pw_uid)
            unlinkat(pfd, leaf, AT_REMOVEDIR); /* fails harmlessly when the user put more there */
        urc = awssts_as_user_leave(as_user, urc, NULL);
    }
    if (urc != AWSSTS_OK && rc == AWSSTS_OK)
        rc = awssts_error_set(ei, urc, "%s: the files could not be removed with the user's rights",
                              path);
    close(fd);
    if (own_tmpfs) {
        awssts_err mrc = unmount_all(pfd, &pst, leaf, path, ei);
        rc = rc == AWSSTS_OK ? mrc : rc;
    }
    if (pst.st_uid == 0 && (pst.st_mode & 0022) == 0)
        unlinkat(pfd, leaf, AT_REMOVEDIR); /* our mount point, or an empty directory */
    close(pfd);
    return rc;
}
