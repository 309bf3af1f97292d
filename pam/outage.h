/* STS down on this connection: sshd's keyboard-interactive retries reuse
 * one PAM handle, so an outage verdict (STS timed out, unreachable, 5xx)
 * is remembered on it for a short while, and the next attempt fails before
 * it asks for a code. A wrong code is never remembered. */
#ifndef PAS_OUTAGE_H
#define PAS_OUTAGE_H

#include "awssts/error.h"

#include <security/pam_modules.h>
#include <stdbool.h>

/* How long an outage verdict holds: the rest of sshd's tries on the
 * connection (LoginGraceTime is 120 s), short enough for a retry to find
 * STS back. */
#define PAS_OUTAGE_SECONDS 60

/* The same in the PAM environment: OpenSSH runs each attempt in a child
 * that hands back only the environment (auth-pam.c), where pam_set_data
 * would die with the child. Removed before the session (pas_outage_forget). */
#define PAS_OUTAGE_ENV "PAM_AWS_STS_OUTAGE"

/* Does this error of an STS call mean the service, not the code or keys? */
bool pas_outage_verdict(awssts_err e);

/* Remember an outage on the handle for PAS_OUTAGE_SECONDS. */
void pas_outage_mark(pam_handle_t *pamh);

/* Seconds left of a remembered outage; 0 when there is none (an expired or
 * malformed one is forgotten). */
long pas_outage_left(pam_handle_t *pamh);

/* Forget it: off the handle and out of the environment a session gets. */
void pas_outage_forget(pam_handle_t *pamh);

#endif
