/*
 * Internal: a user's long-term keys, as the module reads them and as
 * `awssts check --probe` proves them: from the root-owned keys file
 * (section [USER], read like the configuration file, with iniparser) or,
 * with keys = home, from the user's ~/.aws/credentials [PROFILE-long-term]
 * (read as the AWS CLI reads it, with the user's own rights).
 */
#ifndef AWSSTS_USER_KEYS_H
#define AWSSTS_USER_KEYS_H

#include <pwd.h>

#include "login/as_user.h"
#include "login/key_set.h"
#include "awssts/error.h"
#include "login/options.h"

/*
 * AWSSTS_E_NO_KEYS: the user has none (no keys configured, no [USER]
 * section; with keys = home, no ~/.aws/credentials or no section in it).
 * A configured keys file that is missing or unreadable is not that: it is
 * AWSSTS_E_NOT_FOUND or another error, with the file named. keys =
 * ssm:NAME reads them from SSM Parameter Store with the instance role
 * (ssm.h), on a client of s's TLS, CA, proxy and retry settings within one
 * timeout of its own (the user's typing is never counted against the STS
 * calls); a parameter that does not exist is AWSSTS_E_NO_KEYS.
 */
/*
 * The user's home: env_home ($HOME, which only awssts, run by the user
 * himself, passes) when set and not empty, else the password database's
 * (pw may be NULL: then NULL). The module passes NULL: a setuid caller's
 * environment is not the target user's.
 */
const char *awssts_home_dir(const struct passwd *pw, const char *env_home);

/*
 * The long-term keys of home's .aws/credentials, section
 * [PROFILE-long-term], under aws-mfa's key names or the AWS CLI's (aws-mfa's
 * role "None" is no role), checked as every source's keys are. The file
 * must be owner's with no access for group or others. Read here for the
 * module's keys = home (with the user's rights) and for awssts's renewal.
 * AWSSTS_E_NO_KEYS: no home, no file or no section.
 */
awssts_err awssts_home_keys_read(const char *home, uid_t owner, const char *profile,
                                 struct awssts_user_keys *k, struct awssts_error_info *ei);

awssts_err awssts_keys_load(const struct awssts_settings *s, const struct passwd *pw,
                            const struct awssts_as_user *as_user, struct awssts_user_keys *k,
                            struct awssts_error_info *ei);

#endif
