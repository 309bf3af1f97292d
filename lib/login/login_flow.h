/*
 * Internal: the STS calls of a login, written once for the module, awssts
 * refresh and awssts login. With a code: GetSessionToken, then (flow
 * session) AssumeRole signed with that MFA session; or (flow direct)
 * AssumeRole with the code; without a role, GetSessionToken alone. Without
 * a code: the role again, signed with the MFA session. All calls of one
 * login share the client's one deadline; a role assumed with temporary
 * credentials is capped at STS's one hour here, and only here.
 */
#ifndef AWSSTS_LOGIN_FLOW_H
#define AWSSTS_LOGIN_FLOW_H

#include <stdbool.h>

#include "awssts/sts.h"
#include "files/state.h"
#include "login/options.h"
#include "rules/session_tags.h"

struct awssts_login_plan {
    enum awssts_flow flow;
    const char *mfa_serial; /* required with a code */
    const char *role_arn;   /* NULL: the MFA session's credentials are the user's */
    const char *role_session_name;
    long session_duration; /* GetSessionToken seconds; 0: STS's default */
    long role_duration;    /* AssumeRole seconds; 0: STS's default */
    const char *external_id;
    const char *source_identity;            /* sent on every AssumeRole when set */
    const struct awssts_session_tags *tags; /* sent on every AssumeRole; NULL: none */
};

struct awssts_login_result {
    struct awssts_credentials session; /* the MFA session, when there is one */
    struct awssts_credentials role;    /* the role's credentials, when there is a role */
    bool has_session;
    bool has_role;
    char *role_arn; /* the plan's, kept for the state and the hand-off */
    char *mfa_serial;
    char host[256];          /* the endpoint's Host, for the log */
    char region[32];         /* the region STS was called in */
    char request_id[80];     /* of the last call */
    const char *failed_call; /* "GetSessionToken" or "AssumeRole" when one failed */
    long long latency_ms;
};

/*
 * The plan of a login's state: the module's login takes it from the state
 * its settings give (awssts_settings_state), renewal from the state the
 * login left, so the role session name, the durations, the external id, the
 * source identity and the tags of both are the one rule here. The session
 * name is the state's, else (a state written before it kept one) the user's
 * name. Strings and tags are borrowed from st.
 */
void awssts_login_plan_of_state(const struct awssts_state *st, struct awssts_login_plan *p);

/*
 * aws-mfa's plan (awssts login): AssumeRole with the code when there is a
 * role, else GetSessionToken; duration is that one call's. It differs from
 * the module's on purpose: aws-mfa's users expect its calls, and it has no
 * external id, source identity or tags to send.
 */
void awssts_login_plan_aws_mfa(const char *mfa_serial, const char *role_arn,
                               const char *role_session_name, long duration,
                               struct awssts_login_plan *p);

/* The login with a code; out keeps host, request id and latency on failure too. */
awssts_err awssts_login_run(struct awssts_client *c, const struct awssts_keys *keys,
                            const struct awssts_login_plan *plan, const char *code,
                            struct awssts_login_result *out, struct awssts_error_info *ei);

/* The plan's role again, signed with mfa_session (no code). */
awssts_err awssts_login_renew_role(struct awssts_client *c,
                                   const struct awssts_credentials *mfa_session,
                                   const struct awssts_login_plan *plan,
                                   struct awssts_credentials *role, struct awssts_error_info *ei);

/* The credentials the user gets: the role's, else the MFA session's. */
const struct awssts_credentials *awssts_login_final(const struct awssts_login_result *r);

void awssts_login_result_clear(struct awssts_login_result *r);

#endif
