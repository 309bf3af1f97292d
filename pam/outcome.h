/* Every way a login's auth phase ends: its label in the log line, the PAM
 * result, and the syslog level. One table, which the log line (key=value,
 * and later JSON) reads and `make check` compares with the troubleshooting
 * table of docs/bastion.md. */
#ifndef PAS_OUTCOME_H
#define PAS_OUTCOME_H

#include <stdbool.h>

enum pas_outcome {
    PAS_OUT_SUCCESS,
    PAS_OUT_MFA_CODE_REJECTED,
    PAS_OUT_BAD_CODE_FORMAT,
    PAS_OUT_STS_ERROR,
    PAS_OUT_KEYS_ERROR,
    PAS_OUT_CONFIG_ERROR,
    PAS_OUT_LOCAL_ERROR,
    PAS_OUT_NO_KEYS,
    PAS_OUT_NO_KEYS_REQUIRED,
    PAS_OUT_HANDOFF_ERROR,
    PAS_OUT_UNKNOWN_USER,
    PAS_OUT__COUNT
};

struct pas_outcome_def {
    const char *label;         /* as logged: outcome=LABEL */
    const char *allowed_label; /* instead, when on_error = allow let the login go on; NULL: the same */
    int pam;                   /* what authenticate returns */
    bool soft;                 /* on_error = allow makes it PAM_IGNORE */
    int level;                 /* syslog priority */
    const char *message;       /* to the user, through the conversation; NULL: none */
    const char *allowed_message; /* instead, when on_error = allow let the login go on */
};

/* What the user is told: short, and nothing an attacker could use (no ARN,
 * the same words for "no such user" as for "no keys"). *style is
 * PAM_ERROR_MSG or PAM_TEXT_INFO. NULL: nothing. */
const char *pas_outcome_message(enum pas_outcome o, bool on_error_allow, int *style);

const struct pas_outcome_def *pas_outcome(enum pas_outcome o);

/* The label as logged, given on_error. */
const char *pas_outcome_label(enum pas_outcome o, bool on_error_allow);

/* The PAM result, given on_error. */
int pas_outcome_pam(enum pas_outcome o, bool on_error_allow);

#endif
