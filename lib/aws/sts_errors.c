/* STS error codes, as listed in the STS API reference "Errors" sections and
 * the common errors every AWS Query API returns. */
#include "aws/sts_errors.h"

#include <string.h>

struct code_map {
    const char *code;
    awssts_err err;
};

static const struct code_map code_table[] = {
    {"InvalidClientTokenId", AWSSTS_E_INVALID_KEYS},
    {"SignatureDoesNotMatch", AWSSTS_E_INVALID_KEYS},
    {"IncompleteSignature", AWSSTS_E_INVALID_KEYS},
    {"MissingAuthenticationToken", AWSSTS_E_INVALID_KEYS},
    {"UnrecognizedClientException", AWSSTS_E_INVALID_KEYS},
    {"InvalidAccessKeyId", AWSSTS_E_INVALID_KEYS},
    {"AuthFailure", AWSSTS_E_INVALID_KEYS},
    {"AccessDenied", AWSSTS_E_ACCESS_DENIED},
    {"AccessDeniedException", AWSSTS_E_ACCESS_DENIED},
    {"ExpiredToken", AWSSTS_E_EXPIRED_TOKEN},
    {"ExpiredTokenException", AWSSTS_E_EXPIRED_TOKEN},
    {"RequestExpired", AWSSTS_E_CLOCK_SKEW},
    {"RequestTimeTooSkewed", AWSSTS_E_CLOCK_SKEW},
    {"RegionDisabledException", AWSSTS_E_REGION_DISABLED},
    {"Throttling", AWSSTS_E_THROTTLED},
    {"ThrottlingException", AWSSTS_E_THROTTLED},
    {"RequestLimitExceeded", AWSSTS_E_THROTTLED},
    {"TooManyRequestsException", AWSSTS_E_THROTTLED},
    {"PriorRequestNotComplete", AWSSTS_E_THROTTLED},
    {"InternalFailure", AWSSTS_E_SERVER},
    {"InternalError", AWSSTS_E_SERVER},
    {"ServiceUnavailable", AWSSTS_E_SERVER},
    {"ServiceUnavailableException", AWSSTS_E_SERVER},
    {"IDPCommunicationError", AWSSTS_E_SERVER},
    {"ValidationError", AWSSTS_E_INVALID_ARGUMENT},
    {"InvalidParameterValue", AWSSTS_E_INVALID_ARGUMENT},
    {"InvalidParameterCombination", AWSSTS_E_INVALID_ARGUMENT},
    {"MissingParameter", AWSSTS_E_INVALID_ARGUMENT},
    {"MalformedPolicyDocument", AWSSTS_E_INVALID_ARGUMENT},
    {"PackedPolicyTooLarge", AWSSTS_E_INVALID_ARGUMENT},
    {"InvalidAction", AWSSTS_E_INVALID_ARGUMENT},
    {"MalformedQueryString", AWSSTS_E_INVALID_ARGUMENT},
    {"InvalidQueryParameter", AWSSTS_E_INVALID_ARGUMENT},
};

awssts_err awssts_sts_error_map(const char *code, const char *message, long http_status)
{
    if (message == NULL)
        message = "";
    if (code != NULL) {
        /* A wrong or reused code comes back as AccessDenied with this text. */
        if (strcmp(code, "AccessDenied") == 0 &&
            strstr(message, "MultiFactorAuthentication failed") != NULL)
            return AWSSTS_E_MFA_CODE;
        if (strcmp(code, "SignatureDoesNotMatch") == 0 &&
            strstr(message, "Signature expired") != NULL)
            return AWSSTS_E_CLOCK_SKEW;
        for (size_t i = 0; i < sizeof(code_table) / sizeof(code_table[0]); i++)
            if (strcmp(code, code_table[i].code) == 0)
                return code_table[i].err;
    }
    if (http_status >= 500)
        return AWSSTS_E_SERVER;
    if (http_status == 429)
        return AWSSTS_E_THROTTLED;
    return code != NULL ? AWSSTS_E_STS_REJECTED : AWSSTS_E_BAD_RESPONSE;
}

bool awssts_sts_error_is_throttle(const char *code)
{
    return code != NULL && awssts_sts_error_map(code, NULL, 0) == AWSSTS_E_THROTTLED;
}
