/*
 * Internal: a user's settings put to use, the same way by the module and
 * by awssts check: the renewal state they give, the STS client options,
 * and the login (the plan from the settings, on one client, so the TLS
 * connection is reused and one deadline covers every call).
 */
#ifndef AWSSTS_SETTINGS_LOGIN_H
#define AWSSTS_SETTINGS_LOGIN_H

#include "awssts/sts.h"
#include "login/login_flow.h"
#include "login/options.h"
#include "files/state.h"
#include "login/key_set.h"

/* The connection and role part of a renewal state, borrowing s's strings. */
void awssts_settings_state(const struct awssts_settings *s, struct awssts_state *st);

/* The client options of the settings (borrowed strings); user_agent names
 * the caller ("pam", "check"). */
void awssts_settings_client_options(const struct awssts_settings *s, const char *user_agent,
                                    struct awssts_client_options *o);

/* The calls for this user: mfa_serial and role_arn as decided from the
 * configuration and the keys (awssts_login_decide, login_plan.h). */
awssts_err awssts_settings_login(const struct awssts_settings *s, const struct awssts_user_keys *k,
                                 const char *mfa_serial, const char *role_arn, const char *code,
                                 struct awssts_login_result *out, struct awssts_error_info *ei);

#endif
