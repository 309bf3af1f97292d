/* The login's keys, device, role, flow and region: one preparation for the
 * module and awssts check. */
#include "login/login_plan.h"

#include "util/error_set.h"

#include <stdlib.h>
#include <string.h>

/* role_arn, else the keys' own role, else the first of roles. */
static const char *login_role(const struct awssts_settings *s, const struct awssts_user_keys *k,
                              enum awssts_role_from *from)
{
    if (s->role_arn != NULL) {
        *from = AWSSTS_ROLE_FROM_CONFIG;
        return s->role_arn;
    }
    if (k->role_arn != NULL) {
        *from = AWSSTS_ROLE_FROM_KEYS;
        return k->role_arn;
    }
    if (s->role_list.n > 0) {
        *from = AWSSTS_ROLE_FROM_ROLES;
        return s->role_list.v[0].arn;
    }
    *from = AWSSTS_ROLE_FROM_NONE;
    return NULL;
}

awssts_err awssts_login_decide(struct awssts_settings *s, const char *user,
                               const struct awssts_user_keys *k, struct awssts_login_decision *d,
                               enum awssts_outcome *o, struct awssts_error_info *ei)
{
    memset(d, 0, sizeof(*d));
    *o = AWSSTS_OUT_SUCCESS;
    if (s->region == NULL && k->region[0] != '\0') {
        /* keys = ssm: with no region configured: the instance's, from
         * IMDS, for STS too; the log line says so. */
        if ((s->region = strdup(k->region)) == NULL) {
            *o = AWSSTS_OUT_LOCAL_ERROR;
            return awssts_error_set(ei, AWSSTS_E_NOMEM, "the instance's region");
        }
        d->region_from_imds = true;
    }
    d->region = s->region;
    d->role_arn = login_role(s, k, &d->role_from);
    if (d->role_arn == NULL)
        d->flow = "session-token";
    else
        d->flow = s->flow == AWSSTS_FLOW_SESSION ? "session+role" : "direct-role";
    d->serial_from_keys = s->mfa_serial == NULL;
    d->mfa_serial = s->mfa_serial != NULL ? s->mfa_serial : k->mfa_serial;
    if (d->mfa_serial == NULL) {
        awssts_error_info_reset(ei);
        *o = AWSSTS_OUT_CONFIG_ERROR;
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "no mfa_serial for user %s (config or keys file)", user);
    }
    return AWSSTS_OK;
}

awssts_err awssts_login_prepare(struct awssts_settings *s, const struct passwd *pw,
                                const struct awssts_as_user *as_user, struct awssts_user_keys *k,
                                struct awssts_login_decision *d, enum awssts_outcome *o,
                                struct awssts_error_info *ei)
{
    memset(d, 0, sizeof(*d));
    awssts_err rc = awssts_keys_load(s, pw, as_user, k, ei);
    if (rc == AWSSTS_E_NO_KEYS) {
        *o = s->require ? AWSSTS_OUT_NO_KEYS_REQUIRED : AWSSTS_OUT_NO_KEYS;
        return rc;
    }
    if (rc != AWSSTS_OK) {
        *o = rc == AWSSTS_E_NOT_FOUND ? AWSSTS_OUT_CONFIG_ERROR : AWSSTS_OUT_KEYS_ERROR;
        return rc;
    }
    rc = awssts_login_decide(s, pw->pw_name, k, d, o, ei);
    d->keys_loaded = true;
    return rc;
}

const char *awssts_role_from_text(enum awssts_role_from from)
{
    switch (from) {
    case AWSSTS_ROLE_FROM_CONFIG:
        return "role_arn";
    case AWSSTS_ROLE_FROM_KEYS:
        return "the keys' assume_role";
    case AWSSTS_ROLE_FROM_ROLES:
        return "the first of roles";
    case AWSSTS_ROLE_FROM_NONE:
        break;
    }
    return "none";
}
