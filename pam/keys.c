/* Long-term keys. aws-mfa's key names and the AWS CLI's are both read. */
#include "keys.h"
#include "awssts/credfile.h"
#include "awssts/secret.h"
#include "awssts/validate.h"
#include "error_set.h"

#include <fcntl.h>
#include <security/pam_modutil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *first_of(const struct awssts_credfile *cf, const char *section,
                            const char *a, const char *b)
{
    const char *v = awssts_credfile_get(cf, section, a);
    return v != NULL ? v : awssts_credfile_get(cf, section, b);
}

static awssts_err take_keys(const struct awssts_credfile *cf, const char *label,
                            const char *section, struct pas_keys *k,
                            struct awssts_error_info *ei)
{
    if (!awssts_credfile_has_section(cf, section))
        return awssts_error_set(ei, AWSSTS_E_NOT_FOUND, "%s: no [%s] section", label, section);
    const char *id = awssts_credfile_get(cf, section, "aws_access_key_id");
    const char *secret = awssts_credfile_get(cf, section, "aws_secret_access_key");
    const char *serial = first_of(cf, section, "aws_mfa_device", "mfa_serial");
    const char *role = first_of(cf, section, "assume_role", "role_arn");
    if (id == NULL || secret == NULL)
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s: [%s] needs aws_access_key_id and aws_secret_access_key",
                                label, section);
    if (!awssts_valid_access_key_id(id) || !awssts_valid_secret_key(secret))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: [%s] key id or secret is malformed",
                                label, section);
    if (serial != NULL && !awssts_valid_mfa_serial(serial))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: [%s] MFA device is not an ARN or serial",
                                label, section);
    /* aws-mfa writes "None" when there is no role. */
    if (role != NULL && strcmp(role, "None") != 0 && !awssts_valid_role_arn(role))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: [%s] role is not a role ARN", label,
                                section);
    k->access_key_id = awssts_secret_dup(id);
    k->secret_access_key = awssts_secret_dup(secret);
    k->mfa_serial = serial ? strdup(serial) : NULL;
    k->role_arn = (role && strcmp(role, "None") != 0) ? strdup(role) : NULL;
    if (k->access_key_id == NULL || k->secret_access_key == NULL ||
        (serial && !k->mfa_serial) || (role && strcmp(role, "None") != 0 && !k->role_arn)) {
        pas_keys_free(k);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    return AWSSTS_OK;
}

awssts_err pas_keys_load(pam_handle_t *pamh, const struct pas_settings *s,
                         const struct passwd *pw, struct pas_keys *k,
                         struct awssts_error_info *ei)
{
    memset(k, 0, sizeof(*k));
    if (s->keys == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOT_FOUND, "no keys configured");

    struct awssts_credfile *cf = NULL;
    awssts_err rc;
    if (strcmp(s->keys, "home") != 0) {
        /* Root's file: root-owned, 0600 or 0400. */
        struct awssts_file_policy pol = {.owner = 0, .forbidden = 0177};
        rc = awssts_credfile_load(AT_FDCWD, s->keys, &pol, &cf, ei);
        if (rc == AWSSTS_OK)
            rc = take_keys(cf, s->keys, pw->pw_name, k, ei);
        awssts_credfile_free(cf);
        return rc;
    }

    char path[4096], section[128];
    if (snprintf(path, sizeof(path), "%s/.aws/credentials", pw->pw_dir) >= (int)sizeof(path))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "home directory path too long");
    snprintf(section, sizeof(section), "%s-long-term", s->profile);

    /* Read as the user, so root's rights never reach into the home. */
    PAM_MODUTIL_DEF_PRIVS(privs);
    if (pam_modutil_drop_priv(pamh, &privs, pw) != 0)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "cannot switch to the user's rights");
    struct awssts_file_policy pol = {.owner = pw->pw_uid, .forbidden = 0077};
    rc = awssts_credfile_load(AT_FDCWD, path, &pol, &cf, ei);
    if (pam_modutil_regain_priv(pamh, &privs) != 0) {
        awssts_credfile_free(cf);
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "cannot switch back from the user's rights");
    }
    if (rc == AWSSTS_OK)
        rc = take_keys(cf, path, section, k, ei);
    awssts_credfile_free(cf);
    return rc;
}

void pas_keys_free(struct pas_keys *k)
{
    awssts_secret_free(k->access_key_id);
    awssts_secret_free(k->secret_access_key);
    free(k->mfa_serial);
    free(k->role_arn);
    memset(k, 0, sizeof(*k));
}
