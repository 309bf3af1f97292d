/*
 * The named roles of a login (roles =), all from the one MFA session, with
 * no new code: awssts roles, awssts assume NAME, awssts exec NAME -- CMD.
 * Each works under the session directory's lock as refresh does, and
 * keeps the role's credentials in the state for the next call.
 */
#include "cli.h"
#include "rules/roles.h"
#include "files/runtime_files.h"
#include "awssts/secret.h"
#include "awssts/timeutil.h"
#include "awssts/validate.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

/* --dir DIR and one NAME (and, for assume, --profile P); argv[optind...]
 * after "--" for exec. Returns -1 to go on. */
static int parse(int argc, char **argv, const char *usage, bool with_profile, bool with_command,
                 const char **dir, const char **profile, const char **name)
{
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"profile", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *dir = *profile = *name = NULL;
    optind = 1;
    int ch;
    /* For exec, "+": options end at the role's name, so the command keeps
     * its own; assume takes them on either side of the name. */
    while ((ch = getopt_long(argc, argv, with_command ? "+h" : "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            *dir = optarg;
            break;
        case 'p':
            if (!with_profile)
                goto bad;
            *profile = optarg;
            break;
        case 'h':
            printf("%s", usage);
            return EXIT_OK;
        default:
            goto bad;
        }
    }
    if (optind >= argc)
        goto bad;
    *name = argv[optind++];
    if (!awssts_role_name_valid(*name)) {
        cli_error("'%.40s' is not a role name", *name);
        return EXIT_USAGE;
    }
    if (with_command ? (optind >= argc || strcmp(argv[optind], "--") != 0 || optind + 1 >= argc)
                     : optind != argc)
        goto bad;
    return -1;
bad:
    fprintf(stderr, "%s", usage);
    return EXIT_USAGE;
}

int cmd_roles(int argc, char **argv)
{
    const char *usage = "usage: awssts roles [--dir DIR]\n";
    static const struct option opts[] = {
        {"dir", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = NULL;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            dir = optarg;
            break;
        case 'h':
            printf("%s", usage);
            return EXIT_OK;
        default:
            fprintf(stderr, "%s", usage);
            return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "%s", usage);
        return EXIT_USAGE;
    }
    struct cli_runtime_dir sd;
    struct awssts_state st;
    int rc = runtime_dir_open(dir, LOCK_SH, &sd);
    if (rc != EXIT_OK)
        return rc;
    if ((rc = session_state_read(&sd, &st)) != EXIT_OK) {
        runtime_dir_close(&sd);
        return rc;
    }
    struct awssts_roles roles;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_roles_parse(st.roles, &roles, &ei) != AWSSTS_OK) {
        cli_error_info("state", &ei);
        rc = EXIT_FAILURE_OTHER;
    } else if (roles.n == 0) {
        printf("this login has no named roles (roles = in pam_aws_sts.conf); its role: %s\n",
               st.role_arn ? st.role_arn : "none");
    }
    time_t now = time(NULL);
    for (size_t i = 0; rc == EXIT_OK && i < roles.n; i++) {
        const struct awssts_state_role *r = awssts_state_named(&st, roles.v[i].name, false);
        char when[21] = "";
        if (r != NULL && r->creds.access_key_id != NULL)
            awssts_time_format_iso8601(r->creds.expiration, when);
        bool login = st.role_arn != NULL && strcmp(st.role_arn, roles.v[i].arn) == 0;
        printf("%-16s %s%s%s%s\n", roles.v[i].name, roles.v[i].arn,
               login ? "  (the login's role)" : "",
               when[0] && r->creds.expiration > now ? "  credentials until " : "",
               when[0] && r->creds.expiration > now ? when : "");
    }
    awssts_roles_free(&roles);
    awssts_state_free(&st);
    runtime_dir_close(&sd);
    return rc;
}

/* Lock, read, renew NAME's credentials when needed; then run done(ctx). */
typedef int (*role_fn)(const struct cli_runtime_dir *sd, struct awssts_state *st,
                       const struct awssts_credentials *creds, void *ctx);

static int with_role(const char *dir, const char *name, role_fn done, void *ctx)
{
    struct cli_runtime_dir sd;
    struct awssts_state st;
    int rc = runtime_dir_open(dir, LOCK_EX, &sd);
    if (rc != EXIT_OK)
        return rc;
    if ((rc = session_state_read(&sd, &st)) != EXIT_OK) {
        runtime_dir_close(&sd);
        return rc;
    }
    const struct awssts_credentials *creds = NULL;
    bool called = false;
    rc = session_renew_named(&sd, &st, name, CLI_MIN_REMAINING, &creds, &called);
    if (rc == EXIT_OK)
        rc = done(&sd, &st, creds, ctx);
    awssts_state_free(&st);
    runtime_dir_close(&sd);
    return rc;
}

struct assume_ctx {
    const char *name, *profile;
};

static int write_profile(const struct cli_runtime_dir *sd, struct awssts_state *st,
                         const struct awssts_credentials *creds, void *vctx)
{
    const struct assume_ctx *a = vctx;
    if (strcmp(a->profile, st->profile) == 0) {
        cli_error("profile %s holds the login's own credentials: choose another (--profile)",
                  a->profile);
        return EXIT_USAGE;
    }
    struct awssts_state_role *r = awssts_state_named(st, a->name, false);
    snprintf(r->profile, sizeof(r->profile), "%s", a->profile);
    int rc = session_state_write(sd, st);
    if (rc == EXIT_OK) {
        char when[21] = "";
        awssts_time_format_iso8601(creds->expiration, when);
        printf("[%s] in %s/credentials: role %s until %s (renewed by awssts assume, "
               "credential-process --role %s)\n",
               a->profile, sd->path, a->name, when, a->name);
    }
    return rc;
}

int cmd_assume(int argc, char **argv)
{
    const char *usage = "usage: awssts assume NAME [--profile P] [--dir DIR]\n";
    const char *dir, *profile, *name;
    int rc = parse(argc, argv, usage, true, false, &dir, &profile, &name);
    if (rc >= 0)
        return rc;
    struct assume_ctx a = {name, profile != NULL ? profile : name};
    if (!awssts_valid_profile_name(a.profile) || strlen(a.profile) > 64) {
        cli_error("'%.40s' is not a profile name", a.profile);
        return EXIT_USAGE;
    }
    return with_role(dir, name, write_profile, &a);
}

struct exec_ctx {
    char **command;
    const char *name;
};

/* The role's credentials in this process's environment, which the command
 * inherits: no profile or credentials file that the CLI might prefer. */
static int set_environment(const struct cli_runtime_dir *sd, struct awssts_state *st,
                           const struct awssts_credentials *creds, void *vctx)
{
    (void)sd;
    const struct exec_ctx *x = vctx;
    char when[21] = "";
    awssts_time_format_iso8601(creds->expiration, when);
    static const char *const drop[] = {"AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                                       "AWS_SHARED_CREDENTIALS_FILE", "AWS_SECURITY_TOKEN"};
    for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
        unsetenv(drop[i]);
    if (setenv("AWS_ACCESS_KEY_ID", creds->access_key_id, 1) != 0 ||
        setenv("AWS_SECRET_ACCESS_KEY", creds->secret_access_key, 1) != 0 ||
        setenv("AWS_SESSION_TOKEN", creds->session_token, 1) != 0 ||
        setenv("AWS_CREDENTIAL_EXPIRATION", when, 1) != 0 ||
        setenv("AWSSTS_ROLE", x->name, 1) != 0 ||
        (st->export_region && (setenv("AWS_REGION", st->region, 1) != 0 ||
                               setenv("AWS_DEFAULT_REGION", st->region, 1) != 0))) {
        cli_error("exec: the environment cannot hold the credentials");
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}

int cmd_exec(int argc, char **argv)
{
    const char *usage = "usage: awssts exec NAME [--dir DIR] -- COMMAND [ARG...]\n";
    const char *dir, *profile, *name;
    int rc = parse(argc, argv, usage, false, true, &dir, &profile, &name);
    if (rc >= 0)
        return rc;
    struct exec_ctx x = {argv + optind + 1, name};
    rc = with_role(dir, name, set_environment, &x);
    if (rc != EXIT_OK)
        return rc;
    /* Only now, with the directory's lock let go: the command may run for
     * hours, and logins and logouts of the user wait for that lock. */
    fflush(NULL);
    execvp(x.command[0], x.command);
    cli_error("exec %.200s: %s", x.command[0], strerror(errno));
    return 127;
}
