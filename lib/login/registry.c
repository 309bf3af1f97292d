/* The session registry. Only root writes here; a user can neither plant an
 * entry nor hold the lock. Deciding whether a close was the user's last
 * reads entries only until a live one turns up, so no step costs more with
 * more sessions open. */
#include "login/registry.h"
#include "awssts/safefile.h"
#include "util/error_set.h"
#include "util/id.h"
#include "files/paths.h"
#include "util/text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIRECTORY_FILE "directory"

unsigned long long awssts_process_start_time(pid_t pid)
{
    char path[64], line[1024];
    snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, line, sizeof(line) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    line[n] = '\0';
    /* The name (field 2) may hold spaces and ')': fields resume after the last ')'. */
    const char *p = strrchr(line, ')');
    if (p == NULL)
        return 0;
    /* starttime is field 22: the space before field N is the (N-2)th after ')'. */
    for (int field = 3; field <= 22 && p != NULL; field++)
        p = strchr(p + 1, ' ');
    if (p == NULL)
        return 0;
    char *end = NULL;
    unsigned long long t = strtoull(p + 1, &end, 10);
    return end != p + 1 ? t : 0;
}

static awssts_err open_registry(uid_t uid, bool create, int *fd, struct awssts_error_info *ei)
{
    int top = -1;
    awssts_err rc = awssts_open_dir(AWSSTS_REGISTRY_DIR, create, 0700, 0, &top, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct stat st;
    if (fstat(top, &st) != 0 || st.st_uid != 0 || (st.st_mode & 0077) != 0) {
        close(top);
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                AWSSTS_REGISTRY_DIR ": must be root's, mode 0700");
    }
    char name[24];
    snprintf(name, sizeof(name), "%u", (unsigned)uid);
    if (create && awssts_mkdirat(top, name, 0700) != 0) {
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "mkdir " AWSSTS_REGISTRY_DIR "/%s: %s", name,
                              strerror(errno));
        close(top);
        return rc;
    }
    *fd = openat(top, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int e = errno;
    close(top);
    if (*fd < 0)
        return awssts_error_set(ei, e == ENOENT ? AWSSTS_E_NOT_FOUND : AWSSTS_E_FILE_IO,
                                AWSSTS_REGISTRY_DIR "/%s: %s", name, strerror(e));
    if (fstat(*fd, &st) != 0 || st.st_uid != 0 || (st.st_mode & 0077) != 0) {
        close(*fd);
        *fd = -1;
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                AWSSTS_REGISTRY_DIR "/%s: must be root's, mode 0700", name);
    }
    return AWSSTS_OK;
}

awssts_err awssts_registry_lock(uid_t uid, bool create, long wait_ms, struct awssts_registry *r,
                                struct awssts_error_info *ei)
{
    r->fd = -1;
    r->uid = uid;
    r->locked = true;
    /* A last logout removes the directory while we wait for its lock: then
     * the one we hold is gone, and a new one is made. */
    for (int attempt = 0; attempt < 3; attempt++) {
        int fd = -1;
        awssts_err rc = open_registry(uid, create, &fd, ei);
        if (rc != AWSSTS_OK)
            return rc;
        rc = awssts_lock_wait(fd, LOCK_EX, wait_ms, ei);
        if (rc != AWSSTS_OK) {
            close(fd);
            if (rc == AWSSTS_E_LOCK_TIMEOUT)
                awssts_error_prefix(ei, "the user's session registry");
            return rc;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && st.st_nlink > 0) {
            r->fd = fd;
            return AWSSTS_OK;
        }
        close(fd);
    }
    return awssts_error_set(ei, AWSSTS_E_FILE_IO,
                            "the user's session registry was removed repeatedly");
}

awssts_err awssts_registry_look(uid_t uid, struct awssts_registry *r, struct awssts_error_info *ei)
{
    /* Root's alone, and every file in it written by rename: a read beside
     * a login or logout is whole, at worst out of date. */
    r->fd = -1;
    r->uid = uid;
    r->locked = false;
    return open_registry(uid, false, &r->fd, ei);
}

void awssts_registry_unlock(struct awssts_registry *r)
{
    if (r->fd >= 0)
        close(r->fd); /* releases the lock */
    r->fd = -1;
}

/* The process of an entry: its PID and start time. */
static bool entry_read(int dfd, const char *name, struct awssts_holder *h)
{
    char *text = NULL;
    struct awssts_file_policy pol = {.owner = 0, .forbidden = 0077};
    if (awssts_file_read(dfd, name, &pol, &text, NULL, NULL) != AWSSTS_OK)
        return false;
    long pid = 0;
    char *sp = strchr(text, ' ');
    bool ok = sp != NULL;
    if (ok) {
        *sp = '\0';
        char *end = NULL;
        h->start = strtoull(sp + 1, &end, 10);
        ok = end != sp + 1 && (*end == '\n' || *end == '\0') &&
             awssts_text_parse_long(text, 1, 0x7fffffffL, &pid);
    }
    free(text);
    h->pid = (pid_t)pid;
    return ok && h->start != 0;
}

/* Is the session of this entry still running: its PID, with its start time? */
static bool entry_alive(int dfd, const char *name, struct awssts_holder *h)
{
    return entry_read(dfd, name, h) && awssts_process_start_time(h->pid) == h->start;
}

/* Call fn on each entry until it returns false. getdents64 with a small
 * buffer: readdir would ask the kernel for hundreds at once. */
static awssts_err each_entry(int dfd, bool (*fn)(int dfd, const char *name, void *ctx), void *ctx,
                             struct awssts_error_info *ei)
{
    int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* an offset of its own */
    if (fd < 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "read the session registry: %s",
                                strerror(errno));
    _Alignas(struct dirent64) char buf[1024];
    awssts_err rc = AWSSTS_OK;
    bool more = true;
    while (more) {
        ssize_t n = getdents64(fd, buf, sizeof(buf));
        if (n < 0)
            rc = awssts_error_set(ei, AWSSTS_E_FILE_IO, "read the session registry: %s",
                                  strerror(errno));
        if (n <= 0)
            break;
        for (ssize_t off = 0; off < n && more;) {
            const struct dirent64 *e = (const struct dirent64 *)(const void *)(buf + off);
            off += e->d_reclen;
            /* Not ".", "..", the directory file, nor a writer's temporary file. */
            if (awssts_id_valid(e->d_name))
                more = fn(dfd, e->d_name, ctx);
        }
    }
    close(fd);
    return rc;
}

struct alive_walk {
    bool tidy; /* drop dead entries: only under the lock */
    bool alive;
};

/* Until one is alive; dead ones are dropped on the way (tidy). */
static bool drop_dead(int dfd, const char *name, void *ctx)
{
    struct alive_walk *w = ctx;
    struct awssts_holder h;
    if (entry_alive(dfd, name, &h)) {
        w->alive = true;
        return false;
    }
    if (w->tidy)
        unlinkat(dfd, name, 0);
    return true;
}

static awssts_err any_alive(int dfd, bool tidy, bool *alive, struct awssts_error_info *ei)
{
    struct alive_walk w = {tidy, false};
    awssts_err rc = each_entry(dfd, drop_dead, &w, ei);
    *alive = w.alive;
    return rc;
}

struct holders {
    struct awssts_holder *out;
    size_t max, n;
};

static bool collect_alive(int dfd, const char *name, void *ctx)
{
    struct holders *hs = ctx;
    if (entry_alive(dfd, name, &hs->out[hs->n]))
        hs->n++;
    return hs->n < hs->max;
}

awssts_err awssts_registry_holders(uid_t uid, struct awssts_holder *out, size_t max, size_t *n,
                                   struct awssts_error_info *ei)
{
    *n = 0;
    int fd = -1;
    awssts_err rc = max > 0 ? open_registry(uid, false, &fd, ei) : AWSSTS_E_NOT_FOUND;
    if (rc == AWSSTS_E_NOT_FOUND)
        return AWSSTS_OK; /* no registry: no session */
    if (rc != AWSSTS_OK)
        return rc;
    struct holders hs = {out, max, 0};
    rc = each_entry(fd, collect_alive, &hs, ei);
    close(fd);
    *n = hs.n;
    return rc;
}

awssts_err awssts_registry_directory(const struct awssts_registry *r, char *dir, size_t len,
                                     struct awssts_error_info *ei)
{
    char *text = NULL;
    struct awssts_file_policy pol = {.owner = 0, .forbidden = 0077};
    awssts_err rc = awssts_file_read(r->fd, DIRECTORY_FILE, &pol, &text, NULL, ei);
    if (rc != AWSSTS_OK)
        return rc;
    text[strcspn(text, "\n")] = '\0';
    if (text[0] != '/' || strlen(text) >= len)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "the session registry names no directory");
    else
        snprintf(dir, len, "%s", text);
    free(text);
    return rc;
}

awssts_err awssts_registry_live(const struct awssts_registry *r, bool *live, char *dir, size_t len,
                                struct awssts_error_info *ei)
{
    awssts_err rc = any_alive(r->fd, r->locked, live, ei);
    if (rc == AWSSTS_OK && *live && dir != NULL)
        rc = awssts_registry_directory(r, dir, len, ei);
    return rc;
}

awssts_err awssts_registry_add(const struct awssts_registry *r, const char *id, const char *dir,
                               struct awssts_error_info *ei)
{
    if (!awssts_id_valid(id) || !r->locked)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "bad session id or registry not locked");
    unsigned long long start = awssts_process_start_time(getpid());
    if (start == 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO,
                                "/proc/%ld/stat unreadable (is /proc mounted?)", (long)getpid());
    char entry[64], where[4200];
    int n = snprintf(entry, sizeof(entry), "%ld %llu\n", (long)getpid(), start);
    int m = snprintf(where, sizeof(where), "%s\n", dir);
    if (m < 0 || (size_t)m >= sizeof(where))
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "directory name too long");
    awssts_err rc = awssts_file_write_atomic(r->fd, DIRECTORY_FILE, where, (size_t)m, 0600, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_file_write_atomic(r->fd, id, entry, (size_t)n, 0600, ei);
    return rc;
}

awssts_err awssts_registry_remove(const struct awssts_registry *r, const char *id, bool *last,
                                  struct awssts_error_info *ei)
{
    *last = false;
    if (!awssts_id_valid(id) || !r->locked)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "bad session id or registry not locked");
    unlinkat(r->fd, id, 0);
    bool alive = false;
    awssts_err rc = any_alive(r->fd, true, &alive, ei);
    *last = rc == AWSSTS_OK && !alive;
    return rc;
}

void awssts_registry_forget(struct awssts_registry *r)
{
    if (!r->locked)
        return;
    /* Entries left are dead (any_alive dropped them) or temporary files. */
    int fd = openat(r->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (d == NULL) {
        if (fd >= 0)
            close(fd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlinkat(r->fd, e->d_name, 0);
    closedir(d);
    char name[24];
    snprintf(name, sizeof(name), "%u", (unsigned)r->uid);
    int top = -1;
    if (awssts_open_dir(AWSSTS_REGISTRY_DIR, false, 0700, 0, &top, NULL) == AWSSTS_OK) {
        unlinkat(top, name, AT_REMOVEDIR);
        close(top);
    }
}
