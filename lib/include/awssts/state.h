/*
 * The renewal state a login leaves for awssts: how to reach STS, which role
 * to assume, and the MFA session's credentials that renew the role without
 * a new code. Written by the PAM module (or awssts login), 0600, the user's.
 */
#ifndef AWSSTS_STATE_H
#define AWSSTS_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include "awssts/error.h"
#include "awssts/sts.h"

#ifdef __cplusplus
extern "C" {
#endif

struct awssts_state {
    char *user;
    char *region;
    char *endpoint;
    bool fips;
    bool dualstack;
    char *ca_file;
    char *ca_path;
    char *proxy;
    long connect_timeout;   /* seconds */
    long timeout;           /* seconds */
    char *profile;
    bool flow_direct;       /* false: session flow */
    long duration;          /* GetSessionToken seconds */
    char *role_arn;
    char *role_session_name;
    long role_duration;
    char *external_id;
    char *mfa_serial;
    struct awssts_credentials mfa_session;
    bool has_mfa_session;
    struct awssts_credentials role;
    bool has_role;
};

/* The text of the state file, for awssts_secret_free. */
AWSSTS_API awssts_err awssts_state_serialize(const struct awssts_state *st, char **text,
                                             size_t *len, struct awssts_error_info *ei);

/* Parse; every value checked as when it was first accepted. */
AWSSTS_API awssts_err awssts_state_parse(const char *text, size_t len, struct awssts_state *st,
                                         struct awssts_error_info *ei);

/* The credentials the user holds: the role's, else the MFA session's. */
AWSSTS_API const struct awssts_credentials *awssts_state_current(const struct awssts_state *st);

/* Client options from the state (borrowed strings). */
AWSSTS_API void awssts_state_client_options(const struct awssts_state *st,
                                            struct awssts_client_options *o);

AWSSTS_API void awssts_state_free(struct awssts_state *st);

#ifdef __cplusplus
}
#endif
#endif
