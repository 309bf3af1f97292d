/* From a user's settings to the state, the client and the login. */
#include "login/settings_login.h"

#include <stdio.h>
#include <string.h>

void awssts_settings_state(const struct awssts_settings *s, struct awssts_state *st)
{
    memset(st, 0, sizeof(*st));
    st->region = s->region;
    st->endpoint = s->endpoint;
    st->fips = s->fips;
    st->dualstack = s->dualstack;
    st->ca_file = s->ca_file;
    st->ca_path = s->ca_path;
    st->proxy = s->proxy;
    st->connect_timeout = s->connect_timeout;
    st->timeout = s->timeout;
    st->profile = s->profile;
    st->flow_direct = s->flow == AWSSTS_FLOW_DIRECT;
    st->duration = s->duration;
    st->role_session_name = s->role_session_name;
    st->role_duration = s->role_duration;
    st->external_id = s->external_id;
    st->source_identity = s->source_identity;
    st->roles = s->roles;
    st->tags = s->tags;
    /* awssts cannot read SSM with the user's rights: it says so, not "no keys". */
    st->keys_source = s->keys != NULL && strncmp(s->keys, "ssm:", 4) == 0 ? s->keys : NULL;
    st->transitive_tags = s->transitive_tags;
    st->export_region = s->export_region;
    st->export_endpoint = s->export_endpoint;
}

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
