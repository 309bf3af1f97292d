/* The outcome table. */
#include "outcome.h"

#include <security/pam_modules.h>
#include <stddef.h>
#include <syslog.h>

#define UNAVAILABLE "AWS credentials are unavailable: contact your administrator."
#define WITHOUT "Logging in without AWS credentials."

static const struct pas_outcome_def outcomes[PAS_OUT__COUNT] = {
    [PAS_OUT_SUCCESS] = {"success", NULL, PAM_SUCCESS, false, LOG_INFO, NULL, NULL},
    [PAS_OUT_MFA_CODE_REJECTED] = {"mfa_code_rejected", NULL, PAM_AUTH_ERR, false, LOG_WARNING,
                                   "The AWS MFA code was not accepted: wait for the next code and try again.",
                                   NULL},
    [PAS_OUT_BAD_CODE_FORMAT] = {"bad_code_format", NULL, PAM_AUTH_ERR, false, LOG_WARNING,
                                 "The AWS MFA code is six digits: wait for the next code and try again.",
                                 NULL},
    [PAS_OUT_STS_ERROR] = {"sts_error", "sts_error_allowed", PAM_AUTHINFO_UNAVAIL, true, LOG_WARNING,
                           UNAVAILABLE, WITHOUT},
    [PAS_OUT_KEYS_ERROR] = {"keys_error", NULL, PAM_AUTHINFO_UNAVAIL, true, LOG_ERR, UNAVAILABLE, WITHOUT},
    [PAS_OUT_CONFIG_ERROR] = {"config_error", NULL, PAM_AUTHINFO_UNAVAIL, true, LOG_ERR, UNAVAILABLE,
                              WITHOUT},
    [PAS_OUT_LOCAL_ERROR] = {"local_error", NULL, PAM_AUTHINFO_UNAVAIL, true, LOG_ERR, UNAVAILABLE, WITHOUT},
    [PAS_OUT_NO_KEYS] = {"no_keys", NULL, PAM_IGNORE, false, LOG_INFO, WITHOUT, NULL},
    [PAS_OUT_NO_KEYS_REQUIRED] = {"no_keys_required", NULL, PAM_AUTH_ERR, false, LOG_WARNING,
                                  UNAVAILABLE, NULL},
    [PAS_OUT_HANDOFF_ERROR] = {"handoff_error", NULL, PAM_AUTHINFO_UNAVAIL, true, LOG_ERR, UNAVAILABLE,
                               WITHOUT},
    /* The same words as for a user without keys who must have them. */
    [PAS_OUT_UNKNOWN_USER] = {"unknown_user", NULL, PAM_USER_UNKNOWN, false, LOG_WARNING, UNAVAILABLE,
                              NULL},
};

const struct pas_outcome_def *pas_outcome(enum pas_outcome o)
{
    return &outcomes[(unsigned)o < PAS_OUT__COUNT ? o : PAS_OUT_CONFIG_ERROR];
}

const char *pas_outcome_label(enum pas_outcome o, bool on_error_allow)
{
    const struct pas_outcome_def *d = pas_outcome(o);
    return on_error_allow && d->allowed_label != NULL ? d->allowed_label : d->label;
}

int pas_outcome_pam(enum pas_outcome o, bool on_error_allow)
{
    const struct pas_outcome_def *d = pas_outcome(o);
    return d->soft && on_error_allow ? PAM_IGNORE : d->pam;
}

const char *pas_outcome_message(enum pas_outcome o, bool on_error_allow, int *style)
{
    const struct pas_outcome_def *d = pas_outcome(o);
    if (on_error_allow && d->soft) {
        *style = PAM_TEXT_INFO;
        return d->allowed_message;
    }
    *style = d->pam == PAM_IGNORE ? PAM_TEXT_INFO : PAM_ERROR_MSG;
    return d->message;
}
