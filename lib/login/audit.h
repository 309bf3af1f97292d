/*
 * Internal: the one line a login attempt logs, in either format
 * (log_format = keyvalue or json), from one list of fields, so that both
 * carry the same fields in the same order. Nothing secret is ever among
 * them: the temporary access key id is the accessKeyId CloudTrail records
 * for every call made with the credentials (the join between the two), and
 * is not a secret; the secret key, the token and the code never reach this.
 */
#ifndef AWSSTS_AUDIT_H
#define AWSSTS_AUDIT_H

#include <stddef.h>

#include "awssts/error.h"

enum awssts_log_format { AWSSTS_LOG_KEYVALUE, AWSSTS_LOG_JSON };

/* NULL for a field: "-" in key=value, null in JSON. */
struct awssts_audit {
    const char *user;    /* NULL: a name that is no valid user name: "(invalid)" */
    const char *outcome; /* the outcome table's label */
    const char *region;
    const char *region_from; /* "config", or "imds": the instance's (keys = ssm:) */
    const char *endpoint;    /* the STS host[:port] called */
    const char *flow;        /* session-token, session+role, direct-role */
    const char *call;        /* the STS call that failed */
    const char *role_arn;
    const char *source_identity;
    const char *access_key_id; /* of the credentials the session gets */
    const char *rhost;         /* PAM_RHOST: the SSH client's address */
    const char *tty;           /* PAM_TTY */
    const char *request_id;    /* STS's, of the last call */
    long long latency_ms;
    const char *error; /* the error's text, for a failure */
};

/* One line (no newline) in format f, in *line (free()). */
awssts_err awssts_audit_format(const struct awssts_audit *a, enum awssts_log_format f, char **line,
                               struct awssts_error_info *ei);

/* The ith field's name, NULL past the last (the documentation's check). */
const char *awssts_audit_field_name(size_t i);

#endif
