/* The three STS actions: input checks before any network call, and checks
 * on every returned field before it is handed to anyone. */
#include "awssts/secret.h"
#include "awssts/sts.h"
#include "awssts/timeutil.h"
#include "awssts/validate.h"
#include "util/error_set.h"
#include "util/sized.h"
#include "aws/sts_call.h"
#include "aws/sts_ops.h"
#include "rules/tag_rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static awssts_err check_mfa_pair(const char *serial, const char *code, struct awssts_error_info *ei)
{
    if ((serial == NULL) != (code == NULL))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "MFA serial number and code go together");
    if (serial != NULL && !awssts_valid_mfa_serial(serial))
        return awssts_error_set(
            ei, AWSSTS_E_INVALID_ARGUMENT,
            "MFA serial must be arn:aws:iam::ACCOUNT:mfa/NAME or a device serial");
    if (code != NULL && !awssts_valid_mfa_code(code))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "MFA code must be six digits");
    return AWSSTS_OK;
}

/*
 * What the credential calls share: a duration in [min, max] (0 leaves STS's
 * default) and the MFA pair; then DurationSeconds, SerialNumber and
 * TokenCode join the call.
 */
static awssts_err add_duration_and_mfa(struct sts_call *call, int duration, int min, int max,
                                       const char *what, const char *serial, const char *code,
                                       struct awssts_error_info *ei)
{
    if (duration != 0 && (duration < min || duration > max))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "%s must be %d..%d seconds", what,
                                min, max);
    awssts_err rc = check_mfa_pair(serial, code, ei);
    if (rc != AWSSTS_OK)
        return rc;
    if (duration != 0) {
        snprintf(call->duration, sizeof(call->duration), "%d", duration);
        rc = awssts_sts_call_add(call, "DurationSeconds", call->duration, ei);
    }
    if (rc == AWSSTS_OK)
        rc = awssts_sts_call_add(call, "SerialNumber", serial, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_sts_call_add(call, "TokenCode", code, ei);
    call->carries_mfa = code != NULL;
    return rc;
}

/* Identifiers STS returns (ARNs, ids): printable, no separators of our formats. */
static bool valid_identifier(const char *s, size_t max)
{
    if (s == NULL || *s == '\0' || strlen(s) > max)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!(isalnum(c) || strchr("_+=,.@:/-", c) != NULL))
            return false;
    }
    return true;
}

static awssts_err take_credentials(struct sts_response *r, struct awssts_credentials *out,
                                   bool want_role, struct awssts_error_info *ei)
{
    char **f = r->field;
    if (f[STS_F_ACCESS_KEY_ID] == NULL || f[STS_F_SECRET_ACCESS_KEY] == NULL ||
        f[STS_F_SESSION_TOKEN] == NULL || f[STS_F_EXPIRATION] == NULL)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "credentials incomplete in response");
    if (!awssts_valid_access_key_id(f[STS_F_ACCESS_KEY_ID]))
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "AccessKeyId has unexpected characters");
    if (!awssts_valid_secret_key(f[STS_F_SECRET_ACCESS_KEY]))
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                                "SecretAccessKey is not base64 text of a sane length");
    if (!awssts_valid_session_token(f[STS_F_SESSION_TOKEN]))
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                                "SessionToken is not base64 text of a sane length");
    time_t exp;
    if (awssts_time_parse(f[STS_F_EXPIRATION], &exp) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "Expiration is not an ISO 8601 time");
    if (exp <= time(NULL))
        return awssts_error_set(ei, AWSSTS_E_CLOCK_SKEW,
                                "credentials expire at %s, already past by this host's clock",
                                f[STS_F_EXPIRATION]);
    if (want_role &&
        (!valid_identifier(f[STS_F_ROLE_ARN], 2048) || !valid_identifier(f[STS_F_ROLE_ID], 256)))
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                                "AssumedRoleUser missing or with unexpected characters");
    if (f[STS_F_SOURCE_IDENTITY] != NULL && *f[STS_F_SOURCE_IDENTITY] != '\0' &&
        !awssts_valid_source_identity(f[STS_F_SOURCE_IDENTITY]))
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                                "SourceIdentity has unexpected characters");

    /* Move the strings; the response no longer owns them. */
    out->access_key_id = f[STS_F_ACCESS_KEY_ID];
    out->secret_access_key = f[STS_F_SECRET_ACCESS_KEY];
    out->session_token = f[STS_F_SESSION_TOKEN];
    out->expiration = exp;
    f[STS_F_ACCESS_KEY_ID] = f[STS_F_SECRET_ACCESS_KEY] = f[STS_F_SESSION_TOKEN] = NULL;
    if (want_role) {
        out->assumed_role_arn = f[STS_F_ROLE_ARN];
        out->assumed_role_id = f[STS_F_ROLE_ID];
        f[STS_F_ROLE_ARN] = f[STS_F_ROLE_ID] = NULL;
        if (f[STS_F_SOURCE_IDENTITY] != NULL && *f[STS_F_SOURCE_IDENTITY] != '\0') {
            out->source_identity = f[STS_F_SOURCE_IDENTITY];
            f[STS_F_SOURCE_IDENTITY] = NULL;
        }
    }
    snprintf(out->request_id, sizeof(out->request_id), "%s", ei->request_id);
    return AWSSTS_OK;
}

static awssts_err run_credentials_call(struct awssts_client *c, const struct awssts_keys *keys,
                                       const struct sts_call *call, bool want_role,
                                       struct awssts_credentials *out, struct awssts_error_info *ei)
{
    struct sts_response r;
    awssts_err rc = awssts_sts_call(c, keys, call, &r, ei);
    if (rc == AWSSTS_OK)
        rc = take_credentials(&r, out, want_role, ei);
    awssts_sts_response_free(&r);
    if (rc != AWSSTS_OK)
        awssts_credentials_clear(out);
    return rc;
}

AWSSTS_API awssts_err awssts_get_session_token(struct awssts_client *c,
                                               const struct awssts_keys *keys,
                                               const struct awssts_session_token_request *given,
                                               struct awssts_credentials *out,
                                               struct awssts_error_info *ei)
{
    struct awssts_error_info local;
    if (ei == NULL)
        ei = &local;
    awssts_error_info_reset(ei);
    if (c == NULL || given == NULL || out == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "GetSessionToken: missing argument");
    memset(out, 0, sizeof(*out));
    struct awssts_session_token_request copy;
    const struct awssts_session_token_request *req = &copy;
    /* One version so far: 0.1.0's. */
    static const size_t sizes[] = {sizeof(struct awssts_session_token_request)};
    awssts_err src =
        awssts_sized_copy(&copy, sizeof(copy), given, sizes, 1, "GetSessionToken request", ei);
    if (src != AWSSTS_OK)
        return src;
    struct sts_call call;
    awssts_sts_call_init(&call, "GetSessionToken");
    awssts_err rc = add_duration_and_mfa(&call, req->duration_seconds, AWSSTS_SESSION_DURATION_MIN,
                                         AWSSTS_SESSION_DURATION_MAX, "session duration",
                                         req->serial_number, req->token_code, ei);
    if (rc == AWSSTS_OK)
        rc = run_credentials_call(c, keys, &call, false, out, ei);
    awssts_sts_call_free(&call);
    return rc;
}

/*
 * The request as libawssts 0.1.0 had it, to pin its size: a caller built
 * then passes this struct_size, and gets no tags.
 */
struct assume_role_request_v1 {
    size_t struct_size;
    const char *role_arn;
    const char *role_session_name;
    int duration_seconds;
    const char *serial_number;
    const char *token_code;
    const char *external_id;
    const char *source_identity;
};
_Static_assert(sizeof(struct assume_role_request_v1) ==
                   AWSSTS_SIZE_THROUGH(struct awssts_assume_role_request, source_identity),
               "AssumeRole request: the first version must be a prefix of this one");

static const size_t assume_role_sizes[] = {
    sizeof(struct assume_role_request_v1),     /* 0.1.0 */
    sizeof(struct awssts_assume_role_request), /* with session tags */
};

static awssts_err add_tags(struct assume_role_call *ar,
                           const struct awssts_assume_role_request *req,
                           struct awssts_error_info *ei)
{
    awssts_err rc = AWSSTS_OK;
    size_t slot = 0;
    for (size_t i = 0; i < req->n_tags && rc == AWSSTS_OK; i++) {
        char *key = ar->names[slot++], *value = ar->names[slot++];
        snprintf(key, sizeof(ar->names[0]), "Tags.member.%zu.Key", i + 1);
        snprintf(value, sizeof(ar->names[0]), "Tags.member.%zu.Value", i + 1);
        rc = awssts_sts_call_add(&ar->call, key, req->tags[i].key, ei);
        if (rc == AWSSTS_OK)
            rc = awssts_sts_call_add(&ar->call, value, req->tags[i].value, ei);
    }
    for (size_t i = 0; i < req->n_transitive_tag_keys && rc == AWSSTS_OK; i++) {
        char *name = ar->names[slot++];
        snprintf(name, sizeof(ar->names[0]), "TransitiveTagKeys.member.%zu", i + 1);
        rc = awssts_sts_call_add(&ar->call, name, req->transitive_tag_keys[i], ei);
    }
    return rc;
}

awssts_err awssts_assume_role_prepare(const struct awssts_assume_role_request *given,
                                      struct assume_role_call *out, struct awssts_error_info *ei)
{
    awssts_sts_call_init(&out->call, "AssumeRole");
    struct awssts_assume_role_request copy;
    const struct awssts_assume_role_request *req = &copy;
    awssts_err rc = awssts_sized_copy(&copy, sizeof(copy), given, assume_role_sizes,
                                      sizeof(assume_role_sizes) / sizeof(assume_role_sizes[0]),
                                      "AssumeRole request", ei);
    if (rc != AWSSTS_OK)
        return rc;
    if (!awssts_valid_role_arn(req->role_arn))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "role ARN must be arn:aws:iam::ACCOUNT:role/NAME");
    if (!awssts_valid_session_name(req->role_session_name))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "role session name must be 2-64 of letters, digits and +=,.@_-");
    if (req->external_id != NULL && !awssts_valid_external_id(req->external_id))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "external id must be 2-1224 of letters, digits and +=,.@:/_-");
    if (req->source_identity != NULL && !awssts_valid_source_identity(req->source_identity))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "source identity must be 2-64 of letters, digits and +=,.@_-");
    rc = awssts_session_tags_check(req->tags, req->n_tags, req->transitive_tag_keys,
                                   req->n_transitive_tag_keys, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_sts_call_add(&out->call, "RoleArn", req->role_arn, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_sts_call_add(&out->call, "RoleSessionName", req->role_session_name, ei);
    if (rc == AWSSTS_OK)
        rc = add_duration_and_mfa(&out->call, req->duration_seconds, AWSSTS_ROLE_DURATION_MIN,
                                  AWSSTS_ROLE_DURATION_MAX, "role duration", req->serial_number,
                                  req->token_code, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_sts_call_add(&out->call, "ExternalId", req->external_id, ei);
    /* Exactly when set: STS keeps a session's source identity through
     * chaining, and refuses to change it; not sending one keeps it. */
    if (rc == AWSSTS_OK)
        rc = awssts_sts_call_add(&out->call, "SourceIdentity", req->source_identity, ei);
    if (rc == AWSSTS_OK)
        rc = add_tags(out, req, ei);
    return rc;
}

AWSSTS_API awssts_err awssts_assume_role(struct awssts_client *c, const struct awssts_keys *keys,
                                         const struct awssts_assume_role_request *given,
                                         struct awssts_credentials *out,
                                         struct awssts_error_info *ei)
{
    struct awssts_error_info local;
    if (ei == NULL)
        ei = &local;
    awssts_error_info_reset(ei);
    if (c == NULL || given == NULL || out == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "AssumeRole: missing argument");
    memset(out, 0, sizeof(*out));
    struct assume_role_call ar;
    awssts_err rc = awssts_assume_role_prepare(given, &ar, ei);
    if (rc == AWSSTS_OK)
        rc = run_credentials_call(c, keys, &ar.call, true, out, ei);
    awssts_sts_call_free(&ar.call);
    return rc;
}

AWSSTS_API awssts_err awssts_get_caller_identity(struct awssts_client *c,
                                                 const struct awssts_keys *keys,
                                                 struct awssts_caller_identity *out,
                                                 struct awssts_error_info *ei)
{
    struct awssts_error_info local;
    if (ei == NULL)
        ei = &local;
    awssts_error_info_reset(ei);
    if (c == NULL || out == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "GetCallerIdentity: missing argument");
    memset(out, 0, sizeof(*out));
    struct sts_call call;
    awssts_sts_call_init(&call, "GetCallerIdentity");
    struct sts_response r;
    awssts_err rc = awssts_sts_call(c, keys, &call, &r, ei);
    awssts_sts_call_free(&call);
    if (rc == AWSSTS_OK) {
        const char *acct = r.field[STS_F_ACCOUNT];
        bool acct_ok = acct != NULL && strlen(acct) == 12 && strspn(acct, "0123456789") == 12;
        if (!acct_ok || !valid_identifier(r.field[STS_F_ARN], 2048) ||
            !valid_identifier(r.field[STS_F_USER_ID], 256)) {
            rc = awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                                  "caller identity missing or with unexpected characters");
        } else {
            out->account = r.field[STS_F_ACCOUNT];
            out->arn = r.field[STS_F_ARN];
            out->user_id = r.field[STS_F_USER_ID];
            r.field[STS_F_ACCOUNT] = r.field[STS_F_ARN] = r.field[STS_F_USER_ID] = NULL;
            snprintf(out->request_id, sizeof(out->request_id), "%s", ei->request_id);
        }
    }
    awssts_sts_response_free(&r);
    return rc;
}

AWSSTS_API void awssts_credentials_clear(struct awssts_credentials *cr)
{
    if (cr == NULL)
        return;
    awssts_secret_free(cr->access_key_id);
    awssts_secret_free(cr->secret_access_key);
    awssts_secret_free(cr->session_token);
    free(cr->assumed_role_arn);
    free(cr->assumed_role_id);
    free(cr->source_identity);
    awssts_memzero(cr, sizeof(*cr));
}

AWSSTS_API void awssts_caller_identity_clear(struct awssts_caller_identity *id)
{
    if (id == NULL)
        return;
    free(id->account);
    free(id->arn);
    free(id->user_id);
    memset(id, 0, sizeof(*id));
}
