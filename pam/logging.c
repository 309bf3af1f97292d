/* The module's log lines and messages. */
#include "logging.h"
#include "login/audit.h"

#include <security/pam_ext.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

/* One line with the user at priority, through pam_syslog. */
static void user_line(const struct call *c, int priority, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void user_line(const struct call *c, int priority, const char *fmt, va_list ap)
{
    char line[800];
    vsnprintf(line, sizeof(line), fmt, ap);
    pam_syslog(c->pamh, priority, "user=%s: %s", c->user, line);
}

void pas_debug(const struct call *c, const char *fmt, ...)
{
    if (!c->args.debug)
        return;
    va_list ap;
    va_start(ap, fmt);
    user_line(c, LOG_DEBUG, fmt, ap);
    va_end(ap);
}

void pas_err(const struct call *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    user_line(c, LOG_ERR, fmt, ap);
    va_end(ap);
}

static bool on_error_allow(const struct call *c)
{
    return c->settings_loaded && c->s.on_error_allow;
}

/* failure_code: the phase's own failure, for AWSSTS_RESULT_PHASE_ERR. */
static int pam_result(enum awssts_outcome_result r, int failure_code)
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
    case AWSSTS_RESULT_PHASE_ERR:
        return failure_code;
    case AWSSTS_RESULT_UNAVAILABLE:
        break;
    }
    return PAM_AUTHINFO_UNAVAIL;
}

int pas_phase_result(const struct call *c, int failure_code)
{
    return pam_result(awssts_outcome_result(AWSSTS_OUT_SESSION_ERROR, on_error_allow(c)),
                      failure_code);
}

int pas_phase_failed(const struct call *c, const char *phase, const struct awssts_error_info *ei,
                     int failure_code)
{
    char line[560];
    pas_err(c, "%s: %s", phase, awssts_error_format(ei, line, sizeof(line)));
    return pas_phase_result(c, failure_code);
}

/* A PAM item as text, NULL when unset. */
static const char *item_text(pam_handle_t *pamh, int item)
{
    const void *v = NULL;
    return pam_get_item(pamh, item, &v) == PAM_SUCCESS ? v : NULL;
}

/* The fields of the login's line (borrowed from c, l and err). */
static void audit_of(const struct call *c, enum awssts_outcome o, const char *flow,
                     const struct awssts_login_result *l, const char *err, struct awssts_audit *a)
{
    bool loaded = c->settings_loaded;
    const struct awssts_credentials *got =
        o == AWSSTS_OUT_SUCCESS && l != NULL ? awssts_login_final(l) : NULL;
    *a = (struct awssts_audit){
        .user = c->user,
        .outcome = awssts_outcome_label(o, on_error_allow(c)),
        .region = loaded ? c->s.region : NULL,
        .region_from =
            loaded && c->s.region != NULL ? (c->region_from_imds ? "imds" : "config") : NULL,
        .endpoint = l != NULL && l->host[0] ? l->host : NULL,
        .flow = flow,
        .call = l != NULL ? l->failed_call : NULL,
        .role_arn = c->role,
        /* Sent only with a role: GetSessionToken cannot carry it. */
        .source_identity = c->role != NULL && loaded ? c->s.source_identity : NULL,
        .access_key_id = got != NULL ? got->access_key_id : NULL,
        .rhost = item_text(c->pamh, PAM_RHOST),
        .tty = item_text(c->pamh, PAM_TTY),
        .request_id = l != NULL && l->request_id[0] ? l->request_id : NULL,
        .latency_ms = l != NULL ? l->latency_ms : 0,
        .error = err[0] ? err : NULL,
    };
}

int pas_log_outcome(struct call *c, enum awssts_outcome o, const char *flow,
                    const struct awssts_login_result *l, const struct awssts_error_info *ei)
{
    bool allow = on_error_allow(c);
    char err[560] = "";
    if (ei != NULL && ei->code != AWSSTS_OK)
        awssts_error_format(ei, err, sizeof(err));
    struct awssts_audit a;
    audit_of(c, o, flow, l, err, &a);
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
    return pam_result(awssts_outcome_result(o, allow), PAM_AUTHINFO_UNAVAIL);
}
