/* The hand-off: the login's state in the state file's format (lib/files/
 * state.h, one writer and one reader), with a [handoff] header the state
 * reader skips: whom it is for and when it was staged. */
#include "handoff.h"
#include "awssts/credfile.h"
#include "awssts/safefile.h"
#include "awssts/secret.h"
#include "util/error_set.h"
#include "util/id.h"
#include "files/paths.h"
#include "files/state.h"
#include "login/settings_login.h"
#include "login/staging.h"
#include "util/text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <security/pam_ext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define HANDOFF_DATA "pam_aws_sts_handoff"
#define HEADER       "handoff" /* the header's section */

/* What auth keeps with pam_set_data: the text, and the name of the file
 * it also wrote, so that the file removed is the login's own. */
struct handoff_data {
    char token[AWSSTS_ID_LEN + 1];
    char *text;
};

static void free_data(pam_handle_t *pamh, void *data, int status)
{
    (void)pamh;
    (void)status;
    struct handoff_data *d = data;
    awssts_secret_free(d->text);
    free(d);
}

/* The login's full renewal state (lib/files/state.h), borrowed from s, pw
 * and l: the settings the login used, its role, device and credentials, and
 * its region (the instance's when none is configured, keys = ssm:). */
static void login_state(const struct awssts_settings *s, const struct passwd *pw,
                        const struct awssts_login_result *l, char *region, size_t region_len,
                        struct awssts_state *st)
{
    awssts_settings_state(s, st);
    st->user = pw->pw_name;
    st->role_arn = l->role_arn;
    st->mfa_serial = l->mfa_serial;
    st->mfa_session = l->session;
    st->has_mfa_session = l->has_session;
    st->role = l->role;
    st->has_role = l->has_role;
    if (st->region == NULL && l->region[0] != '\0') {
        snprintf(region, region_len, "%s", l->region);
        st->region = region;
    }
}

/* The state as its writer writes it, with the [handoff] header added. */
static awssts_err serialize(const struct awssts_settings *s, const struct passwd *pw,
                            const struct awssts_login_result *l, char **text, size_t *len,
                            struct awssts_error_info *ei)
{
    struct awssts_state st;
    char region[sizeof(l->region)];
    login_state(s, pw, l, region, sizeof(region), &st);
    char *state = NULL;
    size_t state_len = 0;
    awssts_err rc = awssts_state_serialize(&st, &state, &state_len, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct awssts_credfile *cf = NULL;
    rc = awssts_credfile_parse(state, state_len, &cf, ei);
    awssts_secret_free(state);
    if (rc != AWSSTS_OK)
        return rc;
    char uid[24], now[24];
    snprintf(uid, sizeof(uid), "%u", (unsigned)pw->pw_uid);
    snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
    rc = awssts_credfile_set(cf, HEADER, "user", pw->pw_name, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_credfile_set(cf, HEADER, "uid", uid, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_credfile_set(cf, HEADER, "created", now, ei);
    if (rc == AWSSTS_OK && awssts_credfile_serialize(cf, text, len) != AWSSTS_OK)
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    awssts_credfile_free(cf);
    return rc;
}

/* *ours: the header names this very user and uid, so the hand-off is this
 * login's to use up (or to remove when it is stale or broken). */
static awssts_err check_header(const struct awssts_credfile *cf, const struct passwd *pw,
                               bool *ours, struct awssts_error_info *ei)
{
    const char *user = awssts_credfile_get(cf, HEADER, "user");
    const char *uid = awssts_credfile_get(cf, HEADER, "uid");
    const char *created = awssts_credfile_get(cf, HEADER, "created");
    long uidv = -1, when = 0;
    if (user == NULL || uid == NULL || created == NULL ||
        !awssts_text_parse_long(uid, 0, 0x7fffffffL, &uidv) ||
        !awssts_text_parse_long(created, 0, 0x7fffffffffffL, &when))
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "hand-off: header incomplete");
    if (strcmp(user, pw->pw_name) != 0 || (uid_t)uidv != pw->pw_uid)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                "hand-off belongs to %.32s, not to %.32s; left alone", user,
                                pw->pw_name);
    *ours = true;
    if (time(NULL) - when > PAS_HANDOFF_MAX_AGE || when > time(NULL) + 60)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "hand-off is stale");
    return AWSSTS_OK;
}

/* The header checked, then the state read by the state reader, which
 * checks every value as the helper does. */
static awssts_err parse(const char *text, const struct passwd *pw, struct awssts_state *out,
                        bool *ours, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    *ours = false;
    struct awssts_credfile *cf = NULL;
    awssts_err rc = awssts_credfile_parse(text, strlen(text), &cf, ei);
    if (rc != AWSSTS_OK)
        return rc;
    rc = check_header(cf, pw, ours, ei);
    awssts_credfile_free(cf);
    if (rc == AWSSTS_OK && (rc = awssts_state_parse(text, strlen(text), out, ei)) != AWSSTS_OK)
        awssts_error_prefix(ei, "hand-off");
    if (rc == AWSSTS_OK && (out->user == NULL || strcmp(out->user, pw->pw_name) != 0))
        rc = awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "hand-off: the state is not %.32s's",
                              pw->pw_name);
    /* A session never goes on without a region (keys = ssm: takes the instance's). */
    if (rc == AWSSTS_OK && out->region == NULL)
        rc = awssts_error_set(ei, AWSSTS_E_CONFIG, "hand-off: no region");
    if (rc != AWSSTS_OK)
        awssts_state_free(out);
    return rc;
}

/* Hand-offs whose login never reached a session. */
static void prune_stale(int dirfd)
{
    int dup = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
    DIR *d = dup >= 0 ? fdopendir(dup) : NULL;
    if (d == NULL) {
        if (dup >= 0)
            close(dup);
        return;
    }
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (e->d_name[0] == '.' || fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        if (now - st.st_mtime > PAS_HANDOFF_MAX_AGE)
            unlinkat(dirfd, e->d_name, 0);
    }
    closedir(d);
}

awssts_err pas_handoff_stage(pam_handle_t *pamh, const struct awssts_settings *s,
                             const struct passwd *pw, const struct awssts_login_result *l,
                             struct awssts_error_info *ei)
{
    char *text = NULL;
    size_t len = 0;
    awssts_err rc = serialize(s, pw, l, &text, &len, ei);
    if (rc != AWSSTS_OK)
        return rc;

    char token[AWSSTS_ID_LEN + 1];
    if (!awssts_id_new(token)) {
        awssts_secret_free(text);
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "no random bytes");
    }

    int dfd = -1;
    rc = awssts_staging_open(s, &dfd, ei);
    if (rc == AWSSTS_OK) {
        prune_stale(dfd);
        rc = awssts_file_write_atomic(dfd, token, text, len, 0600, ei);
        close(dfd);
    }
    if (rc == AWSSTS_OK) {
        char env[sizeof(PAS_HANDOFF_ENV) + AWSSTS_ID_LEN + 1];
        snprintf(env, sizeof(env), PAS_HANDOFF_ENV "=%s", token);
        if (pam_putenv(pamh, env) != PAM_SUCCESS)
            rc = awssts_error_set(ei, AWSSTS_E_INTERNAL, "pam_putenv failed");
    }
    struct handoff_data *d = rc == AWSSTS_OK ? calloc(1, sizeof(*d)) : NULL;
    if (d != NULL) {
        memcpy(d->token, token, sizeof(d->token));
        d->text = text;
        if (pam_set_data(pamh, HANDOFF_DATA, d, free_data) == PAM_SUCCESS)
            return AWSSTS_OK;
        free(d);
    }
    awssts_secret_free(text);
    return rc == AWSSTS_OK ? awssts_error_set(ei, AWSSTS_E_INTERNAL, "pam_set_data failed") : rc;
}

/* The hand-off file named tok, read and parsed. */
static awssts_err read_named(int dfd, const char *tok, const struct passwd *pw,
                             struct awssts_state *out, bool *ours, struct awssts_error_info *ei)
{
    char *text = NULL;
    struct awssts_file_policy pol = {.owner = 0, .forbidden = 0077};
    awssts_err rc = awssts_file_read(dfd, tok, &pol, &text, NULL, ei);
    if (rc == AWSSTS_OK)
        rc = parse(text, pw, out, ours, ei);
    else if (rc == AWSSTS_E_NOT_FOUND)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_IO,
                              "hand-off %s not found (already used or expired)", tok);
    awssts_secret_free(text);
    return rc;
}

awssts_err pas_handoff_take(pam_handle_t *pamh, const struct awssts_settings *s,
                            const struct passwd *pw, struct awssts_state *out,
                            struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    const void *data = NULL;
    const char *token = pam_getenv(pamh, PAS_HANDOFF_ENV);
    char tok[AWSSTS_ID_LEN + 1] = "";
    if (token != NULL) {
        if (!awssts_id_valid(token)) {
            pam_putenv(pamh, PAS_HANDOFF_ENV);
            return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                    PAS_HANDOFF_ENV " is not a hand-off name; ignored");
        }
        memcpy(tok, token, sizeof(tok));
    }
    bool have_data = pam_get_data(pamh, HANDOFF_DATA, &data) == PAM_SUCCESS && data != NULL;
    if (!have_data && tok[0] == '\0')
        return AWSSTS_E_NOT_FOUND;

    /* Kept in this process: the data is read, and the file removed is the
     * one this login's auth wrote, never the one the environment names. */
    const struct handoff_data *d = have_data ? data : NULL;
    bool ours = false;
    int dfd = -1;
    awssts_err rc = awssts_staging_open(s, &dfd, d != NULL ? NULL : ei);
    if (d != NULL)
        rc = parse(d->text, pw, out, &ours, ei);
    else if (rc == AWSSTS_OK)
        rc = read_named(dfd, tok, pw, out, &ours, ei);
    /* Used once: this login's file goes whatever happened; another user's
     * is left for its own login (or the stale pruning). The variable goes. */
    if (dfd >= 0) {
        if (ours)
            unlinkat(dfd, d != NULL ? d->token : tok, 0);
        close(dfd);
    }
    if (tok[0] != '\0')
        pam_putenv(pamh, PAS_HANDOFF_ENV);
    if (have_data)
        pam_set_data(pamh, HANDOFF_DATA, NULL, NULL);
    return rc;
}
