/* The login's files in the user's runtime directory, and the session's environment. */
#include "login_files.h"
#include "user_rights.h"
#include "util/buf.h"
#include "util/error_set.h"
#include "files/runtime_files.h"
#include "files/state.h"

#include <security/pam_ext.h>
#include <syslog.h>

awssts_err pas_login_files_write(pam_handle_t *pamh, const struct passwd *pw,
                                 const struct awssts_runtime *rt, const struct awssts_state *st,
                                 struct awssts_error_info *ei)
{
    struct pas_as_user u;
    const struct awssts_as_user *as_user = pas_as_user(&u, pamh, pw);
    awssts_err rc = awssts_as_user_enter(as_user, ei);
    if (rc != AWSSTS_OK)
        return rc;
    rc = awssts_session_write(rt->dirfd, st, ei);
    return awssts_as_user_leave(as_user, rc, ei);
}

void pas_login_files_release(pam_handle_t *pamh, const struct awssts_settings *s,
                             const struct passwd *pw, const char *path)
{
    struct pas_as_user u;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_runtime_release(s, pw, pas_as_user(&u, pamh, pw), path, &ei) != AWSSTS_OK)
        pam_syslog(pamh, LOG_WARNING, "user=%s: %s; removed what could be removed", pw->pw_name,
                   ei.detail);
}

static awssts_err put_env(void *ctx, const char *name, const char *value)
{
    struct awssts_buf b;
    awssts_buf_init(&b, 0);
    awssts_buf_printf(&b, "%s=%s", name, value);
    int prc = b.failed ? PAM_BUF_ERR : pam_putenv(ctx, b.data);
    awssts_buf_free(&b);
    return prc == PAM_SUCCESS ? AWSSTS_OK : AWSSTS_E_INTERNAL;
}

awssts_err pas_login_files_export(pam_handle_t *pamh, const struct awssts_state *st,
                                  const char *path, struct awssts_error_info *ei)
{
    awssts_err rc = awssts_session_environment(path, st, put_env, pamh);
    return rc == AWSSTS_OK ? rc : awssts_error_set(ei, rc, "pam_putenv failed");
}
