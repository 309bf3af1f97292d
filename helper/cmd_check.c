/*
 * awssts check --user NAME [--config FILE] [--probe]: the module's view of
 * one user's login, without logging in. Run as root. Everything it decides
 * comes from the library calls the module makes (the option table and the
 * configuration, the keys, the preflight of the directories), so the two
 * cannot disagree; it prints what it found and every problem, and exits
 * non-zero when a login would not get AWS credentials.
 */
#include "cli.h"
#include "aws/ssm.h"
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <netdb.h>
#include "aws/iam.h"
#include "aws/imds.h"
#include "aws/service_endpoint.h"
#include "aws/sts_client.h"
#include "awssts/endpoint.h"
#include "awssts/secret.h"
#include "awssts/sts.h"
#include "awssts/validate.h"
#include "util/error_set.h"
#include "files/paths.h"
#include "files/runtime_files.h"
#include "util/hidden_env.h"
#include "login/login_plan.h"
#include "login/options.h"
#include "login/outcome.h"
#include "login/preflight.h"
#include "util/retry.h"
#include "login/settings_login.h"
#include "login/staging.h"
#include "aws/uri.h"
#include "login/user_keys.h"

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

/* Exit codes of check (awssts-check(1)). */
enum {
    CHECK_OK = 0,             /* a login gets AWS credentials */
    CHECK_FAILS = 1,          /* a login fails */
    CHECK_NO_CREDENTIALS = 3, /* a login goes on without AWS credentials */
};

struct report {
    bool on_error_allow; /* as the configuration says (so far as it was read) */
    int problems;
    bool fails;   /* a problem fails the login */
    bool without; /* the login goes on without AWS credentials */
};

static void say(const char *topic, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const char *topic, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%-10s ", topic);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
}

/* A problem, with the outcome the module would log for it and what that
 * outcome does to the login under the configured on_error. */
static void problem(struct report *r, const char *topic, enum awssts_outcome o,
                    const struct awssts_error_info *ei)
{
    char line[600];
    r->problems++;
    if (awssts_outcome_result(o, r->on_error_allow) == AWSSTS_RESULT_IGNORE)
        r->without = true;
    else
        r->fails = true;
    printf("%-10s PROBLEM (outcome=%s): %s\n", topic, awssts_outcome_label(o, r->on_error_allow),
           awssts_error_format(ei, line, sizeof(line)));
}

/* The user's file-system rights for the keys in the user's home, as the
 * module takes them: the user's fsuid, fsgid and groups. */
struct rights {
    const struct passwd *pw;
    gid_t saved[NGROUPS_MAX];
    int nsaved;
};

static int enter(void *ctx)
{
    struct rights *r = ctx;
    gid_t gids[NGROUPS_MAX];
    int n = NGROUPS_MAX;
    if ((r->nsaved = getgroups(NGROUPS_MAX, r->saved)) < 0 ||
        getgrouplist(r->pw->pw_name, r->pw->pw_gid, gids, &n) < 0 ||
        setgroups((size_t)n, gids) != 0)
        return -1;
    setfsgid(r->pw->pw_gid);
    setfsuid(r->pw->pw_uid);
    /* setfsuid says nothing of failure; asking again does. */
    return setfsuid((uid_t)-1) == (int)r->pw->pw_uid && setfsgid((gid_t)-1) == (int)r->pw->pw_gid
               ? 0
               : -1;
}

static int leave(void *ctx)
{
    struct rights *r = ctx;
    setfsuid(geteuid());
    setfsgid(getegid());
    if (setfsuid((uid_t)-1) != (int)geteuid() || setfsgid((gid_t)-1) != (int)getegid())
        return -1;
    return r->nsaved >= 0 && setgroups((size_t)r->nsaved, r->saved) == 0 ? 0 : -1;
}

static void print_groups(const struct passwd *pw)
{
    gid_t gids[NGROUPS_MAX];
    int n = NGROUPS_MAX;
    char line[1024] = "";
    size_t used = 0;
    if (getgrouplist(pw->pw_name, pw->pw_gid, gids, &n) < 0)
        n = 0;
    for (int i = 0; i < n && used < sizeof(line) - 40; i++) {
        struct group *g = getgrgid(gids[i]);
        int w = g != NULL ? snprintf(line + used, sizeof(line) - used, "%s%s", used ? " " : "",
                                     g->gr_name)
                          : snprintf(line + used, sizeof(line) - used, "%s%u", used ? " " : "",
                                     (unsigned)gids[i]);
        if (w > 0)
            used += (size_t)w;
    }
    say("user", "%s (uid %u, gid %u; groups for [group:NAME]: %s)", pw->pw_name,
        (unsigned)pw->pw_uid, (unsigned)pw->pw_gid, line[0] ? line : "none");
}

static void print_settings(const struct awssts_settings *s,
                           const struct awssts_setting_origin *origins)
{
    size_t n = 0;
    const struct awssts_option *opts = awssts_options(&n);
    for (size_t i = 0; i < n; i++) {
        char value[600], from[400];
        if (origins[i].line > 0)
            snprintf(from, sizeof(from), "line %zu [%s]", origins[i].line, origins[i].section);
        else
            snprintf(from, sizeof(from), "default");
        char shown[700];
        snprintf(shown, sizeof(shown), "%s = %s", opts[i].name,
                 awssts_option_text(&opts[i], s, value, sizeof(value)));
        say(i == 0 ? "settings" : "", "%-44s %s", shown, from);
    }
}

/* A CA file or directory the module would give libcurl: there, and of its kind. */
static void check_ca(struct report *r, const char *what, const char *path, bool dir)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct stat st;
    if (path == NULL) {
        say("tls", "%s: the system store", what);
        return;
    }
    if (stat(path, &st) != 0) {
        ei.code = AWSSTS_E_NOT_FOUND;
        snprintf(ei.detail, sizeof(ei.detail), "%s = %s: %s", what, path, strerror(errno));
    } else if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)) {
        ei.code = AWSSTS_E_CONFIG;
        snprintf(ei.detail, sizeof(ei.detail), "%s = %s: not a %s", what, path,
                 dir ? "directory" : "file");
    } else if (access(path, R_OK) != 0) {
        ei.code = AWSSTS_E_FILE_IO;
        snprintf(ei.detail, sizeof(ei.detail), "%s = %s: %s", what, path, strerror(errno));
    } else {
        say("tls", "%s = %s", what, path);
        return;
    }
    problem(r, "tls", AWSSTS_OUT_STS_ERROR, &ei);
}

struct probe_call {
    struct report *r;
    const struct awssts_settings *s;
    const struct awssts_user_keys *k;
    const char *serial; /* the login's MFA device */
};

/* The IAM user name of an ARN (arn:aws:iam::ACCOUNT:user/PATH/NAME), or
 * NULL: ListMFADevices then lists the caller's own. */
static const char *iam_user_name(const char *arn)
{
    return arn != NULL && strstr(arn, ":user/") != NULL ? strrchr(arn, '/') + 1 : NULL;
}

/* IAM ListMFADevices with the long-term keys: a device that is not the
 * user's makes every login look like a wrong code. Where the keys may not
 * list them, say so and go on: the policy need not allow it. */
static void probe_mfa_device(const struct probe_call *p, struct awssts_client *c, const char *arn)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_endpoint ep;
    struct awssts_endpoint_options eo = {p->s->region, p->s->endpoint, false, false};
    struct iam_mfa_devices dev;
    struct awssts_keys lt = {p->k->access_key_id, p->k->secret_access_key, NULL};
    const char *name = iam_user_name(arn);
    awssts_err rc = awssts_service_endpoint_resolve("iam", &eo, &ep, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_iam_list_mfa_devices(awssts_client_transport(c), &ep, &lt, name, p->serial,
                                         &dev, &ei);
    char line[600];
    if (rc == AWSSTS_E_ACCESS_DENIED)
        say("probe", "MFA device not checked: these keys may not call iam:ListMFADevices "
                     "(conf/iam/user-mfa-policy.json allows it)");
    else if (rc != AWSSTS_OK)
        say("probe", "MFA device not checked: %s", awssts_error_format(&ei, line, sizeof(line)));
    else if (dev.has_serial)
        say("probe", "ListMFADevices at %s: %s is one of %s's MFA devices", ep.host, p->serial,
            name ? name : "the keys'");
    else if (dev.truncated)
        say("probe", "MFA device not checked: %s is not on ListMFADevices' first page", p->serial);
    else {
        awssts_error_set(&ei, AWSSTS_E_CONFIG,
                         "mfa device %.200s is not one of %.64s's MFA devices (ListMFADevices "
                         "lists %zu): fix aws_mfa_device in the keys, or mfa_serial",
                         p->serial, name ? name : "the keys'", dev.count);
        problem(p->r, "mfa", AWSSTS_OUT_CONFIG_ERROR, &ei);
    }
}

/* GetCallerIdentity with the user's long-term keys: no code needed, and it
 * proves the keys, the endpoint, the CA and the proxy. */
static void probe_run(void *arg)
{
    const struct probe_call *p = arg;
    struct awssts_client_options o;
    awssts_settings_client_options(p->s, "check", &o);
    struct awssts_client *c = NULL;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_caller_identity id = {0};
    long long t0 = awssts_now_ms();
    awssts_err rc = awssts_client_new(&o, &c, &ei);
    if (rc == AWSSTS_OK) {
        struct awssts_keys lt = {p->k->access_key_id, p->k->secret_access_key, NULL};
        rc = awssts_get_caller_identity(c, &lt, &id, &ei);
    }
    if (rc == AWSSTS_OK) {
        say("probe", "GetCallerIdentity at %s: %s (request-id %s, %lld ms)", awssts_client_host(c),
            id.arn, id.request_id, awssts_now_ms() - t0);
        if (p->serial != NULL)
            probe_mfa_device(p, c, id.arn);
    } else {
        awssts_error_prefix(&ei, "GetCallerIdentity with the long-term keys");
        problem(p->r, "probe", AWSSTS_OUT_STS_ERROR, &ei);
    }
    awssts_caller_identity_clear(&id);
    awssts_client_free(c);
}

/* With the environment hidden, as the module sees it under sshd: the
 * administrator's shell may set OPENSSL_CONF, SSL_CERT_FILE, resolver
 * options and the like, which the login would not have. */
static void probe(struct report *r, const struct awssts_settings *s,
                  const struct awssts_user_keys *k, const char *serial)
{
    struct probe_call p = {r, s, k, serial};
    awssts_without_environment(probe_run, &p);
}

/* Whether an unprivileged process reaches the instance metadata service:
 * with keys = ssm:, whoever does holds the instance role, which may read
 * every user's keys. A child as nobody tries a TCP connection to the
 * address resolved here. 1: it connected, 0: it did not, -1: not known. */
static int imds_open_to_users(const char *endpoint)
{
    char host[256], port[6];
    if (awssts_imds_endpoint_host_port(endpoint, host, port, NULL) != AWSSTS_OK)
        return -1;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    if (getaddrinfo(host, port, &hints, &ai) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        struct timeval tv = {1, 0};
        int fd = -1;
        if (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
            setresuid(65534, 65534, 65534) != 0 ||
            (fd = socket(ai->ai_family, SOCK_STREAM, 0)) < 0 ||
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0)
            _exit(2);
        _exit(connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ? 0 : 1);
    }
    freeaddrinfo(ai);
    if (pid < 0)
        return -1;
    int st = -1;
    pid_t got;
    while ((got = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
        ;
    if (got != pid || !WIFEXITED(st) || WEXITSTATUS(st) == 2)
        return -1;
    return WEXITSTATUS(st) == 0 ? 1 : 0;
}

/* The login's role and STS calls, as decided. */
static void print_flow(const struct awssts_settings *s, const struct awssts_login_decision *d)
{
    if (d->role_arn == NULL)
        say("role", "none: the session gets the MFA session's credentials");
    else
        say("role", "%s (from %s)", d->role_arn, awssts_role_from_text(d->role_from));
    if (d->role_arn == NULL)
        say("flow", "%s: GetSessionToken with the code (%ld s)", d->flow, s->duration);
    else if (s->flow == AWSSTS_FLOW_DIRECT)
        say("flow", "%s: AssumeRole %s with the code (%ld s; renewing needs a new code)", d->flow,
            d->role_arn, s->role_duration);
    else
        say("flow",
            "%s: GetSessionToken with the code (%ld s), then AssumeRole %s "
            "(%ld s, renewed by awssts without a code)",
            d->flow, s->duration, d->role_arn,
            s->role_duration < AWSSTS_CHAINED_ROLE_DURATION_MAX ? s->role_duration
                                                                : AWSSTS_CHAINED_ROLE_DURATION_MAX);
}

/* Keys, MFA device, role and flow (and the instance's region, keys =
 * ssm:); false when there are no keys to go on with. */
static bool check_keys(struct report *r, struct awssts_settings *s, const struct passwd *pw,
                       struct awssts_user_keys *k, bool want_probe, bool *no_keys,
                       const char **serial)
{
    const char *imds = s->imds_endpoint ? s->imds_endpoint : AWSSTS_IMDS_ENDPOINT;
    int open_to_users = awssts_ssm_keys_template(s->keys) != NULL ? imds_open_to_users(imds) : 0;
    if (open_to_users > 0)
        say("imds",
            "WARNING: an unprivileged process (uid 65534) can connect to %s: any local "
            "user can take the instance role, which reads every user's keys; let only root "
            "reach it (docs/fleet.md, section 4)",
            imds);
    else if (open_to_users < 0)
        say("imds",
            "could not test whether unprivileged processes reach %s; let only root "
            "reach it (docs/fleet.md, section 4)",
            imds);
    if (awssts_ssm_keys_template(s->keys) != NULL && !want_probe) {
        /* Reading them is a network call, as the probe's are. */
        say("keys",
            "%s: read at each login from SSM Parameter Store with the instance role "
            "(IMDSv2 at %s), held in memory only; --probe reads them now",
            s->keys, imds);
        return false;
    }
    struct rights rights = {.pw = pw};
    struct awssts_as_user as_user = {enter, leave, &rights};
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    /* The module's own preparation, so that what is printed is what it does. */
    struct awssts_login_decision d;
    enum awssts_outcome o;
    awssts_err rc = awssts_login_prepare(s, pw, &as_user, k, &d, &o, &ei);
    if (!d.keys_loaded) {
        *no_keys = rc == AWSSTS_E_NO_KEYS;
        if (o == AWSSTS_OUT_NO_KEYS) {
            char line[600];
            r->without = true;
            say("keys",
                "none (%s): the module ignores %s (outcome=%s), whose login goes on "
                "without AWS credentials (require = no)",
                awssts_error_format(&ei, line, sizeof(line)), pw->pw_name,
                awssts_outcome_label(AWSSTS_OUT_NO_KEYS, r->on_error_allow));
        } else {
            problem(r, "keys", o, &ei);
        }
        return false;
    }
    size_t n = strlen(k->access_key_id);
    say("keys", "%s: access key %.4s...%s", k->source, k->access_key_id,
        k->access_key_id + (n > 4 ? n - 4 : n));
    if (d.region_from_imds)
        say("region", "%s: the instance's, from IMDS (no region configured)", d.region);
    if (rc != AWSSTS_OK) {
        problem(r, o == AWSSTS_OUT_CONFIG_ERROR ? "mfa" : "region", o, &ei);
        return false;
    }
    say("mfa", "%s (from the %s)", d.mfa_serial, d.serial_from_keys ? "keys" : "configuration");
    *serial = d.mfa_serial;
    print_flow(s, &d);
    return true;
}

static void check_connection(struct report *r, const struct awssts_settings *s)
{
    if (s->region == NULL) {
        say("endpoint", "STS in the instance's region, from IMDS at login (--probe reads it)");
        return;
    }
    struct awssts_endpoint ep;
    struct awssts_endpoint_options eo = {s->region, s->endpoint, s->fips, s->dualstack};
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_endpoint_resolve(&eo, &ep, &ei) != AWSSTS_OK) {
        problem(r, "endpoint", AWSSTS_OUT_CONFIG_ERROR, &ei);
        return;
    }
    say("endpoint", "%s (signed for %s)%s", ep.url, s->region,
        ep.is_global ? "; GLOBAL: v1 tokens" : "");
    if (s->endpoint != NULL)
        say("", "the session %s AWS_ENDPOINT_URL_STS=%s (export_endpoint = %s)",
            s->export_endpoint ? "gets" : "does not get", s->endpoint,
            s->export_endpoint ? "yes" : "no");
    check_ca(r, "ca_file", s->ca_file, false);
    if (s->ca_path != NULL)
        check_ca(r, "ca_path", s->ca_path, true);
    if (s->proxy == NULL) {
        say("proxy", "none (the environment's proxy variables are never used)");
    } else {
        char proxy[600];
        say("proxy", "%s",
            awssts_uri_without_userinfo(s->proxy, proxy, sizeof(proxy)) ? proxy : "(set)");
    }
    /* The client checks its options (the proxy's form among them) without connecting. */
    struct awssts_client_options o;
    awssts_settings_client_options(s, "check", &o);
    struct awssts_client *c = NULL;
    if (awssts_client_new(&o, &c, &ei) != AWSSTS_OK)
        problem(r, "client", AWSSTS_OUT_STS_ERROR, &ei);
    awssts_client_free(c);
}

/* The module's preflight, half by half, so that each problem is named. */
static void check_directories(struct report *r, const struct awssts_settings *s,
                              const struct passwd *pw)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct stat st;
    bool exists = lstat(s->staging_dir, &st) == 0;
    if (awssts_staging_check(s, &ei) == AWSSTS_OK)
        say("staging",
            exists ? "%s: root's, 0700, in memory, with room"
                   : "%s: made at the first login, in a directory in memory with room",
            s->staging_dir);
    else
        problem(r, "staging", AWSSTS_OUT_LOCAL_ERROR, &ei);
    struct awssts_preflight pf;
    awssts_error_info_reset(&ei);
    awssts_err rc = awssts_preflight_runtime(s, pw, &pf, &ei);
    char at_session[4096] = "";
    if (pf.source == AWSSTS_RUNTIME_AT_SESSION &&
        awssts_expand_path(AWSSTS_LOGIND_RUNTIME_DIR, pw->pw_uid, NULL, at_session,
                           sizeof(at_session), NULL) == AWSSTS_OK)
        say("runtime", "%s (%s)", at_session, awssts_runtime_source_text(pf.source));
    else if (pf.runtime_dir[0] != '\0')
        say("runtime", "%s (%s)%s", pf.runtime_dir, awssts_runtime_source_text(pf.source),
            rc == AWSSTS_OK ? ": usable" : "");
    if (pf.live_sessions)
        say("", "%s has open sessions; a new login joins them", pw->pw_name);
    if (rc != AWSSTS_OK)
        problem(r, "runtime", AWSSTS_OUT_LOCAL_ERROR, &ei);
}

/* One account's login, as check --all reports it. */
struct account {
    char name[64];
    enum awssts_outcome o;  /* AWSSTS_OUT_SUCCESS: keys read and the decision made */
    bool on_error_allow;    /* as the account's settings say */
    bool ssm_unread;        /* keys = ssm: without --probe: not read */
    char role[300];         /* the login's role, "": none */
    bool role_from_config;  /* role_arn or roles = gave it */
    char require_from[340]; /* where require = yes comes from */
    char detail[600];
};

/* Whether pw's account can log in at all: a login shell (not nologin or
 * false) and a home. */
static bool can_log_in(const struct passwd *pw)
{
    const char *sh = pw->pw_shell != NULL ? pw->pw_shell : "";
    const char *base = strrchr(sh, '/') ? strrchr(sh, '/') + 1 : sh;
    return strcmp(base, "nologin") != 0 && strcmp(base, "false") != 0 && pw->pw_dir != NULL &&
           pw->pw_dir[0] != '\0';
}

/* The file line of option name's value, for the warnings. */
static void origin_of(const char *name, const struct awssts_setting_origin *origins, char *out,
                      size_t len)
{
    size_t n = 0;
    const struct awssts_option *opts = awssts_options(&n);
    snprintf(out, len, "default");
    for (size_t i = 0; i < n; i++)
        if (strcmp(opts[i].name, name) == 0 && origins[i].line > 0)
            snprintf(out, len, "line %zu [%s]", origins[i].line, origins[i].section);
}

/* The module's preparation for one account, as check for one user makes it. */
static void account_decide(struct account *acc, const struct passwd *pw, const char *config,
                           bool want_probe, struct awssts_setting_origin *origins)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_settings s;
    struct awssts_user_keys k = {0};
    struct awssts_login_decision d = {0};
    acc->o = AWSSTS_OUT_SUCCESS;
    awssts_err rc = awssts_settings_load_origins(config, pw->pw_name, pw->pw_gid, &s, origins, &ei);
    acc->on_error_allow = s.on_error_allow;
    if (rc != AWSSTS_OK) {
        acc->o = AWSSTS_OUT_CONFIG_ERROR;
    } else if (awssts_ssm_keys_template(s.keys) != NULL && !want_probe) {
        acc->ssm_unread = true;
    } else {
        struct rights rights = {.pw = pw};
        struct awssts_as_user as_user = {enter, leave, &rights};
        rc = awssts_login_prepare(&s, pw, &as_user, &k, &d, &acc->o, &ei);
        if (rc == AWSSTS_OK && d.role_arn != NULL) {
            snprintf(acc->role, sizeof(acc->role), "%s", d.role_arn);
            acc->role_from_config =
                d.role_from == AWSSTS_ROLE_FROM_CONFIG || d.role_from == AWSSTS_ROLE_FROM_ROLES;
        }
    }
    if (rc != AWSSTS_OK)
        awssts_error_format(&ei, acc->detail, sizeof(acc->detail));
    origin_of("require", origins, acc->require_from, sizeof(acc->require_from));
    awssts_user_keys_free(&k);
    awssts_settings_free(&s);
}

/* The accounts that can log in, in the password database's order. */
static struct account *accounts_read(size_t *n)
{
    struct account *list = NULL;
    size_t cap = 0;
    *n = 0;
    setpwent();
    for (struct passwd *pw; (pw = getpwent()) != NULL;) {
        if (!can_log_in(pw))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            struct account *more = realloc(list, cap * sizeof(*list));
            if (more == NULL) {
                free(list);
                endpwent();
                return NULL;
            }
            list = more;
        }
        memset(&list[*n], 0, sizeof(list[*n]));
        snprintf(list[*n].name, sizeof(list[*n].name), "%s", pw->pw_name);
        (*n)++;
    }
    endpwent();
    if (list == NULL)
        list = calloc(1, sizeof(*list));
    return list;
}

/* One line for acc; true when its login fails or is refused. */
static bool account_print(const struct account *acc)
{
    bool on_error_allow = acc->on_error_allow;
    const char *label = awssts_outcome_label(acc->o, on_error_allow);
    if (acc->ssm_unread)
        printf("%-16s keys from SSM Parameter Store at login (not read: add --probe)\n", acc->name);
    else if (acc->o == AWSSTS_OUT_SUCCESS)
        printf("%-16s ok: asks for the MFA code; %s%s\n", acc->name,
               acc->role[0] ? "role " : "no role: MFA session credentials", acc->role);
    else if (acc->o == AWSSTS_OUT_NO_KEYS)
        printf("%-16s no keys: logs in without AWS credentials (require = no)\n", acc->name);
    else if (acc->o == AWSSTS_OUT_NO_KEYS_REQUIRED)
        printf("%-16s REFUSED (outcome=%s): no AWS keys, and require = yes (%s)\n", acc->name,
               label, acc->require_from);
    else if (awssts_outcome_result(acc->o, on_error_allow) == AWSSTS_RESULT_IGNORE)
        printf("%-16s without AWS credentials (outcome=%s): %s\n", acc->name, label, acc->detail);
    else
        printf("%-16s FAILS (outcome=%s): %s\n", acc->name, label, acc->detail);
    return !acc->ssm_unread && acc->o != AWSSTS_OUT_SUCCESS && acc->o != AWSSTS_OUT_NO_KEYS &&
           awssts_outcome_result(acc->o, on_error_allow) != AWSSTS_RESULT_IGNORE;
}

/* The warnings: an account require refuses (it could log in only with an
 * SSH key: an administrator locked out), and an account with keys but no
 * role while the configuration gives others one (left out of the group:
 * MFA session credentials, no role, no SourceIdentity). */
static void accounts_warn(const struct account *list, size_t n)
{
    bool roles_configured = false;
    for (size_t i = 0; i < n; i++)
        roles_configured = roles_configured || list[i].role_from_config;
    for (size_t i = 0; i < n; i++) {
        const struct account *acc = &list[i];
        if (acc->o == AWSSTS_OUT_NO_KEYS_REQUIRED)
            printf("WARNING: require = yes refuses %s (%s), who has no AWS keys: that account "
                   "cannot log in, not even with an SSH key; set require = yes only in the "
                   "section of the users who must have keys, and require = no for %s\n",
                   acc->name, acc->require_from, acc->name);
        else if (roles_configured && acc->o == AWSSTS_OUT_SUCCESS && acc->role[0] == '\0' &&
                 !acc->ssm_unread)
            printf("WARNING: %s gets no role (MFA session credentials, no SourceIdentity) while "
                   "role_arn or roles = give others one: add %s to their group, or give it a "
                   "role\n",
                   acc->name, acc->name);
    }
}

/* check --all: every account that can log in, through the same
 * preparation as check --user; 1 when any login would fail or be refused. */
static int check_all(const char *config, bool want_probe)
{
    size_t n = 0, nopts = 0, failing = 0;
    awssts_options(&nopts);
    struct awssts_setting_origin *origins = calloc(nopts, sizeof(*origins));
    struct account *list = origins != NULL ? accounts_read(&n) : NULL;
    if (list == NULL) {
        free(origins);
        cli_error("check: out of memory");
        return EXIT_FAILURE_OTHER;
    }
    printf("config     %s: %zu accounts can log in (a login shell and a home)\n", config, n);
    for (size_t i = 0; i < n; i++) {
        struct passwd pwbuf, *pw = NULL;
        char buf[4096];
        if (getpwnam_r(list[i].name, &pwbuf, buf, sizeof(buf), &pw) != 0 || pw == NULL) {
            list[i].o = AWSSTS_OUT_UNKNOWN_USER;
            snprintf(list[i].detail, sizeof(list[i].detail), "no longer in the user database");
        } else {
            account_decide(&list[i], pw, config, want_probe, origins);
        }
        if (account_print(&list[i]))
            failing++;
    }
    accounts_warn(list, n);
    if (failing > 0)
        printf("result     %zu of %zu accounts would be refused or fail: fix them before "
               "reloading sshd\n",
               failing, n);
    else
        printf("result     ok: no account is refused or fails\n");
    free(list);
    free(origins);
    return failing > 0 ? CHECK_FAILS : CHECK_OK;
}

static int usage(FILE *f, int code)
{
    fputs("usage: awssts check --user NAME [--config FILE] [--probe]   (as root)\n"
          "       awssts check --all [--config FILE] [--probe]\n"
          "  what pam_aws_sts would do for NAME's login, and every problem with it;\n"
          "  --all: one line for each account that can log in\n"
          "  exit: 0 a login gets AWS credentials, 1 a login fails, 2 usage,\n"
          "        3 a login goes on without AWS credentials;\n"
          "        --all: 0, or 1 when any account's login would fail or be refused\n",
          f);
    return code;
}

struct check_args {
    const char *user, *config;
    bool want_probe;
    bool all; /* every account that can log in */
};

/* The command line; -1 when the check is to be made, else the exit code. */
static int parse_args(int argc, char **argv, struct check_args *a)
{
    static const struct option opts[] = {
        {"user", required_argument, NULL, 'u'}, {"config", required_argument, NULL, 'c'},
        {"probe", no_argument, NULL, 'p'},      {"all", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    *a = (struct check_args){NULL, AWSSTS_DEFAULT_CONFIG, false, false};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'u':
            a->user = optarg;
            break;
        case 'c':
            a->config = optarg;
            break;
        case 'p':
            a->want_probe = true;
            break;
        case 'a':
            a->all = true;
            break;
        case 'h':
            return usage(stdout, EXIT_OK);
        default:
            return usage(stderr, EXIT_USAGE);
        }
    }
    if (optind != argc || (a->user == NULL) == !a->all)
        return usage(stderr, EXIT_USAGE);
    if (geteuid() != 0) {
        cli_error("check: run it as root: it reads the configuration and keys as the module does");
        return EXIT_USAGE;
    }
    if (a->config == NULL || a->config[0] != '/') {
        cli_error("check: --config must be an absolute path, as the module's config= is");
        return EXIT_USAGE;
    }
    if (a->user != NULL && !awssts_valid_user_name(a->user)) {
        cli_error("check: '%.40s' is not a valid user name", a->user);
        return EXIT_USAGE;
    }
    return -1;
}

/* The configuration, then each step in the module's order, so that the
 * first problem is the one it logs. */
static void check_login(struct report *r, const struct check_args *a, const struct passwd *pw,
                        struct awssts_settings *s, struct awssts_setting_origin *origins,
                        struct awssts_user_keys *keys)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    say("config", "%s", a->config);
    awssts_err rc = awssts_settings_load_origins(a->config, a->user, pw->pw_gid, s, origins, &ei);
    r->on_error_allow = s->on_error_allow;
    if (rc != AWSSTS_OK) {
        problem(r, "config", AWSSTS_OUT_CONFIG_ERROR, &ei);
        return;
    }
    print_settings(s, origins);
    bool no_keys = false;
    const char *serial = NULL; /* borrowed from s or keys */
    bool have_keys = check_keys(r, s, pw, keys, a->want_probe, &no_keys, &serial);
    if (no_keys)
        return;
    check_directories(r, s, pw);
    check_connection(r, s);
    if (a->want_probe && have_keys)
        probe(r, s, keys, serial);
    else if (a->want_probe)
        say("probe", "not made: no usable keys");
}

/* The verdict line and check's exit code. */
static int result(const struct report *r, const struct check_args *a)
{
    const char *n = r->problems == 1 ? "" : "s";
    if (r->fails) {
        say("result", "%d problem%s: a login of %s FAILS", r->problems, n, a->user);
        return CHECK_FAILS;
    }
    if (r->without && r->problems > 0) {
        say("result",
            "%d problem%s: a login of %s goes on WITHOUT AWS credentials (on_error = allow)",
            r->problems, n, a->user);
        return CHECK_NO_CREDENTIALS;
    }
    if (r->without) {
        say("result", "a login of %s goes on without AWS credentials (no keys, require = no)",
            a->user);
        return CHECK_NO_CREDENTIALS;
    }
    say("result", "ok: a login of %s asks for the MFA code and gets AWS credentials%s", a->user,
        a->want_probe ? "" : " (keys and network not tried: add --probe)");
    return CHECK_OK;
}

int cmd_check(int argc, char **argv)
{
    struct check_args a;
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    if (a.all)
        return check_all(a.config, a.want_probe);
    struct passwd pwbuf, *pw = NULL;
    char buf[4096];
    if (getpwnam_r(a.user, &pwbuf, buf, sizeof(buf), &pw) != 0 || pw == NULL) {
        cli_error("check: no such user: %s", a.user);
        return EXIT_USAGE;
    }
    struct report r = {0};
    print_groups(pw);
    size_t nopts = 0;
    awssts_options(&nopts);
    struct awssts_setting_origin *origins = calloc(nopts, sizeof(*origins));
    if (origins == NULL) {
        cli_error("check: out of memory");
        return EXIT_FAILURE_OTHER;
    }
    struct awssts_settings s;
    struct awssts_user_keys keys = {0};
    check_login(&r, &a, pw, &s, origins, &keys);
    code = result(&r, &a);
    awssts_user_keys_free(&keys);
    awssts_settings_free(&s);
    free(origins);
    return code;
}
