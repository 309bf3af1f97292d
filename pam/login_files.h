/* The login's files in the user's runtime directory (lib/login/runtime_dir.h
 * chooses, checks, makes and releases the directory): written as the user,
 * the AWS environment exported through PAM, a release's trouble logged. */
#ifndef PAS_LOGIN_FILES_H
#define PAS_LOGIN_FILES_H

#include <pwd.h>
#include <security/pam_modules.h>

#include "awssts/error.h"
#include "login/login_flow.h"
#include "files/state.h"
#include "login/runtime_dir.h"

/* Write the login's state and the credentials file, as the user, each
 * atomically. */
awssts_err pas_login_files_write(pam_handle_t *pamh, const struct passwd *pw,
                                 const struct awssts_runtime *rt, const struct awssts_state *st,
                                 struct awssts_error_info *ei);

/* awssts_runtime_release with the user's rights; what went wrong is logged. */
void pas_login_files_release(pam_handle_t *pamh, const struct awssts_settings *s,
                             const struct passwd *pw, const char *path);

/* The session's AWS_* environment (lib/files/runtime_files.h) into PAM's,
 * from the login's state. */
awssts_err pas_login_files_export(pam_handle_t *pamh, const struct awssts_state *st,
                                  const char *path, struct awssts_error_info *ei);

#endif
