/*
 * Internal: every way a login's auth phase ends (and its session phase's
 * failure, whose result on_error decides the same way): its label in the log line,
 * its result, the syslog level and what the user is told. One table, which
 * the module's log line reads, awssts check names its problems with, and
 * `make check` compares with the troubleshooting table of docs/bastion.md.
 */
#ifndef AWSSTS_OUTCOME_H
#define AWSSTS_OUTCOME_H

#include <stdbool.h>

enum awssts_outcome {
    AWSSTS_OUT_SUCCESS,
    AWSSTS_OUT_MFA_CODE_REJECTED,
    AWSSTS_OUT_BAD_CODE_FORMAT,
    AWSSTS_OUT_NO_CODE,
    AWSSTS_OUT_STS_ERROR,
    AWSSTS_OUT_KEYS_ERROR,
    AWSSTS_OUT_CONFIG_ERROR,
    AWSSTS_OUT_LOCAL_ERROR,
    AWSSTS_OUT_NO_KEYS,
    AWSSTS_OUT_NO_KEYS_REQUIRED,
    AWSSTS_OUT_HANDOFF_ERROR,
    AWSSTS_OUT_UNKNOWN_USER,
    AWSSTS_OUT_RATE_LIMITED,
    /* setcred or open_session could not write or export the login's
     * credentials; logged as "PHASE: detail", with no outcome= line. */
    AWSSTS_OUT_SESSION_ERROR,
    AWSSTS_OUT__COUNT
};

/* What the login does; the module turns it into a PAM code. */
enum awssts_outcome_result {
    AWSSTS_RESULT_SUCCESS,
    AWSSTS_RESULT_AUTH_ERR,     /* the login fails: PAM_AUTH_ERR */
    AWSSTS_RESULT_UNAVAILABLE,  /* the login fails: PAM_AUTHINFO_UNAVAIL */
    AWSSTS_RESULT_IGNORE,       /* the login goes on without AWS credentials: PAM_IGNORE */
    AWSSTS_RESULT_USER_UNKNOWN, /* PAM_USER_UNKNOWN */
    AWSSTS_RESULT_PHASE_ERR,    /* the session phase fails: PAM_CRED_ERR or PAM_SESSION_ERR */
};

struct awssts_outcome_def {
    const char *label; /* as logged: outcome=LABEL; NULL: no outcome= line */
    const char
        *allowed_label; /* instead, when on_error = allow let the login go on; NULL: the same */
    enum awssts_outcome_result result;
    bool soft;                   /* on_error = allow makes it AWSSTS_RESULT_IGNORE */
    int level;                   /* syslog priority */
    const char *message;         /* to the user, through the conversation; NULL: none */
    const char *allowed_message; /* instead, when on_error = allow let the login go on */
};

/* What the user is told: short, and nothing an attacker could use (no ARN,
 * the same words for "no such user" as for "no keys"). *info: an
 * information, not an error. NULL: nothing. */
const char *awssts_outcome_message(enum awssts_outcome o, bool on_error_allow, bool *info);

const struct awssts_outcome_def *awssts_outcome(enum awssts_outcome o);

/* The label as logged, given on_error. */
const char *awssts_outcome_label(enum awssts_outcome o, bool on_error_allow);

/* The result, given on_error. */
enum awssts_outcome_result awssts_outcome_result(enum awssts_outcome o, bool on_error_allow);

#endif
