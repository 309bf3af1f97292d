/* The module's login: the plan from its settings, on one client, so the
 * TLS connection is reused and one deadline covers every call. */
#include "login.h"
#include "state.h"

#include <string.h>

void pas_client_options(const struct awssts_settings *s, struct awssts_client_options *o)
{
    struct awssts_state st;
    pas_settings_state(s, &st);
    awssts_state_client_options(&st, o);
    o->user_agent = "pam";
}

awssts_err pas_login_run(const struct awssts_settings *s, const struct awssts_user_keys *k,
                         const char *mfa_serial, const char *role_arn, const char *code,
                         struct awssts_login_result *out, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    struct awssts_client_options o;
    pas_client_options(s, &o);
    struct awssts_client *c = NULL;
    awssts_err rc = awssts_client_new(&o, &c, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct awssts_login_plan plan = {
        .flow = s->flow,
        .mfa_serial = mfa_serial,
        .role_arn = role_arn,
        .role_session_name = s->role_session_name,
        .session_duration = s->duration,
        .role_duration = s->role_duration,
        .external_id = s->external_id,
    };
    struct awssts_keys lt = {k->access_key_id, k->secret_access_key, NULL};
    rc = awssts_login_run(c, &lt, &plan, code, out, ei);
    awssts_client_free(c);
    return rc;
}
