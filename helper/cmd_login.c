/*
 * awssts login: aws-mfa's workflow, drop-in. Long-term keys from
 * [PROFILE-LONGSUFFIX] of ~/.aws/credentials (as aws-mfa: not the file
 * AWS_SHARED_CREDENTIALS_FILE names, which in a pam_aws_sts session is the
 * module's tmpfs file), a code, STS on the regional endpoint of the region
 * (never the global one), and the result in [PROFILE] or
 * [PROFILE-SHORTSUFFIX] of the same file, everything else kept as it was.
 */
#include "cli.h"
#include "login/login_flow.h"
#include "login/user_keys.h"
#include "awssts/credfile.h"
#include "awssts/endpoint.h"
#include "awssts/secret.h"
#include "awssts/timeutil.h"
#include "awssts/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct login_opts {
    const char *device, *profile, *long_suffix, *short_suffix, *role, *session_name;
    const char *token, *region, *endpoint, *ca_bundle, *credentials_file;
    long duration;
    const char *duration_from; /* "--duration", "MFA_STS_DURATION" or NULL: the default */
    bool force, setup;
};

static const char usage[] =
    "usage: awssts login [--profile P] [--device ARN] [--duration S] [--assume-role ARN]\n"
    "                    [--role-session-name N] [--token CODE] [--region R] [--force]\n"
    "                    [--long-term-suffix S] [--short-term-suffix S] [--setup]\n"
    "                    [--log-level L] [--endpoint-url URL] [--ca-bundle FILE]\n"
    "                    [--credentials-file FILE]\n";

static const char *env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);
    return (v != NULL && *v != '\0') ? v : dflt;
}

/* aws-mfa's --log-level: false (said) for a level it does not have. */
static bool set_log_level(const char *level)
{
    if (strcasecmp(level, "DEBUG") == 0)
        cli_verbosity = 0;
    else if (strcasecmp(level, "INFO") == 0)
        cli_verbosity = 1;
    else if (strcasecmp(level, "WARNING") == 0 || strcasecmp(level, "WARN") == 0)
        cli_verbosity = 2;
    else if (strcasecmp(level, "ERROR") == 0 || strcasecmp(level, "CRITICAL") == 0)
        cli_verbosity = 3;
    else {
        cli_error("--log-level takes DEBUG, INFO, WARNING, ERROR or CRITICAL");
        return false;
    }
    return true;
}

/* --duration or MFA_STS_DURATION (dur), remembering which (the role, and
 * so the default and the limit, may come from the file later); false
 * (said) when out of STS's range. */
static bool parse_duration(const char *dur, struct login_opts *o)
{
    if (dur == NULL)
        return true;
    char *end = NULL;
    errno = 0;
    o->duration = strtol(dur, &end, 10);
    if (errno || *end || o->duration < 900 || o->duration > AWSSTS_SESSION_DURATION_MAX) {
        cli_error("%s must be 900..%d seconds", o->duration_from, AWSSTS_SESSION_DURATION_MAX);
        return false;
    }
    return true;
}

/* Once the role is known: aws-mfa's default when none was given; a given
 * one above what STS allows a role is refused, never changed (said). */
static bool settle_duration(struct login_opts *o)
{
    if (o->duration_from == NULL) {
        o->duration = o->role ? 3600 : 43200;
        return true;
    }
    if (o->role != NULL && o->duration > AWSSTS_ROLE_DURATION_MAX) {
        cli_error("%s %ld is above the %d seconds STS allows for a role: give at most %d",
                  o->duration_from, o->duration, AWSSTS_ROLE_DURATION_MAX,
                  AWSSTS_ROLE_DURATION_MAX);
        return false;
    }
    return true;
}

static const struct option login_options[] = {
    {"device", required_argument, NULL, 'D'},
    {"duration", required_argument, NULL, 'd'},
    {"profile", required_argument, NULL, 'p'},
    {"long-term-suffix", required_argument, NULL, 'L'},
    {"long-suffix", required_argument, NULL, 'L'},
    {"short-term-suffix", required_argument, NULL, 'S'},
    {"short-suffix", required_argument, NULL, 'S'},
    {"assume-role", required_argument, NULL, 'a'},
    {"assume", required_argument, NULL, 'a'},
    {"role-session-name", required_argument, NULL, 'n'},
    {"force", no_argument, NULL, 'f'},
    {"token", required_argument, NULL, 't'},
    {"mfa-token", required_argument, NULL, 't'},
    {"region", required_argument, NULL, 'r'},
    {"setup", no_argument, NULL, 's'},
    {"log-level", required_argument, NULL, 'l'},
    {"endpoint-url", required_argument, NULL, 'e'},
    {"ca-bundle", required_argument, NULL, 'c'},
    {"credentials-file", required_argument, NULL, 'C'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* One option into o (*dur: --duration's text); -1 to go on, else the exit code. */
static int take_option(int ch, struct login_opts *o, const char **dur)
{
    switch (ch) {
    case 'D':
        o->device = optarg;
        break;
    case 'd':
        *dur = optarg;
        o->duration_from = "--duration";
        break;
    case 'p':
        o->profile = optarg;
        break;
    case 'L':
        o->long_suffix = optarg;
        break;
    case 'S':
        o->short_suffix = optarg;
        break;
    case 'a':
        o->role = optarg;
        break;
    case 'n':
        o->session_name = optarg;
        break;
    case 'f':
        o->force = true;
        break;
    case 't':
        o->token = optarg;
        break;
    case 'r':
        o->region = optarg;
        break;
    case 's':
        o->setup = true;
        break;
    case 'e':
        o->endpoint = optarg;
        break;
    case 'c':
        o->ca_bundle = optarg;
        break;
    case 'C':
        o->credentials_file = optarg;
        break;
    case 'l':
        if (!set_log_level(optarg))
            return EXIT_USAGE;
        break;
    case 'h':
        printf("%s", usage);
        return EXIT_OK;
    default:
        fprintf(stderr, "%s", usage);
        return EXIT_USAGE;
    }
    return -1;
}

static int parse(int argc, char **argv, struct login_opts *o)
{
    memset(o, 0, sizeof(*o));
    cli_verbosity = 1; /* aws-mfa says what it does unless --log-level quiets it */
    o->device = env_or("MFA_DEVICE", NULL);
    o->profile = env_or("AWS_PROFILE", "default");
    o->role = env_or("MFA_ASSUME_ROLE", NULL);
    o->ca_bundle = env_or("AWS_CA_BUNDLE", NULL);
    const char *dur = env_or("MFA_STS_DURATION", NULL);
    if (dur != NULL)
        o->duration_from = "MFA_STS_DURATION";
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", login_options, NULL)) != -1) {
        int rc = take_option(ch, o, &dur);
        if (rc >= 0)
            return rc;
    }
    if (optind != argc) {
        fprintf(stderr, "%s", usage);
        return EXIT_USAGE;
    }
    if (o->role != NULL && (strcasecmp(o->role, "none") == 0 || *o->role == '\0'))
        o->role = NULL;
    if (!parse_duration(dur, o) || !settle_duration(o))
        return EXIT_USAGE;
    if (!awssts_valid_profile_name(o->profile)) {
        cli_error("'%s' is not a profile name", o->profile);
        return EXIT_USAGE;
    }
    if (o->token != NULL && strcmp(o->token, "-") != 0 && !awssts_valid_mfa_code(o->token)) {
        cli_error("the MFA code must be six digits");
        return EXIT_USAGE;
    }
    return -1;
}

/*
 * The sections aws-mfa uses (awsmfa/__init__.py, validate()):
 *
 *     if not args.long_term_suffix:
 *         long_term_name = '%s-long-term' % (args.profile,)
 *     elif args.long_term_suffix.lower() == 'none':
 *         long_term_name = args.profile
 *     else:
 *         long_term_name = '%s-%s' % (args.profile, args.long_term_suffix)
 *
 *     if not args.short_term_suffix or args.short_term_suffix.lower() == 'none':
 *         short_term_name = args.profile
 *     else:
 *         short_term_name = '%s-%s' % (args.profile, args.short_term_suffix)
 *
 * so the suffix is joined with a '-', an empty or absent one is the
 * default, and "none" (any case) is no suffix.
 */
static void section_name(char *out, size_t len, const char *profile, const char *suffix,
                         const char *dflt)
{
    if (suffix == NULL || *suffix == '\0')
        suffix = dflt;
    if (suffix == NULL || strcasecmp(suffix, "none") == 0)
        snprintf(out, len, "%s", profile);
    else
        snprintf(out, len, "%s-%s", profile, suffix);
}

static void long_section(char *out, size_t len, const char *profile, const struct login_opts *o)
{
    section_name(out, len, profile, o->long_suffix, "long-term");
}

static void short_section(char *out, size_t len, const char *profile, const struct login_opts *o)
{
    section_name(out, len, profile, o->short_suffix, NULL);
}

/* aws-mfa's file: ~/.aws/credentials, or --credentials-file. */
static int credentials_path(const struct login_opts *o, char *out, size_t len)
{
    if (o->credentials_file != NULL) {
        snprintf(out, len, "%s", o->credentials_file);
        return EXIT_OK;
    }
    const char *home = awssts_home_dir(getpwuid(getuid()), getenv("HOME"));
    if (home == NULL) {
        cli_error("HOME is not set");
        return EXIT_FAILURE_OTHER;
    }
    snprintf(out, len, "%s/.aws/credentials", home);
    const char *env = getenv("AWS_SHARED_CREDENTIALS_FILE");
    if (env != NULL && *env != '\0' && strcmp(env, out) != 0)
        cli_info("using %s as aws-mfa does; AWS_SHARED_CREDENTIALS_FILE (%s) is not read "
                 "(--credentials-file FILE to use another)",
                 out, env);
    return EXIT_OK;
}

static int file_path(const char *env, const char *leaf, char *out, size_t len)
{
    const char *v = getenv(env);
    if (v != NULL && *v != '\0') {
        snprintf(out, len, "%s", v);
        return EXIT_OK;
    }
    const char *home = awssts_home_dir(getpwuid(getuid()), getenv("HOME"));
    if (home == NULL) {
        cli_error("HOME is not set");
        return EXIT_FAILURE_OTHER;
    }
    snprintf(out, len, "%s/.aws/%s", home, leaf);
    return EXIT_OK;
}

/* --region, the profile's region in the config file, AWS_REGION, AWS_DEFAULT_REGION. */
static const char *find_region(const struct login_opts *o, char *buf, size_t len)
{
    if (o->region != NULL)
        return o->region;
    char path[4096];
    if (file_path("AWS_CONFIG_FILE", "config", path, sizeof(path)) == EXIT_OK) {
        struct awssts_credfile *cf = NULL;
        struct awssts_file_policy pol = {.owner = getuid(), .forbidden = 0022};
        if (awssts_credfile_load(AT_FDCWD, path, &pol, &cf, NULL) == AWSSTS_OK) {
            char section[160];
            snprintf(section, sizeof(section), "%s%s",
                     strcmp(o->profile, "default") ? "profile " : "", o->profile);
            const char *r = awssts_credfile_get(cf, section, "region");
            if (r != NULL)
                snprintf(buf, len, "%s", r);
            awssts_credfile_free(cf);
            if (r != NULL)
                return buf;
        }
    }
    return env_or("AWS_REGION", env_or("AWS_DEFAULT_REGION", NULL));
}

static int setup(struct awssts_credfile *cf, const char *path, mode_t mode,
                 const struct login_opts *o)
{
    char profile[65] = "", id[130] = "", secret[260] = "", device[260] = "", section[160];
    if (tty_prompt("Profile [default]: ", true, profile, sizeof(profile)) != EXIT_OK) {
        cli_error("--setup needs a terminal");
        return EXIT_USAGE;
    }
    if (*profile == '\0')
        snprintf(profile, sizeof(profile), "%s", o->profile);
    tty_prompt("aws_access_key_id: ", true, id, sizeof(id));
    tty_prompt("aws_secret_access_key: ", false, secret, sizeof(secret));
    tty_prompt("aws_mfa_device (ARN, empty for none): ", true, device, sizeof(device));
    int rc = EXIT_USAGE;
    long_section(section, sizeof(section), profile, o);
    if (!awssts_valid_profile_name(profile) || !awssts_valid_access_key_id(id) ||
        !awssts_valid_secret_key(secret) || (*device && !awssts_valid_mfa_serial(device))) {
        cli_error("not saved: the profile, key id, secret or device is malformed");
    } else if (awssts_credfile_set(cf, section, "aws_access_key_id", id, NULL) != AWSSTS_OK ||
               awssts_credfile_set(cf, section, "aws_secret_access_key", secret, NULL) !=
                   AWSSTS_OK ||
               (*device &&
                awssts_credfile_set(cf, section, "aws_mfa_device", device, NULL) != AWSSTS_OK)) {
        rc = EXIT_FAILURE_OTHER;
    } else {
        rc = cli_save_file(cf, path, mode);
        if (rc == EXIT_OK)
            printf("saved [%s] in %s\n", section, path);
    }
    awssts_memzero(secret, sizeof(secret));
    return rc;
}

/* One login's file and the names and keys it found there. */
struct login_file {
    char path[4096];
    mode_t mode;
    struct awssts_credfile *cf;
    char lsec[160], ssec[160], regbuf[64];
    const char *id, *secret, *region;
};

/* The credentials file, loaded (new with --setup when there is none). */
static int load_file(const struct login_opts *o, struct login_file *f)
{
    int rc = credentials_path(o, f->path, sizeof(f->path));
    if (rc != EXIT_OK)
        return rc;
    struct stat fst;
    f->mode = stat(f->path, &fst) == 0 ? fst.st_mode & 0777 : 0600;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    /* Ours, and nobody else may write it: it decides which keys we send. */
    struct awssts_file_policy pol = {.owner = getuid(), .forbidden = 0022};
    awssts_err arc = awssts_credfile_load(AT_FDCWD, f->path, &pol, &f->cf, &ei);
    if (arc == AWSSTS_E_NOT_FOUND && o->setup)
        arc = (f->cf = awssts_credfile_new()) ? AWSSTS_OK : AWSSTS_E_NOMEM;
    if (arc != AWSSTS_OK) {
        cli_error("%s", ei.detail[0] ? ei.detail : awssts_strerror(arc));
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}

/* The sections, the long-term keys, the device, the role and the region,
 * from the options first and the long-term section second, as aws-mfa. */
static int resolve(struct login_opts *o, struct login_file *f)
{
    long_section(f->lsec, sizeof(f->lsec), o->profile, o);
    short_section(f->ssec, sizeof(f->ssec), o->profile, o);
    if (strcmp(f->lsec, f->ssec) == 0) {
        cli_error("the long-term and short-term sections are both [%s]: "
                  "--long-term-suffix cannot equal --short-term-suffix",
                  f->lsec);
        return EXIT_USAGE;
    }
    f->id = awssts_credfile_get(f->cf, f->lsec, "aws_access_key_id");
    f->secret = awssts_credfile_get(f->cf, f->lsec, "aws_secret_access_key");
    if (!awssts_credfile_has_section(f->cf, f->lsec) || f->id == NULL || f->secret == NULL) {
        cli_error("%s: no [%s] with aws_access_key_id and aws_secret_access_key (see awssts login "
                  "--setup)",
                  f->path, f->lsec);
        return EXIT_FAILURE_OTHER;
    }
    if (o->device == NULL)
        o->device = awssts_credfile_get(f->cf, f->lsec, "aws_mfa_device");
    if (o->role == NULL) {
        const char *r = awssts_credfile_get(f->cf, f->lsec, "assume_role");
        if (r != NULL && strcasecmp(r, "none") != 0)
            o->role = r;
        if (!settle_duration(o))
            return EXIT_USAGE;
    }
    if (o->device == NULL || !awssts_valid_mfa_serial(o->device)) {
        cli_error("no MFA device: give --device, set MFA_DEVICE or aws_mfa_device in [%s]",
                  f->lsec);
        return EXIT_USAGE;
    }
    f->region = find_region(o, f->regbuf, sizeof(f->regbuf));
    if (f->region == NULL) {
        cli_error("no region: give --region or set one for the profile (the global STS endpoint is "
                  "never used)");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* Credentials for the same role that are still valid: nothing to do (said). */
static bool still_valid(const struct login_opts *o, const struct login_file *f)
{
    const char *exp = awssts_credfile_get(f->cf, f->ssec, "expiration");
    const char *had_role = awssts_credfile_get(f->cf, f->ssec, "assumed_role_arn");
    time_t when;
    bool same_role = (o->role == NULL && had_role == NULL) ||
                     (o->role != NULL && had_role != NULL && strcmp(o->role, had_role) == 0);
    if (o->force || exp == NULL || !same_role || awssts_time_parse(exp, &when) != AWSSTS_OK ||
        when <= time(NULL))
        return false;
    printf("Your credentials are still valid for %ld seconds. They will expire at %s\n",
           (long)(when - time(NULL)), exp);
    return true;
}

/* One line of standard input as the code; what: how it came to be read. */
static int stdin_code(const char *what, char *code, size_t len)
{
    stdin_line(code, len);
    if (!awssts_valid_mfa_code(code)) {
        cli_error("%s: standard input did not hold a six-digit code", what);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* The code: --token, --token - or a pipe (standard input, as aws-mfa
 * reads it: out of the command line that ps shows), or a prompt on the
 * terminal. */
static int read_code(const struct login_opts *o, char *code, size_t len)
{
    if (o->token != NULL && strcmp(o->token, "-") == 0)
        return stdin_code("--token -", code, len);
    if (o->token == NULL && !isatty(STDIN_FILENO))
        return stdin_code("no --token and not a terminal", code, len);
    if (o->token != NULL) {
        snprintf(code, len, "%s", o->token);
        return EXIT_OK;
    }
    char prompt[512];
    snprintf(prompt, sizeof(prompt),
             "Enter AWS MFA code for device [%s] (renewing for %ld seconds):", o->device,
             o->duration);
    if (tty_prompt(prompt, true, code, len) != EXIT_OK) {
        cli_error("no terminal to ask for the MFA code: give --token");
        return EXIT_USAGE;
    }
    if (!awssts_valid_mfa_code(code)) {
        cli_error("the MFA code must be six digits");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* STS with the code, aws-mfa's way: AssumeRole with the code when there is
 * a role, GetSessionToken otherwise. */
static int call_sts(const struct login_opts *o, const struct login_file *f, const char *code,
                    struct awssts_login_result *r)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_client_options co = {.struct_size = sizeof(co),
                                       .region = f->region,
                                       .endpoint = o->endpoint,
                                       .ca_file = o->ca_bundle,
                                       .user_agent = "awssts-login",
                                       .proxy = env_or("HTTPS_PROXY", env_or("https_proxy", NULL))};
    struct awssts_client *c = NULL;
    if (awssts_client_new(&co, &c, &ei) != AWSSTS_OK) {
        cli_error_info("configuration", &ei);
        return EXIT_USAGE;
    }
    /* aws-mfa's way: AssumeRole with the code when there is a role. */
    struct passwd *pw = getpwuid(getuid());
    struct awssts_login_plan plan;
    awssts_login_plan_aws_mfa(o->device, o->role,
                              o->session_name ? o->session_name : (pw ? pw->pw_name : "awssts"),
                              o->duration, &plan);
    if (o->role != NULL)
        cli_info("assuming %s for %ld seconds via %s", o->role, o->duration, awssts_client_host(c));
    else
        cli_info("fetching session credentials for %ld seconds via %s", o->duration,
                 awssts_client_host(c));
    struct awssts_keys lt = {f->id, f->secret, NULL};
    int rc = EXIT_OK;
    if (awssts_login_run(c, &lt, &plan, code, r, &ei) != AWSSTS_OK) {
        cli_error_info(r->failed_call ? r->failed_call : "STS", &ei);
        rc = cli_exit_code(ei.code);
    }
    awssts_client_free(c);
    return rc;
}

/* The new credentials into the short-term section, the file saved in place. */
static int save(const struct login_opts *o, struct login_file *f,
                const struct awssts_login_result *r)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    const struct awssts_credentials *cr = awssts_login_final(r);
    if (awssts_credfile_put_credentials(f->cf, f->ssec, cr, o->role, &ei) != AWSSTS_OK) {
        cli_error_info("credentials", &ei);
        return EXIT_FAILURE_OTHER;
    }
    int rc = cli_save_file(f->cf, f->path, f->mode);
    char e[20];
    awssts_time_format_mfa(cr->expiration, e);
    if (rc == EXIT_OK)
        cli_info("success: [%s] in %s is valid until %s UTC", f->ssec, f->path, e);
    return rc;
}

int cmd_login(int argc, char **argv)
{
    struct login_opts o;
    int rc = parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    struct login_file f = {0};
    if ((rc = load_file(&o, &f)) != EXIT_OK)
        return rc;
    if (o.setup) {
        rc = setup(f.cf, f.path, f.mode, &o);
    } else if ((rc = resolve(&o, &f)) == EXIT_OK && !still_valid(&o, &f)) {
        char code[16] = "";
        struct awssts_login_result r = {0};
        if ((rc = read_code(&o, code, sizeof(code))) == EXIT_OK &&
            (rc = call_sts(&o, &f, code, &r)) == EXIT_OK)
            rc = save(&o, &f, &r);
        awssts_memzero(code, sizeof(code));
        awssts_login_result_clear(&r);
    }
    awssts_credfile_free(f.cf);
    return rc;
}
