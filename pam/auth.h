/* The auth phase: keys, the login's plan, the code, STS, the hand-off. */
#ifndef PAS_AUTH_H
#define PAS_AUTH_H

#include "call.h"

/* pam_sm_authenticate's work for a call begun; logs its one line. */
int pas_authenticate(struct call *c);

#endif
