/*
 * Internal: the open sessions of each user, kept by root where no user can write:
 * /run/aws-sts/sessions/UID/, root's, 0700. One file per open session,
 * named by its id and holding the PID and start time of the process that
 * opened it (so a PID that a new process took over is not that session),
 * and the file "directory": where the user's credentials are, the same for
 * all of the user's sessions. The registry directory itself is the lock
 * that orders a user's logins and logouts.
 */
#ifndef AWSSTS_REGISTRY_H
#define AWSSTS_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "awssts/error.h"

#define AWSSTS_REGISTRY_DIR "/run/aws-sts/sessions"

/* How long a login waits for another login or logout of the same user. */
#define AWSSTS_REGISTRY_WAIT_MS(s) (((s)->timeout + 5) * 1000)

struct awssts_registry {
    int fd; /* the user's registry directory; -1 when closed */
    uid_t uid;
    bool locked; /* false: only looked at (awssts_registry_look) */
};

/* Open (with create: making it) and lock the user's registry, waiting at
 * most wait_ms for another login or logout of the same user. Without
 * create, a user with no registry gets AWSSTS_E_NOT_FOUND. Never before
 * the user is authenticated: whoever runs auth (su: any local user) may
 * stop it, and would hold the lock the user's logins and logouts need. */
awssts_err awssts_registry_lock(uid_t uid, bool create, long wait_ms, struct awssts_registry *r,
                                struct awssts_error_info *ei);
void awssts_registry_unlock(struct awssts_registry *r);

/* Open the user's registry without its lock, to read only (the check
 * before the prompt): awssts_registry_live then drops nothing, and add,
 * remove and forget refuse. AWSSTS_E_NOT_FOUND when the user has none.
 * Close with awssts_registry_unlock. */
awssts_err awssts_registry_look(uid_t uid, struct awssts_registry *r, struct awssts_error_info *ei);

/* Drop the entries of sessions that are gone; *live tells whether one is
 * still running, and then dir (when not NULL) is where they keep their files. */
awssts_err awssts_registry_live(const struct awssts_registry *r, bool *live, char *dir, size_t len,
                                struct awssts_error_info *ei);

/* Where the user's files were put last (also when no session is live), or
 * AWSSTS_E_NOT_FOUND. */
awssts_err awssts_registry_directory(const struct awssts_registry *r, char *dir, size_t len,
                                     struct awssts_error_info *ei);

/* Record session id (32 hex digits) of this process, its files in dir. */
awssts_err awssts_registry_add(const struct awssts_registry *r, const char *id, const char *dir,
                               struct awssts_error_info *ei);

/* Remove session id; *last when no other session of the user still runs. */
awssts_err awssts_registry_remove(const struct awssts_registry *r, const char *id, bool *last,
                                  struct awssts_error_info *ei);

/* A live session of the user: the process that opened it. */
struct awssts_holder {
    pid_t pid;
    unsigned long long start; /* its start time, as awssts_process_start_time gives it */
};

/* Up to max live sessions of uid, read without taking the lock and without
 * changing anything: for a caller that holds the lock, or for the check
 * before the prompt, which only advises. *n is 0 when the user has no
 * registry. */
awssts_err awssts_registry_holders(uid_t uid, struct awssts_holder *out, size_t max, size_t *n,
                                   struct awssts_error_info *ei);

/* After the last session: remove the registry itself (still locked). */
void awssts_registry_forget(struct awssts_registry *r);

/* The start time of process pid (clock ticks since boot, /proc/PID/stat),
 * or 0 when it does not exist. */
unsigned long long awssts_process_start_time(pid_t pid);

#endif
