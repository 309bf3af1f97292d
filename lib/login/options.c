/* The option table, and resolving one user's settings from the file. */
#include "login/options.h"
#include "awssts/config.h"
#include "awssts/endpoint.h"
#include "awssts/secret.h"
#include "awssts/sts.h"
#include "awssts/validate.h"
#include "util/error_set.h"
#include "aws/imds.h"
#include "rules/roles.h"
#include "aws/service_endpoint.h"
#include "aws/ssm.h"
#include "rules/session_tags.h"
#include "rules/template.h"
#include "util/text.h"
#include "aws/uri.h"

#include <grp.h>
#include <sys/stat.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The table from the rows of files/option_rows.h; a default is shown as code. */
#define OPT_DEFAULT(v) .value = (v), .shown = "`" v "`"
#define OPT_SHOWN(sh)  .value = NULL, .shown = (sh)
#define AWSSTS_OPTION(n, t, f, d, lo, hi, g, sec, keep, sf, text)                                  \
    {.name = #n,                                                                                   \
     .type = AWSSTS_OPT_##t,                                                                       \
     .offset = offsetof(struct awssts_settings, f),                                                \
     d,                                                                                            \
     .min = (lo),                                                                                  \
     .max = (hi),                                                                                  \
     .global_only = (g),                                                                           \
     .secret = (sec),                                                                              \
     .state_kept = (keep),                                                                         \
     .doc = (text)},
#define KEPT     true
#define NOT_KEPT false

static const struct awssts_option options[] = {
#include "files/option_rows.h"
};

#undef AWSSTS_OPTION
#undef OPT_DEFAULT
#undef OPT_SHOWN
#undef KEPT
#undef NOT_KEPT

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

const struct awssts_option *awssts_options(size_t *count)
{
    *count = N_OPTIONS;
    return options;
}

static awssts_err set_string(char **slot, const char *v)
{
    char *d = strdup(v);
    if (d == NULL)
        return AWSSTS_E_NOMEM;
    free(*slot);
    *slot = d;
    return AWSSTS_OK;
}

/* One value of option o into s; where names the file and section. */
static awssts_err apply(const struct awssts_option *o, const char *v, const char *where,
                        struct awssts_settings *s, struct awssts_error_info *ei)
{
    char *base = (char *)s;
    void *slot = base + o->offset;
    switch (o->type) {
    case AWSSTS_OPT_PATH:
        if (v[0] != '/')
            return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                    "%s %s = '%.60s': must be an absolute path", where, o->name, v);
        /* fall through */
    case AWSSTS_OPT_STRING:
        if (awssts_text_has_ctl(v, strlen(v)))
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s %s has a control character", where,
                                    o->name);
        return set_string(slot, v) == AWSSTS_OK ? AWSSTS_OK
                                                : awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    case AWSSTS_OPT_BOOL:
        if (!awssts_parse_bool(v, slot))
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s %s = '%.40s': expected yes or no",
                                    where, o->name, v);
        return AWSSTS_OK;
    case AWSSTS_OPT_LONG:
        if (!awssts_text_parse_long(v, o->min, o->max, slot))
            return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                    "%s %s = '%.40s': expected a whole number from %ld to %ld",
                                    where, o->name, v, o->min, o->max);
        return AWSSTS_OK;
    case AWSSTS_OPT_FLOW:
        if (strcasecmp(v, "session") == 0)
            s->flow = AWSSTS_FLOW_SESSION;
        else if (strcasecmp(v, "direct") == 0)
            s->flow = AWSSTS_FLOW_DIRECT;
        else
            return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                    "%s flow = '%.20s': expected session or direct", where, v);
        return AWSSTS_OK;
    case AWSSTS_OPT_LOG_FORMAT:
        if (strcasecmp(v, "keyvalue") == 0)
            s->log_format = AWSSTS_LOG_KEYVALUE;
        else if (strcasecmp(v, "json") == 0)
            s->log_format = AWSSTS_LOG_JSON;
        else
            return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                    "%s log_format = '%.20s': expected keyvalue or json", where, v);
        return AWSSTS_OK;
    case AWSSTS_OPT_ON_ERROR:
        if (strcasecmp(v, "allow") == 0)
            s->on_error_allow = true;
        else if (strcasecmp(v, "deny") == 0)
            s->on_error_allow = false;
        else
            return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                    "%s on_error = '%.20s': expected deny or allow", where, v);
        return AWSSTS_OK;
    }
    return awssts_error_set(ei, AWSSTS_E_INTERNAL, "option %s of unknown type", o->name);
}

/* The values of one section; each one's origin is recorded (origins may be NULL). */
static awssts_err apply_section(const struct awssts_config *cfg, const char *section,
                                struct awssts_settings *s, struct awssts_setting_origin *origins,
                                struct awssts_error_info *ei)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const char *v = awssts_config_get(cfg, section, options[i].name);
        if (v == NULL)
            continue;
        size_t line = awssts_config_line(cfg, section, options[i].name);
        char where[400];
        snprintf(where, sizeof(where), "%s: line %zu: [%s]", awssts_config_path(cfg), line,
                 section);
        awssts_err rc = apply(&options[i], v, where, s, ei);
        if (rc != AWSSTS_OK)
            return rc;
        if (origins != NULL) {
            snprintf(origins[i].section, sizeof(origins[i].section), "%s", section);
            origins[i].line = line;
        }
    }
    return AWSSTS_OK;
}

/* The first key of a section that the table does not name, with its line. */
struct unknown {
    const struct awssts_config *cfg;
    char message[400];
};

static void first_unknown(void *ctx, const char *section, const char *key)
{
    struct unknown *u = ctx;
    if (u->message[0] == '\0')
        snprintf(u->message, sizeof(u->message), "%s: line %zu: [%s] unknown key '%.60s'",
                 awssts_config_path(u->cfg), awssts_config_line(u->cfg, section, key), section,
                 key);
}

/*
 * Every section of the file, whoever logs in: only [global], [group:NAME]
 * and [user:NAME], only the table's keys, a [global]-only key nowhere else.
 * A typo anywhere is the configuration's fault, never silently ignored: a
 * misspelled role_arn would log users in without their role.
 */
awssts_err awssts_settings_check_names(const struct awssts_config *cfg,
                                       struct awssts_error_info *ei)
{
    const char *known[N_OPTIONS + 1];
    for (size_t i = 0; i < N_OPTIONS; i++)
        known[i] = options[i].name;
    known[N_OPTIONS] = NULL;
    const char *path = awssts_config_path(cfg);
    for (int i = 0; i < awssts_config_section_count(cfg); i++) {
        const char *sec = awssts_config_section_name(cfg, i);
        bool global = strcmp(sec, "global") == 0;
        if (!global && !((strncmp(sec, "group:", 6) == 0 && sec[6] != '\0') ||
                         (strncmp(sec, "user:", 5) == 0 && sec[5] != '\0')))
            return awssts_error_set(
                ei, AWSSTS_E_CONFIG,
                "%s: line %zu: unknown section [%.60s] (global, group:NAME or user:NAME)", path,
                awssts_config_line(cfg, sec, NULL), sec);
        struct unknown u = {.cfg = cfg};
        awssts_config_unknown_keys(cfg, sec, known, first_unknown, &u);
        if (u.message[0] != '\0')
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s", u.message);
        for (size_t j = 0; !global && j < N_OPTIONS; j++)
            if (options[j].global_only && awssts_config_get(cfg, sec, options[j].name) != NULL)
                return awssts_error_set(
                    ei, AWSSTS_E_CONFIG, "%s: line %zu: [%s] %s is allowed in [global] only", path,
                    awssts_config_line(cfg, sec, options[j].name), sec, options[j].name);
        /* A proxy's password in a file every user may read would be
         * theirs, whichever section holds it. The file is root's and nobody
         * else may write it (checked on the open file), so its path still
         * names it. A URL that cannot be read as one counts as carrying a
         * password. */
        const char *proxy = awssts_config_get(cfg, sec, "proxy");
        char bare_proxy[4096];
        struct stat cst;
        if (proxy != NULL &&
            (!awssts_uri_without_userinfo(proxy, bare_proxy, sizeof(bare_proxy)) ||
             strcmp(bare_proxy, proxy) != 0) &&
            (stat(path, &cst) != 0 || (cst.st_mode & 0044) != 0))
            return awssts_error_set(
                ei, AWSSTS_E_CONFIG,
                "%s: line %zu: [%s] proxy carries a user name and password, but "
                "others may read the file: make it 0600 (awssts finds the "
                "session without it)",
                path, awssts_config_line(cfg, sec, "proxy"), sec);
    }
    return AWSSTS_OK;
}

static bool user_in_group(const char *group, const gid_t *gids, int ngids)
{
    struct group gr, *res = NULL;
    char buf[4096];
    if (getgrnam_r(group, &gr, buf, sizeof(buf), &res) != 0 || res == NULL)
        return false;
    for (int i = 0; i < ngids; i++)
        if (gids[i] == gr.gr_gid)
            return true;
    return false;
}

/* Every default from the table, through the same checks as a value in the file. */
static awssts_err set_defaults(struct awssts_settings *s, struct awssts_error_info *ei)
{
    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].value != NULL) {
            awssts_err rc = apply(&options[i], options[i].value, "default", s, ei);
            if (rc != AWSSTS_OK)
                return rc;
        }
    return AWSSTS_OK;
}

/* A template value (%u, %h) replaced by its expansion; NULL stays NULL. */
static awssts_err expand_in_place(char **slot, const char *user, const char *at,
                                  struct awssts_error_info *ei)
{
    if (*slot == NULL)
        return AWSSTS_OK;
    char out[256];
    struct awssts_error_info tei;
    awssts_error_info_reset(&tei);
    if (awssts_template_expand(*slot, user, out, sizeof(out), &tei) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s %s", at, tei.detail);
    return set_string(slot, out) == AWSSTS_OK ? AWSSTS_OK
                                              : awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
}

/* "FILE: line N: [SECTION]" of the value that option name came from, or
 * "FILE" when it is the default. */
static const char *origin_of(const char *path, const struct awssts_setting_origin *origins,
                             const char *name, char *buf, size_t len)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strcmp(options[i].name, name) == 0 && origins[i].line > 0) {
            snprintf(buf, len, "%s: line %zu: [%s]", path, origins[i].line, origins[i].section);
            return buf;
        }
    snprintf(buf, len, "%s", path);
    return buf;
}

/* keys = ssm:NAME, imds_endpoint and ssm_endpoint: each a name or URL the
 * login could use, named at its line; the template with this user in it. */
static awssts_err check_ssm(const struct awssts_settings *s, const char *user, char *at,
                            size_t atlen, const char *path,
                            const struct awssts_setting_origin *origins,
                            struct awssts_error_info *ei)
{
#define AT(name) origin_of(path, origins, (name), at, atlen)
    struct awssts_error_info sei;
    awssts_error_info_reset(&sei);
    const char *tmpl = awssts_ssm_keys_template(s->keys);
    char name[AWSSTS_SSM_NAME_MAX + 1], base[300];
    /* The uid is not known here: %U as 0 has the shape of every uid. */
    /* With this user in it: a name SSM would refuse for them (a reserved
     * prefix, too long) is the configuration's mistake too, found here. */
    if (tmpl != NULL &&
        awssts_ssm_name_expand(tmpl, user, 0, name, sizeof(name), &sei) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s keys: %s", AT("keys"), sei.detail);
    if (s->imds_endpoint != NULL &&
        awssts_imds_endpoint_parse(s->imds_endpoint, base, sizeof(base), &sei) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s imds_endpoint: %s", AT("imds_endpoint"),
                                sei.detail);
    if (s->ssm_account != NULL &&
        (strlen(s->ssm_account) != 12 || strspn(s->ssm_account, "0123456789") != 12))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s ssm_account must be 12 digits",
                                AT("ssm_account"));
    if (s->ssm_endpoint != NULL) {
        struct awssts_endpoint ep;
        const struct awssts_endpoint_options eo = {s->region ? s->region : "us-east-1",
                                                   s->ssm_endpoint, s->fips, s->dualstack};
        if (awssts_service_endpoint_resolve("ssm", &eo, &ep, &sei) != AWSSTS_OK)
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s ssm_endpoint: %s", AT("ssm_endpoint"),
                                    sei.detail);
    }
    return AWSSTS_OK;
#undef AT
}

/* Checks on the merged result, so each mistake is named once, at the line
 * that set the value. */
/* A value's place in the configuration, for messages: "FILE: line N: [SECTION]". */
#define AT(name) origin_of(path, origins, (name), at, sizeof(at))

/* The values expanded once for the user (session name, source identity,
 * tags) and the named roles, as the state keeps them for the renewals. */
static awssts_err expand_for_user(const char *path, const char *user, struct awssts_settings *s,
                                  const struct awssts_setting_origin *origins,
                                  struct awssts_error_info *ei)
{
    char at[600];
    awssts_err rc = expand_in_place(&s->role_session_name, user, AT("role_session_name"), ei);
    if (rc != AWSSTS_OK)
        return rc;
    if (s->source_identity != NULL && strcasecmp(s->source_identity, "none") == 0) {
        free(s->source_identity);
        s->source_identity = NULL;
    }
    if ((rc = expand_in_place(&s->source_identity, user, AT("source_identity"), ei)) != AWSSTS_OK)
        return rc;
    if (s->source_identity != NULL && !awssts_valid_source_identity(s->source_identity))
        return awssts_error_set(
            ei, AWSSTS_E_CONFIG,
            "%s source_identity '%.64s' must be 2-64 of letters, digits and +=,.@_- (STS's rule)",
            AT("source_identity"), s->source_identity);
    struct awssts_error_info rei;
    awssts_error_info_reset(&rei);
    /* Expanded once, here: the state keeps them as sent, for the renewals. */
    if (awssts_session_tags_parse(s->tags, s->transitive_tags, user, &s->tag_list, &rei) !=
        AWSSTS_OK)
        return awssts_error_set(
            ei, AWSSTS_E_CONFIG, "%s %s",
            AT(strncmp(rei.detail, "transitive_tags", 15) == 0 ? "transitive_tags" : "tags"),
            rei.detail);
    free(s->tags);
    free(s->transitive_tags);
    if (awssts_session_tags_format(&s->tag_list, &s->tags, &s->transitive_tags) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    awssts_error_info_reset(&rei);
    if (awssts_roles_parse(s->roles, &s->role_list, &rei) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s %s", AT("roles"), rei.detail);
    return AWSSTS_OK;
}

/* The region, or the instance's with keys = ssm:, and an endpoint it gives. */
static awssts_err check_endpoint(const char *path, const char *user,
                                 const struct awssts_settings *s,
                                 const struct awssts_setting_origin *origins,
                                 struct awssts_error_info *ei)
{
    /* With keys = ssm: and no region, the instance's, known at login. */
    bool region_from_imds = s->region == NULL && awssts_ssm_keys_template(s->keys) != NULL;
    if (s->region == NULL && !region_from_imds)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: no region for user %s", path, user);
    struct awssts_endpoint ep;
    struct awssts_endpoint_options eo = {region_from_imds ? "us-east-1" : s->region, s->endpoint,
                                         s->fips, s->dualstack};
    struct awssts_error_info epi;
    awssts_error_info_reset(&epi);
    if (awssts_endpoint_resolve(&eo, &ep, &epi) != AWSSTS_OK) {
        char at[600];
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: %s",
                                AT(s->endpoint != NULL ? "endpoint" : "region"), epi.detail);
    }
    return AWSSTS_OK;
}

/* Each value's shape, and the limits that tie two values together. */
static awssts_err check_shapes(const char *path, const struct awssts_settings *s,
                               const struct awssts_setting_origin *origins,
                               struct awssts_error_info *ei)
{
    char at[600];
    if (!awssts_valid_profile_name(s->profile))
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s profile '%.40s' is not a valid profile name", AT("profile"),
                                s->profile);
    if (s->mfa_serial != NULL && !awssts_valid_mfa_serial(s->mfa_serial))
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s mfa_serial is not an MFA device ARN or serial",
                                AT("mfa_serial"));
    if (s->role_arn != NULL && !awssts_valid_role_arn(s->role_arn))
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s role_arn is not arn:aws:iam::ACCOUNT:role/NAME",
                                AT("role_arn"));
    if (!awssts_valid_session_name(s->role_session_name))
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s role_session_name '%.64s' must be 2-64 of letters, digits and "
                                "+=,.@_- (set it for short user names)",
                                AT("role_session_name"), s->role_session_name);
    if (s->external_id != NULL && !awssts_valid_external_id(s->external_id))
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s external_id must be 2-1224 of letters, digits and +=,.@:/_-",
                                AT("external_id"));
    if (s->role_arn != NULL && s->flow == AWSSTS_FLOW_SESSION &&
        s->role_duration > AWSSTS_CHAINED_ROLE_DURATION_MAX)
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s role_duration %ld exceeds %d: STS limits a role assumed with "
                                "session credentials to 1 hour (use flow = direct for longer)",
                                AT("role_duration"), s->role_duration,
                                AWSSTS_CHAINED_ROLE_DURATION_MAX);
    if (s->connect_timeout > s->timeout)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s connect_timeout exceeds timeout",
                                AT("connect_timeout"));
    if (s->keys != NULL && strcmp(s->keys, "home") != 0 && s->keys[0] != '/' &&
        awssts_ssm_keys_template(s->keys) == NULL)
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s keys must be 'home', an absolute path or ssm:NAME", AT("keys"));
    return AWSSTS_OK;
}

#undef AT

static awssts_err check_settings(const char *path, const char *user, struct awssts_settings *s,
                                 const struct awssts_setting_origin *origins,
                                 struct awssts_error_info *ei)
{
    awssts_err rc = expand_for_user(path, user, s, origins, ei);
    if (rc == AWSSTS_OK) {
        char at[600];
        rc = check_ssm(s, user, at, sizeof(at), path, origins, ei);
    }
    if (rc == AWSSTS_OK)
        rc = check_endpoint(path, user, s, origins, ei);
    return rc == AWSSTS_OK ? check_shapes(path, s, origins, ei) : rc;
}

/* whole: the checks of the merged result too (check_settings). */
static awssts_err load(const char *path, const char *user, gid_t gid, struct awssts_settings *s,
                       struct awssts_setting_origin *origins, bool whole,
                       struct awssts_error_info *ei)
{
    struct awssts_setting_origin local[N_OPTIONS];
    if (origins == NULL)
        origins = local;
    memset(origins, 0, N_OPTIONS * sizeof(*origins));
    awssts_err rc = set_defaults(s, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct awssts_config *cfg = NULL;
    /* Root owns it, nobody else may write it. */
    struct awssts_file_policy policy = {.owner = 0, .forbidden = 0022};
    rc = awssts_config_load(path, &policy, &cfg, ei);
    if (rc != AWSSTS_OK)
        return rc;
    rc = awssts_settings_check_names(cfg, ei);

    gid_t gids[NGROUPS_MAX];
    int ngids = NGROUPS_MAX;
    if (getgrouplist(user, gid, gids, &ngids) < 0)
        ngids = 0;

    char user_section[300];
    snprintf(user_section, sizeof(user_section), "user:%s", user);
    if (rc == AWSSTS_OK && awssts_config_has_section(cfg, "global"))
        rc = apply_section(cfg, "global", s, origins, ei);
    /* Groups in file order, so a later section wins. */
    for (int i = 0; rc == AWSSTS_OK && i < awssts_config_section_count(cfg); i++) {
        const char *sec = awssts_config_section_name(cfg, i);
        if (strncmp(sec, "group:", 6) != 0 || !user_in_group(sec + 6, gids, ngids))
            continue;
        rc = apply_section(cfg, sec, s, origins, ei);
        s->user_section = true;
    }
    if (rc == AWSSTS_OK && awssts_config_has_section(cfg, user_section)) {
        rc = apply_section(cfg, user_section, s, origins, ei);
        s->user_section = true;
    }
    if (rc == AWSSTS_OK && whole)
        rc = check_settings(awssts_config_path(cfg), user, s, origins, ei);
    awssts_config_free(cfg);
    return rc;
}

awssts_err awssts_settings_load(const char *path, const char *user, gid_t gid,
                                struct awssts_settings *s, struct awssts_error_info *ei)
{
    return load(path, user, gid, s, NULL, true, ei);
}

awssts_err awssts_settings_load_session(const char *path, const char *user, gid_t gid,
                                        struct awssts_settings *s, struct awssts_error_info *ei)
{
    return load(path, user, gid, s, NULL, false, ei);
}

awssts_err awssts_settings_load_origins(const char *path, const char *user, gid_t gid,
                                        struct awssts_settings *s,
                                        struct awssts_setting_origin *origins,
                                        struct awssts_error_info *ei)
{
    return load(path, user, gid, s, origins, true, ei);
}

void awssts_settings_free(struct awssts_settings *s)
{
    awssts_roles_free(&s->role_list);
    awssts_session_tags_free(&s->tag_list);
    char *base = (char *)s;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct awssts_option *o = &options[i];
        if (o->type != AWSSTS_OPT_STRING && o->type != AWSSTS_OPT_PATH)
            continue;
        char **slot = (char **)(void *)(base + o->offset);
        if (o->secret)
            awssts_secret_free(*slot); /* a proxy URL may carry a password */
        else
            free(*slot);
        *slot = NULL;
    }
    memset(s, 0, sizeof(*s));
}

/* One option's value as the file would have it, a proxy without its
 * credentials. */
const char *awssts_option_text(const struct awssts_option *o, const struct awssts_settings *s,
                               char *buf, size_t len)
{
    const char *base = (const char *)s + o->offset;
    switch (o->type) {
    case AWSSTS_OPT_STRING:
    case AWSSTS_OPT_PATH: {
        const char *v = *(const char *const *)(const void *)base;
        if (v == NULL)
            return "(not set)";
        if (o->secret && !awssts_uri_without_userinfo(v, buf, len))
            return "(set, not shown)";
        if (!o->secret) {
            size_t n = strlen(v);
            bool edge = n > 0 && (v[0] == ' ' || v[n - 1] == ' ');
            snprintf(buf, len, edge ? "\"%s\"" : "%s", v);
        }
        return buf;
    }
    case AWSSTS_OPT_BOOL:
        return *(const bool *)(const void *)base ? "yes" : "no";
    case AWSSTS_OPT_LONG:
        snprintf(buf, len, "%ld", *(const long *)(const void *)base);
        return buf;
    case AWSSTS_OPT_FLOW:
        return s->flow == AWSSTS_FLOW_DIRECT ? "direct" : "session";
    case AWSSTS_OPT_ON_ERROR:
        return s->on_error_allow ? "allow" : "deny";
    case AWSSTS_OPT_LOG_FORMAT:
        return s->log_format == AWSSTS_LOG_JSON ? "json" : "keyvalue";
    }
    return "?";
}
