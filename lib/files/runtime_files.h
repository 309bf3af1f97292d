/*
 * Internal: the contract of a login's runtime directory, one for the module
 * and for awssts: the names of its files, what makes a directory one (the
 * user's, 0700, on tmpfs or ramfs, checked on the open descriptor), writing
 * and reading state and credentials, the environment a session gets, and
 * where awssts looks for the directory.
 */
#ifndef AWSSTS_RUNTIME_FILES_H
#define AWSSTS_RUNTIME_FILES_H

#include <stddef.h>
#include <sys/types.h>

#include "awssts/error.h"
#include "files/state.h"

/* Where a user's runtime directory may be, %U the uid (expanded with
 * awssts_expand_path): here, below lib/login/runtime_dir.h, which chooses
 * among them, so that awssts looks where the module writes. */
#define AWSSTS_OWN_RUNTIME_DIR    "/run/aws-sts/%U"
#define AWSSTS_LOGIND_DIR         "/run/user/%U"
#define AWSSTS_LOGIND_RUNTIME_DIR AWSSTS_LOGIND_DIR "/aws-sts"

#define AWSSTS_SESSION_CREDENTIALS "credentials"
#define AWSSTS_SESSION_STATE       "state"

/* The open directory at path is uid's session directory. */
awssts_err awssts_runtime_dir_check(int dirfd, const char *path, uid_t uid,
                                    struct awssts_error_info *ei);

/* Write state, then the credentials file (st's profile, its current
 * credentials), each atomically, as the caller's fsuid. */
awssts_err awssts_session_write(int dirfd, const struct awssts_state *st,
                                struct awssts_error_info *ei);

/* Read the state: uid's, no access for group or others. AWSSTS_E_NOT_FOUND
 * when there is none. */
awssts_err awssts_session_read(int dirfd, uid_t uid, struct awssts_state *st,
                               struct awssts_error_info *ei);

/* The variables a session of st in dir exports, through emit, in order. */
typedef awssts_err (*awssts_session_env_fn)(void *ctx, const char *name, const char *value);
awssts_err awssts_session_environment(const char *dir, const struct awssts_state *st,
                                      awssts_session_env_fn emit, void *ctx);

/*
 * Where awssts looks for uid's runtime directory, in order, into out (each
 * of len bytes); returns how many: the directory of the credentials file
 * the login exported (creds_env, may be NULL), the configuration's
 * runtime_dir (configured: resolved and expanded by the caller, may be
 * NULL), logind's /run/user/UID/aws-sts, the module's own /run/aws-sts/UID.
 */
size_t awssts_runtime_dir_candidates(uid_t uid, const char *creds_env, const char *configured,
                                     char out[][4096], size_t max);

#endif
