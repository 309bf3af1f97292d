/* Runtime directory and its files. Everything inside the user's directory
 * is done with the user's rights (pam_modutil_drop_priv), so a link the user
 * planted can never make root read, write or remove something else. */
#include "runtime.h"
#include "awssts/credfile.h"
#include "awssts/safefile.h"
#include "awssts/secret.h"
#include "awssts/state.h"
#include "awssts/timeutil.h"
#include "buf.h"
#include "error_set.h"
#include "id.h"
#include "paths.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <security/pam_ext.h>
#include <security/pam_modutil.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

/* Run stmt with the user's fsuid/fsgid and groups. stmt is a statement
 * block, which cannot take parentheses. */
// NOLINTBEGIN(bugprone-macro-parentheses)
#define AS_USER(pamh, pw, rc, ei, stmt)                                                  \
    do {                                                                                 \
        PAM_MODUTIL_DEF_PRIVS(privs_);                                                   \
        if (pam_modutil_drop_priv((pamh), &privs_, (pw)) != 0) {                         \
            (rc) = awssts_error_set((ei), AWSSTS_E_INTERNAL, "cannot take the user's rights"); \
            break;                                                                       \
        }                                                                                \
        stmt;                                                                            \
        if (pam_modutil_regain_priv((pamh), &privs_) != 0 && (rc) == AWSSTS_OK)          \
            (rc) = awssts_error_set((ei), AWSSTS_E_INTERNAL, "cannot regain root's rights"); \
    } while (0)
// NOLINTEND(bugprone-macro-parentheses)

static awssts_err runtime_path(const struct pas_settings *s, const struct passwd *pw,
                               char *out, size_t len, bool *root_parent,
                               struct awssts_error_info *ei)
{
    const char *pattern = s->runtime_dir;
    *root_parent = false;
    if (pattern == NULL) {
        /* pam_systemd's /run/user/UID when it exists, else our own tree. */
        char user_run[64];
        struct stat st;
        snprintf(user_run, sizeof(user_run), "/run/user/%u", (unsigned)pw->pw_uid);
        if (lstat(user_run, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == pw->pw_uid) {
            pattern = "/run/user/%U/aws-sts";
        } else {
            pattern = "/run/aws-sts/%U";
            *root_parent = true;
        }
    }
    return pas_expand_path(pattern, pw->pw_uid, pw->pw_name, out, len, ei);
}

static awssts_err check_dir(int fd, const char *path, const struct passwd *pw,
                            struct awssts_error_info *ei)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "%s: %s", path, strerror(errno));
    if (st.st_uid != pw->pw_uid)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: owned by uid %u, not by %s",
                                path, (unsigned)st.st_uid, pw->pw_name);
    if ((st.st_mode & 0077) != 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: mode %04o, must be 0700", path,
                                (unsigned)(st.st_mode & 07777));
    awssts_err rc = awssts_dir_check_memory_fs(fd, ei);
    if (rc != AWSSTS_OK)
        awssts_error_prefix(ei, path);
    return rc;
}

/*
 * The user's directory in a root-owned parent. It takes its final name only
 * once it is the user's, so a login running beside us never finds it half
 * made (root's, before the chown) and refuses it. Losing the race to such a
 * login is success: its directory is as good as ours.
 */
static awssts_err make_user_dir(int pfd, const char *leaf, const struct passwd *pw,
                                const char *path, struct awssts_error_info *ei)
{
    char id[PAS_ID_LEN + 1], tmp[300];
    if (!pas_id_new(id))
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "no random bytes for a temporary name");
    snprintf(tmp, sizeof(tmp), ".%s.%s", leaf, id);
    if (mkdirat(pfd, tmp, 0700) != 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "mkdir %s: %s", path, strerror(errno));
    awssts_err rc = AWSSTS_OK;
    int fd = openat(pfd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fchown(fd, pw->pw_uid, pw->pw_gid) != 0)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "chown %s: %s", path, strerror(errno));
    if (fd >= 0)
        close(fd);
    if (rc == AWSSTS_OK && renameat2(pfd, tmp, pfd, leaf, RENAME_NOREPLACE) == 0)
        return AWSSTS_OK;
    int e = errno;
    unlinkat(pfd, tmp, AT_REMOVEDIR);
    if (rc == AWSSTS_OK && e != EEXIST)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "rename to %s: %s", path, strerror(e));
    return rc;
}

/* One attempt at opening the directory; *gone when a closing session removed it under us. */
static awssts_err open_once(pam_handle_t *pamh, const struct pas_settings *s,
                            const struct passwd *pw, bool create, struct pas_runtime *rt,
                            bool *gone, struct awssts_error_info *ei)
{
    bool root_parent;
    char parent[4096], leaf[256];
    awssts_err rc = runtime_path(s, pw, rt->path, sizeof(rt->path), &root_parent, ei);
    if (rc == AWSSTS_OK)
        rc = pas_split_path(rt->path, parent, sizeof(parent), leaf, sizeof(leaf), ei);
    if (rc != AWSSTS_OK)
        return rc;

    int pfd = -1;
    /* Only our own fallback parent (/run/aws-sts) is created here. */
    rc = pas_open_dir(parent, create && root_parent, 0755, pw->pw_uid, &pfd, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct stat pst;
    fstat(pfd, &pst);
    bool user_parent = pst.st_uid == pw->pw_uid && pst.st_uid != 0;

    int fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        if (user_parent) {
            int e = 0;
            AS_USER(pamh, pw, rc, ei, {
                if (mkdirat(pfd, leaf, 0700) != 0 && errno != EEXIST)
                    e = errno;
            });
            if (e != 0)
                rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "mkdir %s: %s", rt->path, strerror(e));
        } else {
            rc = make_user_dir(pfd, leaf, pw, rt->path, ei);
        }
        if (rc == AWSSTS_OK)
            fd = openat(pfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    int e = errno;
    close(pfd);
    if (rc != AWSSTS_OK) {
        if (fd >= 0)
            close(fd);
        return rc;
    }
    if (fd < 0) {
        if (e == ENOENT)
            return awssts_error_set(ei, AWSSTS_E_NOT_FOUND, "%s: does not exist", rt->path);
        if (e == ELOOP || e == ENOTDIR)
            return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                    "%s: is a symbolic link or not a directory", rt->path);
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "%s: %s", rt->path, strerror(e));
    }
    rc = check_dir(fd, rt->path, pw, ei);
    if (rc == AWSSTS_OK && flock(fd, LOCK_EX) != 0)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "lock %s: %s", rt->path, strerror(errno));
    struct stat st;
    if (rc == AWSSTS_OK && fstat(fd, &st) == 0 && st.st_nlink == 0)
        *gone = true;
    if (rc != AWSSTS_OK || *gone) {
        close(fd);
        return rc;
    }
    rt->dirfd = fd;
    return AWSSTS_OK;
}

awssts_err pas_runtime_open(pam_handle_t *pamh, const struct pas_settings *s,
                            const struct passwd *pw, bool create, struct pas_runtime *rt,
                            struct awssts_error_info *ei)
{
    memset(rt, 0, sizeof(*rt));
    rt->dirfd = -1;
    for (int attempt = 0; attempt < 3; attempt++) {
        bool gone = false;
        awssts_err rc = open_once(pamh, s, pw, create, rt, &gone, ei);
        if (rc != AWSSTS_OK || !gone)
            return rc;
    }
    return awssts_error_set(ei, AWSSTS_E_FILE_IO, "%s: removed repeatedly while opening", rt->path);
}

void pas_runtime_close(struct pas_runtime *rt)
{
    if (rt->dirfd >= 0)
        close(rt->dirfd); /* releases the lock */
    rt->dirfd = -1;
}

/* The state for awssts, from the settings and this login (borrowed, never freed here). */
static awssts_err state_text(const struct pas_settings *s, const struct passwd *pw,
                             const struct pas_login *l, char **text, size_t *len,
                             struct awssts_error_info *ei)
{
    struct awssts_state st;
    pas_settings_state(s, &st);
    st.user = pw->pw_name;
    st.role_arn = l->role_arn;
    st.mfa_serial = l->mfa_serial;
    st.mfa_session = l->session;
    st.has_mfa_session = l->has_session;
    st.role = l->role;
    st.has_role = l->has_role;
    return awssts_state_serialize(&st, text, len, ei);
}

awssts_err pas_runtime_write(pam_handle_t *pamh, const struct pas_settings *s,
                             const struct passwd *pw, const struct pas_runtime *rt,
                             const struct pas_login *l, struct awssts_error_info *ei)
{
    struct awssts_credfile *cf = awssts_credfile_new();
    if (cf == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    const struct awssts_credentials *fin = pas_login_final(l);
    awssts_err rc = awssts_credfile_put_credentials(cf, s->profile, fin,
                                                    l->has_role ? l->role_arn : NULL, ei);
    char *creds = NULL, *state = NULL;
    size_t clen = 0, slen = 0;
    if (rc == AWSSTS_OK && awssts_credfile_serialize(cf, &creds, &clen) != AWSSTS_OK)
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    awssts_credfile_free(cf);
    if (rc == AWSSTS_OK)
        rc = state_text(s, pw, l, &state, &slen, ei);
    if (rc == AWSSTS_OK) {
        awssts_err wrc = AWSSTS_OK;
        AS_USER(pamh, pw, rc, ei, {
            wrc = awssts_file_write_atomic(rt->dirfd, PAS_STATE_FILE, state, slen, 0600, ei);
            if (wrc == AWSSTS_OK)
                wrc = awssts_file_write_atomic(rt->dirfd, PAS_CREDENTIALS_FILE, creds, clen, 0600, ei);
        });
        if (rc == AWSSTS_OK)
            rc = wrc;
    }
    awssts_secret_free(creds);
    awssts_secret_free(state);
    return rc;
}

/*
 * Session registry: a directory with one file per open session, named by the
 * session id and holding the PID that opened it. Opening or closing a session
 * touches its own entry only, and deciding whether it was the last reads
 * entries just until a live one turns up: no step costs more with more
 * sessions open. Entries of dead processes are dropped on the way, so a
 * crashed session cannot pin the files. The runtime directory's lock
 * serialises all of this.
 */
/* The registry directory, the user's and private, opened (made with create). */
static awssts_err registry_open(const struct passwd *pw, const struct pas_runtime *rt, bool create,
                                int *fd, struct awssts_error_info *ei)
{
    if (create && mkdirat(rt->dirfd, PAS_SESSIONS_DIR, 0700) != 0 && errno != EEXIST)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "mkdir %s/" PAS_SESSIONS_DIR ": %s", rt->path,
                                strerror(errno));
    *fd = openat(rt->dirfd, PAS_SESSIONS_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (*fd < 0)
        return awssts_error_set(ei, errno == ENOENT ? AWSSTS_E_NOT_FOUND : AWSSTS_E_FILE_UNSAFE,
                                "%s/" PAS_SESSIONS_DIR ": %s", rt->path, strerror(errno));
    struct stat st;
    if (fstat(*fd, &st) != 0 || st.st_uid != pw->pw_uid || (st.st_mode & 0077) != 0) {
        close(*fd);
        *fd = -1;
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                "%s/" PAS_SESSIONS_DIR ": not a private directory of %s", rt->path,
                                pw->pw_name);
    }
    return AWSSTS_OK;
}

/* Is the session of this entry still running? Unreadable or malformed: no. */
static bool entry_alive(int dfd, const char *name, const struct passwd *pw)
{
    char *text = NULL;
    struct awssts_file_policy pol = {.owner = pw->pw_uid, .forbidden = 0077};
    if (awssts_file_read(dfd, name, &pol, &text, NULL, NULL) != AWSSTS_OK)
        return false;
    long pid = 0;
    text[strcspn(text, "\n")] = '\0';
    bool ok = awssts_text_parse_long(text, 1, 0x7fffffffL, &pid);
    free(text);
    return ok && !(kill((pid_t)pid, 0) != 0 && errno == ESRCH);
}

/* Read entries until one is alive; drop dead ones on the way. getdents64
 * with a small buffer, because readdir asks the kernel for hundreds of
 * entries at once, and that would cost more with more sessions open. */
static awssts_err registry_any_alive(int dfd, const struct passwd *pw, bool *alive,
                                     struct awssts_error_info *ei)
{
    int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* an offset of its own */
    if (fd < 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "read the session registry: %s", strerror(errno));
    _Alignas(struct dirent64) char buf[1024];
    awssts_err rc = AWSSTS_OK;
    *alive = false;
    while (!*alive) {
        ssize_t n = getdents64(fd, buf, sizeof(buf));
        if (n < 0)
            rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "read the session registry: %s", strerror(errno));
        if (n <= 0)
            break;
        for (ssize_t off = 0; off < n && !*alive;) {
            const struct dirent64 *e = (const struct dirent64 *)(const void *)(buf + off);
            off += e->d_reclen;
            if (!pas_id_valid(e->d_name))
                continue; /* ".", "..", a writer's temporary file */
            if (entry_alive(dfd, e->d_name, pw))
                *alive = true;
            else
                unlinkat(dfd, e->d_name, 0);
        }
    }
    close(fd);
    return rc;
}

awssts_err pas_runtime_add_session(pam_handle_t *pamh, const struct passwd *pw,
                                   const struct pas_runtime *rt, const char *id,
                                   struct awssts_error_info *ei)
{
    if (!pas_id_valid(id))
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "bad session id");
    char pid[24];
    int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
    awssts_err rc = AWSSTS_OK, io = AWSSTS_OK;
    AS_USER(pamh, pw, rc, ei, {
        int dfd = -1;
        io = registry_open(pw, rt, true, &dfd, ei);
        if (io == AWSSTS_OK) {
            io = awssts_file_write_atomic(dfd, id, pid, (size_t)n, 0600, ei);
            close(dfd);
        }
    });
    return rc != AWSSTS_OK ? rc : io;
}

awssts_err pas_runtime_remove_session(pam_handle_t *pamh, const struct passwd *pw,
                                      const struct pas_runtime *rt, const char *id, bool *last,
                                      struct awssts_error_info *ei)
{
    *last = false;
    if (!pas_id_valid(id))
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "bad session id");
    awssts_err rc = AWSSTS_OK, io = AWSSTS_OK;
    AS_USER(pamh, pw, rc, ei, {
        int dfd = -1;
        io = registry_open(pw, rt, false, &dfd, ei);
        if (io == AWSSTS_E_NOT_FOUND) {
            *last = true; /* nothing registered: nothing keeps the files */
            io = AWSSTS_OK;
        } else if (io == AWSSTS_OK) {
            unlinkat(dfd, id, 0);
            bool alive = false;
            io = registry_any_alive(dfd, pw, &alive, ei);
            *last = io == AWSSTS_OK && !alive;
            close(dfd);
        }
    });
    return rc != AWSSTS_OK ? rc : io;
}

void pas_runtime_remove_all(pam_handle_t *pamh, const struct passwd *pw,
                            const struct pas_runtime *rt)
{
    awssts_err rc = AWSSTS_OK;
    AS_USER(pamh, pw, rc, NULL, {
        unlinkat(rt->dirfd, PAS_CREDENTIALS_FILE, 0);
        unlinkat(rt->dirfd, PAS_STATE_FILE, 0);
        unlinkat(rt->dirfd, PAS_SESSIONS_DIR, AT_REMOVEDIR); /* emptied by the last close */
    });
    (void)rc;
    /* The directory itself goes when it is empty and sits in our own root-owned
     * tree; a user's /run/user/UID is systemd-logind's to clean. */
    char parent[4096], leaf[256];
    if (pas_split_path(rt->path, parent, sizeof(parent), leaf, sizeof(leaf), NULL) != AWSSTS_OK)
        return;
    int pfd = -1;
    if (pas_open_dir(parent, false, 0755, (uid_t)-1, &pfd, NULL) != AWSSTS_OK)
        return;
    struct stat pst;
    if (fstat(pfd, &pst) == 0 && pst.st_uid == 0 && (pst.st_mode & 0022) == 0)
        unlinkat(pfd, leaf, AT_REMOVEDIR); /* fails harmlessly when not empty */
    close(pfd);
}

static awssts_err put_env(pam_handle_t *pamh, const char *name, const char *value,
                          struct awssts_error_info *ei)
{
    struct awssts_buf b;
    awssts_buf_init(&b, 0);
    awssts_buf_printf(&b, "%s=%s", name, value);
    int prc = b.failed ? PAM_BUF_ERR : pam_putenv(pamh, b.data);
    awssts_buf_free(&b);
    return prc == PAM_SUCCESS ? AWSSTS_OK
                              : awssts_error_set(ei, AWSSTS_E_INTERNAL, "pam_putenv %s failed", name);
}

awssts_err pas_runtime_export(pam_handle_t *pamh, const struct pas_settings *s,
                              const struct pas_runtime *rt, struct awssts_error_info *ei)
{
    char file[4200];
    snprintf(file, sizeof(file), "%s/" PAS_CREDENTIALS_FILE, rt->path);
    awssts_err rc = put_env(pamh, "AWS_SHARED_CREDENTIALS_FILE", file, ei);
    if (rc == AWSSTS_OK && strcmp(s->profile, "default") != 0)
        rc = put_env(pamh, "AWS_PROFILE", s->profile, ei);
    if (rc == AWSSTS_OK && s->export_region) {
        rc = put_env(pamh, "AWS_REGION", s->region, ei);
        if (rc == AWSSTS_OK)
            rc = put_env(pamh, "AWS_DEFAULT_REGION", s->region, ei);
    }
    if (rc == AWSSTS_OK)
        rc = put_env(pamh, "AWS_STS_REGIONAL_ENDPOINTS", "regional", ei);
    return rc;
}
