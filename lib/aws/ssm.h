/*
 * Internal: a user's long-term keys from SSM Parameter Store (keys =
 * ssm:NAME), read with the instance role's credentials from the instance
 * metadata service (imds.h).
 *
 * GetParameter is an awsJson1.1 call (X-Amz-Target AmazonSSM.GetParameter)
 * signed for "ssm" over lib/aws_request, on the regional endpoint by STS's
 * rules (service_endpoint.h). The parameter must be a SecureString, so the
 * keys are encrypted at rest with KMS; its value is a JSON object:
 *
 *     {"aws_access_key_id": "AKIA...", "aws_secret_access_key": "...",
 *      "aws_mfa_device": "arn:aws:iam::123456789012:mfa/alice",
 *      "assume_role": "arn:aws:iam::123456789012:role/admin"}
 *
 * (mfa_serial and role_arn are accepted for the last two, as in a keys
 * file; any other member is refused by name). Every buffer that held the
 * value or a credential is zeroed before it is freed; no detail holds one.
 */
#ifndef AWSSTS_SSM_H
#define AWSSTS_SSM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "aws/aws_request.h"
#include "awssts/endpoint.h"
#include "awssts/error.h"
#include "awssts/sts.h"
#include "aws/transport.h"
#include "login/user_keys.h"

#define AWSSTS_SSM_TARGET "AmazonSSM.GetParameter"
#define AWSSTS_SSM_CONTENT_TYPE "application/x-amz-json-1.1"
/* SSM's limit on a parameter name, and on its levels. */
#define AWSSTS_SSM_NAME_MAX 1011
#define AWSSTS_SSM_LEVELS_MAX 15

/* ---- the whole step, for keys = ssm:NAME ---- */

struct ssm_keys_request {
    const char *name_template; /* NAME of keys = ssm:NAME, with %u and %U */
    const char *user;          /* for %u */
    uid_t uid;                 /* for %U */
    const char *imds_endpoint; /* NULL: http://169.254.169.254 */
    const char *region;        /* SSM's region; NULL: the instance's, from IMDS */
    const char *ssm_endpoint;  /* https://host[:port] override (VPC endpoint); NULL: regional */
    bool fips;
    bool dualstack;
    const char *account;       /* ssm_account: the parameter's ARN must be in it; NULL: any */
};

/*
 * The user's keys: the parameter's name from the template, the instance
 * role's credentials (and, without r->region, the instance's region) from
 * IMDSv2, GetParameter with decryption signed with them, the value read
 * into k (k->source "ssm:NAME"). All of it on t, within its one deadline.
 *
 * AWSSTS_E_NO_KEYS: no such parameter (ParameterNotFound): the user has no
 * keys. AWSSTS_E_CONFIG: the template is not a valid name; the parameter
 * is not a SecureString; its value is not an object of the members above,
 * or its keys fail the checks of a keys file. AWSSTS_E_INVALID_ARGUMENT:
 * the user name cannot be part of a parameter name, or a bad region or
 * endpoint. AWSSTS_E_ACCESS_DENIED: SSM or KMS refused (the detail names
 * KMS when it was the decryption). The IMDS errors of imds.h, and the
 * transport's (timeout, network, TLS, throttled after the retries, server,
 * bad response) for SSM. ei is required.
 */
awssts_err awssts_ssm_user_keys(struct transport *t, const struct ssm_keys_request *r,
                                struct awssts_user_keys *k, struct awssts_error_info *ei);

/* NAME of "ssm:NAME", or NULL when keys is not an SSM source. */
const char *awssts_ssm_keys_template(const char *keys);

/* ---- the parts ---- */

/*
 * Expand %u (user) and %U (uid) in tmpl into out. The template must use one
 * of them (one parameter for every user would give them all the same keys)
 * and no other %; the result must be a name SSM accepts (see
 * awssts_ssm_name_valid). AWSSTS_E_CONFIG for a template that can never
 * be one, AWSSTS_E_INVALID_ARGUMENT for a user name that is not 1-64 of
 * [A-Za-z0-9_.-] starting with neither '.' nor '-', or too long a result.
 */
awssts_err awssts_ssm_name_expand(const char *tmpl, const char *user, uid_t uid, char *out,
                                  size_t len, struct awssts_error_info *ei);

/* SSM's rules for a name: 1-1011 of [A-Za-z0-9_.-/]; with a '/', a path
 * that starts with one, at most 15 levels, no empty level and none that is
 * "." or ".."; not beginning with "aws" or "ssm" (any case), which AWS
 * reserves. */
bool awssts_ssm_name_valid(const char *name);

/* GetParameter's body for name, with decryption; *body for awssts_secret_free. */
awssts_err awssts_ssm_request_body(const char *name, char **body, size_t *len,
                                   struct awssts_error_info *ei);

/* A parameter as GetParameter returned it. */
struct ssm_parameter {
    char *value;      /* decrypted; for awssts_secret_free */
    size_t value_len;
    char account[13]; /* of Parameter.ARN, "" when it has none */
};
void awssts_ssm_parameter_free(struct ssm_parameter *p);

/*
 * GetParameter's response for name: Parameter.Name must be name and
 * Parameter.Type "SecureString" (AWSSTS_E_CONFIG otherwise: keys must be
 * encrypted at rest); Parameter.Value is copied. AWSSTS_E_BAD_RESPONSE
 * for anything malformed.
 */
awssts_err awssts_ssm_read_response(const char *body, size_t len, const char *name,
                                    struct ssm_parameter *out, struct awssts_error_info *ei);

/* GetParameter on t, signed with keys. The errors of awssts_ssm_user_keys
 * that come from SSM. */
awssts_err awssts_ssm_get_parameter(struct transport *t, const struct awssts_endpoint *ep,
                                    const struct awssts_keys *keys, const char *name,
                                    struct ssm_parameter *out, struct awssts_error_info *ei);

/* The value (a JSON object) into k; label names it in details ("ssm:NAME")
 * and becomes k->source. AWSSTS_E_CONFIG for anything wrong, naming the
 * member, never a value. */
awssts_err awssts_ssm_keys_from_value(const char *value, size_t len, const char *label,
                                      struct awssts_user_keys *k, struct awssts_error_info *ei);

/* ---- awsJson1.1 errors ---- */

/* {"__type": "[namespace#]Code[:...]", "message" or "Message": "..."}. */
bool awssts_ssm_read_error(const char *body, size_t len, const char *operation,
                           struct aws_error_doc *out);

/* ParameterNotFound: AWSSTS_E_NO_KEYS; AccessDeniedException and KMS's
 * refusals: AWSSTS_E_ACCESS_DENIED; ThrottlingException: AWSSTS_E_THROTTLED
 * (retried); InternalServerError: AWSSTS_E_SERVER; AWS's common errors as
 * for STS; any other code AWSSTS_E_STS_REJECTED. */
awssts_err awssts_ssm_map_error(const char *code, const char *message, long http_status);

/* Whether an error is KMS refusing the decryption. */
bool awssts_ssm_error_is_kms(const char *code, const char *message);

extern const struct aws_protocol awssts_ssm_protocol;

#endif
