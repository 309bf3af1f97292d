/* The outcome table. */
#include "outcome.h"

#include <security/pam_modules.h>
#include <stddef.h>
#include <syslog.h>

static const struct pas_outcome_def outcomes[PAS_OUT__COUNT] = {
    [PAS_OUT_SUCCESS] = {"success", NULL, PAM_SUCCESS, false, LOG_INFO},
    [PAS_OUT_MFA_CODE_REJECTED] = {"mfa_code_rejected", NULL, PAM_AUTH_ERR, false, LOG_WARNING},
    [PAS_OUT_BAD_CODE_FORMAT] = {"bad_code_format", NULL, PAM_AUTH_ERR, false, LOG_WARNING},
    [PAS_OUT_STS_ERROR] = {"sts_error", "sts_error_allowed", PAM_AUTHINFO_UNAVAIL, true, LOG_WARNING},
    [PAS_OUT_KEYS_ERROR] = {"keys_error", NULL, PAM_AUTHINFO_UNAVAIL, true, LOG_ERR},
    [PAS_OUT_CONFIG_ERROR] = {"config_error", NULL, PAM_AUTHINFO_UNAVAIL, true, LOG_ERR},
    [PAS_OUT_LOCAL_ERROR] = {"local_error", NULL, PAM_AUTHINFO_UNAVAIL, true, LOG_ERR},
    [PAS_OUT_NO_KEYS_REQUIRED] = {"no_keys_required", NULL, PAM_AUTH_ERR, false, LOG_WARNING},
    [PAS_OUT_HANDOFF_ERROR] = {"handoff_error", NULL, PAM_AUTHINFO_UNAVAIL, true, LOG_ERR},
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
