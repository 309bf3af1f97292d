/*
 * The user's runtime directory on tmpfs: credentials, renewal state and
 * the AWS environment. One directory for all of a user's sessions:
 *   - where the user's live sessions already keep theirs;
 *   - else runtime_dir, when configured;
 *   - else /run/user/UID/aws-sts, when systemd-logind has made /run/user/UID;
 *   - else /run/aws-sts/UID: a tmpfs of the user's own (1 MiB), mounted by
 *     the module, so that no user can fill a filesystem another needs.
 */
#ifndef PAS_RUNTIME_H
#define PAS_RUNTIME_H

#include <pwd.h>
#include <security/pam_modules.h>
#include <stdbool.h>

#include "awssts/error.h"
#include "login.h"
#include "registry.h"
#include "settings.h"

#define PAS_OWN_RUNTIME_DIR "/run/aws-sts/%U"
#define PAS_LOGIND_DIR "/run/user/%U"
#define PAS_OWN_TMPFS_OPTIONS "size=1m,nr_inodes=256"
/* What a login's files need, with room to spare: checked before STS. */
#define PAS_MIN_FREE_BYTES (64L * 1024L)
#define PAS_MIN_FREE_INODES 16L

struct pas_runtime {
    int dirfd; /* open and locked; -1 when closed */
    char path[4096];
};

/*
 * Where the user's files go, with the registry locked (reg NULL: the user
 * has no registry, so no live session). *settled is false
 * only when may_make_own is false and nothing else decides it yet: sshd's
 * setcred, before pam_systemd has made /run/user/UID in open_session.
 */
awssts_err pas_runtime_choose(const struct awssts_settings *s, const struct passwd *pw,
                              const struct pas_registry *reg, bool may_make_own, char *path,
                              size_t len, bool *settled, struct awssts_error_info *ei);

/*
 * Open the directory at path and lock it, waiting at most the settings'
 * timeout for a process of the user. With create, make it: as the user in a
 * directory of the user's (logind's), or as a tmpfs of the user's own in a
 * root-owned one. It must be a real directory (no symlink anywhere), the
 * user's, mode 0700, on tmpfs or ramfs: checked on the open descriptor.
 */
awssts_err pas_runtime_open(pam_handle_t *pamh, const struct awssts_settings *s,
                            const struct passwd *pw, const char *path, bool create,
                            struct pas_runtime *rt, struct awssts_error_info *ei);
void pas_runtime_close(struct pas_runtime *rt);

/* Room for the files in the directory at path, or in the directory it
 * would be made in: the checks of pas_runtime_open, made before STS. */
awssts_err pas_runtime_check(const struct awssts_settings *s, const struct passwd *pw,
                             const char *path, struct awssts_error_info *ei);

/* Write credentials and state, as the user, each atomically. */
awssts_err pas_runtime_write(pam_handle_t *pamh, const struct awssts_settings *s,
                             const struct passwd *pw, const struct pas_runtime *rt,
                             const struct awssts_login_result *l, struct awssts_error_info *ei);

/* After the user's last session: remove the files, and the directory where
 * the module made it (unmounting the user's tmpfs). A missing directory
 * (logind removed it first) is fine. */
void pas_runtime_release(pam_handle_t *pamh, const struct awssts_settings *s,
                         const struct passwd *pw, const char *path);

/* AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE, AWS_REGION, AWS_DEFAULT_REGION, AWS_STS_REGIONAL_ENDPOINTS. */
awssts_err pas_runtime_export(pam_handle_t *pamh, const struct awssts_settings *s,
                              const char *path, struct awssts_error_info *ei);

#endif
