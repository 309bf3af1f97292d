/*
 * pam_aws_sts: the MFA code at login buys regional STS credentials.
 *
 *   auth     prompt (or PAM_AUTHTOK), STS calls, stage the hand-off
 *   setcred  write credentials and state into the runtime dir, export AWS_*
 *   session  count open sessions; the last close removes the files
 */
#include "awssts/secret.h"
#include "awssts/validate.h"
#include "error_set.h"
#include "handoff.h"
#include "id.h"
#include "keys.h"
#include "login.h"
#include "retry.h"
#include "runtime.h"
#include "settings.h"
#include "text.h"

#include <ctype.h>
#include <pwd.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#define DATA_WRITTEN "pam_aws_sts_written"
#define DATA_SESSION "pam_aws_sts_session_id"

/* Everything one call needs about its user. */
struct call {
    pam_handle_t *pamh;
    struct pas_args args;
    const char *user;
    struct passwd pw;
    char pwbuf[4096];
    struct pas_settings s;
    bool settings_loaded;
};

/* POSIX portable user names, as useradd accepts them. */
static bool valid_user_name(const char *u)
{
    size_t n = strlen(u);
    if (n == 0 || n > 32 || !(islower((unsigned char)u[0]) || u[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)u[i];
        if (!(islower(c) || isdigit(c) || c == '_' || c == '-' || c == '.' ||
              (c == '$' && i == n - 1)))
            return false;
    }
    return true;
}

/* PAM_SUCCESS, or the PAM code to return. */
static int call_begin(struct call *c, pam_handle_t *pamh, int argc, const char **argv)
{
    memset(c, 0, sizeof(*c));
    c->pamh = pamh;
    pas_args_parse(pamh, argc, argv, &c->args);
    if (pam_get_user(pamh, &c->user, NULL) != PAM_SUCCESS || c->user == NULL) {
        pam_syslog(pamh, LOG_ERR, "cannot determine the user name");
        return PAM_USER_UNKNOWN;
    }
    if (!valid_user_name(c->user)) {
        pam_syslog(pamh, LOG_ERR, "user name is not a valid POSIX user name; refused");
        return PAM_USER_UNKNOWN;
    }
    struct passwd *res = NULL;
    if (getpwnam_r(c->user, &c->pw, c->pwbuf, sizeof(c->pwbuf), &res) != 0 || res == NULL) {
        pam_syslog(pamh, LOG_ERR, "user=%s: no such user", c->user);
        return PAM_USER_UNKNOWN;
    }
    return PAM_SUCCESS;
}

static void call_end(struct call *c)
{
    if (c->settings_loaded)
        pas_settings_free(&c->s);
    awssts_memzero(c->pwbuf, sizeof(c->pwbuf));
}

static awssts_err load_settings(struct call *c, bool warn_unknown, struct awssts_error_info *ei)
{
    awssts_err rc = pas_settings_load(c->pamh, &c->args, c->user, c->pw.pw_gid, warn_unknown,
                                      &c->s, ei);
    c->settings_loaded = true;
    return rc;
}

/* One syslog line for a failure in the session phase. */
static void log_phase_error(const struct call *c, const char *phase,
                            const struct awssts_error_info *ei)
{
    char line[560];
    pam_syslog(c->pamh, LOG_ERR, "user=%s: %s: %s", c->user, phase,
               awssts_error_format(ei, line, sizeof(line)));
}

static const char *flow_name(const struct pas_settings *s, const char *role)
{
    if (role == NULL)
        return "session-token";
    return s->flow == PAS_FLOW_SESSION ? "session+role" : "direct-role";
}

static void log_outcome(struct call *c, const char *outcome, const char *flow,
                        const struct pas_login *l, const struct awssts_error_info *ei)
{
    char err[600] = "";
    if (ei != NULL && ei->code != AWSSTS_OK) {
        char line[560];
        snprintf(err, sizeof(err), " error=\"%s\"", awssts_error_format(ei, line, sizeof(line)));
    }
    pam_syslog(c->pamh, ei && ei->code != AWSSTS_OK ? LOG_WARNING : LOG_INFO,
               "user=%s outcome=%s region=%s endpoint=%s flow=%s request_id=%s latency_ms=%lld%s",
               c->user, outcome, c->s.region ? c->s.region : "-",
               l && l->host[0] ? l->host : "-", flow ? flow : "-",
               l && l->request_id[0] ? l->request_id : "-", l ? l->latency_ms : 0LL, err);
}

/* The on_error outcome for anything but a wrong code. */
static int soft_failure(const struct call *c)
{
    return c->settings_loaded && c->s.on_error_allow ? PAM_IGNORE : PAM_AUTHINFO_UNAVAIL;
}

/* The one-time code: PAM_AUTHTOK with use_first_pass, else our own prompt. */
static int get_code(struct call *c, char code[8])
{
    const void *item = NULL;
    char *resp = NULL;
    const char *src;
    if (c->args.use_first_pass) {
        if (pam_get_item(c->pamh, PAM_AUTHTOK, &item) != PAM_SUCCESS || item == NULL) {
            pam_syslog(c->pamh, LOG_ERR, "user=%s: use_first_pass but no code from an earlier module", c->user);
            return PAM_AUTH_ERR;
        }
        src = item;
    } else {
        if (pam_prompt(c->pamh, PAM_PROMPT_ECHO_OFF, &resp, "%s", c->s.prompt) != PAM_SUCCESS ||
            resp == NULL) {
            pam_syslog(c->pamh, LOG_ERR, "user=%s: the conversation gave no code", c->user);
            return PAM_CONV_ERR;
        }
        src = resp;
    }
    size_t n = 0;
    const char *t = awssts_text_span_trim(src, strlen(src), &n);
    bool ok = n == 6;
    if (ok) {
        memcpy(code, t, 6);
        code[6] = '\0';
        ok = awssts_valid_mfa_code(code);
    }
    if (resp != NULL)
        awssts_secret_free(resp);
    if (!ok) {
        awssts_memzero(code, 8);
        return PAM_AUTH_ERR;
    }
    return PAM_SUCCESS;
}

AWSSTS_API PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)flags;
    struct call c;
    int rc = call_begin(&c, pamh, argc, argv);
    if (rc != PAM_SUCCESS)
        return rc;

    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct pas_keys keys = {0};
    struct pas_login login = {0};
    char code[8] = "";
    /* Debug timing of the module's own steps; the prompt's wait is left out. */
    long long t0 = awssts_now_us(), t_settings, t_keys, t_sts, t_handoff;

    if (load_settings(&c, true, &ei) != AWSSTS_OK) {
        log_outcome(&c, "config_error", NULL, NULL, &ei);
        rc = soft_failure(&c);
        goto out;
    }
    t_settings = awssts_now_us();
    awssts_err arc = pas_keys_load(pamh, &c.s, &c.pw, &keys, &ei);
    t_keys = awssts_now_us();
    if (arc == AWSSTS_E_NOT_FOUND) {
        if (c.s.require) {
            log_outcome(&c, "no_keys_required", NULL, NULL, &ei);
            rc = PAM_AUTH_ERR;
        } else {
            if (c.args.debug)
                pam_syslog(pamh, LOG_DEBUG, "user=%s: no AWS keys (%s); ignored", c.user, ei.detail);
            rc = PAM_IGNORE;
        }
        goto out;
    }
    if (arc != AWSSTS_OK) {
        log_outcome(&c, "keys_error", NULL, NULL, &ei);
        rc = soft_failure(&c);
        goto out;
    }
    const char *serial = c.s.mfa_serial ? c.s.mfa_serial : keys.mfa_serial;
    const char *role = c.s.role_arn ? c.s.role_arn : keys.role_arn;
    const char *flow = flow_name(&c.s, role);
    if (serial == NULL) {
        awssts_error_info_reset(&ei);
        ei.code = AWSSTS_E_CONFIG;
        snprintf(ei.detail, sizeof(ei.detail), "no mfa_serial for user %s (config or keys file)", c.user);
        log_outcome(&c, "config_error", flow, NULL, &ei);
        rc = soft_failure(&c);
        goto out;
    }

    rc = get_code(&c, code);
    if (rc != PAM_SUCCESS) {
        awssts_error_info_reset(&ei);
        ei.code = AWSSTS_E_INVALID_ARGUMENT;
        snprintf(ei.detail, sizeof(ei.detail), "the code is not six digits; STS not called");
        log_outcome(&c, "bad_code_format", flow, NULL, &ei);
        goto out;
    }
    if (c.args.debug)
        pam_syslog(pamh, LOG_DEBUG, "user=%s: calling STS, flow %s", c.user, flow);
    t_sts = awssts_now_us();
    arc = pas_login_run(&c.s, &keys, serial, role, code, &login, &ei);
    t_sts = awssts_now_us() - t_sts;
    awssts_memzero(code, sizeof(code));
    if (arc == AWSSTS_E_MFA_CODE) {
        log_outcome(&c, "mfa_code_rejected", flow, &login, &ei);
        rc = PAM_AUTH_ERR;
        goto out;
    }
    if (arc != AWSSTS_OK) {
        log_outcome(&c, c.s.on_error_allow ? "sts_error_allowed" : "sts_error", flow, &login, &ei);
        rc = soft_failure(&c);
        goto out;
    }
    t_handoff = awssts_now_us();
    arc = pas_handoff_stage(pamh, &c.s, &c.pw, &login, &ei);
    if (arc != AWSSTS_OK) {
        log_outcome(&c, "handoff_error", flow, &login, &ei);
        rc = soft_failure(&c);
        goto out;
    }
    if (c.args.debug)
        pam_syslog(pamh, LOG_DEBUG, "user=%s: timing_us settings=%lld keys=%lld sts=%lld handoff=%lld",
                   c.user, t_settings - t0, t_keys - t_settings, t_sts,
                   awssts_now_us() - t_handoff);
    log_outcome(&c, "success", flow, &login, NULL);
    rc = PAM_SUCCESS;

out:
    awssts_memzero(code, sizeof(code));
    pas_login_clear(&login);
    pas_keys_free(&keys);
    call_end(&c);
    return rc;
}

static void free_string(pam_handle_t *pamh, void *data, int status)
{
    (void)pamh;
    (void)status;
    free(data);
}

/*
 * Record this handle's session in the open, locked runtime directory, once.
 * Done where the credentials are written, under the same lock: a last close
 * of the user's other session, running beside us, then sees this one and
 * leaves the files it just wrote.
 */
static awssts_err register_session(struct call *c, const struct pas_runtime *rt,
                                   struct awssts_error_info *ei)
{
    const void *sid = NULL;
    if (pam_get_data(c->pamh, DATA_SESSION, &sid) == PAM_SUCCESS && sid != NULL)
        return AWSSTS_OK;
    char *id = malloc(PAS_ID_LEN + 1);
    if (id == NULL || !pas_id_new(id)) {
        free(id);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    awssts_err rc = pas_runtime_add_session(c->pamh, &c->pw, rt, id, ei);
    if (rc == AWSSTS_OK && pam_set_data(c->pamh, DATA_SESSION, id, free_string) != PAM_SUCCESS)
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    else if (rc == AWSSTS_OK && c->args.debug)
        pam_syslog(c->pamh, LOG_DEBUG, "user=%s: session %s opened", c->user, id);
    if (rc != AWSSTS_OK)
        free(id); /* pam_set_data did not take it */
    return rc;
}

/*
 * Write the hand-off into the runtime dir (once per handle) and export the
 * environment (every time: sshd calls setcred again in the session child).
 * PAM_IGNORE when this login has no AWS credentials.
 */
static int establish(struct call *c, int failure_code)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    const void *written = NULL;
    bool done = pam_get_data(c->pamh, DATA_WRITTEN, &written) == PAM_SUCCESS && written;
    bool have_handoff = done || pam_getenv(c->pamh, PAS_HANDOFF_ENV) != NULL;
    if (!have_handoff) {
        const void *d = NULL;
        have_handoff = pam_get_data(c->pamh, "pam_aws_sts_handoff", &d) == PAM_SUCCESS && d;
    }
    if (!have_handoff)
        return PAM_IGNORE;

    if (load_settings(c, false, &ei) != AWSSTS_OK) {
        pam_syslog(c->pamh, LOG_ERR, "user=%s: session: %s", c->user, ei.detail);
        return c->s.on_error_allow ? PAM_IGNORE : failure_code;
    }
    struct pas_runtime rt = {.dirfd = -1};
    awssts_err arc = AWSSTS_OK;
    long long t0 = awssts_now_us();
    if (!done) {
        struct pas_login l;
        arc = pas_handoff_take(c->pamh, &c->s, &c->pw, &l, &ei);
        if (arc == AWSSTS_E_NOT_FOUND)
            return PAM_IGNORE;
        if (arc == AWSSTS_OK)
            arc = pas_runtime_open(c->pamh, &c->s, &c->pw, true, &rt, &ei);
        if (arc == AWSSTS_OK)
            arc = pas_runtime_write(c->pamh, &c->s, &c->pw, &rt, &l, &ei);
        pas_login_clear(&l);
        if (arc == AWSSTS_OK)
            arc = register_session(c, &rt, &ei);
        if (arc == AWSSTS_OK) {
            char *path = strdup(rt.path);
            if (path == NULL || pam_set_data(c->pamh, DATA_WRITTEN, path, free_string) != PAM_SUCCESS) {
                free(path);
                arc = AWSSTS_E_NOMEM;
            }
        }
        if (arc == AWSSTS_OK && c->args.debug)
            pam_syslog(c->pamh, LOG_DEBUG,
                       "user=%s: credentials written to %s, session registered; timing_us write=%lld",
                       c->user, rt.path, awssts_now_us() - t0);
    } else {
        snprintf(rt.path, sizeof(rt.path), "%s", (const char *)written);
    }
    if (arc == AWSSTS_OK)
        arc = pas_runtime_export(c->pamh, &c->s, &rt, &ei);
    pas_runtime_close(&rt);
    if (arc != AWSSTS_OK) {
        log_phase_error(c, "session", &ei);
        return c->s.on_error_allow ? PAM_IGNORE : failure_code;
    }
    return PAM_SUCCESS;
}

AWSSTS_API PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    if (flags & PAM_DELETE_CRED)
        return PAM_SUCCESS; /* the last close_session removes the files */
    struct call c;
    int rc = call_begin(&c, pamh, argc, argv);
    if (rc == PAM_SUCCESS)
        rc = establish(&c, PAM_CRED_ERR);
    call_end(&c);
    return rc;
}

AWSSTS_API PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)flags;
    struct call c;
    int rc = call_begin(&c, pamh, argc, argv);
    if (rc != PAM_SUCCESS)
        return rc;
    /* Usually registers the session too; not when this handle had written
     * the files before and closed its session since. */
    rc = establish(&c, PAM_SESSION_ERR);
    const void *sid = NULL;
    if (rc != PAM_SUCCESS || (pam_get_data(pamh, DATA_SESSION, &sid) == PAM_SUCCESS && sid)) {
        call_end(&c);
        return rc;
    }
    long long t0 = awssts_now_us();
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct pas_runtime rt;
    awssts_err arc = pas_runtime_open(pamh, &c.s, &c.pw, false, &rt, &ei);
    if (arc == AWSSTS_OK) {
        arc = register_session(&c, &rt, &ei);
        pas_runtime_close(&rt);
    }
    if (arc == AWSSTS_OK) {
        if (c.args.debug)
            pam_syslog(pamh, LOG_DEBUG, "user=%s: timing_us register=%lld", c.user, awssts_now_us() - t0);
        rc = PAM_SUCCESS;
    } else {
        log_phase_error(&c, "open_session", &ei);
        rc = c.s.on_error_allow ? PAM_IGNORE : PAM_SESSION_ERR;
    }
    call_end(&c);
    return rc;
}

AWSSTS_API PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)flags;
    const void *sid = NULL;
    if (pam_get_data(pamh, DATA_SESSION, &sid) != PAM_SUCCESS || sid == NULL)
        return PAM_IGNORE;
    struct call c;
    int rc = call_begin(&c, pamh, argc, argv);
    if (rc != PAM_SUCCESS)
        return rc;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct pas_runtime rt;
    bool last = false;
    long long t0 = awssts_now_us();
    awssts_err arc = load_settings(&c, false, &ei);
    if (arc == AWSSTS_OK)
        arc = pas_runtime_open(pamh, &c.s, &c.pw, false, &rt, &ei);
    if (arc == AWSSTS_OK) {
        arc = pas_runtime_remove_session(pamh, &c.pw, &rt, sid, &last, &ei);
        if (arc == AWSSTS_OK && last) {
            pas_runtime_remove_all(pamh, &c.pw, &rt);
            /* A session opened again on this handle has no credentials. */
            pam_set_data(pamh, DATA_WRITTEN, NULL, NULL);
        }
        pas_runtime_close(&rt);
    }
    if (arc == AWSSTS_OK || arc == AWSSTS_E_NOT_FOUND) {
        pam_syslog(pamh, LOG_INFO, "user=%s: session closed, %s", c.user,
                   last ? "0 open, credentials removed"
                        : arc == AWSSTS_OK ? "others still open" : "no runtime directory");
        if (c.args.debug)
            pam_syslog(pamh, LOG_DEBUG, "user=%s: timing_us unregister=%lld", c.user,
                       awssts_now_us() - t0);
        rc = PAM_SUCCESS;
    } else {
        log_phase_error(&c, "close_session", &ei);
        rc = PAM_SESSION_ERR;
    }
    pam_set_data(pamh, DATA_SESSION, NULL, NULL);
    call_end(&c);
    return rc;
}
