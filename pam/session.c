/* The session phase. */
#include "session.h"
#include "handoff.h"
#include "logging.h"
#include "login_files.h"
#include "user_rights.h"
#include "util/error_set.h"
#include "util/id.h"
#include "util/retry.h"
#include "login/registry.h"
#include "files/state.h"

#include <security/pam_ext.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

/* The login's state, from its hand-off: whole until written, then without
 * its credentials, for the environment of the calls after. */
#define DATA_STATE "pam_aws_sts_state"

static void free_state(pam_handle_t *pamh, void *data, int status)
{
    (void)pamh;
    (void)status;
    awssts_state_free(data);
    free(data);
}

/* This handle's login state, if it has one. */
static struct awssts_state *handle_state(const struct call *c)
{
    const void *v = NULL;
    if (pam_get_data(c->pamh, DATA_STATE, &v) != PAM_SUCCESS || v == NULL)
        return NULL;
    /* pam_get_data hands back const what this module stored mutable, below. */
    struct awssts_state *st;
    memcpy(&st, &v, sizeof(void *));
    return st;
}

/* The login this handle is to write: taken from its hand-off once (file and
 * variable removed) and kept on the handle. NULL: none (*code PAM_IGNORE),
 * or the hand-off was bad (*code the failure, logged). */
static struct awssts_state *pending_state(struct call *c, int failure_code, int *code)
{
    struct awssts_state *st = handle_state(c);
    if (st != NULL)
        return st;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if ((st = calloc(1, sizeof(*st))) == NULL) {
        *code = PAM_BUF_ERR;
        return NULL;
    }
    awssts_err arc = pas_handoff_take(c->pamh, &c->s, &c->pw, st, &ei);
    if (arc == AWSSTS_OK && pam_set_data(c->pamh, DATA_STATE, st, free_state) == PAM_SUCCESS)
        return st;
    awssts_state_free(st);
    free(st);
    *code =
        arc == AWSSTS_E_NOT_FOUND ? PAM_IGNORE : pas_phase_failed(c, "session", &ei, failure_code);
    return NULL;
}

/* Written: the credentials leave the handle's memory; the rest of the
 * state stays for the environment. */
static void forget_credentials(struct awssts_state *st)
{
    awssts_credentials_clear(&st->mfa_session);
    awssts_credentials_clear(&st->role);
    for (size_t i = 0; i < st->n_named; i++)
        awssts_credentials_clear(&st->named[i].creds);
    st->has_mfa_session = false;
    st->has_role = false;
}

/* Files written by a handle whose session then failed, when no other
 * session of the user has them: nothing is left half-made. */
static void undo_first_write(struct call *c, struct awssts_registry *reg, const char *path)
{
    bool live = false;
    if (awssts_registry_live(reg, &live, NULL, 0, NULL) == AWSSTS_OK && !live) {
        pas_login_files_release(c->pamh, &c->s, &c->pw, path);
        awssts_registry_forget(reg);
    }
}

/* A new session id, registered beside path and kept on the handle. */
static awssts_err register_session(struct call *c, struct awssts_registry *reg, const char *path,
                                   struct awssts_error_info *ei)
{
    char *id = malloc(AWSSTS_ID_LEN + 1);
    awssts_err rc = id != NULL && awssts_id_new(id)
                        ? AWSSTS_OK
                        : awssts_error_set(ei, AWSSTS_E_NOMEM, "no session id");
    if (rc == AWSSTS_OK)
        rc = awssts_registry_add(reg, id, path, ei);
    if (rc == AWSSTS_OK && pam_set_data(c->pamh, DATA_SESSION, id, pas_free_data) != PAM_SUCCESS)
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    else if (rc == AWSSTS_OK)
        return AWSSTS_OK; /* the handle's now */
    free(id);
    return rc;
}

/* The login's files written into path (the user's runtime directory), the
 * session registered, the directory kept on the handle. */
static awssts_err write_files(struct call *c, struct awssts_registry *reg, const char *path,
                              const struct awssts_state *st, struct awssts_error_info *ei)
{
    struct awssts_runtime rt = {.dirfd = -1};
    struct pas_as_user as_user;
    awssts_err rc = awssts_runtime_open(&c->s, &c->pw, pas_as_user(&as_user, c->pamh, &c->pw), path,
                                        true, &rt, ei);
    if (rc == AWSSTS_OK)
        rc = pas_login_files_write(c->pamh, &c->pw, &rt, st, ei);
    awssts_runtime_close(&rt);
    if (rc == AWSSTS_OK)
        rc = register_session(c, reg, path, ei);
    char *written = rc == AWSSTS_OK ? strdup(path) : NULL;
    if (rc == AWSSTS_OK && (written == NULL || pam_set_data(c->pamh, DATA_WRITTEN, written,
                                                            pas_free_data) != PAM_SUCCESS)) {
        free(written);
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    return rc;
}

/*
 * Write the pending login where the user's sessions keep their files, and
 * register this handle's session there, under the registry's lock: a last
 * logout of the user running beside us then sees this session and leaves
 * the files. *deferred when the directory cannot be chosen yet (sshd's
 * setcred, before pam_systemd has made /run/user/UID).
 */
static awssts_err write_and_register(struct call *c, const struct awssts_state *st,
                                     bool may_make_own, bool *deferred,
                                     struct awssts_error_info *ei)
{
    *deferred = false;
    struct awssts_registry reg;
    awssts_err rc =
        awssts_registry_lock(c->pw.pw_uid, true, AWSSTS_REGISTRY_WAIT_MS(&c->s), &reg, ei);
    if (rc != AWSSTS_OK)
        return rc;
    char path[4096], stale[4096];
    enum awssts_runtime_source source = AWSSTS_RUNTIME_AT_SESSION;
    bool live = false;
    rc = awssts_registry_live(&reg, &live, NULL, 0, ei);
    /* Sessions that all died without closing left their files: gone first. */
    if (rc == AWSSTS_OK && !live &&
        awssts_registry_directory(&reg, stale, sizeof(stale), NULL) == AWSSTS_OK)
        pas_login_files_release(c->pamh, &c->s, &c->pw, stale);
    if (rc == AWSSTS_OK)
        rc = awssts_runtime_choose(&c->s, &c->pw, &reg, may_make_own, path, sizeof(path), &source,
                                   ei);
    if (rc == AWSSTS_OK && source == AWSSTS_RUNTIME_AT_SESSION) {
        *deferred = true;
        if (!live)
            awssts_registry_forget(&reg);
        awssts_registry_unlock(&reg);
        return AWSSTS_OK;
    }
    long long t0 = awssts_now_us();
    if (rc == AWSSTS_OK)
        rc = write_files(c, &reg, path, st, ei);
    if (rc != AWSSTS_OK && !live && source != AWSSTS_RUNTIME_AT_SESSION)
        undo_first_write(c, &reg, path);
    awssts_registry_unlock(&reg);
    if (rc == AWSSTS_OK)
        pas_debug(c, "credentials written to %s, session registered; timing_us write=%lld", path,
                  awssts_now_us() - t0);
    return rc;
}

/* The pending login written, unless deferred (*done: PAM_SUCCESS for now). */
static int write_pending(struct call *c, bool open_session, int failure_code, bool *done)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    *done = true;
    int code = PAM_IGNORE;
    struct awssts_state *st = pending_state(c, failure_code, &code);
    if (st == NULL)
        return code;
    bool deferred = false;
    awssts_err arc = write_and_register(c, st, open_session, &deferred, &ei);
    if (arc == AWSSTS_OK && deferred) {
        pas_debug(c, "credentials kept until open_session (no /run/user/%u yet)",
                  (unsigned)c->pw.pw_uid);
        return PAM_SUCCESS;
    }
    /* Written or failed: the login is used up either way. */
    if (arc != AWSSTS_OK) {
        pam_set_data(c->pamh, DATA_STATE, NULL, NULL);
        return pas_phase_failed(c, "session", &ei, failure_code);
    }
    forget_credentials(st);
    *done = false;
    return PAM_SUCCESS;
}

/*
 * Write the login's credentials (once per handle) and export the
 * environment (every time: sshd calls setcred again in the session child).
 */
int pas_establish(struct call *c, bool open_session, int failure_code)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    const char *written = pas_handle_string(c, DATA_WRITTEN);
    if (written == NULL) {
        const void *d = NULL;
        bool any = pam_get_data(c->pamh, DATA_STATE, &d) == PAM_SUCCESS ||
                   pam_getenv(c->pamh, PAS_HANDOFF_ENV) != NULL ||
                   pam_get_data(c->pamh, "pam_aws_sts_handoff", &d) == PAM_SUCCESS;
        if (!any)
            return PAM_IGNORE;
    }
    /* The configuration is read again, but not checked as a login's: what
     * the login used is in its state. The session must still obey the file
     * as it is now for where the hand-off is (staging_dir), where to write
     * (runtime_dir), how long to wait for the registry's lock (timeout) and
     * what a failure does (on_error). */
    if (pas_call_session_settings(c, &ei) != AWSSTS_OK) {
        pas_err(c, "session: %s", ei.detail);
        return pas_phase_result(c, failure_code);
    }
    if (written == NULL) {
        bool done = false;
        int rc = write_pending(c, open_session, failure_code, &done);
        if (done)
            return rc;
        written = pas_handle_string(c, DATA_WRITTEN);
    }
    const struct awssts_state *st = handle_state(c);
    if (st == NULL)
        awssts_error_set(&ei, AWSSTS_E_INTERNAL, "the login's state is gone from the handle");
    if (st == NULL || pas_login_files_export(c->pamh, st, written, &ei) != AWSSTS_OK)
        return pas_phase_failed(c, "session", &ei, failure_code);
    return PAM_SUCCESS;
}

/* A handle that wrote the files, closed its session (not the user's last)
 * and opens one again: registered again beside the files it wrote. */
static int register_again(struct call *c)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_registry reg;
    awssts_err rc =
        awssts_registry_lock(c->pw.pw_uid, true, AWSSTS_REGISTRY_WAIT_MS(&c->s), &reg, &ei);
    if (rc == AWSSTS_OK) {
        rc = register_session(c, &reg, pas_handle_string(c, DATA_WRITTEN), &ei);
        awssts_registry_unlock(&reg);
    }
    return rc == AWSSTS_OK ? PAM_SUCCESS
                           : pas_phase_failed(c, "open_session", &ei, PAM_SESSION_ERR);
}

int pas_open_session(struct call *c)
{
    long long t0 = awssts_now_us();
    int rc = pas_establish(c, true, PAM_SESSION_ERR);
    if (rc == PAM_SUCCESS && pas_handle_string(c, DATA_SESSION) == NULL)
        rc = register_again(c);
    if (rc == PAM_SUCCESS)
        pas_debug(c, "timing_us open_session=%lld", awssts_now_us() - t0);
    return rc;
}

/* Under the registry's lock: this session out; the last removes the files. */
static awssts_err unregister(struct call *c, const char *sid, bool *last,
                             struct awssts_error_info *ei)
{
    struct awssts_registry reg;
    awssts_err rc =
        awssts_registry_lock(c->pw.pw_uid, false, AWSSTS_REGISTRY_WAIT_MS(&c->s), &reg, ei);
    if (rc != AWSSTS_OK)
        return rc;
    rc = awssts_registry_remove(&reg, sid, last, ei);
    const char *written = pas_handle_string(c, DATA_WRITTEN);
    char recorded[4096];
    if (rc == AWSSTS_OK && *last) {
        if (awssts_registry_directory(&reg, recorded, sizeof(recorded), NULL) == AWSSTS_OK)
            written = recorded;
        if (written != NULL)
            pas_login_files_release(c->pamh, &c->s, &c->pw, written);
        awssts_registry_forget(&reg);
        /* A session opened again on this handle has no credentials. */
        pam_set_data(c->pamh, DATA_WRITTEN, NULL, NULL);
        pam_set_data(c->pamh, DATA_STATE, NULL, NULL);
    }
    awssts_registry_unlock(&reg);
    return rc;
}

int pas_close_session(struct call *c, const char *sid)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    bool last = false;
    long long t0 = awssts_now_us();
    /* runtime_dir and timeout, as in pas_establish. */
    awssts_err arc = pas_call_session_settings(c, &ei);
    if (arc == AWSSTS_OK)
        arc = unregister(c, sid, &last, &ei);
    int rc = PAM_SUCCESS;
    if (arc == AWSSTS_OK || arc == AWSSTS_E_NOT_FOUND) {
        pam_syslog(c->pamh, LOG_INFO, "user=%s: session closed, %s", c->user,
                   last               ? "0 open, credentials removed"
                   : arc == AWSSTS_OK ? "others still open"
                                      : "no session registry");
        pas_debug(c, "timing_us close_session=%lld", awssts_now_us() - t0);
    } else {
        char line[560];
        pas_err(c, "close_session: %s", awssts_error_format(&ei, line, sizeof(line)));
        rc = PAM_SESSION_ERR;
    }
    pam_set_data(c->pamh, DATA_SESSION, NULL, NULL);
    return rc;
}
