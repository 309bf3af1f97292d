/*
 * Internal: what a user's login does, decided in one place for the
 * module's auth and for awssts check, so that check says what the login
 * will do: the MFA device, the role, the flow, and the region STS is
 * called in.
 */
#ifndef AWSSTS_LOGIN_PLAN_H
#define AWSSTS_LOGIN_PLAN_H

#include <stdbool.h>

#include "awssts/error.h"
#include "login/options.h"
#include "login/outcome.h"
#include "login/user_keys.h"

#include <pwd.h>

/* Where the login's role comes from. */
enum awssts_role_from {
    AWSSTS_ROLE_FROM_NONE,   /* no role: session credentials only */
    AWSSTS_ROLE_FROM_CONFIG, /* role_arn */
    AWSSTS_ROLE_FROM_KEYS,   /* the keys' assume_role or role_arn */
    AWSSTS_ROLE_FROM_ROLES,  /* the first of roles = */
};

/* Strings borrowed from the settings and the keys. */
struct awssts_login_decision {
    const char *mfa_serial; /* mfa_serial, else the keys'; NULL: none */
    bool serial_from_keys;
    const char *role_arn; /* NULL: session credentials only */
    enum awssts_role_from role_from;
    const char *flow;      /* "session-token", "session+role" or "direct-role"; NULL when
                              the decision stopped before the role */
    const char *region;    /* s->region, the one STS is called in */
    bool region_from_imds; /* the instance's (keys = ssm: with no region configured) */
    bool keys_loaded;      /* awssts_login_prepare: the keys were read, the decision made */
};

/*
 * Decide user's login from the settings and the keys loaded for them.
 * With no region configured, the keys' (the instance's, keys = ssm:) is
 * copied into s->region, for the client, the state and the log too.
 * AWSSTS_OK, or a failure with its outcome in *o (no MFA device: a
 * configuration error, with d's role and flow still set; no memory).
 */
awssts_err awssts_login_decide(struct awssts_settings *s, const char *user,
                               const struct awssts_user_keys *k, struct awssts_login_decision *d,
                               enum awssts_outcome *o, struct awssts_error_info *ei);

/*
 * The login's preparation, the one the module's auth and awssts check make:
 * the user's keys (awssts_keys_load, k, freed by the caller) and then the
 * decision above. A keys failure has its outcome here, written once: no
 * keys is AWSSTS_OUT_NO_KEYS, or AWSSTS_OUT_NO_KEYS_REQUIRED with require;
 * a keys file the configuration names but that is not there is the
 * configuration's mistake (AWSSTS_OUT_CONFIG_ERROR), never "no keys", so it
 * never lets anyone in without MFA; any other is AWSSTS_OUT_KEYS_ERROR.
 * d->keys_loaded tells a keys failure from a decision's.
 */
awssts_err awssts_login_prepare(struct awssts_settings *s, const struct passwd *pw,
                                const struct awssts_as_user *as_user, struct awssts_user_keys *k,
                                struct awssts_login_decision *d, enum awssts_outcome *o,
                                struct awssts_error_info *ei);

/* Where the role comes from, for awssts check: "role_arn", ... */
const char *awssts_role_from_text(enum awssts_role_from from);

#endif
