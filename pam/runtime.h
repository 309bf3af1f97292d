/* The per-user runtime directory on tmpfs: credentials, renewal state,
 * the open-session registry, and the AWS environment. */
#ifndef PAS_RUNTIME_H
#define PAS_RUNTIME_H

#include <pwd.h>
#include <security/pam_modules.h>
#include <stdbool.h>

#include "awssts/error.h"
#include "login.h"
#include "settings.h"

#define PAS_CREDENTIALS_FILE "credentials"
#define PAS_STATE_FILE "state"
#define PAS_SESSIONS_DIR "sessions"

struct pas_runtime {
    int dirfd;
    char path[4096];
};

/*
 * Open (with create: make) the user's runtime directory and lock it. It must
 * be a real directory (no symlink anywhere), owned by the user, mode 0700,
 * on tmpfs or ramfs: checked on the open descriptor.
 */
awssts_err pas_runtime_open(pam_handle_t *pamh, const struct pas_settings *s,
                            const struct passwd *pw, bool create, struct pas_runtime *rt,
                            struct awssts_error_info *ei);
void pas_runtime_close(struct pas_runtime *rt);

/* Write credentials and state, as the user, each atomically. */
awssts_err pas_runtime_write(pam_handle_t *pamh, const struct pas_settings *s,
                             const struct passwd *pw, const struct pas_runtime *rt,
                             const struct pas_login *l, struct awssts_error_info *ei);

/* Register a session id (32 hex digits) for this process, or remove it;
 * *last tells whether no other session is still running. Neither costs more
 * with more sessions open. */
awssts_err pas_runtime_add_session(pam_handle_t *pamh, const struct passwd *pw,
                                   const struct pas_runtime *rt, const char *id,
                                   struct awssts_error_info *ei);
awssts_err pas_runtime_remove_session(pam_handle_t *pamh, const struct passwd *pw,
                                      const struct pas_runtime *rt, const char *id, bool *last,
                                      struct awssts_error_info *ei);

/* Remove credentials, state and registry (and the directory when we made it in a root-owned parent). */
void pas_runtime_remove_all(pam_handle_t *pamh, const struct passwd *pw,
                            const struct pas_runtime *rt);

/* AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE, AWS_REGION, AWS_DEFAULT_REGION, AWS_STS_REGIONAL_ENDPOINTS. */
awssts_err pas_runtime_export(pam_handle_t *pamh, const struct pas_settings *s,
                              const struct pas_runtime *rt, struct awssts_error_info *ei);

#endif
