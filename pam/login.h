/* One login's STS calls (lib/login.h), with the module's settings. */
#ifndef PAS_LOGIN_H
#define PAS_LOGIN_H

#include "awssts/sts.h"
#include "keys.h"
#include "login_flow.h"
#include "settings.h"

/* The client options of the settings (borrowed strings). */
void pas_client_options(const struct awssts_settings *s, struct awssts_client_options *o);

/* The calls for this user: mfa_serial and role_arn as resolved from the
 * configuration and the keys. */
awssts_err pas_login_run(const struct awssts_settings *s, const struct awssts_user_keys *k,
                         const char *mfa_serial, const char *role_arn, const char *code,
                         struct awssts_login_result *out, struct awssts_error_info *ei);

#endif
