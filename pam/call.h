/* One PAM call about one user: its handle, arguments, passwd entry and,
 * once loaded, its settings. Every phase begins and ends one. */
#ifndef PAS_CALL_H
#define PAS_CALL_H

#include <pwd.h>
#include <security/pam_modules.h>
#include <stdbool.h>

#include "awssts/error.h"
#include "login/options.h"
#include "settings.h"

/* Data this module keeps on the PAM handle between its calls. */
#define DATA_WRITTEN "pam_aws_sts_written"    /* the directory this handle wrote to */
#define DATA_SESSION "pam_aws_sts_session_id" /* this handle's open session */

/* Everything one call needs about its user. */
struct call {
    pam_handle_t *pamh;
    struct pas_args args;
    const char *user;
    struct passwd pw;
    char pwbuf[4096];
    struct awssts_settings s;
    bool settings_loaded;
    const char *role;      /* the login's role, once known (borrowed) */
    bool region_from_imds; /* s.region is the instance's (keys = ssm:) */
};

/* PAM_SUCCESS, or the PAM code to return. A name that is not a valid user
 * name is never printed (it could carry anything): c->user is then NULL.
 * quiet: the caller logs the outcome itself (auth's one line). */
int pas_call_begin(struct call *c, pam_handle_t *pamh, int argc, const char **argv, bool quiet);

void pas_call_end(struct call *c);

/* The user's settings from the configuration (lib/login/options.h). */
awssts_err pas_call_settings(struct call *c, struct awssts_error_info *ei);

/* Only what the session phase obeys (awssts_settings_load_session). */
awssts_err pas_call_session_settings(struct call *c, struct awssts_error_info *ei);

/* A string kept on the handle under name; NULL when none. */
const char *pas_handle_string(const struct call *c, const char *name);

/* pam_set_data's cleanup for what malloc gave. */
void pas_free_data(pam_handle_t *pamh, void *data, int status);

#endif
