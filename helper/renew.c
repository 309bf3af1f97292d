/* Renewal: the role again with the MFA session (no code), or, once the MFA
 * session has ended, a new one with a code typed on the terminal. */
#include "cli.h"
#include "login/login_flow.h"
#include "login/user_keys.h"
#include "rules/roles.h"
#include "awssts/credfile.h"
#include "awssts/safefile.h"
#include "awssts/secret.h"
#include "awssts/timeutil.h"
#include "awssts/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Seconds of MFA session we want left before signing with it. */
#define SESSION_MARGIN 60

static void replace(struct awssts_credentials *dst, struct awssts_credentials *src)
{
    awssts_credentials_clear(dst);
    *dst = *src;
    memset(src, 0, sizeof(*src));
}

static int sts_failed(const char *what, const struct awssts_error_info *ei)
{
    cli_error_info(what, ei);
    return cli_exit_code(ei->code);
}

/* Why a renewal needs a new code, for its one error line. */
static const char *new_code_reason(const struct awssts_state *st)
{
    if (st->role_arn != NULL && st->flow_direct)
        return "the role was assumed directly with the MFA code (flow = direct), so renewing it "
               "needs a new code";
    return "the MFA session has ended";
}

/* The user's long-term keys, read as the module's keys = home reads them;
 * on failure why holds the reason (for the caller's one line). */
static int long_term_keys(const struct awssts_state *st, struct awssts_user_keys *k, char *why,
                          size_t whylen)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    const char *home = awssts_home_dir(getpwuid(getuid()), getenv("HOME"));
    if (awssts_home_keys_read(home, getuid(), st->profile, k, &ei) == AWSSTS_OK)
        return EXIT_OK;
    snprintf(why, whylen, "%s", ei.detail[0] ? ei.detail : awssts_strerror(ei.code));
    return ei.code == AWSSTS_E_NOMEM ? EXIT_FAILURE_OTHER : EXIT_LOGIN_NEEDED;
}

/*
 * Ask for a code on the terminal without holding the directory's lock: a
 * forgotten prompt must not stop the user's logins and logouts (the module
 * waits for this lock). Then lock again and read the state afresh: another
 * process may have renewed meanwhile (*done), or the session ended.
 */
static int prompt_unlocked(const struct cli_runtime_dir *sd, struct awssts_state *st,
                           const char *prompt, char *code, size_t len, long min_remaining,
                           bool *done)
{
    *done = false;
    flock(sd->fd, LOCK_UN);
    int rc = tty_prompt(prompt, false, code, len);
    if (flock(sd->fd, LOCK_EX) != 0) {
        cli_error("%s: lock: %s", sd->path, strerror(errno));
        return EXIT_FAILURE_OTHER;
    }
    if (rc != EXIT_OK) {
        cli_error("%s, and there is no terminal to ask for it: log in again", new_code_reason(st));
        return rc;
    }
    struct stat dst;
    if (fstat(sd->fd, &dst) != 0 || dst.st_nlink == 0) {
        cli_error("the session ended while waiting for the code: log in again");
        return EXIT_LOGIN_NEEDED;
    }
    struct awssts_state fresh;
    if ((rc = session_state_read(sd, &fresh)) != EXIT_OK)
        return rc;
    awssts_state_free(st);
    *st = fresh;
    *done = awssts_state_current(st)->expiration - time(NULL) > min_remaining;
    return EXIT_OK;
}

/* A new MFA session (and role) from long-term keys and a code from the terminal. */
static int new_session(struct awssts_client *c, const struct cli_runtime_dir *sd,
                       struct awssts_state *st, long min_remaining)
{
    struct awssts_user_keys k = {0};
    char why[600] = "";
    int rc = long_term_keys(st, &k, why, sizeof(why));
    if (rc != EXIT_OK && st->keys_source != NULL) {
        cli_error("%s, and the long-term keys are in SSM Parameter Store (%.200s), which only a "
                  "login on the bastion reads: log in again",
                  new_code_reason(st), st->keys_source);
        return EXIT_LOGIN_NEEDED;
    }
    if (rc != EXIT_OK) {
        cli_error("%s, and no long-term keys are readable (%s): log in again", new_code_reason(st),
                  why[0] ? why : "~/.aws/credentials");
        return EXIT_LOGIN_NEEDED;
    }
    const char *serial = st->mfa_serial ? st->mfa_serial : k.mfa_serial;
    char prompt[400], code[16] = "", serial_copy[300] = "";
    snprintf(serial_copy, sizeof(serial_copy), "%s", serial ? serial : "");
    snprintf(prompt, sizeof(prompt), "AWS MFA code for %s: ", serial ? serial : "(no device)");
    bool done = false;
    if (serial == NULL) {
        cli_error("no MFA device known for profile %s: log in again", st->profile);
        rc = EXIT_LOGIN_NEEDED;
    } else if ((rc = prompt_unlocked(sd, st, prompt, code, sizeof(code), min_remaining, &done)) !=
               EXIT_OK) {
        /* said why */
    } else if (done) {
        cli_info("renewed by another process meanwhile; the code was not used");
    } else if (!awssts_valid_mfa_code(code)) {
        cli_error("the MFA code must be six digits");
        rc = EXIT_USAGE;
    }
    serial = serial_copy;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_keys lt = {k.access_key_id, k.secret_access_key, NULL};
    if (rc == EXIT_OK && !done) {
        struct awssts_login_plan plan;
        awssts_login_plan_of_state(st, &plan);
        plan.mfa_serial = serial;
        struct awssts_login_result r;
        if (awssts_login_run(c, &lt, &plan, code, &r, &ei) != AWSSTS_OK) {
            rc = sts_failed(r.failed_call ? r.failed_call : "STS", &ei);
        } else {
            if (r.has_session) {
                replace(&st->mfa_session, &r.session);
                st->has_mfa_session = true;
            }
            if (r.has_role) {
                replace(&st->role, &r.role);
                st->has_role = true;
            }
        }
        awssts_login_result_clear(&r);
    }
    awssts_memzero(code, sizeof(code));
    awssts_user_keys_free(&k);
    return rc;
}

/* The proxy of a renewal: the user's own (https_proxy, HTTPS_PROXY, which
 * may carry the user's proxy credentials), else the login's, which the state
 * holds without any. */
static const char *renewal_proxy(const struct awssts_state *st)
{
    const char *names[] = {"https_proxy", "HTTPS_PROXY"};
    for (size_t i = 0; i < 2; i++) {
        const char *v = getenv(names[i]);
        if (v != NULL && *v != '\0')
            return v;
    }
    return st->proxy;
}

int session_renew(const struct cli_runtime_dir *sd, struct awssts_state *st, long min_remaining,
                  bool prompt, bool *called)
{
    *called = false;
    time_t now = time(NULL);
    if (awssts_state_current(st)->expiration - now > min_remaining)
        return EXIT_OK;

    struct awssts_client_options o;
    awssts_state_client_options(st, &o);
    o.proxy = renewal_proxy(st);
    o.user_agent = "awssts";
    struct awssts_client *c = NULL;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_client_new(&o, &c, &ei) != AWSSTS_OK)
        return sts_failed("state", &ei);

    int rc = EXIT_LOGIN_NEEDED;
    bool session_usable = st->has_mfa_session && st->mfa_session.expiration - now > SESSION_MARGIN;
    if (st->role_arn != NULL && !st->flow_direct && session_usable) {
        struct awssts_login_plan plan;
        awssts_login_plan_of_state(st, &plan);
        struct awssts_credentials role = {0};
        *called = true;
        if (awssts_login_renew_role(c, &st->mfa_session, &plan, &role, &ei) == AWSSTS_OK) {
            replace(&st->role, &role);
            st->has_role = true;
            rc = EXIT_OK;
            cli_info("role %s renewed until the next hour", st->role_arn);
        } else if (ei.code != AWSSTS_E_EXPIRED_TOKEN) {
            awssts_client_free(c);
            return sts_failed("AssumeRole with the MFA session", &ei);
        }
    }
    if (rc != EXIT_OK) {
        if (!prompt) {
            char when[21] = "";
            awssts_time_format_iso8601(st->has_mfa_session ? st->mfa_session.expiration
                                                           : awssts_state_current(st)->expiration,
                                       when);
            if (st->role_arn != NULL && st->flow_direct)
                cli_error("the role was assumed directly with the MFA code (flow = direct) and "
                          "ends at %s; renewing it needs a new code: log in again",
                          when);
            else
                cli_error("the MFA session ended at %s: log in again", when);
        } else {
            *called = true;
            rc = new_session(c, sd, st, min_remaining);
        }
    }
    awssts_client_free(c);
    if (rc == EXIT_OK)
        rc = session_state_write(sd, st);
    return rc;
}

/* The client of a renewal: the state's endpoint, CA and proxy (the user's
 * own proxy first, see renewal_proxy). */
static int renewal_client(const struct awssts_state *st, struct awssts_client **c)
{
    struct awssts_client_options o;
    awssts_state_client_options(st, &o);
    o.proxy = renewal_proxy(st);
    o.user_agent = "awssts";
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    return awssts_client_new(&o, c, &ei) == AWSSTS_OK ? EXIT_OK : sts_failed("state", &ei);
}

int session_renew_named(const struct cli_runtime_dir *sd, struct awssts_state *st, const char *name,
                        long min_remaining, const struct awssts_credentials **out, bool *called)
{
    *called = false;
    *out = NULL;
    struct awssts_roles roles;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_roles_parse(st->roles, &roles, &ei) != AWSSTS_OK) {
        cli_error_info("state", &ei);
        return EXIT_FAILURE_OTHER;
    }
    const char *found = awssts_roles_find(&roles, name);
    char arn[2100] = "";
    if (found != NULL)
        snprintf(arn, sizeof(arn), "%s", found);
    awssts_roles_free(&roles);
    if (found == NULL) {
        cli_error("role '%.40s' is not one of this login's (awssts roles lists them; IAM decides "
                  "what may be assumed, this list only what awssts offers)",
                  name);
        return EXIT_USAGE;
    }
    struct awssts_state_role *r = awssts_state_named(st, name, true);
    if (r == NULL) {
        cli_error("out of memory");
        return EXIT_FAILURE_OTHER;
    }
    time_t now = time(NULL);
    if (r->creds.access_key_id != NULL && r->creds.expiration - now > min_remaining) {
        *out = &r->creds;
        return EXIT_OK;
    }
    /* Every named role comes from the one MFA session, with no new code. */
    bool session_usable = st->has_mfa_session && st->mfa_session.expiration - now > SESSION_MARGIN;
    if (!session_usable) {
        if (st->flow_direct || !st->has_mfa_session)
            cli_error("roles come from the MFA session, and this login has none (flow = direct): "
                      "log in again, or ask for flow = session");
        else
            cli_error("the MFA session has ended: log in again");
        return EXIT_LOGIN_NEEDED;
    }
    struct awssts_client *c = NULL;
    int rc = renewal_client(st, &c);
    if (rc != EXIT_OK)
        return rc;
    struct awssts_login_plan plan;
    awssts_login_plan_of_state(st, &plan);
    plan.role_arn = arn;
    struct awssts_credentials role = {0};
    *called = true;
    awssts_err arc = awssts_login_renew_role(c, &st->mfa_session, &plan, &role, &ei);
    awssts_client_free(c);
    if (arc == AWSSTS_E_EXPIRED_TOKEN) {
        cli_error("the MFA session has ended: log in again");
        return EXIT_LOGIN_NEEDED;
    }
    if (arc != AWSSTS_OK)
        return sts_failed("AssumeRole with the MFA session", &ei);
    replace(&r->creds, &role);
    rc = session_state_write(sd, st);
    if (rc == EXIT_OK)
        *out = &r->creds;
    return rc;
}
