/* The auth phase: one log line, one PAM result. */
#include "auth.h"
#include "handoff.h"
#include "logging.h"
#include "prompt.h"
#include "user_rights.h"
#include "awssts/secret.h"
#include "util/error_set.h"
#include "util/hidden_env.h"
#include "util/retry.h"
#include "login/fetch_limit.h"
#include "login/login_plan.h"
#include "login/preflight.h"
#include "login/settings_login.h"

#include <unistd.h>

#define AUTH_GOING (-1) /* a step's result: on to the next step */

/* auth's work across its steps. */
struct auth {
    struct call *c;
    struct awssts_error_info ei;
    struct awssts_user_keys keys;
    struct awssts_login_decision plan;
    struct awssts_login_result login;
    char code[8];
    bool code_first;
    /* Debug timing of the module's own steps; the prompt's wait is left out. */
    long long t0, t_settings, t_keys, t_sts;
};

/* The log line and result of a login that got no usable code. */
static int code_failure(struct call *c, enum awssts_outcome got, const char *flow, bool conv_failed,
                        const struct awssts_error_info *ei)
{
    int rc = pas_log_outcome(c, got, flow, NULL, ei);
    return conv_failed ? PAM_CONV_ERR : rc; /* the application's conversation, not the user */
}

/* For a caller who is not root, as under su (lib/login/fetch_limit.h): the code
 * first, six digits, then the caller's fetch limit, and only then may root
 * fetch the target's keys from SSM. A refusal makes no network call. */
static enum awssts_outcome code_then_limit(struct call *c, char code[8], bool *conv_failed,
                                           struct awssts_error_info *ei)
{
    enum awssts_outcome got = pas_get_code(c, code, conv_failed, ei);
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

/* Settings, (the code first under su), then the keys and the device,
 * role, flow and region: awssts check prepares them with the same call. */
static int prepare_login(struct auth *a)
{
    struct call *c = a->c;
    if (pas_call_settings(c, &a->ei) != AWSSTS_OK)
        return pas_log_outcome(c, AWSSTS_OUT_CONFIG_ERROR, NULL, NULL, &a->ei);
    a->t_settings = awssts_now_us();
    bool conv_failed = false;
    enum awssts_outcome got = AWSSTS_OUT_SUCCESS;
    a->code_first =
        awssts_fetch_code_first(c->s.keys, awssts_secure_mode(), getuid(), c->pw.pw_uid);
    if (a->code_first &&
        (got = code_then_limit(c, a->code, &conv_failed, &a->ei)) != AWSSTS_OUT_SUCCESS)
        return code_failure(c, got, NULL, conv_failed, &a->ei);
    struct pas_as_user as_user;
    enum awssts_outcome planned;
    awssts_err arc = awssts_login_prepare(&c->s, &c->pw, pas_as_user(&as_user, c->pamh, &c->pw),
                                          &a->keys, &a->plan, &planned, &a->ei);
    a->t_keys = awssts_now_us();
    c->role = a->plan.role_arn;
    c->region_from_imds = a->plan.region_from_imds;
    if (arc != AWSSTS_OK)
        return pas_log_outcome(c, planned, a->plan.flow, NULL, &a->ei);
    return AUTH_GOING;
}

/* Everything this host needs for the login, before a code is asked for or
 * spent. */
static int check_host(struct auth *a)
{
    struct call *c = a->c;
    if (awssts_preflight_run(&c->s, &c->pw, NULL, &a->ei) != AWSSTS_OK) {
        awssts_error_prefix(&a->ei, "STS not called");
        return pas_log_outcome(c, AWSSTS_OUT_LOCAL_ERROR, a->plan.flow, NULL, &a->ei);
    }
    return AUTH_GOING;
}

/* The code (unless asked first), STS, the hand-off. */
static int call_sts(struct auth *a)
{
    struct call *c = a->c;
    const char *flow = a->plan.flow;
    bool conv_failed = false;
    enum awssts_outcome got = AWSSTS_OUT_SUCCESS;
    if (!a->code_first &&
        (got = pas_get_code(c, a->code, &conv_failed, &a->ei)) != AWSSTS_OUT_SUCCESS)
        return code_failure(c, got, flow, conv_failed, &a->ei);
    pas_debug(c, "calling STS, flow %s", flow);
    a->t_sts = awssts_now_us();
    awssts_err arc = awssts_settings_login(&c->s, &a->keys, a->plan.mfa_serial, a->plan.role_arn,
                                           a->code, &a->login, &a->ei);
    a->t_sts = awssts_now_us() - a->t_sts;
    awssts_memzero(a->code, sizeof(a->code));
    if (arc == AWSSTS_E_MFA_CODE)
        return pas_log_outcome(c, AWSSTS_OUT_MFA_CODE_REJECTED, flow, &a->login, &a->ei);
    if (arc != AWSSTS_OK)
        return pas_log_outcome(c, AWSSTS_OUT_STS_ERROR, flow, &a->login, &a->ei);
    long long t_handoff = awssts_now_us();
    if (pas_handoff_stage(c->pamh, &c->s, &c->pw, &a->login, &a->ei) != AWSSTS_OK)
        return pas_log_outcome(c, AWSSTS_OUT_HANDOFF_ERROR, flow, &a->login, &a->ei);
    pas_debug(c, "timing_us settings=%lld keys=%lld sts=%lld handoff=%lld", a->t_settings - a->t0,
              a->t_keys - a->t_settings, a->t_sts, awssts_now_us() - t_handoff);
    return pas_log_outcome(c, AWSSTS_OUT_SUCCESS, flow, &a->login, NULL);
}

int pas_authenticate(struct call *c)
{
    struct auth a = {.c = c};
    awssts_error_info_reset(&a.ei);
    a.t0 = awssts_now_us();
    int rc = prepare_login(&a);
    if (rc == AUTH_GOING)
        rc = check_host(&a);
    if (rc == AUTH_GOING)
        rc = call_sts(&a);
    awssts_memzero(a.code, sizeof(a.code));
    awssts_login_result_clear(&a.login);
    awssts_user_keys_free(&a.keys);
    return rc;
}
