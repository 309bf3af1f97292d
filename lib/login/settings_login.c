/* From a user's settings to the state, the client and the login. */
#include "login/settings_login.h"
#include "aws/imds.h"
#include "awssts/validate.h"

#include <stdio.h>
#include <string.h>

/* Each option the state keeps, by its row (files/option_rows.h): the flow
 * is the state's flow_direct, every other value is the same type. */
#define COPY_STRING(to, from) (to) = (from)
#define COPY_PATH(to, from)   (to) = (from)
#define COPY_BOOL(to, from)   (to) = (from)
#define COPY_LONG(to, from)   (to) = (from)
#define COPY_FLOW(to, from)   (to) = (from) == AWSSTS_FLOW_DIRECT
#define COPY_KEPT(t, f, sf)   COPY_##t(st->sf, s->f);
#define COPY_NOT_KEPT(t, f, sf)
#define AWSSTS_OPTION(n, t, f, d, lo, hi, g, sec, keep, sf, text) COPY_##keep(t, f, sf)

void awssts_settings_state(const struct awssts_settings *s, struct awssts_state *st)
{
    memset(st, 0, sizeof(*st));
#include "files/option_rows.h"
    /* awssts cannot read SSM with the user's rights: it says so, not "no keys". */
    st->keys_source = s->keys != NULL && strncmp(s->keys, "ssm:", 4) == 0 ? s->keys : NULL;
}

#undef AWSSTS_OPTION
#undef COPY_KEPT
#undef COPY_NOT_KEPT

void awssts_settings_client_options(const struct awssts_settings *s, const char *user_agent,
                                    struct awssts_client_options *o)
{
    struct awssts_state st;
    awssts_settings_state(s, &st);
    awssts_state_client_options(&st, o);
    o->user_agent = user_agent;
}

awssts_err awssts_settings_login(const struct awssts_settings *s, const struct awssts_user_keys *k,
                                 const char *mfa_serial, const char *role_arn, const char *code,
                                 struct awssts_login_result *out, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    struct awssts_client_options o;
    awssts_settings_client_options(s, "pam", &o);
    struct awssts_client *c = NULL;
    awssts_err rc = awssts_client_new(&o, &c, ei);
    if (rc != AWSSTS_OK)
        return rc;
    /* The plan renewal takes from the state, from the state these settings
     * give; the device and role are the login's decision, and the tags the
     * settings' own parsed list (the state parses its text when read). */
    struct awssts_state st;
    awssts_settings_state(s, &st);
    struct awssts_login_plan plan;
    awssts_login_plan_of_state(&st, &plan);
    plan.mfa_serial = mfa_serial;
    plan.role_arn = role_arn;
    plan.tags = &s->tag_list;
    struct awssts_keys lt = {k->access_key_id, k->secret_access_key, NULL};
    rc = awssts_login_run(c, &lt, &plan, code, out, ei);
    snprintf(out->region, sizeof(out->region), "%s", s->region);
    awssts_client_free(c);
    return rc;
}
