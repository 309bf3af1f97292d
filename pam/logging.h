/* What the module says: the login's one line and the user's message (from
 * the outcome table, lib/login/outcome.h), and its syslog lines. */
#ifndef PAS_LOGGING_H
#define PAS_LOGGING_H

#include "call.h"
#include "login/login_flow.h"
#include "login/outcome.h"

/* A LOG_DEBUG line with the user, when the module runs with debug. */
void pas_debug(const struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A LOG_ERR line with the user. */
void pas_err(const struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The login's one line (lib/login/audit.h: key=value or JSON) and the
 * user's one message; returns the PAM result. */
int pas_log_outcome(struct call *c, enum awssts_outcome o, const char *flow,
                    const struct awssts_login_result *l, const struct awssts_error_info *ei);

/* A failure of the session phase logged ("PHASE: detail"); returns what
 * the phase returns, by on_error (AWSSTS_OUT_SESSION_ERROR): PAM_IGNORE,
 * or failure_code (PAM_CRED_ERR, PAM_SESSION_ERR). */
int pas_phase_failed(const struct call *c, const char *phase, const struct awssts_error_info *ei,
                     int failure_code);

/* The same result without a line (the caller has logged it). */
int pas_phase_result(const struct call *c, int failure_code);

#endif
