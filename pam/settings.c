/* Module arguments and the configuration file, described by one table. */
#include "settings.h"
#include "awssts/config.h"
#include "awssts/endpoint.h"
#include "awssts/secret.h"
#include "awssts/state.h"
#include "awssts/sts.h"
#include "awssts/validate.h"
#include "error_set.h"
#include "text.h"

#include <grp.h>
#include <limits.h>
#include <security/pam_ext.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

enum opt_type { OPT_STRING, OPT_BOOL, OPT_LONG, OPT_FLOW, OPT_ON_ERROR };

struct option_def {
    const char *name;
    size_t offset;
    long min, max;       /* OPT_LONG */
    enum opt_type type;
    bool global_only;    /* not allowed in [user:] and [group:] sections */
};

#define S(f) offsetof(struct pas_settings, f)

static const struct option_def options[] = {
    {"region", S(region), 0, 0, OPT_STRING, false},
    {"endpoint", S(endpoint), 0, 0, OPT_STRING, false},
    {"fips", S(fips), 0, 0, OPT_BOOL, false},
    {"dualstack", S(dualstack), 0, 0, OPT_BOOL, false},
    {"keys", S(keys), 0, 0, OPT_STRING, false},
    {"profile", S(profile), 0, 0, OPT_STRING, false},
    {"mfa_serial", S(mfa_serial), 0, 0, OPT_STRING, false},
    {"role_arn", S(role_arn), 0, 0, OPT_STRING, false},
    {"flow", S(flow), 0, 0, OPT_FLOW, false},
    {"duration", S(duration), AWSSTS_SESSION_DURATION_MIN, AWSSTS_SESSION_DURATION_MAX, OPT_LONG, false},
    {"role_duration", S(role_duration), AWSSTS_ROLE_DURATION_MIN, AWSSTS_ROLE_DURATION_MAX, OPT_LONG, false},
    {"role_session_name", S(role_session_name), 0, 0, OPT_STRING, false},
    {"external_id", S(external_id), 0, 0, OPT_STRING, false},
    {"runtime_dir", S(runtime_dir), 0, 0, OPT_STRING, true},
    {"staging_dir", S(staging_dir), 0, 0, OPT_STRING, true},
    {"on_error", S(on_error_allow), 0, 0, OPT_ON_ERROR, false},
    {"require", S(require), 0, 0, OPT_BOOL, false},
    {"connect_timeout", S(connect_timeout), 1, 60, OPT_LONG, false},
    {"timeout", S(timeout), 1, 300, OPT_LONG, false},
    {"ca_file", S(ca_file), 0, 0, OPT_STRING, false},
    {"ca_path", S(ca_path), 0, 0, OPT_STRING, false},
    {"proxy", S(proxy), 0, 0, OPT_STRING, false},
    {"prompt", S(prompt), 0, 0, OPT_STRING, false},
    {"export_region", S(export_region), 0, 0, OPT_BOOL, false},
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

void pas_args_parse(pam_handle_t *pamh, int argc, const char **argv, struct pas_args *a)
{
    memset(a, 0, sizeof(*a));
    a->config = PAS_DEFAULT_CONFIG;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "config=", 7) == 0 && argv[i][7] == '/')
            a->config = argv[i] + 7;
        else if (strcmp(argv[i], "debug") == 0)
            a->debug = true;
        else if (strcmp(argv[i], "use_first_pass") == 0)
            a->use_first_pass = true;
        else
            pam_syslog(pamh, LOG_WARNING, "unknown module argument '%.60s' ignored", argv[i]);
    }
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

static awssts_err apply_section(pam_handle_t *pamh, const struct awssts_config *cfg,
                                const char *section, bool is_global, struct pas_settings *s,
                                struct awssts_error_info *ei)
{
    char *base = (char *)s;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct option_def *o = &options[i];
        const char *v = awssts_config_get(cfg, section, o->name);
        if (v == NULL)
            continue;
        if (o->global_only && !is_global) {
            pam_syslog(pamh, LOG_WARNING, "%s: [%s] %s is allowed in [global] only; ignored",
                       awssts_config_path(cfg), section, o->name);
            continue;
        }
        awssts_err rc = AWSSTS_OK;
        switch (o->type) {
        case OPT_STRING:
            if (awssts_text_has_ctl(v, strlen(v)))
                return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: [%s] %s has a control character",
                                        awssts_config_path(cfg), section, o->name);
            rc = set_string((char **)(void *)(base + o->offset), v);
            break;
        case OPT_BOOL:
            rc = awssts_config_get_bool(cfg, section, o->name, (bool *)(void *)(base + o->offset), ei);
            break;
        case OPT_LONG:
            rc = awssts_config_get_long(cfg, section, o->name, o->min, o->max,
                                        (long *)(void *)(base + o->offset), ei);
            break;
        case OPT_FLOW:
            if (strcasecmp(v, "session") == 0)
                s->flow = PAS_FLOW_SESSION;
            else if (strcasecmp(v, "direct") == 0)
                s->flow = PAS_FLOW_DIRECT;
            else
                rc = awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: [%s] flow = '%.20s': expected session or direct",
                                      awssts_config_path(cfg), section, v);
            break;
        case OPT_ON_ERROR:
            if (strcasecmp(v, "allow") == 0)
                s->on_error_allow = true;
            else if (strcasecmp(v, "deny") == 0)
                s->on_error_allow = false;
            else
                rc = awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: [%s] on_error = '%.20s': expected deny or allow",
                                      awssts_config_path(cfg), section, v);
            break;
        }
        if (rc == AWSSTS_E_NOMEM)
            return awssts_error_set(ei, rc, NULL);
        if (rc != AWSSTS_OK)
            return rc;
    }
    return AWSSTS_OK;
}

struct warn_ctx {
    pam_handle_t *pamh;
    const char *path;
};

static void warn_key(void *ctx, const char *section, const char *key)
{
    struct warn_ctx *w = ctx;
    pam_syslog(w->pamh, LOG_WARNING, "%s: [%s] unknown key '%s' ignored", w->path, section, key);
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

static void set_defaults(struct pas_settings *s)
{
    memset(s, 0, sizeof(*s));
    s->flow = PAS_FLOW_SESSION;
    s->duration = 43200;
    s->role_duration = 3600;
    s->connect_timeout = AWSSTS_DEFAULT_CONNECT_TIMEOUT_MS / 1000;
    s->timeout = AWSSTS_DEFAULT_TIMEOUT_MS / 1000;
    s->export_region = true;
}

static awssts_err fill_string_default(char **slot, const char *v)
{
    return *slot == NULL ? set_string(slot, v) : AWSSTS_OK;
}

/* Checks on the merged result, so each mistake is named once. */
static awssts_err check_settings(const char *path, const char *user, struct pas_settings *s,
                                 struct awssts_error_info *ei)
{
    if (fill_string_default(&s->profile, "default") != AWSSTS_OK ||
        fill_string_default(&s->prompt, PAS_DEFAULT_PROMPT) != AWSSTS_OK ||
        fill_string_default(&s->staging_dir, PAS_DEFAULT_STAGING_DIR) != AWSSTS_OK ||
        fill_string_default(&s->role_session_name, user) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    if (s->region == NULL)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: no region for user %s", path, user);
    struct awssts_endpoint ep;
    struct awssts_endpoint_options eo = {s->region, s->endpoint, s->fips, s->dualstack};
    struct awssts_error_info epi;
    awssts_error_info_reset(&epi);
    if (awssts_endpoint_resolve(&eo, &ep, &epi) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: %s", path, epi.detail);
    if (!awssts_valid_profile_name(s->profile))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: profile '%.40s' is not a valid profile name",
                                path, s->profile);
    if (s->mfa_serial != NULL && !awssts_valid_mfa_serial(s->mfa_serial))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: mfa_serial is not an MFA device ARN or serial", path);
    if (s->role_arn != NULL && !awssts_valid_role_arn(s->role_arn))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: role_arn is not arn:aws:iam::ACCOUNT:role/NAME", path);
    if (!awssts_valid_session_name(s->role_session_name))
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s: role_session_name '%.64s' must be 2-64 of letters, digits and +=,.@_- (set it for short user names)",
                                path, s->role_session_name);
    if (s->external_id != NULL && !awssts_valid_external_id(s->external_id))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: external_id must be 2-1224 of letters, digits and +=,.@:/_-", path);
    if (s->role_arn != NULL && s->flow == PAS_FLOW_SESSION && s->role_duration > 3600)
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s: role_duration %ld exceeds 3600: STS limits a role assumed with session credentials to 1 hour (use flow = direct for longer)",
                                path, s->role_duration);
    if (s->connect_timeout > s->timeout)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: connect_timeout exceeds timeout", path);
    const char *paths[] = {s->runtime_dir, s->staging_dir, s->ca_file, s->ca_path};
    for (size_t i = 0; i < 4; i++)
        if (paths[i] != NULL && paths[i][0] != '/')
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: '%.60s' must be an absolute path", path, paths[i]);
    if (s->keys != NULL && strcmp(s->keys, "home") != 0 && s->keys[0] != '/')
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: keys must be 'home' or an absolute path", path);
    return AWSSTS_OK;
}

awssts_err pas_settings_load(pam_handle_t *pamh, const struct pas_args *a, const char *user,
                             gid_t gid, bool warn_unknown, struct pas_settings *s,
                             struct awssts_error_info *ei)
{
    set_defaults(s);
    struct awssts_config *cfg = NULL;
    /* Root owns it, nobody else may write it. */
    struct awssts_file_policy policy = {.owner = 0, .forbidden = 0022};
    awssts_err rc = awssts_config_load(a->config, &policy, &cfg, ei);
    if (rc != AWSSTS_OK)
        return rc;

    const char *known_list[N_OPTIONS + 1];
    for (size_t i = 0; i < N_OPTIONS; i++)
        known_list[i] = options[i].name;
    known_list[N_OPTIONS] = NULL;

    gid_t gids[NGROUPS_MAX];
    int ngids = NGROUPS_MAX;
    if (getgrouplist(user, gid, gids, &ngids) < 0)
        ngids = 0;

    struct warn_ctx w = {pamh, awssts_config_path(cfg)};
    char user_section[300];
    snprintf(user_section, sizeof(user_section), "user:%s", user);
    rc = AWSSTS_OK;
    if (awssts_config_has_section(cfg, "global")) {
        if (warn_unknown)
            awssts_config_unknown_keys(cfg, "global", known_list, warn_key, &w);
        rc = apply_section(pamh, cfg, "global", true, s, ei);
    }
    /* Groups in file order, so a later section wins. */
    for (int i = 0; rc == AWSSTS_OK && i < awssts_config_section_count(cfg); i++) {
        const char *sec = awssts_config_section_name(cfg, i);
        if (strncmp(sec, "group:", 6) != 0 || !user_in_group(sec + 6, gids, ngids))
            continue;
        if (warn_unknown)
            awssts_config_unknown_keys(cfg, sec, known_list, warn_key, &w);
        rc = apply_section(pamh, cfg, sec, false, s, ei);
        s->user_section = true;
    }
    if (rc == AWSSTS_OK && awssts_config_has_section(cfg, user_section)) {
        if (warn_unknown)
            awssts_config_unknown_keys(cfg, user_section, known_list, warn_key, &w);
        rc = apply_section(pamh, cfg, user_section, false, s, ei);
        s->user_section = true;
    }
    if (rc == AWSSTS_OK)
        rc = check_settings(awssts_config_path(cfg), user, s, ei);
    awssts_config_free(cfg);
    return rc;
}

void pas_settings_free(struct pas_settings *s)
{
    char *base = (char *)s;
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].type == OPT_STRING) {
            char **slot = (char **)(void *)(base + options[i].offset);
            /* The proxy URL may carry a password. */
            if (options[i].offset == S(proxy))
                awssts_secret_free(*slot);
            else
                free(*slot);
            *slot = NULL;
        }
    memset(s, 0, sizeof(*s));
}

void pas_settings_state(const struct pas_settings *s, struct awssts_state *st)
{
    memset(st, 0, sizeof(*st));
    st->region = s->region;
    st->endpoint = s->endpoint;
    st->fips = s->fips;
    st->dualstack = s->dualstack;
    st->ca_file = s->ca_file;
    st->ca_path = s->ca_path;
    st->proxy = s->proxy;
    st->connect_timeout = s->connect_timeout;
    st->timeout = s->timeout;
    st->profile = s->profile;
    st->flow_direct = s->flow == PAS_FLOW_DIRECT;
    st->duration = s->duration;
    st->role_session_name = s->role_session_name;
    st->role_duration = s->role_duration;
    st->external_id = s->external_id;
}
