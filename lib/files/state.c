/* The state file, in the credentials-file syntax: [awssts] (one table of
 * fields), [mfa_session], [role]. */
#include "files/state.h"
#include "awssts/config.h"
#include "awssts/credfile.h"
#include "awssts/endpoint.h"
#include "awssts/secret.h"
#include "awssts/timeutil.h"
#include "awssts/validate.h"
#include "util/error_set.h"
#include "rules/roles.h"
#include "util/text.h"
#include "aws/uri.h"
#include "aws/imds.h"
#include "awssts/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAIN  "awssts"
#define NAMED "role:" /* + a role's name: its credentials */
#define O(f)  offsetof(struct awssts_state, f)

/* [awssts]'s keys, in the order they are written: the file stays byte for
 * byte what it was. */
enum {
    F_user,
    F_region,
    F_endpoint,
    F_fips,
    F_dualstack,
    F_ca_file,
    F_ca_path,
    F_proxy,
    F_connect_timeout,
    F_timeout,
    F_profile,
    F_flow,
    F_duration,
    F_role_arn,
    F_role_session_name,
    F_role_duration,
    F_source_identity,
    F_roles,
    F_tags,
    F_transitive_tags,
    F_keys_source,
    F_external_id,
    F_mfa_serial,
    F_export_region,
    F_export_endpoint,
    F__COUNT
};

/* A kept option's field: its name, limits and default from its one row
 * (files/option_rows.h); a string's absence stays NULL (an old file has
 * no source_identity: none is sent). */
#define SF_STRING                       AWSSTS_SF_STRING
#define SF_PATH                         AWSSTS_SF_STRING
#define SF_BOOL                         AWSSTS_SF_BOOL
#define SF_LONG                         AWSSTS_SF_LONG
#define SF_FLOW                         AWSSTS_SF_FLOW
#define OPT_DEFAULT(v)                  (v)
#define OPT_SHOWN(sh)                   NULL
#define STATE_KEPT(n, t, sf, d, lo, hi) [F_##n] = {#n, SF_##t, O(sf), (lo), (hi), d},
#define STATE_NOT_KEPT(n, t, sf, d, lo, hi)
#define AWSSTS_OPTION(n, t, f, d, lo, hi, g, sec, keep, sf, text) STATE_##keep(n, t, sf, d, lo, hi)

static const struct awssts_state_field fields[F__COUNT] = {
    /* What the state keeps that is no option: the login's own. */
    [F_user] = {"user", AWSSTS_SF_STRING, O(user), 0, 0, NULL},
    [F_role_arn] = {"role_arn", AWSSTS_SF_STRING, O(role_arn), 0, 0, NULL},
    [F_keys_source] = {"keys_source", AWSSTS_SF_STRING, O(keys_source), 0, 0, NULL},
    [F_mfa_serial] = {"mfa_serial", AWSSTS_SF_STRING, O(mfa_serial), 0, 0, NULL},
#include "files/option_rows.h"
};

#undef AWSSTS_OPTION
#undef STATE_KEPT
#undef STATE_NOT_KEPT
#undef OPT_DEFAULT
#undef OPT_SHOWN

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

const struct awssts_state_field *awssts_state_fields(size_t *count)
{
    *count = N_FIELDS;
    return fields;
}

/* A field of st, by the table's offset: to read, and to fill. */
static const void *field_of(const struct awssts_state *st, const struct awssts_state_field *f)
{
    return (const char *)st + f->offset;
}

static void *field_in(struct awssts_state *st, const struct awssts_state_field *f)
{
    return (char *)st + f->offset;
}

static char **string_at(struct awssts_state *st, const struct awssts_state_field *f)
{
    return field_in(st, f);
}

static bool *bool_at(struct awssts_state *st, const struct awssts_state_field *f)
{
    return field_in(st, f);
}

static long *long_at(struct awssts_state *st, const struct awssts_state_field *f)
{
    return field_in(st, f);
}

static awssts_err put_creds(struct awssts_credfile *cf, const char *section,
                            const struct awssts_credentials *c, struct awssts_error_info *ei)
{
    char exp[21];
    if (awssts_time_format_iso8601(c->expiration, exp) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "state: bad expiration");
    const char *pairs[][2] = {
        {"aws_access_key_id", c->access_key_id},   {"aws_secret_access_key", c->secret_access_key},
        {"aws_session_token", c->session_token},   {"expiration", exp},
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

/* One field's text; NULL when absent. buf holds numbers and the proxy. */
static const char *field_text(const struct awssts_state *st, const struct awssts_state_field *f,
                              char *buf, size_t len, struct awssts_error_info *ei)
{
    switch (f->type) {
    case AWSSTS_SF_STRING: {
        const char *v = *(char *const *)field_of(st, f);
        /* The proxy's credentials are the administrator's: never in the user's file. */
        if (v != NULL && f->offset == O(proxy)) {
            if (!awssts_uri_without_userinfo(v, buf, len)) {
                awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "state: proxy URL too long");
                return NULL;
            }
            return buf;
        }
        return v;
    }
    case AWSSTS_SF_BOOL:
        return *(const bool *)field_of(st, f) ? "yes" : "no";
    case AWSSTS_SF_LONG:
        snprintf(buf, len, "%ld", *(const long *)field_of(st, f));
        return buf;
    case AWSSTS_SF_FLOW:
        return *(const bool *)field_of(st, f) ? "direct" : "session";
    }
    return NULL;
}

awssts_err awssts_state_serialize(const struct awssts_state *st, char **text, size_t *len,
                                  struct awssts_error_info *ei)
{
    struct awssts_credfile *cf = awssts_credfile_new();
    if (cf == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    char version[8];
    snprintf(version, sizeof(version), "%d", AWSSTS_STATE_VERSION);
    awssts_err rc = awssts_credfile_set(cf, MAIN, "version", version, ei);
    for (size_t i = 0; rc == AWSSTS_OK && i < N_FIELDS; i++) {
        char buf[1024];
        struct awssts_error_info fei;
        awssts_error_info_reset(&fei);
        const char *v = field_text(st, &fields[i], buf, sizeof(buf), &fei);
        if (fei.code != AWSSTS_OK)
            rc = awssts_error_set(ei, fei.code, "%s", fei.detail);
        else if (v != NULL)
            rc = awssts_credfile_set(cf, MAIN, fields[i].key, v, ei);
    }
    if (rc == AWSSTS_OK && st->has_mfa_session)
        rc = put_creds(cf, "mfa_session", &st->mfa_session, ei);
    if (rc == AWSSTS_OK && st->has_role)
        rc = put_creds(cf, "role", &st->role, ei);
    for (size_t i = 0; rc == AWSSTS_OK && i < st->n_named; i++) {
        char section[64];
        snprintf(section, sizeof(section), NAMED "%s", st->named[i].name);
        rc = put_creds(cf, section, &st->named[i].creds, ei);
        if (rc == AWSSTS_OK && st->named[i].profile[0] != '\0')
            rc = awssts_credfile_set(cf, section, "profile", st->named[i].profile, ei);
    }
    if (rc == AWSSTS_OK && awssts_credfile_serialize(cf, text, len) != AWSSTS_OK)
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    awssts_credfile_free(cf);
    return rc;
}

/* One field from its text (absent: the default). */
static awssts_err field_parse(struct awssts_state *st, const struct awssts_state_field *f,
                              const char *v, struct awssts_error_info *ei)
{
    switch (f->type) {
    case AWSSTS_SF_STRING:
        if (v == NULL || *v == '\0')
            return AWSSTS_OK;
        *string_at(st, f) = strdup(v);
        return *string_at(st, f) != NULL ? AWSSTS_OK : awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    case AWSSTS_SF_BOOL:
        if (!awssts_parse_bool(v != NULL ? v : f->dflt, bool_at(st, f)))
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "state: %s is not yes or no", f->key);
        return AWSSTS_OK;
    case AWSSTS_SF_LONG:
        if (!awssts_text_parse_long(v != NULL ? v : f->dflt, f->min, f->max, long_at(st, f)))
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "state: %s out of range", f->key);
        return AWSSTS_OK;
    case AWSSTS_SF_FLOW:
        v = v != NULL ? v : f->dflt;
        if (strcmp(v, "direct") != 0 && strcmp(v, "session") != 0)
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "state: flow is not session or direct");
        *bool_at(st, f) = strcmp(v, "direct") == 0;
        return AWSSTS_OK;
    }
    return awssts_error_set(ei, AWSSTS_E_INTERNAL, "state: field %s of unknown type", f->key);
}

static awssts_err take_creds(const struct awssts_credfile *cf, const char *section,
                             struct awssts_credentials *c, bool *have, struct awssts_error_info *ei)
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
    if (!c->access_key_id || !c->secret_access_key || !c->session_token ||
        (arn && !c->assumed_role_arn))
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    *have = true;
    return AWSSTS_OK;
}

/* A key of [awssts] this version does not know: refused, as it may change
 * what a renewal does. */
static awssts_err check_known_keys(const char *text, size_t len, struct awssts_error_info *ei)
{
    bool in_main = false;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        size_t tn = 0;
        const char *t = awssts_text_span_trim(p, n, &tn);
        p = nl ? nl + 1 : end;
        if (tn == 0 || *t == '#' || *t == ';')
            continue;
        if (*t == '[') {
            in_main = tn == sizeof(MAIN) + 1 && strncmp(t, "[" MAIN "]", tn) == 0;
            continue;
        }
        if (!in_main)
            continue;
        size_t kn = 0;
        /* Within the line: the text need not end with a NUL. */
        const char *eq = memchr(t, '=', tn);
        const char *k = awssts_text_span_trim(t, eq != NULL ? (size_t)(eq - t) : tn, &kn);
        bool known = kn == 7 && strncmp(k, "version", 7) == 0;
        for (size_t i = 0; !known && i < N_FIELDS; i++)
            known = strlen(fields[i].key) == kn && strncmp(fields[i].key, k, kn) == 0;
        if (!known)
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "state: unknown key '%.*s'",
                                    (int)(kn < 40 ? kn : 40), k);
    }
    return AWSSTS_OK;
}

/* The named roles' credentials: a [role:NAME] for each role of the list
 * that has been taken; a [role:...] of no listed role is not read. */
static awssts_err take_named(const struct awssts_credfile *cf, struct awssts_state *st,
                             struct awssts_error_info *ei)
{
    struct awssts_roles roles;
    if (awssts_roles_parse(st->roles, &roles, ei) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "state: roles invalid");
    awssts_err rc = AWSSTS_OK;
    for (size_t i = 0; rc == AWSSTS_OK && i < roles.n; i++) {
        char section[64];
        snprintf(section, sizeof(section), NAMED "%s", roles.v[i].name);
        if (!awssts_credfile_has_section(cf, section))
            continue;
        struct awssts_state_role *r = awssts_state_named(st, roles.v[i].name, true);
        bool have = false;
        if (r == NULL) {
            rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
            break;
        }
        rc = take_creds(cf, section, &r->creds, &have, ei);
        const char *profile = awssts_credfile_get(cf, section, "profile");
        if (rc == AWSSTS_OK && profile != NULL) {
            if (!awssts_valid_profile_name(profile) || strlen(profile) >= sizeof(r->profile))
                rc = awssts_error_set(ei, AWSSTS_E_CONFIG, "state: [%s] profile invalid", section);
            else
                snprintf(r->profile, sizeof(r->profile), "%s", profile);
        }
    }
    awssts_roles_free(&roles);
    return rc;
}

struct awssts_state_role *awssts_state_named(struct awssts_state *st, const char *name, bool create)
{
    for (size_t i = 0; i < st->n_named; i++)
        if (strcmp(st->named[i].name, name) == 0)
            return &st->named[i];
    if (!create || strlen(name) >= sizeof(st->named[0].name))
        return NULL;
    struct awssts_state_role *v = realloc(st->named, (st->n_named + 1) * sizeof(*v));
    if (v == NULL)
        return NULL;
    st->named = v;
    struct awssts_state_role *r = &st->named[st->n_named++];
    memset(r, 0, sizeof(*r));
    snprintf(r->name, sizeof(r->name), "%s", name);
    return r;
}

static bool roles_valid(const char *text)
{
    struct awssts_roles r;
    if (awssts_roles_parse(text, &r, NULL) != AWSSTS_OK)
        return false;
    awssts_roles_free(&r);
    return true;
}

awssts_err awssts_state_parse(const char *text, size_t len, struct awssts_state *st,
                              struct awssts_error_info *ei)
{
    memset(st, 0, sizeof(*st));
    struct awssts_credfile *cf = NULL;
    awssts_err rc = awssts_credfile_parse(text, len, &cf, ei);
    if (rc != AWSSTS_OK)
        return rc;
    const char *version = awssts_credfile_get(cf, MAIN, "version");
    if (version == NULL || strlen(version) != 1 || version[0] < '1' || version[0] > '3') {
        rc = awssts_error_set(ei, AWSSTS_E_CONFIG, "state: unknown version");
        goto out;
    }
    rc = check_known_keys(text, len, ei);
    for (size_t i = 0; rc == AWSSTS_OK && i < N_FIELDS; i++)
        rc = field_parse(st, &fields[i], awssts_credfile_get(cf, MAIN, fields[i].key), ei);
    if (rc == AWSSTS_OK)
        rc = take_creds(cf, "mfa_session", &st->mfa_session, &st->has_mfa_session, ei);
    if (rc == AWSSTS_OK)
        rc = take_creds(cf, "role", &st->role, &st->has_role, ei);
    if (rc == AWSSTS_OK)
        rc = take_named(cf, st, ei);
    if (rc != AWSSTS_OK)
        goto out;
    struct awssts_endpoint ep;
    struct awssts_endpoint_options eo = {st->region, st->endpoint, st->fips, st->dualstack};
    if (st->profile == NULL || !awssts_valid_profile_name(st->profile) ||
        awssts_endpoint_resolve(&eo, &ep, NULL) != AWSSTS_OK ||
        (st->role_arn != NULL && !awssts_valid_role_arn(st->role_arn)) ||
        (st->role_session_name != NULL && !awssts_valid_session_name(st->role_session_name)) ||
        (st->mfa_serial != NULL && !awssts_valid_mfa_serial(st->mfa_serial)) ||
        (st->source_identity != NULL && !awssts_valid_source_identity(st->source_identity)) ||
        !roles_valid(st->roles) ||
        (st->keys_source != NULL && strncmp(st->keys_source, "ssm:", 4) != 0) ||
        awssts_session_tags_parse(st->tags, st->transitive_tags, NULL, &st->tag_list, NULL) !=
            AWSSTS_OK ||
        (!st->has_mfa_session && !st->has_role))
        rc = awssts_error_set(ei, AWSSTS_E_CONFIG,
                              "state: region, endpoint, profile, role, source identity, roles, "
                              "tags or credentials invalid");
out:
    awssts_credfile_free(cf);
    if (rc != AWSSTS_OK)
        awssts_state_free(st);
    return rc;
}

const struct awssts_credentials *awssts_state_current(const struct awssts_state *st)
{
    return st->has_role ? &st->role : &st->mfa_session;
}

void awssts_state_client_options(const struct awssts_state *st, struct awssts_client_options *o)
{
    memset(o, 0, sizeof(*o));
    o->struct_size = sizeof(*o);
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

void awssts_state_free(struct awssts_state *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < N_FIELDS; i++) {
        if (fields[i].type != AWSSTS_SF_STRING)
            continue;
        char **slot = string_at(st, &fields[i]);
        if (fields[i].offset == O(proxy))
            awssts_secret_free(*slot); /* the proxy URL may carry a password */
        else
            free(*slot);
        *slot = NULL;
    }
    awssts_credentials_clear(&st->mfa_session);
    awssts_credentials_clear(&st->role);
    for (size_t i = 0; i < st->n_named; i++)
        awssts_credentials_clear(&st->named[i].creds);
    free(st->named);
    awssts_session_tags_free(&st->tag_list);
    memset(st, 0, sizeof(*st));
}
