/* The hand-off, as a small credentials-format text. */
#include "handoff.h"
#include "awssts/credfile.h"
#include "awssts/endpoint.h"
#include "awssts/safefile.h"
#include "awssts/secret.h"
#include "util/error_set.h"
#include "util/id.h"
#include "files/paths.h"
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

static awssts_err put_creds(struct awssts_credfile *cf, const char *section,
                            const struct awssts_credentials *c, struct awssts_error_info *ei)
{
    char exp[32];
    snprintf(exp, sizeof(exp), "%lld", (long long)c->expiration);
    awssts_err rc = awssts_credfile_set(cf, section, "aws_access_key_id", c->access_key_id, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_credfile_set(cf, section, "aws_secret_access_key", c->secret_access_key, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_credfile_set(cf, section, "aws_session_token", c->session_token, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_credfile_set(cf, section, "expiration", exp, ei);
    if (rc == AWSSTS_OK && c->assumed_role_arn != NULL)
        rc = awssts_credfile_set(cf, section, "assumed_role_arn", c->assumed_role_arn, ei);
    return rc;
}

static awssts_err serialize(const struct passwd *pw, const struct awssts_login_result *l, char **text,
                            size_t *len, struct awssts_error_info *ei)
{
    struct awssts_credfile *cf = awssts_credfile_new();
    if (cf == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    char uid[24], now[24];
    snprintf(uid, sizeof(uid), "%u", (unsigned)pw->pw_uid);
    snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
    awssts_err rc = awssts_credfile_set(cf, "handoff", "user", pw->pw_name, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_credfile_set(cf, "handoff", "uid", uid, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_credfile_set(cf, "handoff", "created", now, ei);
    if (rc == AWSSTS_OK && l->role_arn != NULL)
        rc = awssts_credfile_set(cf, "handoff", "role_arn", l->role_arn, ei);
    if (rc == AWSSTS_OK && l->mfa_serial != NULL)
        rc = awssts_credfile_set(cf, "handoff", "mfa_serial", l->mfa_serial, ei);
    if (rc == AWSSTS_OK && l->region[0] != '\0')
        rc = awssts_credfile_set(cf, "handoff", "region", l->region, ei);
    if (rc == AWSSTS_OK && l->has_session)
        rc = put_creds(cf, "session", &l->session, ei);
    if (rc == AWSSTS_OK && l->has_role)
        rc = put_creds(cf, "role", &l->role, ei);
    if (rc == AWSSTS_OK && awssts_credfile_serialize(cf, text, len) != AWSSTS_OK)
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    awssts_credfile_free(cf);
    return rc;
}

static awssts_err take_creds(const struct awssts_credfile *cf, const char *section,
                             struct awssts_credentials *c, struct awssts_error_info *ei)
{
    const char *id = awssts_credfile_get(cf, section, "aws_access_key_id");
    const char *sk = awssts_credfile_get(cf, section, "aws_secret_access_key");
    const char *tok = awssts_credfile_get(cf, section, "aws_session_token");
    const char *exp = awssts_credfile_get(cf, section, "expiration");
    const char *arn = awssts_credfile_get(cf, section, "assumed_role_arn");
    long e = 0;
    if (id == NULL || sk == NULL || tok == NULL || exp == NULL ||
        !awssts_text_parse_long(exp, 1, 0x7fffffffL, &e))
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "hand-off: [%s] incomplete", section);
    c->access_key_id = awssts_secret_dup(id);
    c->secret_access_key = awssts_secret_dup(sk);
    c->session_token = awssts_secret_dup(tok);
    c->assumed_role_arn = arn ? strdup(arn) : NULL;
    c->expiration = (time_t)e;
    if (c->access_key_id == NULL || c->secret_access_key == NULL || c->session_token == NULL ||
        (arn != NULL && c->assumed_role_arn == NULL))
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    return AWSSTS_OK;
}

static awssts_err take_all(const struct awssts_credfile *cf, struct awssts_login_result *out,
                           struct awssts_error_info *ei)
{
    const char *role = awssts_credfile_get(cf, "handoff", "role_arn");
    const char *serial = awssts_credfile_get(cf, "handoff", "mfa_serial");
    const char *region = awssts_credfile_get(cf, "handoff", "region");
    awssts_err rc = AWSSTS_OK;
    if (region != NULL) {
        struct awssts_endpoint ep;
        const struct awssts_endpoint_options eo = {.region = region};
        if (strlen(region) >= sizeof(out->region) || awssts_endpoint_resolve(&eo, &ep, NULL) != AWSSTS_OK)
            return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "hand-off: region invalid");
        snprintf(out->region, sizeof(out->region), "%s", region);
    }
    if (awssts_credfile_has_section(cf, "session")) {
        rc = take_creds(cf, "session", &out->session, ei);
        out->has_session = rc == AWSSTS_OK;
    }
    if (rc == AWSSTS_OK && awssts_credfile_has_section(cf, "role")) {
        rc = take_creds(cf, "role", &out->role, ei);
        out->has_role = rc == AWSSTS_OK;
    }
    if (rc == AWSSTS_OK && ((role != NULL && (out->role_arn = strdup(role)) == NULL) ||
                            (serial != NULL && (out->mfa_serial = strdup(serial)) == NULL)))
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    if (rc == AWSSTS_OK && !out->has_session && !out->has_role)
        rc = awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "hand-off holds no credentials");
    return rc;
}

/* *ours: the header names this very user and uid, so the hand-off is this
 * login's to use up (or to remove when it is stale or broken). */
static awssts_err parse(const char *text, const struct passwd *pw, struct awssts_login_result *out,
                        bool *ours, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    *ours = false;
    struct awssts_credfile *cf = NULL;
    awssts_err rc = awssts_credfile_parse(text, strlen(text), &cf, ei);
    if (rc != AWSSTS_OK)
        return rc;
    const char *user = awssts_credfile_get(cf, "handoff", "user");
    const char *uid = awssts_credfile_get(cf, "handoff", "uid");
    const char *created = awssts_credfile_get(cf, "handoff", "created");
    long uidv = -1, when = 0;
    if (user == NULL || uid == NULL || created == NULL ||
        !awssts_text_parse_long(uid, 0, 0x7fffffffL, &uidv) ||
        !awssts_text_parse_long(created, 0, 0x7fffffffffffL, &when)) {
        rc = awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "hand-off: header incomplete");
    } else if (strcmp(user, pw->pw_name) != 0 || (uid_t)uidv != pw->pw_uid) {
        rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                              "hand-off belongs to %.32s, not to %.32s; left alone", user,
                              pw->pw_name);
    } else {
        *ours = true;
        if (time(NULL) - when > PAS_HANDOFF_MAX_AGE || when > time(NULL) + 60)
            rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "hand-off is stale");
        else
            rc = take_all(cf, out, ei);
    }
    awssts_credfile_free(cf);
    if (rc != AWSSTS_OK)
        awssts_login_result_clear(out);
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
    awssts_err rc = serialize(pw, l, &text, &len, ei);
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
                             struct awssts_login_result *out, bool *ours,
                             struct awssts_error_info *ei)
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
                            const struct passwd *pw, struct awssts_login_result *out,
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
