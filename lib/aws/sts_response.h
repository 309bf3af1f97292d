/* Internal: reading an STS Query-protocol response document. */
#ifndef AWSSTS_STS_RESPONSE_H
#define AWSSTS_STS_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include "awssts/error.h"

enum sts_field {
    STS_F_ACCESS_KEY_ID,
    STS_F_SECRET_ACCESS_KEY,
    STS_F_SESSION_TOKEN,
    STS_F_EXPIRATION,
    STS_F_ROLE_ARN, /* AssumedRoleUser/Arn */
    STS_F_ROLE_ID,  /* AssumedRoleUser/AssumedRoleId */
    STS_F_SOURCE_IDENTITY,
    STS_F_ACCOUNT, /* GetCallerIdentityResult/Account */
    STS_F_ARN,     /* GetCallerIdentityResult/Arn */
    STS_F_USER_ID, /* GetCallerIdentityResult/UserId */
    STS_F_REQUEST_ID,
    STS_F_ERROR_TYPE,
    STS_F_ERROR_CODE,
    STS_F_ERROR_MESSAGE,
    STS_F__COUNT
};

struct sts_response {
    bool is_error;             /* the root was <ErrorResponse> */
    char *field[STS_F__COUNT]; /* trimmed text, NULL when absent */
};

/*
 * Parse body. action ("GetSessionToken", ...) names the expected root
 * <ActionResponse>; <ErrorResponse> is accepted too. DTDs, entity
 * declarations, unknown roots, repeated fields, nested markup inside a
 * field and fields over 16 KiB are refused as AWSSTS_E_BAD_RESPONSE.
 */
awssts_err awssts_sts_response_parse(const char *body, size_t len, const char *action,
                                     struct sts_response *out, struct awssts_error_info *ei);

void awssts_sts_response_free(struct sts_response *r);

#endif
