/* The STS calls of one login: GetSessionToken with the code, then (flow
 * session) AssumeRole with those session credentials; or (flow direct)
 * AssumeRole with the code. */
#ifndef PAS_LOGIN_H
#define PAS_LOGIN_H

#include <stdbool.h>

#include "awssts/sts.h"
#include "keys.h"
#include "settings.h"

struct pas_login {
    struct awssts_credentials session; /* the MFA session, when there is one */
    struct awssts_credentials role;    /* the role's credentials, when there is a role */
    bool has_session;
    bool has_role;
    char *role_arn;
    char *mfa_serial;
    char host[256];       /* endpoint host, for the log */
    char request_id[80];  /* of the last call */
    long long latency_ms;
};

/* The credentials the user gets: the role's, else the session's. */
const struct awssts_credentials *pas_login_final(const struct pas_login *l);

awssts_err pas_login_run(const struct awssts_settings *s, const struct awssts_user_keys *k,
                         const char *mfa_serial, const char *role_arn, const char *code,
                         struct pas_login *out, struct awssts_error_info *ei);

void pas_login_clear(struct pas_login *l);

/* Client options from settings (borrowed strings). */
void pas_client_options(const struct awssts_settings *s, struct awssts_client_options *o);

#endif
