/*
 * Passing a login from the auth phase to the session phase: its full
 * renewal state (lib/files/state.h), which the session phase writes as is.
 * OpenSSH authenticates in a forked child that keeps only the PAM
 * environment, so the credentials go to a root-only file on tmpfs whose
 * random name (32 hex digits, never a path) is put in the PAM environment;
 * pam_set_data carries the same text, and that file's name, for
 * applications that stay in one process. The session phase takes it once
 * and removes the variable and the file it was given by: the one it read,
 * or the one its own auth wrote; never one only the environment names.
 */
#ifndef PAS_HANDOFF_H
#define PAS_HANDOFF_H

#include <pwd.h>
#include <security/pam_modules.h>

#include "awssts/error.h"
#include "files/state.h"
#include "login/login_flow.h"
#include "login/options.h"

#define PAS_HANDOFF_ENV     "PAM_AWS_STS_HANDOFF"
#define PAS_HANDOFF_MAX_AGE 600

/* Stage the state of login l: the settings it used, its role, device,
 * region and credentials. */
awssts_err pas_handoff_stage(pam_handle_t *pamh, const struct awssts_settings *s,
                             const struct passwd *pw, const struct awssts_login_result *l,
                             struct awssts_error_info *ei);

/* The state, parsed by the state reader (awssts_state_free).
 * AWSSTS_E_NOT_FOUND when this handle carries no hand-off at all; a named
 * hand-off that is missing, malformed or someone else's is an error. */
awssts_err pas_handoff_take(pam_handle_t *pamh, const struct awssts_settings *s,
                            const struct passwd *pw, struct awssts_state *out,
                            struct awssts_error_info *ei);

#endif
