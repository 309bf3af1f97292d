/* The user's long-term keys: from the root-owned keys file (section [USER])
 * or, with keys = home, from ~/.aws/credentials [PROFILE-long-term] read
 * with the user's own rights. */
#ifndef PAS_KEYS_H
#define PAS_KEYS_H

#include <pwd.h>
#include <security/pam_modules.h>

#include "awssts/error.h"
#include "settings.h"

struct pas_keys {
    char *access_key_id;
    char *secret_access_key;
    char *mfa_serial;  /* aws_mfa_device or mfa_serial, if present */
    char *role_arn;    /* assume_role or role_arn, if present */
};

/* AWSSTS_E_NOT_FOUND: this user has no keys (no file or no section). */
awssts_err pas_keys_load(pam_handle_t *pamh, const struct pas_settings *s,
                         const struct passwd *pw, struct pas_keys *k,
                         struct awssts_error_info *ei);

void pas_keys_free(struct pas_keys *k);

#endif
