/* The state file, in the credentials-file syntax: [awssts], [mfa_session], [role]. */
#include "awssts/state.h"
#include "awssts/credfile.h"
#include "awssts/config.h"
#include "awssts/endpoint.h"
#include "awssts/secret.h"
#include "awssts/timeutil.h"
#include "awssts/validate.h"
#include "error_set.h"
#include "text.h"
#include "uri.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAIN "awssts"

static awssts_err put_creds(struct awssts_credfile *cf, const char *section,
                            const struct awssts_credentials *c, struct awssts_error_info *ei)
{
    char exp[21];
    if (awssts_time_format_iso8601(c->expiration, exp) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "state: bad expiration");
    const char *pairs[][2] = {
        {"aws_access_key_id", c->access_key_id},
        {"aws_secret_access_key", c->secret_access_key},
        {"aws_session_token", c->session_token},
        {"expiration", exp},
        {"assumed_role_arn", c->assumed_role_arn},
    };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        if (pairs[i][1] == NULL)
            continue;
        awssts_err rc = awssts_credfile_set(cf, section, pairs[i][0], pairs[i][1], ei);
        if (rc != AWSSTS_OK)
            return rc;
    }
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_state_serialize(const struct awssts_state *st, char **text,
                                             size_t *len, struct awssts_error_info *ei)
{
    struct awssts_credfile *cf = awssts_credfile_new();
    if (cf == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    /* The proxy's credentials are the administrator's: never in the user's file. */
    char proxy[1024];
    if (st->proxy != NULL && !awssts_uri_without_userinfo(st->proxy, proxy, sizeof(proxy))) {
        awssts_credfile_free(cf);
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "state: proxy URL too long");
    }
    char num[4][24];
    snprintf(num[0], 24, "%ld", st->connect_timeout);
    snprintf(num[1], 24, "%ld", st->timeout);
    snprintf(num[2], 24, "%ld", st->duration);
    snprintf(num[3], 24, "%ld", st->role_duration);
    const char *pairs[][2] = {
        {"version", "1"},
        {"user", st->user},
        {"region", st->region},
        {"endpoint", st->endpoint},
        {"fips", st->fips ? "yes" : "no"},
        {"dualstack", st->dualstack ? "yes" : "no"},
        {"ca_file", st->ca_file},
        {"ca_path", st->ca_path},
        {"proxy", st->proxy ? proxy : NULL},
        {"connect_timeout", num[0]},
        {"timeout", num[1]},
        {"profile", st->profile},
        {"flow", st->flow_direct ? "direct" : "session"},
        {"duration", num[2]},
        {"role_arn", st->role_arn},
        {"role_session_name", st->role_session_name},
        {"role_duration", num[3]},
        {"external_id", st->external_id},
        {"mfa_serial", st->mfa_serial},
    };
    awssts_err rc = AWSSTS_OK;
    for (size_t i = 0; rc == AWSSTS_OK && i < sizeof(pairs) / sizeof(pairs[0]); i++)
        if (pairs[i][1] != NULL)
            rc = awssts_credfile_set(cf, MAIN, pairs[i][0], pairs[i][1], ei);
    if (rc == AWSSTS_OK && st->has_mfa_session)
        rc = put_creds(cf, "mfa_session", &st->mfa_session, ei);
    if (rc == AWSSTS_OK && st->has_role)
        rc = put_creds(cf, "role", &st->role, ei);
    if (rc == AWSSTS_OK && awssts_credfile_serialize(cf, text, len) != AWSSTS_OK)
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    awssts_credfile_free(cf);
    return rc;
}

static awssts_err dup_field(const struct awssts_credfile *cf, const char *key, char **out,
                            struct awssts_error_info *ei)
{
    const char *v = awssts_credfile_get(cf, MAIN, key);
    *out = NULL;
    if (v == NULL || *v == '\0')
        return AWSSTS_OK;
    if ((*out = strdup(v)) == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    return AWSSTS_OK;
}

static awssts_err get_long(const struct awssts_credfile *cf, const char *key, long min, long max,
                           long dflt, long *out, struct awssts_error_info *ei)
{
    const char *v = awssts_credfile_get(cf, MAIN, key);
    *out = dflt;
    if (v != NULL && !awssts_text_parse_long(v, min, max, out))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "state: %s out of range", key);
    return AWSSTS_OK;
}

static awssts_err get_bool(const struct awssts_credfile *cf, const char *key, bool *out,
                           struct awssts_error_info *ei)
{
    const char *v = awssts_credfile_get(cf, MAIN, key);
    *out = false;
    if (v != NULL && !awssts_parse_bool(v, out))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "state: %s is not yes or no", key);
    return AWSSTS_OK;
}

static awssts_err take_creds(const struct awssts_credfile *cf, const char *section,
                             struct awssts_credentials *c, bool *have,
                             struct awssts_error_info *ei)
{
    *have = false;
    if (!awssts_credfile_has_section(cf, section))
        return AWSSTS_OK;
    const char *id = awssts_credfile_get(cf, section, "aws_access_key_id");
    const char *sk = awssts_credfile_get(cf, section, "aws_secret_access_key");
    const char *tok = awssts_credfile_get(cf, section, "aws_session_token");
    const char *exp = awssts_credfile_get(cf, section, "expiration");
    const char *arn = awssts_credfile_get(cf, section, "assumed_role_arn");
    if (!awssts_valid_access_key_id(id) || !awssts_valid_secret_key(sk) ||
        !awssts_valid_session_token(tok) || exp == NULL ||
        awssts_time_parse(exp, &c->expiration) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "state: [%s] credentials malformed", section);
    c->access_key_id = awssts_secret_dup(id);
    c->secret_access_key = awssts_secret_dup(sk);
    c->session_token = awssts_secret_dup(tok);
    c->assumed_role_arn = arn ? strdup(arn) : NULL;
    if (!c->access_key_id || !c->secret_access_key || !c->session_token || (arn && !c->assumed_role_arn))
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    *have = true;
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_state_parse(const char *text, size_t len, struct awssts_state *st,
                                         struct awssts_error_info *ei)
{
    memset(st, 0, sizeof(*st));
    struct awssts_credfile *cf = NULL;
    awssts_err rc = awssts_credfile_parse(text, len, &cf, ei);
    if (rc != AWSSTS_OK)
        return rc;
    const char *version = awssts_credfile_get(cf, MAIN, "version");
    const char *flow = awssts_credfile_get(cf, MAIN, "flow");
    if (version == NULL || strcmp(version, "1") != 0) {
        rc = awssts_error_set(ei, AWSSTS_E_CONFIG, "state: unknown version");
        goto out;
    }
    char **strings[] = {&st->user, &st->region, &st->endpoint, &st->ca_file, &st->ca_path,
                        &st->proxy, &st->profile, &st->role_arn, &st->role_session_name,
                        &st->external_id, &st->mfa_serial};
    const char *keys[] = {"user", "region", "endpoint", "ca_file", "ca_path", "proxy",
                          "profile", "role_arn", "role_session_name", "external_id", "mfa_serial"};
    for (size_t i = 0; rc == AWSSTS_OK && i < sizeof(keys) / sizeof(keys[0]); i++)
        rc = dup_field(cf, keys[i], strings[i], ei);
    if (rc == AWSSTS_OK) rc = get_bool(cf, "fips", &st->fips, ei);
    if (rc == AWSSTS_OK) rc = get_bool(cf, "dualstack", &st->dualstack, ei);
    if (rc == AWSSTS_OK) rc = get_long(cf, "connect_timeout", 1, 60, 3, &st->connect_timeout, ei);
    if (rc == AWSSTS_OK) rc = get_long(cf, "timeout", 1, 300, 10, &st->timeout, ei);
    if (rc == AWSSTS_OK) rc = get_long(cf, "duration", AWSSTS_SESSION_DURATION_MIN, AWSSTS_SESSION_DURATION_MAX, 43200, &st->duration, ei);
    if (rc == AWSSTS_OK) rc = get_long(cf, "role_duration", AWSSTS_ROLE_DURATION_MIN, AWSSTS_ROLE_DURATION_MAX, 3600, &st->role_duration, ei);
    if (rc == AWSSTS_OK)
        rc = take_creds(cf, "mfa_session", &st->mfa_session, &st->has_mfa_session, ei);
    if (rc == AWSSTS_OK)
        rc = take_creds(cf, "role", &st->role, &st->has_role, ei);
    if (rc != AWSSTS_OK)
        goto out;
    st->flow_direct = flow != NULL && strcmp(flow, "direct") == 0;
    struct awssts_endpoint ep;
    struct awssts_endpoint_options eo = {st->region, st->endpoint, st->fips, st->dualstack};
    if (st->profile == NULL || !awssts_valid_profile_name(st->profile) ||
        awssts_endpoint_resolve(&eo, &ep, NULL) != AWSSTS_OK ||
        (st->role_arn != NULL && !awssts_valid_role_arn(st->role_arn)) ||
        (st->role_session_name != NULL && !awssts_valid_session_name(st->role_session_name)) ||
        (st->mfa_serial != NULL && !awssts_valid_mfa_serial(st->mfa_serial)) ||
        (!st->has_mfa_session && !st->has_role))
        rc = awssts_error_set(ei, AWSSTS_E_CONFIG, "state: region, endpoint, profile, role or credentials invalid");
out:
    awssts_credfile_free(cf);
    if (rc != AWSSTS_OK)
        awssts_state_free(st);
    return rc;
}

AWSSTS_API const struct awssts_credentials *awssts_state_current(const struct awssts_state *st)
{
    return st->has_role ? &st->role : &st->mfa_session;
}

AWSSTS_API void awssts_state_client_options(const struct awssts_state *st,
                                            struct awssts_client_options *o)
{
    memset(o, 0, sizeof(*o));
    o->region = st->region;
    o->endpoint = st->endpoint;
    o->fips = st->fips;
    o->dualstack = st->dualstack;
    o->ca_file = st->ca_file;
    o->ca_path = st->ca_path;
    o->proxy = st->proxy;
    o->connect_timeout_ms = st->connect_timeout * 1000;
    o->timeout_ms = st->timeout * 1000;
}

AWSSTS_API void awssts_state_free(struct awssts_state *st)
{
    if (st == NULL)
        return;
    char *strings[] = {st->user, st->region, st->endpoint, st->ca_file, st->ca_path,
                       st->profile, st->role_arn, st->role_session_name, st->external_id,
                       st->mfa_serial};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        free(strings[i]);
    awssts_secret_free(st->proxy);
    awssts_credentials_clear(&st->mfa_session);
    awssts_credentials_clear(&st->role);
    memset(st, 0, sizeof(*st));
}
