/* One error enum for the whole project, with a sentence a user can act on. */
#ifndef AWSSTS_ERROR_H
#define AWSSTS_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AWSSTS_API __attribute__((visibility("default")))

typedef enum {
    AWSSTS_OK = 0,
    AWSSTS_E_NOMEM,            /* out of memory */
    AWSSTS_E_INVALID_ARGUMENT, /* a value we were given is malformed */
    AWSSTS_E_MFA_CODE,         /* STS rejected the MFA one-time code */
    AWSSTS_E_INVALID_KEYS,     /* access key unknown or signature mismatch */
    AWSSTS_E_ACCESS_DENIED,    /* keys valid, action not allowed */
    AWSSTS_E_EXPIRED_TOKEN,    /* the session credentials used have expired */
    AWSSTS_E_REGION_DISABLED,  /* STS not activated in that region */
    AWSSTS_E_THROTTLED,        /* rate exceeded, retries exhausted */
    AWSSTS_E_CLOCK_SKEW,       /* request time too far from the server's */
    AWSSTS_E_SERVER,           /* 5xx or IDP error, retries exhausted */
    AWSSTS_E_STS_REJECTED,     /* any other error STS returned */
    AWSSTS_E_TIMEOUT,          /* connect or total timeout */
    AWSSTS_E_NETWORK,          /* DNS, connect, reset, proxy */
    AWSSTS_E_TLS,              /* handshake or certificate failure */
    AWSSTS_E_BAD_RESPONSE,     /* malformed, hostile, oversized or unexpected response */
    AWSSTS_E_CONFIG,           /* configuration file malformed or inconsistent */
    AWSSTS_E_FILE_UNSAFE,      /* wrong owner, mode, type, or a symlink */
    AWSSTS_E_FILE_IO,          /* read, write, rename failed */
    AWSSTS_E_NOT_FOUND,        /* file, section or key absent */
    AWSSTS_E_INTERNAL,         /* library misuse or unexpected state */
    AWSSTS_E_NO_KEYS,          /* the user has no AWS keys (no section, no SSM parameter) */
    /* The instance metadata service (IMDSv2), for keys = ssm:NAME. */
    AWSSTS_E_IMDS_UNREACHABLE,  /* no connection to it */
    AWSSTS_E_IMDS_TIMEOUT,      /* it did not answer in time */
    AWSSTS_E_IMDS_REFUSED,      /* an HTTP error, or no credentials for the role (Code) */
    AWSSTS_E_IMDS_NO_ROLE,      /* the instance has no IAM role */
    AWSSTS_E_IMDS_BAD_RESPONSE, /* malformed or unsafe answer */
    AWSSTS_E_RATE_LIMITED, /* too many key fetches by one local caller (lib/login/fetch_limit.h) */
    AWSSTS_E_LOCK_TIMEOUT, /* a lock another process held for longer than allowed */
    AWSSTS_E__COUNT
} awssts_err;

/* A static sentence for the code; never NULL. */
AWSSTS_API const char *awssts_strerror(awssts_err err);

/* A short stable name ("mfa_code", "timeout", ...) for logs and tests. */
AWSSTS_API const char *awssts_errname(awssts_err err);

/*
 * What went wrong in detail. Strings that came from a server are cleaned of
 * control characters and truncated before they land here, so they are safe to
 * log on one line.
 */
struct awssts_error_info {
    awssts_err code;
    long http_status;    /* 0 when no response arrived */
    unsigned attempts;   /* requests sent, including retries */
    char aws_code[64];   /* <Code> of an AWS error response */
    char message[256];   /* <Message> of an AWS error response */
    char request_id[80]; /* x-amzn-RequestId or <RequestId> */
    char detail[256];    /* local cause (curl text, parse error, ...) */
};

/* Clear all fields to "no error". */
AWSSTS_API void awssts_error_info_reset(struct awssts_error_info *ei);

/*
 * One line describing the error: the sentence, then the detail that helps an
 * operator ("STS rejected the MFA code (AccessDenied: ..., request id ...)").
 * Always NUL-terminates; returns buf.
 */
AWSSTS_API char *awssts_error_format(const struct awssts_error_info *ei, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
