/* One login's STS calls, on one client so the TLS connection is reused. */
#include "login.h"
#include "awssts/state.h"
#include "error_set.h"
#include "retry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pas_client_options(const struct awssts_settings *s, struct awssts_client_options *o)
{
    struct awssts_state st;
    pas_settings_state(s, &st);
    awssts_state_client_options(&st, o);
    o->user_agent = "pam";
}

const struct awssts_credentials *pas_login_final(const struct pas_login *l)
{
    return l->has_role ? &l->role : &l->session;
}

awssts_err pas_login_run(const struct awssts_settings *s, const struct awssts_user_keys *k,
                         const char *mfa_serial, const char *role_arn, const char *code,
                         struct pas_login *out, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    struct awssts_client_options o;
    pas_client_options(s, &o);
    struct awssts_client *c = NULL;
    awssts_err rc = awssts_client_new(&o, &c, ei);
    if (rc != AWSSTS_OK)
        return rc;
    snprintf(out->host, sizeof(out->host), "%s", awssts_client_host(c));
    if ((role_arn != NULL && (out->role_arn = strdup(role_arn)) == NULL) ||
        (out->mfa_serial = strdup(mfa_serial)) == NULL) {
        awssts_client_free(c);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }

    long long t0 = awssts_now_ms();
    struct awssts_keys lt = {k->access_key_id, k->secret_access_key, NULL};
    if (role_arn == NULL || s->flow == AWSSTS_FLOW_SESSION) {
        struct awssts_session_token_request req = {
            .duration_seconds = (int)s->duration, .serial_number = mfa_serial, .token_code = code,
        };
        rc = awssts_get_session_token(c, &lt, &req, &out->session, ei);
        out->has_session = rc == AWSSTS_OK;
        snprintf(out->request_id, sizeof(out->request_id), "%s", ei->request_id);
    }
    if (rc == AWSSTS_OK && role_arn != NULL) {
        struct awssts_assume_role_request req = {
            .role_arn = role_arn,
            .role_session_name = s->role_session_name,
            .duration_seconds = (int)s->role_duration,
            .external_id = s->external_id,
        };
        struct awssts_keys signer = lt;
        if (s->flow == AWSSTS_FLOW_SESSION) {
            signer = (struct awssts_keys){out->session.access_key_id,
                                          out->session.secret_access_key,
                                          out->session.session_token};
        } else {
            req.serial_number = mfa_serial;
            req.token_code = code;
        }
        rc = awssts_assume_role(c, &signer, &req, &out->role, ei);
        out->has_role = rc == AWSSTS_OK;
        snprintf(out->request_id, sizeof(out->request_id), "%s", ei->request_id);
    }
    out->latency_ms = awssts_now_ms() - t0;
    awssts_client_free(c);
    if (rc != AWSSTS_OK) {
        char host[256], rid[80];
        long long lat = out->latency_ms;
        memcpy(host, out->host, sizeof(host));
        memcpy(rid, out->request_id, sizeof(rid));
        pas_login_clear(out);
        memcpy(out->host, host, sizeof(host));
        memcpy(out->request_id, rid, sizeof(rid));
        out->latency_ms = lat;
    }
    return rc;
}

void pas_login_clear(struct pas_login *l)
{
    awssts_credentials_clear(&l->session);
    awssts_credentials_clear(&l->role);
    free(l->role_arn);
    free(l->mfa_serial);
    memset(l, 0, sizeof(*l));
}
