/* The module's settings: module arguments, then the configuration file's
 * [global], matching [group:NAME] and [user:NAME] sections, later winning. */
#ifndef PAS_SETTINGS_H
#define PAS_SETTINGS_H

#include <security/pam_modules.h>
#include <stdbool.h>
#include <sys/types.h>

#include "awssts/error.h"

#define PAS_DEFAULT_CONFIG "/etc/security/pam_aws_sts.conf"
#define PAS_DEFAULT_PROMPT "AWS MFA code: "
#define PAS_DEFAULT_STAGING_DIR "/run/aws-sts/staging"

enum pas_flow { PAS_FLOW_SESSION, PAS_FLOW_DIRECT };

struct pas_args {
    const char *config;   /* config= */
    bool debug;
    bool use_first_pass;
};

struct pas_settings {
    char *region;
    char *endpoint;
    bool fips;
    bool dualstack;
    char *keys;            /* path of the root keys file, or "home" */
    char *profile;
    char *mfa_serial;
    char *role_arn;
    enum pas_flow flow;
    long duration;         /* GetSessionToken */
    long role_duration;
    char *role_session_name;
    char *external_id;
    char *runtime_dir;     /* pattern with %U and %u, NULL: the default search */
    char *staging_dir;
    bool on_error_allow;
    bool require;
    long connect_timeout;  /* seconds */
    long timeout;          /* seconds */
    char *ca_file;
    char *ca_path;
    char *proxy;
    char *prompt;
    bool export_region;
    bool user_section;     /* a [user:] or [group:] section matched */
};

/* Parse argv; unknown arguments are logged and ignored. */
void pas_args_parse(pam_handle_t *pamh, int argc, const char **argv, struct pas_args *a);

/*
 * Fill s for user (with primary group gid) from the configuration file.
 * Defaults first; every value is checked. On failure the error (file, line,
 * key) is in ei and s->on_error_allow holds whatever the file said before
 * the failure. warn_unknown logs unknown keys (once per login: in auth).
 */
awssts_err pas_settings_load(pam_handle_t *pamh, const struct pas_args *a, const char *user,
                             gid_t gid, bool warn_unknown, struct pas_settings *s,
                             struct awssts_error_info *ei);

void pas_settings_free(struct pas_settings *s);

struct awssts_state;
/* The connection and role part of a renewal state, borrowing s's strings. */
void pas_settings_state(const struct pas_settings *s, struct awssts_state *st);

#endif
