/* The user's keys through lib/user_keys.c; the user's rights are taken with
 * pam_modutil, so root's never reach into the user's home. */
#include "keys.h"

#include <security/pam_modutil.h>

struct drop {
    pam_handle_t *pamh;
    const struct passwd *pw;
    struct pam_modutil_privs privs;
    gid_t groups[PAM_MODUTIL_NGROUPS];
};

static int enter(void *ctx)
{
    struct drop *d = ctx;
    return pam_modutil_drop_priv(d->pamh, &d->privs, d->pw);
}

static int leave(void *ctx)
{
    struct drop *d = ctx;
    return pam_modutil_regain_priv(d->pamh, &d->privs);
}

awssts_err pas_keys_load(pam_handle_t *pamh, const struct awssts_settings *s,
                         const struct passwd *pw, struct awssts_user_keys *k,
                         struct awssts_error_info *ei)
{
    /* What PAM_MODUTIL_DEF_PRIVS makes, kept in a struct across the two calls. */
    struct drop d = {.pamh = pamh, .pw = pw};
    d.privs = (struct pam_modutil_privs){d.groups, PAM_MODUTIL_NGROUPS, 0, -1, -1, 0};
    struct awssts_as_user as_user = {enter, leave, &d};
    return awssts_keys_load(s, pw, &as_user, k, ei);
}
