/*
 * Internal: keys = ssm:NAME, a user's long-term keys from SSM Parameter
 * Store, read with the instance role's credentials from the instance
 * metadata service: the login's step on top of the SSM client (aws/ssm.h)
 * and IMDS (aws/imds.h), read into the key set every source fills. The
 * parameter must be a SecureString, so the keys are encrypted at rest with
 * KMS; its value is a JSON object:
 *
 *     {"aws_access_key_id": "AKIA...", "aws_secret_access_key": "...",
 *      "aws_mfa_device": "arn:aws:iam::123456789012:mfa/alice",
 *      "assume_role": "arn:aws:iam::123456789012:role/admin"}
 *
 * (mfa_serial and role_arn are accepted for the last two, as in a keys
 * file; any other member is refused by name).
 */
#ifndef AWSSTS_SSM_KEYS_H
#define AWSSTS_SSM_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "aws/transport.h"
#include "awssts/error.h"
#include "login/key_set.h"

struct ssm_keys_request {
    const char *name_template; /* NAME of keys = ssm:NAME, with %u and %U */
    const char *user;          /* for %u */
    uid_t uid;                 /* for %U */
    const char *imds_endpoint; /* NULL: http://169.254.169.254 */
    const char *region;        /* SSM's region; NULL: the instance's, from IMDS */
    const char *ssm_endpoint;  /* https://host[:port] override (VPC endpoint); NULL: regional */
    bool fips;
    bool dualstack;
    const char *account; /* ssm_account: the parameter's ARN must be in it; NULL: any */
};

/*
 * The user's keys: the parameter's name from the template, the instance
 * role's credentials (and, without r->region, the instance's region) from
 * IMDSv2, GetParameter with decryption signed with them, the value read
 * into k (k->source "ssm:NAME"). All of it on t, within its one deadline.
 *
 * AWSSTS_E_NO_KEYS: no such parameter (ParameterNotFound): the user has no
 * keys. AWSSTS_E_CONFIG: the template is not a valid name; the parameter
 * is not a SecureString; its value is not an object of the members above,
 * or its keys fail the checks of a keys file. AWSSTS_E_INVALID_ARGUMENT:
 * the user name cannot be part of a parameter name, or a bad region or
 * endpoint. AWSSTS_E_ACCESS_DENIED: SSM or KMS refused (the detail names
 * KMS when it was the decryption). The IMDS errors of imds.h, and the
 * transport's (timeout, network, TLS, throttled after the retries, server,
 * bad response) for SSM. ei is required.
 */
awssts_err awssts_ssm_user_keys(struct transport *t, const struct ssm_keys_request *r,
                                struct awssts_user_keys *k, struct awssts_error_info *ei);

/* The value (a JSON object) into k; label names it in details ("ssm:NAME")
 * and becomes k->source. AWSSTS_E_CONFIG for anything wrong, naming the
 * member, never a value. */
awssts_err awssts_ssm_keys_from_value(const char *value, size_t len, const char *label,
                                      struct awssts_user_keys *k, struct awssts_error_info *ei);

#endif
