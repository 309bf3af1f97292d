/* A parameter's value as a user's keys: a JSON object of strings under the
 * names a keys file uses, checked as a keys file's are (user_keys.c). */
#include "login/ssm_keys.h"
#include "util/error_set.h"
#include "json/json.h"

#include <stdio.h>
#include <string.h>

static const char *const members[] = {
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_mfa_device",
    "mfa_serial", /* aws-mfa's name, the AWS CLI's */
    "assume_role",
    "role_arn",
    NULL,
};

/* Everything wrong with the value is the store's mistake: the detail names
 * the parameter and the member, never a value. */
static awssts_err in_value(awssts_err rc, const char *label, struct awssts_error_info *ei)
{
    if (rc == AWSSTS_OK || rc == AWSSTS_E_NOMEM)
        return rc;
    if (ei != NULL)
        ei->code = AWSSTS_E_CONFIG;
    char prefix[300];
    snprintf(prefix, sizeof(prefix), "%.200s: value", label);
    awssts_error_prefix(ei, prefix);
    return AWSSTS_E_CONFIG;
}

/* The string member name, or NULL when absent; any other type is refused. */
static awssts_err optional(const struct awssts_json *d, const char *name, const char **v,
                           struct awssts_error_info *ei)
{
    *v = NULL;
    if (!awssts_json_has(d, name))
        return AWSSTS_OK;
    return awssts_json_get_string(d, name, v, ei);
}

/* One of two names for the same thing; both is ambiguous. */
static awssts_err one_of(const struct awssts_json *d, const char *a, const char *b, const char **v,
                         struct awssts_error_info *ei)
{
    const char *va = NULL, *vb = NULL;
    awssts_err rc = optional(d, a, &va, ei);
    if (rc == AWSSTS_OK)
        rc = optional(d, b, &vb, ei);
    if (rc == AWSSTS_OK && va != NULL && vb != NULL)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "has both %s and %s: give one", a, b);
    *v = va != NULL ? va : vb;
    return rc;
}

awssts_err awssts_ssm_keys_from_value(const char *value, size_t len, const char *label,
                                      struct awssts_user_keys *k, struct awssts_error_info *ei)
{
    memset(k, 0, sizeof(*k));
    if (label == NULL)
        label = "ssm";
    struct awssts_json *d = NULL;
    awssts_err rc = awssts_json_parse(value != NULL ? value : "", value != NULL ? len : 0, &d, ei);
    if (rc != AWSSTS_OK)
        return in_value(rc, label, ei);
    struct awssts_key_values v = {0};
    rc = awssts_json_only_members(d, members, ei);
    if (rc == AWSSTS_OK)
        rc = optional(d, "aws_access_key_id", &v.access_key_id, ei);
    if (rc == AWSSTS_OK)
        rc = optional(d, "aws_secret_access_key", &v.secret_access_key, ei);
    if (rc == AWSSTS_OK)
        rc = one_of(d, "aws_mfa_device", "mfa_serial", &v.mfa_serial, ei);
    if (rc == AWSSTS_OK)
        rc = one_of(d, "assume_role", "role_arn", &v.role_arn, ei);
    rc = in_value(rc, label, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_user_keys_take(&v, label, NULL, k, ei);
    awssts_json_free(d); /* zeroes the secret */
    return rc;
}
