/*
 * pam_aws_sts: the MFA code at login buys regional STS credentials.
 * The four entry points; each phase's work is in its own file:
 *
 *   auth     (auth.c) prompt (or PAM_AUTHTOK), STS calls, stage the hand-off
 *   setcred  (session.c) write credentials and state into the runtime dir, export AWS_*
 *   session  (session.c) count open sessions; the last close removes the files
 */
#include "auth.h"
#include "call.h"
#include "logging.h"
#include "session.h"
#include "awssts/error.h"

#include <security/pam_modules.h>

AWSSTS_API PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
                                              const char **argv)
{
    (void)flags;
    struct call c;
    int rc = pas_call_begin(&c, pamh, argc, argv, true);
    rc = rc == PAM_SUCCESS ? pas_authenticate(&c)
                           : pas_log_outcome(&c, AWSSTS_OUT_UNKNOWN_USER, NULL, NULL, NULL);
    pas_call_end(&c);
    return rc;
}

AWSSTS_API PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    if (flags & PAM_DELETE_CRED)
        return PAM_SUCCESS; /* the last close_session removes the files */
    struct call c;
    int rc = pas_call_begin(&c, pamh, argc, argv, false);
    if (rc == PAM_SUCCESS)
        rc = pas_establish(&c, false, PAM_CRED_ERR);
    pas_call_end(&c);
    return rc;
}

AWSSTS_API PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
                                              const char **argv)
{
    (void)flags;
    struct call c;
    int rc = pas_call_begin(&c, pamh, argc, argv, false);
    if (rc == PAM_SUCCESS)
        rc = pas_open_session(&c);
    pas_call_end(&c);
    return rc;
}

AWSSTS_API PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
                                               const char **argv)
{
    (void)flags;
    const void *sid = NULL;
    if (pam_get_data(pamh, DATA_SESSION, &sid) != PAM_SUCCESS || sid == NULL)
        return PAM_IGNORE;
    struct call c;
    int rc = pas_call_begin(&c, pamh, argc, argv, false);
    if (rc == PAM_SUCCESS)
        rc = pas_close_session(&c, sid);
    pas_call_end(&c);
    return rc;
}
