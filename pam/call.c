/* One PAM call about one user. */
#include "call.h"
#include "awssts/secret.h"
#include "awssts/validate.h"

#include <security/pam_ext.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

int pas_call_begin(struct call *c, pam_handle_t *pamh, int argc, const char **argv, bool quiet)
{
    memset(c, 0, sizeof(*c));
    c->pamh = pamh;
    pas_args_parse(pamh, argc, argv, &c->args);
    const char *user = NULL;
    if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || user == NULL ||
        !awssts_valid_user_name(user)) {
        if (!quiet)
            pam_syslog(pamh, LOG_ERR, "no valid user name; refused");
        return PAM_USER_UNKNOWN;
    }
    c->user = user;
    struct passwd *res = NULL;
    if (getpwnam_r(c->user, &c->pw, c->pwbuf, sizeof(c->pwbuf), &res) != 0 || res == NULL) {
        if (!quiet)
            pam_syslog(pamh, LOG_ERR, "user=%s: no such user", c->user);
        return PAM_USER_UNKNOWN;
    }
    return PAM_SUCCESS;
}

void pas_call_end(struct call *c)
{
    if (c->settings_loaded)
        awssts_settings_free(&c->s);
    awssts_memzero(c->pwbuf, sizeof(c->pwbuf));
}

awssts_err pas_call_settings(struct call *c, struct awssts_error_info *ei)
{
    awssts_err rc = awssts_settings_load(c->args.config, c->user, c->pw.pw_gid, &c->s, ei);
    c->settings_loaded = true;
    return rc;
}

awssts_err pas_call_session_settings(struct call *c, struct awssts_error_info *ei)
{
    awssts_err rc = awssts_settings_load_session(c->args.config, c->user, c->pw.pw_gid, &c->s, ei);
    c->settings_loaded = true;
    return rc;
}

const char *pas_handle_string(const struct call *c, const char *name)
{
    const void *v = NULL;
    return pam_get_data(c->pamh, name, &v) == PAM_SUCCESS ? v : NULL;
}

void pas_free_data(pam_handle_t *pamh, void *data, int status)
{
    (void)pamh;
    (void)status;
    free(data);
}
