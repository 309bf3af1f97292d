/*
 * Internal: a user's long-term key set and the checks every source's keys
 * pass (the keys file, ~/.aws/credentials, an SSM parameter's value), so
 * that each source reads its own format and none checks keys its own way.
 */
#ifndef AWSSTS_KEY_SET_H
#define AWSSTS_KEY_SET_H

#include "awssts/error.h"

struct awssts_user_keys {
    char *access_key_id;
    char *secret_access_key;
    char *mfa_serial; /* aws_mfa_device or mfa_serial, if present */
    char *role_arn;   /* assume_role or role_arn, if present */
    char *source;     /* "FILE [SECTION]" or "ssm:NAME" they were read from */
    char region[32];  /* keys = ssm: with no region configured: the
                          instance's, from IMDS, for the login too */
};

void awssts_user_keys_free(struct awssts_user_keys *k);

/* A user's key values wherever they were read (borrowed strings). */
struct awssts_key_values {
    const char *access_key_id;
    const char *secret_access_key;
    const char *mfa_serial; /* NULL: none */
    const char *role_arn;   /* NULL or aws-mfa's "None": none */
};

/*
 * The checks every source's keys pass (key id and secret present and of
 * their shapes, an MFA device that is an ARN or serial, a role that is a
 * role ARN), then copies into k, with k->source "LABEL [SECTION]" (LABEL
 * alone when section is NULL). AWSSTS_E_CONFIG naming where, never a value.
 */
awssts_err awssts_user_keys_take(const struct awssts_key_values *v, const char *label,
                                 const char *section, struct awssts_user_keys *k,
                                 struct awssts_error_info *ei);

#endif
