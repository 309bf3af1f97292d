/*
 * pam_aws_sts: the MFA code at login buys regional STS credentials.
 *
 *   auth     prompt (or PAM_AUTHTOK), STS calls, stage the hand-off
 *   setcred  write credentials and state into the runtime dir, export AWS_*
 *   session  count open sessions; the last close removes the files
 */
#include "awssts/secret.h"
#include "awssts/validate.h"
#include "util/error_set.h"
#include "login/fetch_limit.h"
#include "handoff.h"
#include "util/hidden_env.h"
#include "util/id.h"
#include "login/login_plan.h"
#include "user_rights.h"
#include "login/audit.h"
#include "login/outcome.h"
#include "login/preflight.h"
#include "login/settings_login.h"
#include "login/user_keys.h"
#include "login/registry.h"
#include "util/retry.h"
#include "runtime.h"
#include "settings.h"
#include "util/text.h"

#include <ctype.h>
#include <pwd.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#define DATA_WRITTEN "pam_aws_sts_written"    /* the directory this handle wrote to */
#define DATA_SESSION "pam_aws_sts_session_id" /* this handle's open session */
#define DATA_PENDING "pam_aws_sts_pending"    /* a login taken from its hand-off, not yet written */
#define DATA_REGION "pam_aws_sts_region"      /* the instance's region of this handle's login */

/* Everything one call needs about its user. */
struct call {
    pam_handle_t *pamh;
    struct pas_args args;
    const char *user;
    struct passwd pw;
    char pwbuf[4096];
    struct awssts_settings s;
    bool settings_loaded;
    const char *role; /* the login's role, once known (borrowed) */
    bool region_from_imds; /* s.region is the instance's (keys = ssm:) */
};

/* PAM_SUCCESS, or the PAM code to return. A name that is not a valid user
 * name is never printed (it could carry anything): c->user is then NULL.
 * quiet: the caller logs the outcome itself (auth's one line). */
static int call_begin(struct call *c, pam_handle_t *pamh, int argc, const char **argv, bool quiet)
{
    memset(c, 0, sizeof(*c));
    c->pamh = pamh;
    pas_args_parse(pamh, argc, argv, &c->args);
    const char *user = NULL;
    if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || user == NULL || !awssts_valid_user_name(user)) {
        if (!quiet)
            pam_syslog(pamh, LOG_ERR, "no valid user name; refused");
        return PAM_USER_UNKNOWN;
    }
    c->user = user;
    struct passwd *res = NULL;
    if (getpwnam_r(c->user, &c->pw, c->pwbuf, sizeof(c->pwbuf), &res) != 0 || res == NULL) {
        if (!quiet)
            pam_syslog(pamh, LOG_ERR, "user=%s: no such user", c->user);
        return PAM_USER_UNKNOWN;
    }
    return PAM_SUCCESS;
}

static void call_end(struct call *c)
{
    if (c->settings_loaded)
        awssts_settings_free(&c->s);
    awssts_memzero(c->pwbuf, sizeof(c->pwbuf));
}

static awssts_err load_settings(struct call *c, struct awssts_error_info *ei)
{
    awssts_err rc = awssts_settings_load(c->args.config, c->user, c->pw.pw_gid, &c->s, ei);
    c->settings_loaded = true;
    return rc;
}

/* One line with the user at priority, through pam_syslog. */
static void user_line(const struct call *c, int priority, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void user_line(const struct call *c, int priority, const char *fmt, va_list ap)
{
    char line[800];
    vsnprintf(line, sizeof(line), fmt, ap);
    pam_syslog(c->pamh, priority, "user=%s: %s", c->user, line);
}

/* A LOG_DEBUG line with the user, when the module runs with debug. */
static void pas_debug(const struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pas_debug(const struct call *c, const char *fmt, ...)
{
    if (!c->args.debug)
        return;
    va_list ap;
    va_start(ap, fmt);
    user_line(c, LOG_DEBUG, fmt, ap);
    va_end(ap);
}

/* A LOG_ERR line with the user. */
static void pas_err(const struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void pas_err(const struct call *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    user_line(c, LOG_ERR, fmt, ap);
    va_end(ap);
}

/* One syslog line for a failure in the session phase. */
static void log_phase_error(const struct call *c, const char *phase,
                            const struct awssts_error_info *ei)
{
    char line[560];
    pas_err(c, "%s: %s", phase, awssts_error_format(ei, line, sizeof(line)));
}

static int pam_result(enum awssts_outcome_result r)
{
    switch (r) {
    case AWSSTS_RESULT_SUCCESS:
        return PAM_SUCCESS;
    case AWSSTS_RESULT_AUTH_ERR:
        return PAM_AUTH_ERR;
    case AWSSTS_RESULT_IGNORE:
        return PAM_IGNORE;
    case AWSSTS_RESULT_USER_UNKNOWN:
        return PAM_USER_UNKNOWN;
    case AWSSTS_RESULT_UNAVAILABLE:
        break;
    }
    return PAM_AUTHINFO_UNAVAIL;
}

/* A PAM item as text, NULL when unset. */
static const char *item_text(pam_handle_t *pamh, int item)
{
    const void *v = NULL;
    return pam_get_item(pamh, item, &v) == PAM_SUCCESS ? v : NULL;
}

/* The login's one line (lib/login/audit.h: key=value or JSON), from the outcome
 * table, and the user's one message; returns the PAM result. */
static int log_outcome(struct call *c, enum awssts_outcome o, const char *flow,
                       const struct awssts_login_result *l, const struct awssts_error_info *ei)
{
    bool allow = c->settings_loaded && c->s.on_error_allow;
    char err[560] = "";
    if (ei != NULL && ei->code != AWSSTS_OK)
        awssts_error_format(ei, err, sizeof(err));
    const struct awssts_credentials *got = o == AWSSTS_OUT_SUCCESS && l != NULL ? awssts_login_final(l) : NULL;
    struct awssts_audit a = {
        .user = c->user,
        .outcome = awssts_outcome_label(o, allow),
        .region = c->settings_loaded ? c->s.region : NULL,
        .region_from = c->settings_loaded && c->s.region != NULL ? (c->region_from_imds ? "imds" : "config") : NULL,
        .endpoint = l != NULL && l->host[0] ? l->host : NULL,
        .flow = flow,
        .call = l != NULL ? l->failed_call : NULL,
        .role_arn = c->role,
        /* Sent only with a role: GetSessionToken cannot carry it. */
        .source_identity = c->role != NULL && c->settings_loaded ? c->s.source_identity : NULL,
        .access_key_id = got != NULL ? got->access_key_id : NULL,
        .rhost = item_text(c->pamh, PAM_RHOST),
        .tty = item_text(c->pamh, PAM_TTY),
        .request_id = l != NULL && l->request_id[0] ? l->request_id : NULL,
        .latency_ms = l != NULL ? l->latency_ms : 0,
        .error = err[0] ? err : NULL,
    };
    char *line = NULL;
    enum awssts_log_format f = c->settings_loaded ? c->s.log_format : AWSSTS_LOG_KEYVALUE;
    if (awssts_audit_format(&a, f, &line, NULL) == AWSSTS_OK)
        pam_syslog(c->pamh, awssts_outcome(o)->level, "%s", line);
    else
        pam_syslog(c->pamh, LOG_CRIT, "user=%s outcome=%s (out of memory for the log line)",
                   c->user ? c->user : "(invalid)", a.outcome);
    free(line);
    bool info = false;
    const char *message = awssts_outcome_message(o, allow, &info);
    if (message != NULL)
        pam_prompt(c->pamh, info ? PAM_TEXT_INFO : PAM_ERROR_MSG, NULL, "%s", message);
    return pam_result(awssts_outcome_result(o, allow));
}

/* The one-time code: PAM_AUTHTOK with use_first_pass, else our own prompt.
 * AWSSTS_OUT_NO_CODE (*conv_failed: the conversation itself failed) or
 * AWSSTS_OUT_BAD_CODE_FORMAT, with the detail in ei; AWSSTS_OUT_SUCCESS
 * with six digits in code. */
static enum awssts_outcome get_code(struct call *c, char code[8], bool *conv_failed,
                                    struct awssts_error_info *ei)
{
    const void *item = NULL;
    char *resp = NULL;
    const char *src;
    *conv_failed = false;
    awssts_error_info_reset(ei);
    if (c->args.use_first_pass) {
        if (pam_get_item(c->pamh, PAM_AUTHTOK, &item) != PAM_SUCCESS || item == NULL) {
            awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                             "use_first_pass, but no earlier module collected a code; STS not called");
            return AWSSTS_OUT_NO_CODE;
        }
        src = item;
    } else {
        if (pam_prompt(c->pamh, PAM_PROMPT_ECHO_OFF, &resp, "%s", c->s.prompt) != PAM_SUCCESS ||
            resp == NULL) {
            *conv_failed = true;
            awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                             "the conversation gave no code; STS not called");
            return AWSSTS_OUT_NO_CODE;
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
        awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "the code is not six digits; STS not called");
        return AWSSTS_OUT_BAD_CODE_FORMAT;
    }
    return AWSSTS_OUT_SUCCESS;
}

/* The log line and result of a login that got no usable code. */
static int code_failure(struct call *c, enum awssts_outcome got, const char *flow, bool conv_failed,
                        const struct awssts_error_info *ei)
{
    int rc = log_outcome(c, got, flow, NULL, ei);
    return conv_failed ? PAM_CONV_ERR : rc; /* the application's conversation, not the user */
}

/* For a caller who is not root, as under su (lib/login/fetch_limit.h): the code
 * first, six digits, then the caller's fetch limit, and only then may root
 * fetch the target's keys from SSM. A refusal makes no network call. */
static enum awssts_outcome code_then_limit(struct call *c, char code[8], bool *conv_failed,
                                           struct awssts_error_info *ei)
{
    enum awssts_outcome got = get_code(c, code, conv_failed, ei);
    if (got != AWSSTS_OUT_SUCCESS)
        return got;
    awssts_err rc = awssts_fetch_limit_check(getuid(), c->pw.pw_uid, ei);
    if (rc == AWSSTS_OK)
        return AWSSTS_OUT_SUCCESS;
    awssts_memzero(code, 8);
    if (rc == AWSSTS_E_RATE_LIMITED)
        return AWSSTS_OUT_RATE_LIMITED;
    awssts_error_prefix(ei, "the fetch limit; SSM not called");
    return AWSSTS_OUT_LOCAL_ERROR;
}

AWSSTS_API PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)flags;
    struct call c;
    int rc = call_begin(&c, pamh, argc, argv, true);
    if (rc != PAM_SUCCESS) {
        rc = log_outcome(&c, AWSSTS_OUT_UNKNOWN_USER, NULL, NULL, NULL);
        call_end(&c);
        return rc;
    }

    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_user_keys keys = {0};
    struct awssts_login_result login = {0};
    char code[8] = "";
    /* Debug timing of the module's own steps; the prompt's wait is left out. */
    long long t0 = awssts_now_us(), t_settings, t_keys, t_sts, t_handoff;

    if (load_settings(&c, &ei) != AWSSTS_OK) {
        rc = log_outcome(&c, AWSSTS_OUT_CONFIG_ERROR, NULL, NULL, &ei);
        goto out;
    }
    t_settings = awssts_now_us();
    bool conv_failed = false;
    bool code_first = awssts_fetch_code_first(c.s.keys, awssts_secure_mode(), getuid(), c.pw.pw_uid);
    enum awssts_outcome got = AWSSTS_OUT_SUCCESS;
    if (code_first && (got = code_then_limit(&c, code, &conv_failed, &ei)) != AWSSTS_OUT_SUCCESS) {
        rc = code_failure(&c, got, NULL, conv_failed, &ei);
        goto out;
    }
    /* Keys (a keys failure's outcome among them), device, role, flow and
     * region: awssts check prepares them with the same call. */
    struct pas_as_user as_user;
    struct awssts_login_decision plan;
    enum awssts_outcome planned;
    awssts_err arc = awssts_login_prepare(&c.s, &c.pw, pas_as_user(&as_user, pamh, &c.pw), &keys,
                                          &plan, &planned, &ei);
    t_keys = awssts_now_us();
    const char *flow = plan.flow;
    c.role = plan.role_arn;
    c.region_from_imds = plan.region_from_imds;
    if (arc != AWSSTS_OK) {
        rc = log_outcome(&c, planned, flow, NULL, &ei);
        goto out;
    }

    /* Everything this host needs for the login, before a code is asked for
     * or spent. */
    if (awssts_preflight_run(&c.s, &c.pw, NULL, &ei) != AWSSTS_OK) {
        awssts_error_prefix(&ei, "STS not called");
        rc = log_outcome(&c, AWSSTS_OUT_LOCAL_ERROR, flow, NULL, &ei);
        goto out;
    }
    if (!code_first && (got = get_code(&c, code, &conv_failed, &ei)) != AWSSTS_OUT_SUCCESS) {
        rc = code_failure(&c, got, flow, conv_failed, &ei);
        goto out;
    }
    pas_debug(&c, "calling STS, flow %s", flow);
    t_sts = awssts_now_us();
    arc = awssts_settings_login(&c.s, &keys, plan.mfa_serial, plan.role_arn, code, &login, &ei);
    t_sts = awssts_now_us() - t_sts;
    awssts_memzero(code, sizeof(code));
    if (arc == AWSSTS_E_MFA_CODE) {
        rc = log_outcome(&c, AWSSTS_OUT_MFA_CODE_REJECTED, flow, &login, &ei);
        goto out;
    }
    if (arc != AWSSTS_OK) {
        rc = log_outcome(&c, AWSSTS_OUT_STS_ERROR, flow, &login, &ei);
        goto out;
    }
    t_handoff = awssts_now_us();
    arc = pas_handoff_stage(pamh, &c.s, &c.pw, &login, &ei);
    if (arc != AWSSTS_OK) {
        rc = log_outcome(&c, AWSSTS_OUT_HANDOFF_ERROR, flow, &login, &ei);
        goto out;
    }
    pas_debug(&c, "timing_us settings=%lld keys=%lld sts=%lld handoff=%lld", t_settings - t0,
              t_keys - t_settings, t_sts, awssts_now_us() - t_handoff);
    rc = log_outcome(&c, AWSSTS_OUT_SUCCESS, flow, &login, NULL);

out:
    awssts_memzero(code, sizeof(code));
    awssts_login_result_clear(&login);
    awssts_user_keys_free(&keys);
    call_end(&c);
    return rc;
}

static void free_string(pam_handle_t *pamh, void *data, int status)
{
    (void)pamh;
    (void)status;
    free(data);
}

static void free_pending(pam_handle_t *pamh, void *data, int status)
{
    (void)pamh;
    (void)status;
    awssts_login_result_clear(data);
    free(data);
}

static const char *handle_string(const struct call *c, const char *name)
{
    const void *v = NULL;
    return pam_get_data(c->pamh, name, &v) == PAM_SUCCESS ? v : NULL;
}

/* The region of this handle's login when the configuration names none
 * (keys = ssm:, the instance's); a session never goes on without one. */
static awssts_err session_region(struct call *c, struct awssts_error_info *ei)
{
    const char *r = handle_string(c, DATA_REGION);
    if (c->s.region == NULL && r != NULL)
        c->s.region = strdup(r); /* NULL again on no memory: refused below */
    if (c->s.region == NULL)
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "no region: none configured, and the login's hand-off has none");
    return AWSSTS_OK;
}

/* The login this handle is to write: taken from its hand-off once (file and
 * variable removed) and kept in memory until written. NULL: none (*code
 * PAM_IGNORE), or the hand-off was bad (*code the failure, logged). */
static struct awssts_login_result *pending_login(struct call *c, int failure_code, int *code)
{
    const void *v = NULL;
    if (pam_get_data(c->pamh, DATA_PENDING, &v) == PAM_SUCCESS && v != NULL) {
        /* pam_get_data hands back const what this module stored mutable, below. */
        struct awssts_login_result *l;
        memcpy(&l, &v, sizeof(void *));
        return l;
    }
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_login_result *l = calloc(1, sizeof(*l));
    if (l == NULL) {
        *code = PAM_BUF_ERR;
        return NULL;
    }
    awssts_err arc = pas_handoff_take(c->pamh, &c->s, &c->pw, l, &ei);
    if (arc == AWSSTS_OK && pam_set_data(c->pamh, DATA_PENDING, l, free_pending) == PAM_SUCCESS)
        return l;
    awssts_login_result_clear(l);
    free(l);
    if (arc == AWSSTS_E_NOT_FOUND) {
        *code = PAM_IGNORE;
    } else {
        log_phase_error(c, "session", &ei);
        *code = c->s.on_error_allow ? PAM_IGNORE : failure_code;
    }
    return NULL;
}

/* Files written by a handle whose session then failed, when no other
 * session of the user has them: nothing is left half-made. */
static void undo_first_write(struct call *c, struct awssts_registry *reg, const char *path)
{
    bool live = false;
    if (awssts_registry_live(reg, &live, NULL, 0, NULL) == AWSSTS_OK && !live) {
        pas_runtime_release(c->pamh, &c->s, &c->pw, path);
        awssts_registry_forget(reg);
    }
}

/*
 * Write the pending login where the user's sessions keep their files, and
 * register this handle's session there, under the registry's lock: a last
 * logout of the user running beside us then sees this session and leaves
 * the files. *deferred when the directory cannot be chosen yet (sshd's
 * setcred, before pam_systemd has made /run/user/UID).
 */
static awssts_err write_and_register(struct call *c, struct awssts_login_result *l, bool may_make_own,
                                     bool *deferred, struct awssts_error_info *ei)
{
    *deferred = false;
    struct awssts_registry reg;
    awssts_err rc = awssts_registry_lock(c->pw.pw_uid, true, AWSSTS_REGISTRY_WAIT_MS(&c->s), &reg, ei);
    if (rc != AWSSTS_OK)
        return rc;
    char path[4096], stale[4096];
    enum awssts_runtime_source source = AWSSTS_RUNTIME_AT_SESSION;
    bool live = false;
    rc = awssts_registry_live(&reg, &live, NULL, 0, ei);
    /* Sessions that all died without closing left their files: gone first. */
    if (rc == AWSSTS_OK && !live && awssts_registry_directory(&reg, stale, sizeof(stale), NULL) == AWSSTS_OK)
        pas_runtime_release(c->pamh, &c->s, &c->pw, stale);
    if (rc == AWSSTS_OK)
        rc = awssts_runtime_choose(&c->s, &c->pw, &reg, may_make_own, path, sizeof(path), &source, ei);
    if (rc == AWSSTS_OK && source == AWSSTS_RUNTIME_AT_SESSION) {
        *deferred = true;
        if (!live)
            awssts_registry_forget(&reg);
        awssts_registry_unlock(&reg);
        return AWSSTS_OK;
    }
    long long t0 = awssts_now_us();
    char *id = NULL;
    struct awssts_runtime rt = {.dirfd = -1};
    struct pas_as_user as_user;
    if (rc == AWSSTS_OK)
        rc = awssts_runtime_open(&c->s, &c->pw, pas_as_user(&as_user, c->pamh, &c->pw), path, true,
                                 &rt, ei);
    if (rc == AWSSTS_OK)
        rc = pas_runtime_write(c->pamh, &c->s, &c->pw, &rt, l, ei);
    awssts_runtime_close(&rt);
    if (rc == AWSSTS_OK && ((id = malloc(AWSSTS_ID_LEN + 1)) == NULL || !awssts_id_new(id)))
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, "no session id");
    if (rc == AWSSTS_OK)
        rc = awssts_registry_add(&reg, id, path, ei);
    if (rc == AWSSTS_OK && pam_set_data(c->pamh, DATA_SESSION, id, free_string) != PAM_SUCCESS)
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    else if (rc == AWSSTS_OK)
        id = NULL; /* the handle's now */
    char *written = rc == AWSSTS_OK ? strdup(path) : NULL;
    if (rc == AWSSTS_OK &&
        (written == NULL || pam_set_data(c->pamh, DATA_WRITTEN, written, free_string) != PAM_SUCCESS)) {
        free(written);
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    if (rc != AWSSTS_OK && !live && source != AWSSTS_RUNTIME_AT_SESSION)
        undo_first_write(c, &reg, path);
    awssts_registry_unlock(&reg);
    free(id);
    if (rc == AWSSTS_OK)
        pas_debug(c, "credentials written to %s, session registered; timing_us write=%lld", path,
                  awssts_now_us() - t0);
    return rc;
}

/*
 * setcred(ESTABLISH) and open_session: write the login's credentials (once
 * per handle) and export the environment (every time: sshd calls setcred
 * again in the session child). PAM_IGNORE when this login has none.
 */
static int establish(struct call *c, bool open_session, int failure_code)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    const char *written = handle_string(c, DATA_WRITTEN);
    if (written == NULL) {
        const void *d = NULL;
        bool any = pam_get_data(c->pamh, DATA_PENDING, &d) == PAM_SUCCESS ||
                   pam_getenv(c->pamh, PAS_HANDOFF_ENV) != NULL ||
                   pam_get_data(c->pamh, "pam_aws_sts_handoff", &d) == PAM_SUCCESS;
        if (!any)
            return PAM_IGNORE;
    }
    if (load_settings(c, &ei) != AWSSTS_OK) {
        pas_err(c, "session: %s", ei.detail);
        return c->s.on_error_allow ? PAM_IGNORE : failure_code;
    }
    if (written == NULL) {
        int code = PAM_IGNORE;
        struct awssts_login_result *l = pending_login(c, failure_code, &code);
        if (l == NULL)
            return code;
        /* keys = ssm: with no region configured: the one the login used
         * (the instance's), for the state and the environment, kept on the
         * handle for the calls after this one. */
        if (c->s.region == NULL && l->region[0] != '\0') {
            char *r = strdup(l->region);
            if (r == NULL || pam_set_data(c->pamh, DATA_REGION, r, free_string) != PAM_SUCCESS) {
                free(r);
                return PAM_BUF_ERR;
            }
        }
        if (session_region(c, &ei) != AWSSTS_OK) {
            log_phase_error(c, "session", &ei);
            return c->s.on_error_allow ? PAM_IGNORE : failure_code;
        }
        bool deferred = false;
        awssts_err arc = write_and_register(c, l, open_session, &deferred, &ei);
        if (arc == AWSSTS_OK && deferred) {
            pas_debug(c, "credentials kept until open_session (no /run/user/%u yet)",
                      (unsigned)c->pw.pw_uid);
            return PAM_SUCCESS;
        }
        /* Written or failed: the login is used up either way. */
        pam_set_data(c->pamh, DATA_PENDING, NULL, NULL);
        if (arc != AWSSTS_OK) {
            log_phase_error(c, "session", &ei);
            return c->s.on_error_allow ? PAM_IGNORE : failure_code;
        }
        written = handle_string(c, DATA_WRITTEN);
    }
    if (session_region(c, &ei) != AWSSTS_OK) {
        log_phase_error(c, "session", &ei);
        return c->s.on_error_allow ? PAM_IGNORE : failure_code;
    }
    if (pas_runtime_export(c->pamh, &c->s, written, &ei) != AWSSTS_OK) {
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
    int rc = call_begin(&c, pamh, argc, argv, false);
    if (rc == PAM_SUCCESS)
        rc = establish(&c, false, PAM_CRED_ERR);
    call_end(&c);
    return rc;
}

/* A handle that wrote the files, closed its session (not the user's last)
 * and opens one again: registered again beside the files it wrote. */
static int register_again(struct call *c)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    const char *written = handle_string(c, DATA_WRITTEN);
    struct awssts_registry reg;
    char *id = malloc(AWSSTS_ID_LEN + 1);
    awssts_err rc = id != NULL && awssts_id_new(id) ? AWSSTS_OK
                                                  : awssts_error_set(&ei, AWSSTS_E_NOMEM, NULL);
    if (rc == AWSSTS_OK)
        rc = awssts_registry_lock(c->pw.pw_uid, true, AWSSTS_REGISTRY_WAIT_MS(&c->s), &reg, &ei);
    if (rc == AWSSTS_OK) {
        rc = awssts_registry_add(&reg, id, written, &ei);
        awssts_registry_unlock(&reg);
    }
    if (rc == AWSSTS_OK && pam_set_data(c->pamh, DATA_SESSION, id, free_string) == PAM_SUCCESS)
        return PAM_SUCCESS;
    if (rc == AWSSTS_OK)
        awssts_error_set(&ei, AWSSTS_E_NOMEM, "no memory for the session id");
    free(id);
    log_phase_error(c, "open_session", &ei);
    return c->s.on_error_allow ? PAM_IGNORE : PAM_SESSION_ERR;
}

AWSSTS_API PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
    (void)flags;
    struct call c;
    int rc = call_begin(&c, pamh, argc, argv, false);
    if (rc != PAM_SUCCESS)
        return rc;
    long long t0 = awssts_now_us();
    rc = establish(&c, true, PAM_SESSION_ERR);
    if (rc == PAM_SUCCESS && handle_string(&c, DATA_SESSION) == NULL)
        rc = register_again(&c);
    if (rc == PAM_SUCCESS)
        pas_debug(&c, "timing_us open_session=%lld", awssts_now_us() - t0);
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
    int rc = call_begin(&c, pamh, argc, argv, false);
    if (rc != PAM_SUCCESS)
        return rc;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_registry reg;
    bool last = false;
    long long t0 = awssts_now_us();
    awssts_err arc = load_settings(&c, &ei);
    if (arc == AWSSTS_OK)
        arc = awssts_registry_lock(c.pw.pw_uid, false, AWSSTS_REGISTRY_WAIT_MS(&c.s), &reg, &ei);
    if (arc == AWSSTS_OK) {
        arc = awssts_registry_remove(&reg, sid, &last, &ei);
        const char *written = handle_string(&c, DATA_WRITTEN);
        char recorded[4096];
        if (arc == AWSSTS_OK && last) {
            if (awssts_registry_directory(&reg, recorded, sizeof(recorded), NULL) == AWSSTS_OK)
                written = recorded;
            if (written != NULL)
                pas_runtime_release(pamh, &c.s, &c.pw, written);
            awssts_registry_forget(&reg);
            /* A session opened again on this handle has no credentials. */
            pam_set_data(pamh, DATA_WRITTEN, NULL, NULL);
        }
        awssts_registry_unlock(&reg);
    }
    if (arc == AWSSTS_OK || arc == AWSSTS_E_NOT_FOUND) {
        pam_syslog(pamh, LOG_INFO, "user=%s: session closed, %s", c.user,
                   last ? "0 open, credentials removed"
                        : arc == AWSSTS_OK ? "others still open" : "no session registry");
        pas_debug(&c, "timing_us close_session=%lld", awssts_now_us() - t0);
        rc = PAM_SUCCESS;
    } else {
        log_phase_error(&c, "close_session", &ei);
        rc = PAM_SESSION_ERR;
    }
    pam_set_data(pamh, DATA_SESSION, NULL, NULL);
    call_end(&c);
    return rc;
}
