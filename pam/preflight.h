/* What a login needs on this host, checked before the prompt and before
 * STS: a local fault (a full /run, an unsafe or disk-backed directory, no
 * right to mount) never costs the user a code. */
#ifndef PAS_PREFLIGHT_H
#define PAS_PREFLIGHT_H

#include <pwd.h>

#include "awssts/error.h"
#include "settings.h"

/* How long a login waits for another login or logout of the same user. */
#define PAS_REGISTRY_WAIT_MS(s) (((s)->timeout + 5) * 1000)

awssts_err pas_preflight(const struct awssts_settings *s, const struct passwd *pw,
                         struct awssts_error_info *ei);

#endif
