/* The outcome table: the module's log line, what awssts check calls a problem. */
#include "login/outcome.h"

#include <stddef.h>
#include <syslog.h>

#define UNAVAILABLE "AWS credentials are unavailable: contact your administrator."
#define WITHOUT     "Logging in without AWS credentials."

static const struct awssts_outcome_def outcomes[AWSSTS_OUT__COUNT] = {
    [AWSSTS_OUT_SUCCESS] = {"success", NULL, AWSSTS_RESULT_SUCCESS, false, LOG_INFO, NULL, NULL},
    [AWSSTS_OUT_MFA_CODE_REJECTED] =
        {"mfa_code_rejected", NULL, AWSSTS_RESULT_AUTH_ERR, false, LOG_WARNING,
         "The AWS MFA code was not accepted: wait for the next code and try again.", NULL},
    [AWSSTS_OUT_BAD_CODE_FORMAT] =
        {"bad_code_format", NULL, AWSSTS_RESULT_AUTH_ERR, false, LOG_WARNING,
         "The AWS MFA code is six digits: wait for the next code and try again.", NULL},
    /* No message: the conversation that would carry it has failed, or was
     * never the module's (use_first_pass). */
    [AWSSTS_OUT_NO_CODE] = {"no_code", NULL, AWSSTS_RESULT_AUTH_ERR, false, LOG_WARNING, NULL,
                            NULL},
    [AWSSTS_OUT_STS_ERROR] = {"sts_error", "sts_error_allowed", AWSSTS_RESULT_UNAVAILABLE, true,
                              LOG_WARNING, UNAVAILABLE, WITHOUT},
    [AWSSTS_OUT_KEYS_ERROR] = {"keys_error", NULL, AWSSTS_RESULT_UNAVAILABLE, true, LOG_ERR,
                               UNAVAILABLE, WITHOUT},
    [AWSSTS_OUT_CONFIG_ERROR] = {"config_error", NULL, AWSSTS_RESULT_UNAVAILABLE, true, LOG_ERR,
                                 UNAVAILABLE, WITHOUT},
    [AWSSTS_OUT_LOCAL_ERROR] = {"local_error", NULL, AWSSTS_RESULT_UNAVAILABLE, true, LOG_ERR,
                                UNAVAILABLE, WITHOUT},
    [AWSSTS_OUT_NO_KEYS] = {"no_keys", NULL, AWSSTS_RESULT_IGNORE, false, LOG_INFO, WITHOUT, NULL},
    [AWSSTS_OUT_NO_KEYS_REQUIRED] = {"no_keys_required", NULL, AWSSTS_RESULT_AUTH_ERR, false,
                                     LOG_WARNING, UNAVAILABLE, NULL},
    [AWSSTS_OUT_HANDOFF_ERROR] = {"handoff_error", NULL, AWSSTS_RESULT_UNAVAILABLE, true, LOG_ERR,
                                  UNAVAILABLE, WITHOUT},
    /* The same words as for a user without keys who must have them. */
    [AWSSTS_OUT_UNKNOWN_USER] = {"unknown_user", NULL, AWSSTS_RESULT_USER_UNKNOWN, false,
                                 LOG_WARNING, UNAVAILABLE, NULL},
    /* A local caller's logins for others made too many key fetches
     * (lib/login/fetch_limit.h): nothing was fetched, the login fails. */
    [AWSSTS_OUT_RATE_LIMITED] =
        {"rate_limited", NULL, AWSSTS_RESULT_AUTH_ERR, false, LOG_WARNING,
         "Too many AWS logins from this account: wait a minute and try again.", NULL},
    [AWSSTS_OUT_SESSION_ERROR] = {NULL, NULL, AWSSTS_RESULT_PHASE_ERR, true, LOG_ERR, NULL, NULL},
};

const struct awssts_outcome_def *awssts_outcome(enum awssts_outcome o)
{
    return &outcomes[(unsigned)o < AWSSTS_OUT__COUNT ? o : AWSSTS_OUT_CONFIG_ERROR];
}

const char *awssts_outcome_label(enum awssts_outcome o, bool on_error_allow)
{
    const struct awssts_outcome_def *d = awssts_outcome(o);
    return on_error_allow && d->allowed_label != NULL ? d->allowed_label : d->label;
}

enum awssts_outcome_result awssts_outcome_result(enum awssts_outcome o, bool on_error_allow)
{
    const struct awssts_outcome_def *d = awssts_outcome(o);
    return d->soft && on_error_allow ? AWSSTS_RESULT_IGNORE : d->result;
}

const char *awssts_outcome_message(enum awssts_outcome o, bool on_error_allow, bool *info)
{
    const struct awssts_outcome_def *d = awssts_outcome(o);
    if (on_error_allow && d->soft) {
        *info = true;
        return d->allowed_message;
    }
    *info = d->result == AWSSTS_RESULT_IGNORE;
    return d->message;
}
