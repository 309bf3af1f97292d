/*
 * Internal: the module's settings for one user, resolved from the
 * configuration file ([global], each [group:NAME] the user is in, in file
 * order, then [user:NAME]; a later value wins) exactly as the module, the
 * helper's `check` and the documentation see them. One table describes
 * every option: its type, its default, its limits, where it may stand, and
 * the line of documentation that docs/ and the man page carry.
 */
#ifndef AWSSTS_OPTIONS_H
#define AWSSTS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "login/audit.h"
#include "rules/roles.h"
#include "rules/session_tags.h"
#include "awssts/error.h"

#define AWSSTS_DEFAULT_CONFIG "/etc/security/pam_aws_sts.conf"

enum awssts_flow { AWSSTS_FLOW_SESSION, AWSSTS_FLOW_DIRECT };

struct awssts_settings {
    char *region;
    char *endpoint;
    bool fips;
    bool dualstack;
    char *keys;          /* path of the root keys file, "home", or "ssm:NAME" */
    char *imds_endpoint; /* keys = ssm:; NULL: http://169.254.169.254 */
    char *ssm_endpoint;  /* keys = ssm:; NULL: SSM's regional endpoint */
    char *ssm_account;   /* keys = ssm:; the store's account, NULL: not checked */
    char *profile;
    char *mfa_serial;
    char *role_arn;
    enum awssts_flow flow;
    long duration; /* GetSessionToken */
    long role_duration;
    char *role_session_name;             /* expanded (%u, %h) */
    char *source_identity;               /* expanded; NULL: none sent */
    char *tags;                          /* KEY=VALUE ..., expanded once checked */
    char *transitive_tags;               /* KEY ..., "all" made the list once checked */
    struct awssts_session_tags tag_list; /* tags, parsed */
    char *roles;                         /* NAME=ARN ..., as written */
    struct awssts_roles role_list;       /* roles, parsed */
    char *external_id;
    char *runtime_dir; /* pattern with %U and %u, NULL: the default search */
    char *staging_dir;
    bool on_error_allow;
    bool require;
    long connect_timeout; /* seconds */
    long timeout;         /* seconds */
    char *ca_file;
    char *ca_path;
    char *proxy;
    char *prompt;
    bool export_region;
    bool export_endpoint;
    enum awssts_log_format log_format;
    bool user_section; /* a [user:] or [group:] section matched */
};

enum awssts_option_type {
    AWSSTS_OPT_STRING,
    AWSSTS_OPT_PATH, /* an absolute path */
    AWSSTS_OPT_BOOL,
    AWSSTS_OPT_LONG,
    AWSSTS_OPT_FLOW,
    AWSSTS_OPT_ON_ERROR,
    AWSSTS_OPT_LOG_FORMAT,
};

struct awssts_option {
    const char *name;
    const char *value; /* the default, as it would be written in the file; NULL: none */
    const char *shown; /* the docs' default: value as code, else the row's words */
    const char *doc;   /* one line for docs/pam_aws_sts.md and pam_aws_sts.conf(5) */
    size_t offset;     /* in struct awssts_settings */
    long min, max;     /* AWSSTS_OPT_LONG */
    enum awssts_option_type type;
    bool global_only; /* not in [group:] and [user:] sections */
    bool secret;      /* may hold a password: zeroed when freed */
    bool state_kept;  /* the renewal state keeps it, under the option's name */
};

/* The table, in the order the documentation lists it. */
const struct awssts_option *awssts_options(size_t *count);

/*
 * Fill s for user (primary group gid) from the file at path: defaults from
 * the table, then the sections; every value is checked, and every name of
 * the file (an unknown section or key, a [global]-only key elsewhere is an
 * error with its line, whoever logs in). On failure the error (file, line,
 * key) is in ei, and s->on_error_allow holds whatever the file said before
 * the failure.
 */
awssts_err awssts_settings_load(const char *path, const char *user, gid_t gid,
                                struct awssts_settings *s, struct awssts_error_info *ei);

/* The settings a login's session phase obeys (staging_dir, runtime_dir,
 * timeout, on_error): the file read, its names and every value checked as
 * by awssts_settings_load, without the checks of the merged result (region,
 * endpoint, SSM, tags, roles, expansions). What the login itself used
 * comes from its state, which the state reader checks. */
awssts_err awssts_settings_load_session(const char *path, const char *user, gid_t gid,
                                        struct awssts_settings *s, struct awssts_error_info *ei);

/* Where a value came from: its section and line; line 0: the table's default. */
struct awssts_setting_origin {
    char section[300];
    size_t line;
};

/* awssts_settings_load, telling each option's origin: origins has one
 * entry per row of awssts_options(), in its order (NULL: not wanted). */
awssts_err awssts_settings_load_origins(const char *path, const char *user, gid_t gid,
                                        struct awssts_settings *s,
                                        struct awssts_setting_origin *origins,
                                        struct awssts_error_info *ei);

void awssts_settings_free(struct awssts_settings *s);

/* Option o's value in s as the file would have it ("(not set)" for none),
 * a secret one (the proxy) without its credentials; for awssts check. */
const char *awssts_option_text(const struct awssts_option *o, const struct awssts_settings *s,
                               char *buf, size_t len);

struct awssts_config;
/* The names of a loaded configuration file: sections and keys as the table
 * knows them (what awssts_settings_load refuses, with the line). */
awssts_err awssts_settings_check_names(const struct awssts_config *cfg,
                                       struct awssts_error_info *ei);

#endif
