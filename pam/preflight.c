/* The local checks of a login, before STS. */
#include "preflight.h"
#include "handoff.h"
#include "paths.h"
#include "registry.h"
#include "runtime.h"

#include <stdbool.h>
#include <sys/stat.h>

/* systemd runs this host: pam_systemd will make /run/user/UID at open_session. */
static bool systemd_runs(void)
{
    struct stat st;
    return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

awssts_err pas_preflight(const struct awssts_settings *s, const struct passwd *pw,
                         struct awssts_error_info *ei)
{
    awssts_err rc = pas_handoff_check(s, ei);
    if (rc != AWSSTS_OK)
        return rc;
    /* Looked at, never made: a login that fails here leaves nothing. */
    struct pas_registry reg;
    rc = pas_registry_lock(pw->pw_uid, false, PAS_REGISTRY_WAIT_MS(s), &reg, ei);
    bool have = rc == AWSSTS_OK;
    if (rc != AWSSTS_OK && rc != AWSSTS_E_NOT_FOUND)
        return rc;
    char path[4096];
    bool settled = false;
    rc = pas_runtime_choose(s, pw, have ? &reg : NULL, false, path, sizeof(path), &settled, ei);
    pas_registry_unlock(&reg);
    if (rc != AWSSTS_OK)
        return rc;
    if (settled)
        return pas_runtime_check(s, pw, path, ei);
    /* Not decided before open_session: logind's directory, or our own. */
    if (systemd_runs())
        return AWSSTS_OK;
    rc = awssts_expand_path(PAS_OWN_RUNTIME_DIR, pw->pw_uid, pw->pw_name, path, sizeof(path), ei);
    return rc == AWSSTS_OK ? pas_runtime_check(s, pw, path, ei) : rc;
}
