/*
 * Internal: the SSM Parameter Store client, as far as a login needs it:
 * GetParameter with decryption, an awsJson1.1 call (X-Amz-Target
 * AmazonSSM.GetParameter) signed for "ssm" over aws/aws_request, on the
 * regional endpoint by STS's rules (service_endpoint.h); SSM's rules for a
 * parameter's name; its error documents. What the login makes of a
 * parameter (keys = ssm:NAME) is login/ssm_keys.h. Every buffer that held
 * a value is zeroed before it is freed; no detail holds one.
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

#define AWSSTS_SSM_TARGET       "AmazonSSM.GetParameter"
#define AWSSTS_SSM_CONTENT_TYPE "application/x-amz-json-1.1"
/* SSM's limit on a parameter name, and on its levels. */
#define AWSSTS_SSM_NAME_MAX   1011
#define AWSSTS_SSM_LEVELS_MAX 15

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
    char *value; /* decrypted; for awssts_secret_free */
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
