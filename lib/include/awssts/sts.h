/*
 * STS client: GetSessionToken, AssumeRole and GetCallerIdentity over the
 * Query protocol, on a regional endpoint, over verified TLS.
 */
#ifndef AWSSTS_STS_H
#define AWSSTS_STS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "awssts/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AWSSTS_DEFAULT_CONNECT_TIMEOUT_MS 3000
#define AWSSTS_DEFAULT_TIMEOUT_MS         10000
#define AWSSTS_DEFAULT_MAX_ATTEMPTS       3
#define AWSSTS_MAX_RESPONSE               (1024L * 1024L)

/*
 * The structs a caller fills in for the library (the client's options and
 * the requests) begin with struct_size: set it to sizeof the struct as the
 * caller was built, e.g.
 *
 *     struct awssts_assume_role_request req = {.struct_size = sizeof(req), ...};
 *
 * A later library whose struct has more fields at the end reads only the
 * caller's part and takes the rest as zero (their defaults), so these
 * structs grow without a new SONAME. A struct_size that is not the size of
 * the struct in one of this library's versions (0, one ending inside a
 * field, or larger than this library's: a caller built against a newer
 * libawssts) is refused with AWSSTS_E_INVALID_ARGUMENT before anything is
 * sent. The structs the library fills in
 * (awssts_credentials, awssts_caller_identity) and awssts_keys never grow:
 * what is new comes in new structs and functions.
 */

struct awssts_client_options {
    size_t struct_size;   /* sizeof(struct awssts_client_options) */
    const char *region;   /* required, e.g. "ap-east-1" */
    const char *endpoint; /* optional https:// override (VPC endpoint) */
    bool fips;
    bool dualstack;
    const char *ca_file;     /* optional CA bundle */
    const char *ca_path;     /* optional CA directory */
    const char *proxy;       /* optional; NULL means no proxy, environment ignored */
    const char *connect_to;  /* optional curl CONNECT_TO "host:port:addr:port" */
    long connect_timeout_ms; /* 0: 3 s */
    long timeout_ms;         /* 0: 10 s: all calls of the client together, retries
                                included, counted from its first call */
    unsigned max_attempts;   /* 0: 3 */
    const char *user_agent;  /* optional suffix */
};

struct awssts_client;

/* Keys the request is signed with (borrowed; token NULL for long-term keys). */
struct awssts_keys {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;
};

/* Temporary credentials; free with awssts_credentials_clear. */
struct awssts_credentials {
    char *access_key_id;
    char *secret_access_key;
    char *session_token;
    time_t expiration;
    char *assumed_role_arn; /* AssumeRole only */
    char *assumed_role_id;  /* AssumeRole only */
    char *source_identity;  /* AssumeRole with SourceIdentity only */
    char request_id[80];
};

struct awssts_session_token_request {
    size_t struct_size;        /* sizeof(struct awssts_session_token_request) */
    int duration_seconds;      /* 0: STS default (43200) */
    const char *serial_number; /* MFA device, with token_code */
    const char *token_code;
};

/*
 * A session tag for AssumeRole (borrowed strings). STS's own limits, checked
 * before anything is sent: a key of 1 to 128 characters, a value of 0 to 256
 * (never NULL: "" for an empty one), both of ASCII letters, digits, space and
 * _ . : / = + - @ (awssts_valid_tag_key, awssts_valid_tag_value); a key
 * must not begin with "aws:", and no two keys of one request may differ
 * only in case (STS treats tag keys case-insensitively).
 */
struct awssts_tag {
    const char *key;
    const char *value;
};

#define AWSSTS_MAX_SESSION_TAGS 50 /* tags, and transitive keys, per AssumeRole */
#define AWSSTS_TAG_KEY_MAX      128
#define AWSSTS_TAG_VALUE_MAX    256

struct awssts_assume_role_request {
    size_t struct_size; /* sizeof(struct awssts_assume_role_request) */
    const char *role_arn;
    const char *role_session_name;
    int duration_seconds; /* 0: STS default (3600) */
    const char *serial_number;
    const char *token_code;
    const char *external_id;
    const char *source_identity; /* SourceIdentity, sent when set; the struct's
                                    first version (0.1.0) ends here */
    /* Session tags: Tags.member.N.Key and .Value, in this order; n_tags of
     * them at tags (n_tags 0: none, and tags may be NULL). */
    const struct awssts_tag *tags;
    size_t n_tags;
    /* TransitiveTagKeys.member.N: keys of tags above (in any case) that pass
     * on to sessions chained from this one; n_transitive_tag_keys of them. */
    const char *const *transitive_tag_keys;
    size_t n_transitive_tag_keys;
    /* STS also caps the packed size of session policies and tags together,
     * in a compressed form it does not document: only STS can check that
     * (PackedPolicyTooLarge, AWSSTS_E_INVALID_ARGUMENT). */
};

struct awssts_caller_identity {
    char *account;
    char *arn;
    char *user_id;
    char request_id[80];
};

AWSSTS_API awssts_err awssts_client_new(const struct awssts_client_options *opts,
                                        struct awssts_client **out, struct awssts_error_info *ei);
AWSSTS_API void awssts_client_free(struct awssts_client *c);

/* The URL and Host the client calls, for logs. */
AWSSTS_API const char *awssts_client_url(const struct awssts_client *c);
AWSSTS_API const char *awssts_client_host(const struct awssts_client *c);
AWSSTS_API const char *awssts_client_region(const struct awssts_client *c);
AWSSTS_API bool awssts_client_is_global(const struct awssts_client *c);

AWSSTS_API awssts_err awssts_get_session_token(struct awssts_client *c,
                                               const struct awssts_keys *keys,
                                               const struct awssts_session_token_request *req,
                                               struct awssts_credentials *out,
                                               struct awssts_error_info *ei);

AWSSTS_API awssts_err awssts_assume_role(struct awssts_client *c, const struct awssts_keys *keys,
                                         const struct awssts_assume_role_request *req,
                                         struct awssts_credentials *out,
                                         struct awssts_error_info *ei);

AWSSTS_API awssts_err awssts_get_caller_identity(struct awssts_client *c,
                                                 const struct awssts_keys *keys,
                                                 struct awssts_caller_identity *out,
                                                 struct awssts_error_info *ei);

/* Zero and free every field. */
AWSSTS_API void awssts_credentials_clear(struct awssts_credentials *cr);
AWSSTS_API void awssts_caller_identity_clear(struct awssts_caller_identity *id);

#ifdef __cplusplus
}
#endif
#endif
