/* Error names, sentences and the one-line formatter. */
#include "awssts/error.h"
#include "util/error_set.h"
#include "util/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    const char *sentence;
} error_table[AWSSTS_E__COUNT] = {
    [AWSSTS_OK] = {"ok", "success"},
    [AWSSTS_E_NOMEM] = {"nomem", "out of memory"},
    [AWSSTS_E_INVALID_ARGUMENT] = {"invalid_argument",
                                   "invalid argument: check the value named in the detail"},
    [AWSSTS_E_MFA_CODE] = {"mfa_code",
                           "STS rejected the MFA code: wait for the next code and try again"},
    [AWSSTS_E_INVALID_KEYS] = {"invalid_keys",
                               "STS does not accept the access keys: check the key id and secret"},
    [AWSSTS_E_ACCESS_DENIED] =
        {"access_denied", "AWS denied the request: check the IAM policy and the role's trust "
                          "policy (for keys = ssm:, the instance role's policy and the KMS key's)"},
    [AWSSTS_E_EXPIRED_TOKEN] = {"expired_token",
                                "the session credentials have expired: log in again"},
    [AWSSTS_E_REGION_DISABLED] = {"region_disabled",
                                  "STS is not activated in this region for the account: enable the "
                                  "region or choose another"},
    [AWSSTS_E_THROTTLED] = {"throttled", "AWS is throttling requests: try again in a moment"},
    [AWSSTS_E_CLOCK_SKEW] =
        {"clock_skew", "the request time is too far from STS's: synchronise this host's clock"},
    [AWSSTS_E_SERVER] = {"server", "STS had an internal error: try again later"},
    [AWSSTS_E_STS_REJECTED] = {"sts_rejected",
                               "STS rejected the request: see the AWS error code in the detail"},
    [AWSSTS_E_TIMEOUT] = {"timeout",
                          "STS did not answer in time: check the network path to the endpoint"},
    [AWSSTS_E_NETWORK] = {"network",
                          "could not reach STS: check DNS, routing, firewall and proxy settings"},
    [AWSSTS_E_TLS] =
        {"tls", "TLS with the STS endpoint failed: check the CA bundle and the endpoint name"},
    [AWSSTS_E_BAD_RESPONSE] = {"bad_response",
                               "STS sent a response that is malformed or unsafe: nothing was used"},
    [AWSSTS_E_CONFIG] = {"config", "the configuration is invalid: fix what the detail names (a "
                                   "file and line, or the keys' source)"},
    [AWSSTS_E_FILE_UNSAFE] = {"file_unsafe",
                              "a file has an unsafe owner, mode or type: fix its permissions"},
    [AWSSTS_E_FILE_IO] = {"file_io", "reading or writing a file failed"},
    [AWSSTS_E_NOT_FOUND] = {"not_found", "a required file, section or key does not exist"},
    [AWSSTS_E_INTERNAL] = {"internal", "internal error"},
    [AWSSTS_E_NO_KEYS] = {"no_keys", "the user has no AWS keys"},
    [AWSSTS_E_IMDS_UNREACHABLE] =
        {"imds_unreachable",
         "could not reach the instance metadata service: run on EC2 with the metadata service "
         "enabled, or check imds_endpoint"},
    [AWSSTS_E_IMDS_TIMEOUT] =
        {"imds_timeout",
         "the instance metadata service did not answer in time: check the instance's metadata "
         "hop limit and imds_endpoint"},
    [AWSSTS_E_IMDS_REFUSED] =
        {"imds_refused",
         "the instance metadata service refused the request or has no credentials for the "
         "instance's role: see the detail"},
    [AWSSTS_E_IMDS_NO_ROLE] =
        {"imds_no_role",
         "the instance has no IAM role: attach an instance profile whose role may read the "
         "SSM parameter"},
    [AWSSTS_E_IMDS_BAD_RESPONSE] =
        {"imds_bad_response",
         "the instance metadata service sent a malformed or unsafe answer: nothing was used"},
    [AWSSTS_E_RATE_LIMITED] =
        {"rate_limited",
         "too many logins started by this local user (su, sudo): try again after the time the "
         "detail names"},
    /* Not a network fault: the log must not send anyone looking at STS. */
    [AWSSTS_E_LOCK_TIMEOUT] =
        {"lock_timeout",
         "another login, logout or awssts command of the same user held a lock for too long: "
         "try again; if it persists, look for a stopped process holding it (/proc/locks)"},
};

AWSSTS_API const char *awssts_strerror(awssts_err err)
{
    if ((unsigned)err >= AWSSTS_E__COUNT)
        return "unknown error";
    return error_table[err].sentence;
}

AWSSTS_API const char *awssts_errname(awssts_err err)
{
    if ((unsigned)err >= AWSSTS_E__COUNT)
        return "unknown";
    return error_table[err].name;
}

AWSSTS_API void awssts_error_info_reset(struct awssts_error_info *ei)
{
    if (ei != NULL)
        memset(ei, 0, sizeof(*ei));
}

awssts_err awssts_error_set(struct awssts_error_info *ei, awssts_err code, const char *fmt, ...)
{
    if (ei == NULL)
        return code;
    ei->code = code;
    if (fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ei->detail, sizeof(ei->detail), fmt, ap);
        va_end(ap);
        awssts_text_sanitize(ei->detail);
    }
    return code;
}

void awssts_error_prefix(struct awssts_error_info *ei, const char *prefix)
{
    if (ei == NULL || prefix == NULL)
        return;
    char joined[sizeof(ei->detail) * 2];
    /* With no detail yet, the prefix alone: never a dangling "prefix: ". */
    snprintf(joined, sizeof(joined), ei->detail[0] ? "%s: %s" : "%s", prefix, ei->detail);
    memcpy(ei->detail, joined, sizeof(ei->detail) - 1);
    ei->detail[sizeof(ei->detail) - 1] = '\0';
    awssts_text_sanitize(ei->detail);
}

AWSSTS_API char *awssts_error_format(const struct awssts_error_info *ei, char *buf, size_t len)
{
    if (buf == NULL || len == 0)
        return buf;
    buf[0] = '\0';
    if (ei == NULL)
        return buf;

    size_t off = 0;
    int n = snprintf(buf, len, "%s", awssts_strerror(ei->code));
    off = (n < 0) ? 0 : (size_t)n;

#define APPEND(...)                                                                                \
    do {                                                                                           \
        if (off < len) {                                                                           \
            n = snprintf(buf + off, len - off, __VA_ARGS__);                                       \
            off += (n < 0) ? 0 : (size_t)n;                                                        \
        }                                                                                          \
    } while (0)

    if (ei->aws_code[0] != '\0')
        APPEND(" (%s%s%s)", ei->aws_code, ei->message[0] ? ": " : "", ei->message);
    else if (ei->http_status != 0 && (ei->http_status < 200 || ei->http_status > 299) &&
             ei->code != AWSSTS_OK)
        APPEND(" (HTTP %ld)", ei->http_status); /* a 200 says nothing about what went wrong */
    if (ei->detail[0] != '\0')
        APPEND(" [%s]", ei->detail);
    if (ei->request_id[0] != '\0')
        APPEND(" request-id=%s", ei->request_id);
#undef APPEND
    return buf;
}
