/*
 * Internal: the user's runtime directory on tmpfs: credentials, renewal state and
 * the AWS environment. One directory for all of a user's sessions:
 *   - where the user's live sessions already keep theirs;
 *   - else runtime_dir, when configured;
 *   - else /run/user/UID/aws-sts, when systemd-logind has made /run/user/UID;
 *   - else /run/aws-sts/UID: a tmpfs of the user's own (1 MiB), mounted by
 *     the module, so that no user can fill a filesystem another needs.
 */
#ifndef AWSSTS_RUNTIME_DIR_H
#define AWSSTS_RUNTIME_DIR_H

#include <pwd.h>
#include <stdbool.h>

#include "login/as_user.h"
#include "files/runtime_files.h"
#include "awssts/error.h"
#include "login/options.h"
#include "login/own_tmpfs.h"
#include "login/registry.h"

/* What a login's files need, with room to spare: checked before STS. */
#define AWSSTS_RUNTIME_MIN_FREE_BYTES  (64L * 1024L)
#define AWSSTS_RUNTIME_MIN_FREE_INODES 16L

/* Where the user's files would go, and why. */
enum awssts_runtime_source {
    AWSSTS_RUNTIME_LIVE,       /* the user's open sessions keep theirs there */
    AWSSTS_RUNTIME_CONFIGURED, /* runtime_dir */
    AWSSTS_RUNTIME_LOGIND,     /* /run/user/UID exists */
    AWSSTS_RUNTIME_AT_SESSION, /* logind will make /run/user/UID at open_session */
    AWSSTS_RUNTIME_OWN,        /* the module's own tmpfs, /run/aws-sts/UID */
};

/* Why, in a few words, for a report. */
const char *awssts_runtime_source_text(enum awssts_runtime_source src);

struct awssts_runtime {
    int dirfd; /* open and locked; -1 when closed */
    char path[4096];
};

/*
 * Where the user's files go, with the registry locked (reg NULL: the user
 * has no registry, so no live session), and why (*source). The answer is
 * AWSSTS_RUNTIME_AT_SESSION, with path left empty, only when may_make_own
 * is false and nothing else decides it yet: sshd's setcred, before
 * pam_systemd has made /run/user/UID in open_session.
 */
awssts_err awssts_runtime_choose(const struct awssts_settings *s, const struct passwd *pw,
                                 const struct awssts_registry *reg, bool may_make_own, char *path,
                                 size_t len, enum awssts_runtime_source *source,
                                 struct awssts_error_info *ei);

/*
 * Open the directory at path and lock it, waiting at most the settings'
 * timeout for a process of the user. With create, make it: as the user in a
 * directory of the user's (logind's), or as a tmpfs of the user's own in a
 * root-owned one. It must be a real directory (no symlink anywhere), the
 * user's, mode 0700, on tmpfs or ramfs: checked on the open descriptor.
 */
awssts_err awssts_runtime_open(const struct awssts_settings *s, const struct passwd *pw,
                               const struct awssts_as_user *as_user, const char *path, bool create,
                               struct awssts_runtime *rt, struct awssts_error_info *ei);
void awssts_runtime_close(struct awssts_runtime *rt);

/* Room for the files in the directory at path, or in the directory it
 * would be made in: the checks of awssts_runtime_open, made before STS. */
awssts_err awssts_runtime_check(const struct awssts_settings *s, const struct passwd *pw,
                                const char *path, struct awssts_error_info *ei);

/* After the user's last session: remove the files, and the directory where
 * the module made it (unmounting the user's tmpfs). A missing directory
 * (logind removed it first) is fine. The files are removed in any case; an
 * error says what went wrong on the way (a renewal holding the lock past
 * the timeout, an unmount that failed), for the caller to log. */
awssts_err awssts_runtime_release(const struct awssts_settings *s, const struct passwd *pw,
                                  const struct awssts_as_user *as_user, const char *path,
                                  struct awssts_error_info *ei);

#endif
