/* The user's rights for the library's steps (lib/login/as_user.h), taken with
 * pam_modutil_drop_priv: the user's fsuid, fsgid and groups. */
#ifndef PAS_USER_RIGHTS_H
#define PAS_USER_RIGHTS_H

#include <pwd.h>
#include <security/pam_modules.h>
#include <security/pam_modutil.h>

#include "login/as_user.h"

struct pas_as_user {
    pam_handle_t *pamh;
    const struct passwd *pw;
    struct pam_modutil_privs privs;
    gid_t groups[PAM_MODUTIL_NGROUPS];
    struct awssts_as_user as_user;
};

/* The callbacks for pw, kept in u (which must outlive their use). */
const struct awssts_as_user *pas_as_user(struct pas_as_user *u, pam_handle_t *pamh,
                                         const struct passwd *pw);

#endif
