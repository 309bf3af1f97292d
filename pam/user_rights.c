/* pam_modutil's privilege switch behind the library's as_user callbacks. */
#include "user_rights.h"

#include <string.h>

static int enter(void *ctx)
{
    struct pas_as_user *u = ctx;
    return pam_modutil_drop_priv(u->pamh, &u->privs, u->pw);
}

static int leave(void *ctx)
{
    struct pas_as_user *u = ctx;
    return pam_modutil_regain_priv(u->pamh, &u->privs);
}

const struct awssts_as_user *pas_as_user(struct pas_as_user *u, pam_handle_t *pamh,
                                         const struct passwd *pw)
{
    memset(u, 0, sizeof(*u));
    u->pamh = pamh;
    u->pw = pw;
    /* What PAM_MODUTIL_DEF_PRIVS makes, kept in the struct across the calls. */
    u->privs = (struct pam_modutil_privs){u->groups, PAM_MODUTIL_NGROUPS, 0, -1, -1, 0};
    u->as_user = (struct awssts_as_user){enter, leave, u};
    return &u->as_user;
}
