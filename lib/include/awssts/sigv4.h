/* AWS Signature Version 4 for any service (STS uses it with service "sts"). */
#ifndef AWSSTS_SIGV4_H
#define AWSSTS_SIGV4_H

#include <stddef.h>
#include "awssts/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct awssts_header {
    const char *name;
    const char *value;
};

/*
 * The request as it will be sent. Every header given is signed, so the
 * caller includes Host and X-Amz-Date (and X-Amz-Security-Token when the
 * token is to be signed) and leaves out what must not be signed.
 */
struct awssts_sigv4_request {
    const char *method;
    const char *path;  /* raw path; normalised and encoded here */
    const char *query; /* raw query without '?', may be NULL */
    const struct awssts_header *headers;
    size_t n_headers;
    const void *body;
    size_t body_len;
};

struct awssts_sigv4_params {
    const char *access_key_id;
    const char *secret_access_key;
    const char *region;
    const char *service;
    const char *amz_date; /* YYYYMMDDTHHMMSSZ, the same as the X-Amz-Date header */
};

struct awssts_sigv4_result {
    char *canonical_request;
    char *string_to_sign;
    char *authorization; /* value of the Authorization header */
};

AWSSTS_API awssts_err awssts_sigv4_sign(const struct awssts_sigv4_request *req,
                                        const struct awssts_sigv4_params *params,
                                        struct awssts_sigv4_result *out,
                                        struct awssts_error_info *ei);

AWSSTS_API void awssts_sigv4_result_free(struct awssts_sigv4_result *r);

/* Format t (UTC) as YYYYMMDDTHHMMSSZ into buf[17]. */
AWSSTS_API awssts_err awssts_sigv4_amz_date(long long t, char buf[17]);

#ifdef __cplusplus
}
#endif
#endif
