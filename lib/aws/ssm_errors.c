/* SSM's awsJson1.1 error documents, and what their codes mean for a login.
 * The codes are those of the GetParameter API reference and the errors
 * common to every AWS JSON API. */
#include "aws/ssm.h"
#include "json/json.h"
#include "aws/sts_errors.h"
#include "util/text.h"

#include <string.h>

bool awssts_ssm_read_error(const char *body, size_t len, const char *operation,
                           struct aws_error_doc *out)
{
    (void)operation;
    if (body == NULL || len == 0)
        return false;
    struct awssts_json *d = NULL;
    if (awssts_json_parse(body, len, &d, NULL) != AWSSTS_OK)
        return false;
    const char *type = NULL, *msg = NULL;
    bool found = awssts_json_get_string(d, "__type", &type, NULL) == AWSSTS_OK;
    if (found) {
        /* "com.amazonaws.ssm#ParameterNotFound" and, as in the
         * x-amzn-ErrorType header, "Code:http://..." are both just Code. */
        const char *hash = strrchr(type, '#');
        const char *code = hash != NULL ? hash + 1 : type;
        size_t n = strcspn(code, ":");
        awssts_text_copy_clean(out->code, sizeof(out->code), code, n);
        if (awssts_json_get_string(d, "message", &msg, NULL) == AWSSTS_OK ||
            awssts_json_get_string(d, "Message", &msg, NULL) == AWSSTS_OK)
            awssts_text_copy_clean(out->message, sizeof(out->message), msg, strlen(msg));
        found = out->code[0] != '\0';
    }
    awssts_json_free(d);
    return found;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool awssts_ssm_error_is_kms(const char *code, const char *message)
{
    if (code == NULL)
        return false;
    /* KMS's own codes as services pass them on (KMSAccessDeniedException,
     * KMS.DisabledException, ...), and SSM's for a key it cannot use. */
    if (starts_with(code, "KMS") || strcmp(code, "InvalidKeyId") == 0)
        return true;
    /* SSM passes KMS's AccessDeniedException on as its own, with KMS in
     * the message: "... not authorized to perform: kms:Decrypt ..." or
     * "(Service: AWSKMS; Status Code: 400; ...)". */
    return strcmp(code, "AccessDeniedException") == 0 && message != NULL &&
           (strstr(message, "kms:") != NULL || strstr(message, "KMS") != NULL);
}

awssts_err awssts_ssm_map_error(const char *code, const char *message, long http_status)
{
    if (code == NULL) {
        /* No document: moto answers a refused signature or policy with
         * STS's XML, which is no awsJson error; the status says enough. */
        if (http_status == 401 || http_status == 403)
            return AWSSTS_E_ACCESS_DENIED;
        return awssts_sts_error_map(NULL, NULL, http_status);
    }
    if (strcmp(code, "ParameterNotFound") == 0 || strcmp(code, "ParameterVersionNotFound") == 0)
        return AWSSTS_E_NO_KEYS;
    if (awssts_ssm_error_is_kms(code, message))
        return AWSSTS_E_ACCESS_DENIED;
    if (strcmp(code, "InternalServerError") == 0)
        return AWSSTS_E_SERVER;
    /* AccessDeniedException, ThrottlingException, UnrecognizedClientException,
     * ExpiredTokenException ... are every AWS API's; anything else is
     * STS_REJECTED, with the code in ei->aws_code. */
    return awssts_sts_error_map(code, message, http_status);
}

const struct aws_protocol awssts_ssm_protocol = {
    .read_error = awssts_ssm_read_error,
    .map_error = awssts_ssm_map_error,
};
