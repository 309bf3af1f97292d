/* The local checks of a login, before STS. */
#include "login/preflight.h"
#include "files/paths.h"
#include "login/registry.h"
#include "login/staging.h"

#include <string.h>
#include <sys/stat.h>

/* systemd runs this host: pam_systemd will make /run/user/UID at open_session. */
static bool systemd_runs(void)
{
    struct stat st;
    return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

awssts_err awssts_preflight_runtime(const struct awssts_settings *s, const struct passwd *pw,
                                    struct awssts_preflight *out, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    out->source = AWSSTS_RUNTIME_AT_SESSION;
    /* Looked at, never made: a login that fails here leaves nothing. And
     * without the registry's lock: this runs before the user is
     * authenticated, for any caller (su), who may stop it at will and would
     * hold the lock that the user's logins and logouts need. It is advice:
     * setcred chooses again under the lock, and decides. */
    struct awssts_registry reg;
    awssts_err rc = awssts_registry_look(pw->pw_uid, &reg, ei);
    bool have = rc == AWSSTS_OK;
    if (rc != AWSSTS_OK && rc != AWSSTS_E_NOT_FOUND)
        return rc;
    char *path = out->runtime_dir;
    size_t len = sizeof(out->runtime_dir);
    rc = awssts_runtime_choose(s, pw, have ? &reg : NULL, false, path, len, &out->source, ei);
    awssts_registry_unlock(&reg);
    if (rc == AWSSTS_E_NOT_FOUND && have) /* a last logout removed it as we read */
        rc = awssts_runtime_choose(s, pw, NULL, false, path, len, &out->source, ei);
    out->live_sessions = out->source == AWSSTS_RUNTIME_LIVE;
    if (rc != AWSSTS_OK)
        return rc;
    if (out->source != AWSSTS_RUNTIME_AT_SESSION)
        return awssts_runtime_check(s, pw, path, ei);
    /* Not decided before open_session: logind's directory, or our own. */
    if (systemd_runs())
        return AWSSTS_OK;
    out->source = AWSSTS_RUNTIME_OWN;
    rc = awssts_expand_path(AWSSTS_OWN_RUNTIME_DIR, pw->pw_uid, pw->pw_name, path, len, ei);
    return rc == AWSSTS_OK ? awssts_runtime_check(s, pw, path, ei) : rc;
}

awssts_err awssts_preflight_run(const struct awssts_settings *s, const struct passwd *pw,
                                struct awssts_preflight *out, struct awssts_error_info *ei)
{
    struct awssts_preflight local;
    if (out == NULL)
        out = &local;
    memset(out, 0, sizeof(*out));
    out->source = AWSSTS_RUNTIME_AT_SESSION;
    awssts_err rc = awssts_staging_check(s, ei);
    return rc == AWSSTS_OK ? awssts_preflight_runtime(s, pw, out, ei) : rc;
}
