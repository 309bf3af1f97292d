/* The user's long-term keys (lib/keys.h), read from the user's home with
 * the user's rights through pam_modutil. */
#ifndef PAS_KEYS_H
#define PAS_KEYS_H

#include <pwd.h>
#include <security/pam_modules.h>

#include "awssts/error.h"
#include "user_keys.h"
#include "settings.h"

awssts_err pas_keys_load(pam_handle_t *pamh, const struct awssts_settings *s,
                         const struct passwd *pw, struct awssts_user_keys *k,
                         struct awssts_error_info *ei);

#endif
