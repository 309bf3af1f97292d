/* Commands on a login's session: status, refresh, credential-process, env, setup-config. */
#include "cli.h"
#include "rules/roles.h"
#include "files/runtime_files.h"
#include "json/json.h"
#include "awssts/credfile.h"
#include "awssts/endpoint.h"
#include "awssts/secret.h"
#include "awssts/timeutil.h"
#include "awssts/validate.h"
#include "login/user_keys.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct common {
    const char *dir;
    const char *profile;
    long min_remaining;
    bool json;
};

/* Options shared by the session commands; returns -1 to go on, else an exit code. */
static int parse_common(int argc, char **argv, const char *usage, bool with_min, bool with_json,
                        bool with_profile, struct common *c)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"profile", required_argument, NULL, 'p'},
        {"min-remaining", required_argument, NULL, 'm'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(c, 0, sizeof(*c));
    c->min_remaining = CLI_MIN_REMAINING;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end = NULL;
        switch (ch) {
        case 'd':
            c->dir = optarg;
            break;
        case 'p':
            if (!with_profile)
                goto bad;
            c->profile = optarg;
            break;
        case 'm':
            if (!with_min)
                goto bad;
            errno = 0;
            c->min_remaining = strtol(optarg, &end, 10);
            if (errno || *end || c->min_remaining < 0 || c->min_remaining > 43200) {
                cli_error("--min-remaining takes seconds from 0 to 43200");
                return EXIT_USAGE;
            }
            break;
        case 'j':
            if (!with_json)
                goto bad;
            c->json = true;
            break;
        case 'h':
            printf("%s", usage);
            return EXIT_OK;
        default:
            goto bad;
        }
    }
    if (optind == argc)
        return -1;
bad:
    fprintf(stderr, "%s", usage);
    return EXIT_USAGE;
}

/* Open the directory, read the state, check the profile. */
static int load(const struct common *c, int lock, struct cli_runtime_dir *sd,
                struct awssts_state *st)
{
    int rc = runtime_dir_open(c->dir, lock, sd);
    if (rc != EXIT_OK)
        return rc;
    rc = session_state_read(sd, st);
    if (rc == EXIT_OK && c->profile != NULL && strcmp(c->profile, st->profile) != 0) {
        cli_error("this session holds profile '%s', not '%s'", st->profile, c->profile);
        awssts_state_free(st);
        rc = EXIT_USAGE;
    }
    if (rc != EXIT_OK)
        runtime_dir_close(sd);
    return rc;
}

static void iso(time_t t, char out[21])
{
    if (awssts_time_format_iso8601(t, out) != AWSSTS_OK)
        snprintf(out, 21, "-");
}

/* Print doc pretty on stdout with a final newline, then free it; its text
 * may hold secrets and is zeroed. rc: how building doc went. */
static int print_json(struct awssts_json *doc, awssts_err rc, struct awssts_error_info *ei)
{
    char *text = NULL;
    if (rc == AWSSTS_OK)
        rc = awssts_json_serialize(doc, AWSSTS_JSON_PRETTY, &text, NULL, ei);
    awssts_json_free(doc);
    if (rc != AWSSTS_OK) {
        cli_error_info("JSON output", ei);
        return EXIT_FAILURE_OTHER;
    }
    printf("%s\n", text);
    awssts_secret_free(text);
    return EXIT_OK;
}

/* status --json: what the text form says, as JSON. */
static int print_status_json(const struct cli_runtime_dir *sd, const struct awssts_state *st,
                             const char *host, const char *exp, long left, const char *mfa_exp,
                             long mfa_left)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_json *d = NULL;
    const char *flow = st->role_arn ? (st->flow_direct ? "direct" : "session") : "session-token";
    awssts_err rc = awssts_json_new(&d, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "user", st->user, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "directory", sd->path, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "profile", st->profile, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "region", st->region, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "endpoint", host, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "flow", flow, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "role_arn", st->role_arn, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "expiration", exp, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_int(d, "seconds_left", left > 0 ? left : 0, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "mfa_session_expiration",
                                    st->has_mfa_session ? mfa_exp : NULL, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_int(d, "mfa_session_seconds_left", mfa_left > 0 ? mfa_left : 0, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_bool(d, "valid", left > 0, &ei);
    return print_json(d, rc, &ei);
}

/* What helps once the credentials have expired: refresh only while the
 * MFA session lasts; after it, or with a role assumed directly with the
 * code, only a new login (or refresh's prompt for a code) does. */
static const char *expired_remedy(const struct awssts_state *st, long mfa_left)
{
    if (st->has_mfa_session && mfa_left > 0)
        return "run awssts refresh";
    if (st->has_mfa_session)
        return "the MFA session has ended: log in again";
    return "renewing needs a new code: run awssts refresh on a terminal, or log in again";
}

int cmd_status(int argc, char **argv)
{
    struct common c;
    int rc = parse_common(argc, argv, "usage: awssts status [--json] [--dir DIR]\n", false, true,
                          false, &c);
    if (rc >= 0)
        return rc;
    struct cli_runtime_dir sd;
    struct awssts_state st;
    if ((rc = load(&c, LOCK_SH, &sd, &st)) != EXIT_OK)
        return rc;
    time_t now = time(NULL);
    const struct awssts_credentials *cur = awssts_state_current(&st);
    long left = (long)(cur->expiration - now);
    long mfa_left = st.has_mfa_session ? (long)(st.mfa_session.expiration - now) : 0;
    char exp[21], mfa_exp[21];
    iso(cur->expiration, exp);
    iso(st.mfa_session.expiration, mfa_exp);
    struct awssts_endpoint ep;
    struct awssts_endpoint_options eo = {st.region, st.endpoint, st.fips, st.dualstack};
    awssts_endpoint_resolve(&eo, &ep, NULL);
    int printed = EXIT_OK;
    if (c.json) {
        printed = print_status_json(&sd, &st, ep.host, exp, left, mfa_exp, mfa_left);
    } else {
        printf("user:         %s (pam_aws_sts login)\n", st.user ? st.user : "-");
        printf("directory:    %s\n", sd.path);
        printf("profile:      %s\n", st.profile);
        printf("region:       %s via %s\n", st.region, ep.host);
        printf("role:         %s\n", st.role_arn ? st.role_arn : "(none: MFA session credentials)");
        if (left > 0)
            printf("credentials:  valid, expire %s\n", exp);
        else
            printf("credentials:  EXPIRED at %s (%s)\n", exp, expired_remedy(&st, mfa_left));
        if (left > 0)
            printf("              %ldh %02ldm left\n", left / 3600, (left % 3600) / 60);
        if (st.has_mfa_session && mfa_left > 0)
            printf("MFA session:  valid, ends %s%s\n", mfa_exp,
                   st.role_arn && !st.flow_direct ? " (renews the role without a code)" : "");
        else if (st.has_mfa_session)
            printf("MFA session:  ENDED at %s\n", mfa_exp);
        else
            printf("MFA session:  none (the role was assumed directly with the code)\n");
    }
    awssts_state_free(&st);
    runtime_dir_close(&sd);
    if (printed != EXIT_OK)
        return printed;
    return left > 0 ? EXIT_OK : EXIT_LOGIN_NEEDED;
}

/* What a renewing command prints once the credentials are fresh. */
typedef void (*print_fn)(const struct cli_runtime_dir *sd, const struct awssts_state *st,
                         bool called);

/* Parse, lock exclusively, renew if needed, print. Exclusive: of many
 * callers at once, one renews and the rest reuse its result. */
static int renew_and_print(int argc, char **argv, const char *usage, bool with_profile,
                           print_fn print)
{
    struct common c;
    int rc = parse_common(argc, argv, usage, true, false, with_profile, &c);
    if (rc >= 0)
        return rc;
    struct cli_runtime_dir sd;
    struct awssts_state st;
    if ((rc = load(&c, LOCK_EX, &sd, &st)) != EXIT_OK)
        return rc;
    bool called = false;
    rc = session_renew(&sd, &st, c.min_remaining, true, &called);
    if (rc == EXIT_OK) {
        print(&sd, &st, called);
        fflush(stdout);
    }
    awssts_state_free(&st);
    runtime_dir_close(&sd);
    return rc;
}

static void print_refresh(const struct cli_runtime_dir *sd, const struct awssts_state *st,
                          bool called)
{
    (void)sd;
    long left = (long)(awssts_state_current(st)->expiration - time(NULL));
    printf("%s %ld seconds\n", called ? "renewed: valid for" : "still valid for", left);
}

int cmd_refresh(int argc, char **argv)
{
    return renew_and_print(argc, argv,
                           "usage: awssts refresh [--min-remaining SECONDS] [--dir DIR]\n", false,
                           print_refresh);
}

/* Set when the credential_process document could not be printed: a
 * print_fn has no way to say so. */
static bool credential_process_failed;

/* The document the AWS CLI reads from a credential_process (Version 1). */
static int print_credentials_json(const struct awssts_credentials *cur)
{
    char exp[21];
    iso(cur->expiration, exp);
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_json *d = NULL;
    awssts_err rc = awssts_json_new(&d, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_int(d, "Version", 1, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "AccessKeyId", cur->access_key_id, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "SecretAccessKey", cur->secret_access_key, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "SessionToken", cur->session_token, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_json_add_string(d, "Expiration", exp, &ei);
    return print_json(d, rc, &ei);
}

static void print_credential_process(const struct cli_runtime_dir *sd,
                                     const struct awssts_state *st, bool called)
{
    (void)sd;
    (void)called;
    credential_process_failed = print_credentials_json(awssts_state_current(st)) != EXIT_OK;
}

/* credential-process --role NAME: a named role's credentials, from the MFA session. */
static int named_credential_process(const char *dir, const char *name, long min_remaining)
{
    struct cli_runtime_dir sd;
    struct awssts_state st;
    struct common c = {.dir = dir};
    int rc = load(&c, LOCK_EX, &sd, &st);
    if (rc != EXIT_OK)
        return rc;
    const struct awssts_credentials *creds = NULL;
    bool called = false;
    rc = session_renew_named(&sd, &st, name, min_remaining, &creds, &called);
    if (rc == EXIT_OK)
        rc = print_credentials_json(creds);
    awssts_state_free(&st);
    runtime_dir_close(&sd);
    return rc;
}

int cmd_credential_process(int argc, char **argv)
{
    /* --role NAME is this command's own; the rest is renew_and_print's. */
    const char *role = NULL, *dir = NULL;
    char *rest[16];
    int n = 0;
    for (int i = 0; i < argc && n < 15; i++) {
        if (i > 0 && strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role = argv[++i];
        else if (i > 0 && strncmp(argv[i], "--role=", 7) == 0)
            role = argv[i] + 7;
        else
            rest[n++] = argv[i];
    }
    rest[n] = NULL;
    const char *usage =
        "usage: awssts credential-process [--profile P | --role NAME] [--dir DIR]\n";
    if (role != NULL) {
        struct common c;
        int rc = parse_common(n, rest, usage, true, false, false, &c);
        if (rc >= 0)
            return rc;
        dir = c.dir;
        return named_credential_process(dir, role, c.min_remaining);
    }
    int rc = renew_and_print(n, rest, usage, true, print_credential_process);
    return rc == EXIT_OK && credential_process_failed ? EXIT_FAILURE_OTHER : rc;
}

/* 'value' with ' written as '\'' */
static void shell_quote(const char *v)
{
    putchar('\'');
    for (const char *p = v; *p; p++) {
        if (*p == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*p);
    }
    putchar('\'');
}

static void export_line(const char *name, const char *value)
{
    printf("export %s=", name);
    shell_quote(value);
    putchar('\n');
}

static awssts_err emit_export(void *ctx, const char *name, const char *value)
{
    (void)ctx;
    export_line(name, value);
    return AWSSTS_OK;
}

/* The credentials themselves, then what the login exports (one list, lib's). */
static void print_env(const struct cli_runtime_dir *sd, const struct awssts_state *st, bool called)
{
    (void)called;
    const struct awssts_credentials *cur = awssts_state_current(st);
    char exp[21];
    iso(cur->expiration, exp);
    export_line("AWS_ACCESS_KEY_ID", cur->access_key_id);
    export_line("AWS_SECRET_ACCESS_KEY", cur->secret_access_key);
    export_line("AWS_SESSION_TOKEN", cur->session_token);
    export_line("AWS_CREDENTIAL_EXPIRATION", exp);
    awssts_session_environment(sd->path, st, emit_export, NULL);
}

int cmd_env(int argc, char **argv)
{
    return renew_and_print(argc, argv, "usage: awssts env [--dir DIR]\n", false, print_env);
}

/* The AWS config file the CLI reads: $AWS_CONFIG_FILE, else ~/.aws/config. */
static int aws_config_path(const char *given, char *out, size_t len)
{
    const char *env = getenv("AWS_CONFIG_FILE");
    const char *home = awssts_home_dir(getpwuid(getuid()), getenv("HOME"));
    if (given != NULL)
        snprintf(out, len, "%s", given);
    else if (env != NULL && *env)
        snprintf(out, len, "%s", env);
    else if (home != NULL)
        snprintf(out, len, "%s/.aws/config", home);
    else
        return EXIT_USAGE;
    return EXIT_OK;
}

/* The credential_process command: this program, its subcommand and --dir. */
#define SETUP_CMD_MAX (PATH_MAX + 4200)

/* setup-config's options: the profile's name, the file and the directory. */
static int parse_setup(int argc, char **argv, const char **name, const char **given,
                       const char **dir)
{
    static const struct option opts[] = {
        {"profile", required_argument, NULL, 'p'},
        {"config-file", required_argument, NULL, 'c'},
        {"dir", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *usage =
        "usage: awssts setup-config [--profile NAME] [--config-file PATH] [--dir DIR]\n";
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'p':
            *name = optarg;
            break;
        case 'c':
            *given = optarg;
            break;
        case 'd':
            *dir = optarg;
            break;
        case 'h':
            printf("%s", usage);
            return EXIT_OK;
        default:
            fprintf(stderr, "%s", usage);
            return EXIT_USAGE;
        }
    }
    if (optind != argc || *name == NULL || !awssts_valid_profile_name(*name)) {
        fprintf(stderr, "%s", usage);
        return EXIT_USAGE;
    }
    return -1;
}

/* [profile NAME] running cmd, and one profile NAME-ROLE for each named
 * role, renewed from the MFA session; all in the session's region. */
static awssts_err set_profiles(struct awssts_credfile *cf, const char *name, const char *cmd,
                               const struct awssts_state *st, struct awssts_roles *roles,
                               struct awssts_error_info *ei)
{
    char section[160];
    snprintf(section, sizeof(section), "%s%s", strcmp(name, "default") ? "profile " : "", name);
    awssts_err arc = awssts_credfile_set(cf, section, "credential_process", cmd, ei);
    if (arc == AWSSTS_OK)
        arc = awssts_credfile_set(cf, section, "region", st->region, ei);
    if (arc == AWSSTS_OK)
        arc = awssts_roles_parse(st->roles, roles, ei);
    for (size_t i = 0; arc == AWSSTS_OK && i < roles->n; i++) {
        char rsection[160], rcmd[SETUP_CMD_MAX + 64];
        snprintf(rsection, sizeof(rsection), "profile %s-%s", name, roles->v[i].name);
        snprintf(rcmd, sizeof(rcmd), "%s --role %s", cmd, roles->v[i].name);
        arc = awssts_credfile_set(cf, rsection, "credential_process", rcmd, ei);
        if (arc == AWSSTS_OK)
            arc = awssts_credfile_set(cf, rsection, "region", st->region, ei);
    }
    return arc;
}

/* The AWS config file at path with the profiles set, saved in place. */
static awssts_err write_config(const char *path, const char *name, const char *cmd,
                               const struct awssts_state *st, struct awssts_roles *roles,
                               struct awssts_error_info *ei)
{
    struct awssts_credfile *cf = NULL;
    struct awssts_file_policy pol = {.owner = getuid(), .forbidden = 0022};
    mode_t mode = 0600;
    struct stat fst;
    if (stat(path, &fst) == 0)
        mode = fst.st_mode & 0777;
    awssts_err arc = awssts_credfile_load(AT_FDCWD, path, &pol, &cf, ei);
    if (arc == AWSSTS_E_NOT_FOUND)
        arc = (cf = awssts_credfile_new()) ? AWSSTS_OK : AWSSTS_E_NOMEM;
    if (arc == AWSSTS_OK)
        arc = set_profiles(cf, name, cmd, st, roles, ei);
    if (arc == AWSSTS_OK && cli_save_file(cf, path, mode) != EXIT_OK)
        arc = AWSSTS_E_FILE_IO;
    awssts_credfile_free(cf);
    if (arc != AWSSTS_OK && arc != AWSSTS_E_FILE_IO) /* cli_save_file has said why */
        cli_error("%s: %s", path, ei->detail[0] ? ei->detail : awssts_strerror(arc));
    return arc;
}

int cmd_setup_config(int argc, char **argv)
{
    const char *name = "awssts", *given = NULL, *dir = NULL;
    int rc = parse_setup(argc, argv, &name, &given, &dir);
    if (rc >= 0)
        return rc;
    struct common c = {.dir = dir};
    struct cli_runtime_dir sd;
    struct awssts_state st;
    if ((rc = load(&c, LOCK_SH, &sd, &st)) != EXIT_OK)
        return rc;

    char path[4096], self[PATH_MAX], cmd[SETUP_CMD_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    rc = aws_config_path(given, path, sizeof(path));
    if (n <= 0 || rc != EXIT_OK) {
        cli_error("cannot find this program or the AWS config file (set HOME or --config-file)");
        goto out;
    }
    self[n] = '\0';
    snprintf(cmd, sizeof(cmd), "%s credential-process%s%s", self, dir ? " --dir " : "",
             dir ? sd.path : "");

    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_roles roles = {0};
    if (write_config(path, name, cmd, &st, &roles, &ei) != AWSSTS_OK) {
        rc = EXIT_FAILURE_OTHER;
    } else {
        printf("profile %s in %s now runs: %s\n", name, path, cmd);
        printf("use it with: export AWS_PROFILE=%s (the static [%s] in %s/credentials stays for "
               "tools that read files)\n",
               name, st.profile, sd.path);
        for (size_t i = 0; i < roles.n; i++)
            printf("profile %s-%s: role %s (%s)\n", name, roles.v[i].name, roles.v[i].name,
                   roles.v[i].arn);
        rc = EXIT_OK;
    }
    awssts_roles_free(&roles);
out:
    awssts_state_free(&st);
    runtime_dir_close(&sd);
    return rc;
}
