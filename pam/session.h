/* The session phase: setcred and open_session write the login's files and
 * export its environment; close_session removes them with the last. */
#ifndef PAS_SESSION_H
#define PAS_SESSION_H

#include "call.h"

/* setcred(ESTABLISH) and open_session (open_session true): write the
 * login's credentials (once per handle) and export the environment.
 * PAM_IGNORE when this login has none; failure_code on failure. */
int pas_establish(struct call *c, bool open_session, int failure_code);

/* open_session's work for a call begun. */
int pas_open_session(struct call *c);

/* close_session's work for a call begun, given this handle's session id. */
int pas_close_session(struct call *c, const char *sid);

#endif
