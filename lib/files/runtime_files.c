/* The runtime directory's contract. */
#include "files/runtime_files.h"
#include "awssts/config.h"
#include "awssts/credfile.h"
#include "awssts/safefile.h"
#include "awssts/secret.h"
#include "util/buf.h"
#include "util/error_set.h"
#include "files/paths.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

awssts_err awssts_runtime_dir_check(int dirfd, const char *path, uid_t uid,
                                    struct awssts_error_info *ei)
{
    struct stat st;
    if (fstat(dirfd, &st) != 0)
        return awssts_error_set(ei, AWSSTS_E_FILE_IO, "%s: %s", path, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: not a directory", path);
    if (st.st_uid != uid)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: owned by uid %u, not by uid %u",
                                path, (unsigned)st.st_uid, (unsigned)uid);
    /* Exactly: one the user cannot write fails only after STS took the code. */
    if ((st.st_mode & 0777) != 0700)
        return awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                                "%s: mode %04o, must be 0700 (chmod 0700 it)", path,
                                (unsigned)(st.st_mode & 07777));
    awssts_err rc = awssts_dir_check_memory_fs(dirfd, ei);
    if (rc != AWSSTS_OK)
        awssts_error_prefix(ei, path);
    return rc;
}

awssts_err awssts_session_write(int dirfd, const struct awssts_state *st,
                                struct awssts_error_info *ei)
{
    char *state = NULL, *creds = NULL;
    size_t slen = 0, clen = 0;
    struct awssts_credfile *cf = awssts_credfile_new();
    awssts_err rc = cf != NULL ? AWSSTS_OK : awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    if (rc == AWSSTS_OK)
        rc = awssts_credfile_put_credentials(cf, st->profile, awssts_state_current(st),
                                             st->has_role ? st->role_arn : NULL, ei);
    /* The named roles written with awssts assume, each in its own section. */
    for (size_t i = 0; rc == AWSSTS_OK && i < st->n_named; i++)
        if (st->named[i].profile[0] != '\0')
            rc = awssts_credfile_put_credentials(cf, st->named[i].profile, &st->named[i].creds,
                                                 st->named[i].creds.assumed_role_arn, ei);
    if (rc == AWSSTS_OK && awssts_credfile_serialize(cf, &creds, &clen) != AWSSTS_OK)
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    if (rc == AWSSTS_OK)
        rc = awssts_state_serialize(st, &state, &slen, ei);
    /* The state first: a reader that finds new credentials finds their state. */
    if (rc == AWSSTS_OK)
        rc = awssts_file_write_atomic(dirfd, AWSSTS_SESSION_STATE, state, slen, 0600, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_file_write_atomic(dirfd, AWSSTS_SESSION_CREDENTIALS, creds, clen, 0600, ei);
    awssts_credfile_free(cf);
    awssts_secret_free(state);
    awssts_secret_free(creds);
    return rc;
}

awssts_err awssts_session_read(int dirfd, uid_t uid, struct awssts_state *st,
                               struct awssts_error_info *ei)
{
    char *text = NULL;
    size_t len = 0;
    struct awssts_file_policy pol = {.owner = uid, .forbidden = 0077};
    awssts_err rc = awssts_file_read(dirfd, AWSSTS_SESSION_STATE, &pol, &text, &len, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_state_parse(text, len, st, ei);
    awssts_secret_free(text);
    return rc;
}

awssts_err awssts_session_environment(const char *dir, const struct awssts_state *st,
                                      awssts_session_env_fn emit, void *ctx)
{
    struct awssts_buf file;
    awssts_buf_init(&file, 0);
    awssts_buf_printf(&file, "%s/" AWSSTS_SESSION_CREDENTIALS, dir);
    awssts_err rc =
        file.failed ? AWSSTS_E_NOMEM : emit(ctx, "AWS_SHARED_CREDENTIALS_FILE", file.data);
    awssts_buf_free(&file);
    if (rc == AWSSTS_OK && strcmp(st->profile, "default") != 0)
        rc = emit(ctx, "AWS_PROFILE", st->profile);
    if (rc == AWSSTS_OK && st->export_region) {
        rc = emit(ctx, "AWS_REGION", st->region);
        if (rc == AWSSTS_OK)
            rc = emit(ctx, "AWS_DEFAULT_REGION", st->region);
    }
    /* A VPC endpoint without private DNS: the session's own calls to STS go
     * where the login's went, for clients that read this. */
    if (rc == AWSSTS_OK && st->endpoint != NULL && st->export_endpoint)
        rc = emit(ctx, "AWS_ENDPOINT_URL_STS", st->endpoint);
    if (rc == AWSSTS_OK)
        rc = emit(ctx, "AWS_STS_REGIONAL_ENDPOINTS", "regional");
    return rc;
}

size_t awssts_runtime_dir_candidates(uid_t uid, const char *creds_env, const char *configured,
                                     char out[][4096], size_t max)
{
    size_t n = 0;
    if (n < max && creds_env != NULL && creds_env[0] == '/') {
        snprintf(out[n], 4096, "%s", creds_env);
        char *slash = strrchr(out[n], '/');
        if (slash != out[n]) {
            *slash = '\0';
            n++;
        }
    }
    if (n < max && configured != NULL)
        snprintf(out[n++], 4096, "%s", configured);
    /* Neither template has %u: no user name is needed. */
    if (n < max &&
        awssts_expand_path(AWSSTS_LOGIND_RUNTIME_DIR, uid, NULL, out[n], 4096, NULL) == AWSSTS_OK)
        n++;
    if (n < max &&
        awssts_expand_path(AWSSTS_OWN_RUNTIME_DIR, uid, NULL, out[n], 4096, NULL) == AWSSTS_OK)
        n++;
    return n;
}
