/* A user's key set: the checks every source's keys pass, and its end. */
#include "login/key_set.h"
#include "awssts/secret.h"
#include "awssts/validate.h"
#include "util/error_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every source's keys pass the same checks, named by where they came from
 * ("FILE: [SECTION]", or a label alone) and never by a value. */
awssts_err awssts_user_keys_take(const struct awssts_key_values *f, const char *label,
                                 const char *section, struct awssts_user_keys *k,
                                 struct awssts_error_info *ei)
{
    memset(k, 0, sizeof(*k));
    char where[320];
    if (section != NULL)
        snprintf(where, sizeof(where), "%s: [%s]", label, section);
    else
        snprintf(where, sizeof(where), "%s:", label);
    if (f->access_key_id == NULL || f->secret_access_key == NULL)
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s needs aws_access_key_id and aws_secret_access_key", where);
    if (!awssts_valid_access_key_id(f->access_key_id) ||
        !awssts_valid_secret_key(f->secret_access_key))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s key id or secret is malformed", where);
    if (f->mfa_serial != NULL && !awssts_valid_mfa_serial(f->mfa_serial))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s MFA device is not an ARN or serial",
                                where);
    /* aws-mfa writes "None" when there is no role. */
    const char *role = f->role_arn != NULL && strcmp(f->role_arn, "None") != 0 ? f->role_arn : NULL;
    if (role != NULL && !awssts_valid_role_arn(role))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s role is not a role ARN", where);
    k->access_key_id = awssts_secret_dup(f->access_key_id);
    k->secret_access_key = awssts_secret_dup(f->secret_access_key);
    k->mfa_serial = f->mfa_serial ? strdup(f->mfa_serial) : NULL;
    k->role_arn = role ? strdup(role) : NULL;
    int n = section != NULL ? asprintf(&k->source, "%s [%s]", label, section)
                            : asprintf(&k->source, "%s", label);
    if (n < 0)
        k->source = NULL;
    if (k->access_key_id == NULL || k->secret_access_key == NULL || k->source == NULL ||
        (f->mfa_serial && !k->mfa_serial) || (role && !k->role_arn)) {
        awssts_user_keys_free(k);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    return AWSSTS_OK;
}

void awssts_user_keys_free(struct awssts_user_keys *k)
{
    awssts_secret_free(k->access_key_id);
    awssts_secret_free(k->secret_access_key);
    free(k->mfa_serial);
    free(k->role_arn);
    free(k->source);
    memset(k, 0, sizeof(*k));
}
