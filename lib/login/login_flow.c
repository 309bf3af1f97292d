/* A login's STS calls, in the order the flow gives, on one client. */
#include "login/login_flow.h"
#include "awssts/secret.h"
#include "awssts/validate.h"
#include "util/error_set.h"
#include "util/retry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A role assumed with temporary credentials gets at most an hour from STS. */
static long chained_duration(long wanted)
{
    return wanted > AWSSTS_CHAINED_ROLE_DURATION_MAX ? AWSSTS_CHAINED_ROLE_DURATION_MAX : wanted;
}

void awssts_login_plan_of_state(const struct awssts_state *st, struct awssts_login_plan *p)
{
    *p = (struct awssts_login_plan){
        .flow = st->flow_direct ? AWSSTS_FLOW_DIRECT : AWSSTS_FLOW_SESSION,
        .mfa_serial = st->mfa_serial,
        .role_arn = st->role_arn,
        .role_session_name = st->role_session_name ? st->role_session_name : st->user,
        .session_duration = st->duration,
        .role_duration = st->role_duration,
        .external_id = st->external_id,
        .source_identity = st->source_identity,
        .tags = &st->tag_list,
    };
}

void awssts_login_plan_aws_mfa(const char *mfa_serial, const char *role_arn,
                               const char *role_session_name, long duration,
                               struct awssts_login_plan *p)
{
    *p = (struct awssts_login_plan){
        .flow = AWSSTS_FLOW_DIRECT,
        .mfa_serial = mfa_serial,
        .role_arn = role_arn,
        .role_session_name = role_session_name,
        .session_duration = role_arn ? 0 : duration,
        .role_duration = role_arn ? duration : 0,
    };
}

static awssts_err assume(struct awssts_client *c, const struct awssts_keys *signer,
                         const struct awssts_login_plan *plan, long duration, const char *code,
                         struct awssts_credentials *out, struct awssts_error_info *ei)
{
    struct awssts_assume_role_request req = {
        .struct_size = sizeof(req),
        .role_arn = plan->role_arn,
        .role_session_name = plan->role_session_name,
        .duration_seconds = (int)duration,
        .serial_number = code != NULL ? plan->mfa_serial : NULL,
        .token_code = code,
        .external_id = plan->external_id,
        .source_identity = plan->source_identity,
    };
    if (plan->tags != NULL) {
        req.tags = plan->tags->tags;
        req.n_tags = plan->tags->n_tags;
        req.transitive_tag_keys = (const char *const *)plan->tags->transitive;
        req.n_transitive_tag_keys = plan->tags->n_transitive;
    }
    return awssts_assume_role(c, signer, &req, out, ei);
}

awssts_err awssts_login_run(struct awssts_client *c, const struct awssts_keys *keys,
                            const struct awssts_login_plan *plan, const char *code,
                            struct awssts_login_result *out, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->host, sizeof(out->host), "%s", awssts_client_host(c));
    if ((plan->role_arn != NULL && (out->role_arn = strdup(plan->role_arn)) == NULL) ||
        (plan->mfa_serial != NULL && (out->mfa_serial = strdup(plan->mfa_serial)) == NULL))
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);

    long long t0 = awssts_now_ms();
    awssts_err rc = AWSSTS_OK;
    bool direct = plan->role_arn != NULL && plan->flow == AWSSTS_FLOW_DIRECT;
    if (!direct) {
        struct awssts_session_token_request req = {
            .struct_size = sizeof(req),
            .duration_seconds = (int)plan->session_duration,
            .serial_number = plan->mfa_serial,
            .token_code = code,
        };
        rc = awssts_get_session_token(c, keys, &req, &out->session, ei);
        out->has_session = rc == AWSSTS_OK;
        if (rc != AWSSTS_OK)
            out->failed_call = "GetSessionToken";
        snprintf(out->request_id, sizeof(out->request_id), "%s", ei->request_id);
    }
    if (rc == AWSSTS_OK && plan->role_arn != NULL) {
        if (direct) {
            rc = assume(c, keys, plan, plan->role_duration, code, &out->role, ei);
        } else {
            struct awssts_keys signer = {out->session.access_key_id, out->session.secret_access_key,
                                         out->session.session_token};
            rc = assume(c, &signer, plan, chained_duration(plan->role_duration), NULL, &out->role,
                        ei);
            /* The keys STS just accepted are not what it refuses here: its
             * own session credentials are, which "check the key id and
             * secret" would wrongly send an administrator to. */
            if (rc == AWSSTS_E_INVALID_KEYS) {
                const char *why = "AssumeRole refused the MFA session it had just issued";
                if (ei->detail[0] != '\0')
                    awssts_error_prefix(ei, why);
                else
                    awssts_error_set(ei, AWSSTS_E_STS_REJECTED, "%s", why);
                rc = ei->code = AWSSTS_E_STS_REJECTED;
            }
        }
        out->has_role = rc == AWSSTS_OK;
        if (rc != AWSSTS_OK)
            out->failed_call = "AssumeRole";
        snprintf(out->request_id, sizeof(out->request_id), "%s", ei->request_id);
    }
    out->latency_ms = awssts_now_ms() - t0;
    if (rc != AWSSTS_OK) {
        /* Nothing half-obtained is kept; what the log needs is. */
        awssts_credentials_clear(&out->session);
        awssts_credentials_clear(&out->role);
        out->has_session = out->has_role = false;
    }
    return rc;
}

awssts_err awssts_login_renew_role(struct awssts_client *c,
                                   const struct awssts_credentials *mfa_session,
                                   const struct awssts_login_plan *plan,
                                   struct awssts_credentials *role, struct awssts_error_info *ei)
{
    struct awssts_keys signer = {mfa_session->access_key_id, mfa_session->secret_access_key,
                                 mfa_session->session_token};
    return assume(c, &signer, plan, chained_duration(plan->role_duration), NULL, role, ei);
}

const struct awssts_credentials *awssts_login_final(const struct awssts_login_result *r)
{
    return r->has_role ? &r->role : &r->session;
}

void awssts_login_result_clear(struct awssts_login_result *r)
{
    awssts_credentials_clear(&r->session);
    awssts_credentials_clear(&r->role);
    free(r->role_arn);
    free(r->mfa_serial);
    memset(r, 0, sizeof(*r));
}
