/*
 * Internal: the renewal state a login leaves for awssts: how to reach STS,
 * which role to assume, what to export, and the MFA session's credentials
 * that renew the role without a new code. Written by the PAM module (and
 * rewritten by awssts), 0600, the user's. A format between the module and
 * the helper of the same release, not exported by the shared library.
 */
#ifndef AWSSTS_STATE_H
#define AWSSTS_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include "awssts/error.h"
#include "awssts/sts.h"
#include "rules/session_tags.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A named role (roles =) taken from the MFA session, kept for renewals. */
struct awssts_state_role {
    char name[33];    /* as in roles */
    char profile[65]; /* its section in the credentials file; "": not written there */
    struct awssts_credentials creds;
};

struct awssts_state {
    char *user;
    char *region;
    char *endpoint;
    char *ca_file;
    char *ca_path;
    char *proxy;
    char *profile;
    char *role_arn;
    char *role_session_name;
    char *source_identity; /* sent again on every renewal (version 3) */
    char *roles;           /* NAME=ARN ... (version 3) */
    char *tags;            /* KEY=VALUE ..., as sent (version 3) */
    char *keys_source;     /* keys = ssm:NAME of the login, NULL for keys on disk (version 3) */
    char *transitive_tags; /* KEY ... (version 3) */
    char *external_id;
    char *mfa_serial;
    long connect_timeout; /* seconds */
    long timeout;         /* seconds */
    long duration;        /* GetSessionToken seconds */
    long role_duration;
    struct awssts_credentials mfa_session;
    struct awssts_credentials role;
    bool fips;
    bool dualstack;
    bool flow_direct;     /* false: session flow */
    bool export_region;   /* AWS_REGION and AWS_DEFAULT_REGION (version 2; 1: yes) */
    bool export_endpoint; /* AWS_ENDPOINT_URL_STS when endpoint is set (version 2; 1: yes) */
    bool has_mfa_session;
    bool has_role;
    struct awssts_state_role *named; /* [role:NAME] (version 3) */
    size_t n_named;
    struct awssts_session_tags tag_list; /* tags and transitive_tags, parsed when read */
};

/* The file's version: 2 added export_region and export_endpoint, 3
 * source_identity, roles, tags and named roles; 1 and 2 are still read. */
#define AWSSTS_STATE_VERSION 3

/* The fields of [awssts], one line each, in the order they are written; an
 * option's (files/option_rows.h) with its name, limits and default. */
enum awssts_state_field_type { AWSSTS_SF_STRING, AWSSTS_SF_BOOL, AWSSTS_SF_LONG, AWSSTS_SF_FLOW };
struct awssts_state_field {
    const char *key;
    enum awssts_state_field_type type;
    size_t offset;    /* in struct awssts_state */
    long min, max;    /* AWSSTS_SF_LONG */
    const char *dflt; /* an absent BOOL, LONG or FLOW: as if this were written */
};
const struct awssts_state_field *awssts_state_fields(size_t *count);

/* The text of the state file, for awssts_secret_free. A proxy's credentials
 * are never written. */
awssts_err awssts_state_serialize(const struct awssts_state *st, char **text, size_t *len,
                                  struct awssts_error_info *ei);

/* Parse; every value checked as when it was first accepted. */
awssts_err awssts_state_parse(const char *text, size_t len, struct awssts_state *st,
                              struct awssts_error_info *ei);

/* The credentials the user holds: the role's, else the MFA session's. */
const struct awssts_credentials *awssts_state_current(const struct awssts_state *st);

/* Client options from the state (borrowed strings). */
void awssts_state_client_options(const struct awssts_state *st, struct awssts_client_options *o);

/* The named role's entry; with create, a new empty one when there is none
 * (NULL only when out of memory). */
struct awssts_state_role *awssts_state_named(struct awssts_state *st, const char *name,
                                             bool create);

void awssts_state_free(struct awssts_state *st);

#ifdef __cplusplus
}
#endif
#endif
