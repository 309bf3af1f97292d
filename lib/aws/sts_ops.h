/* Internal: an AssumeRole request checked and made into its STS call, apart
 * from sending it, so that tests can read the exact parameters. */
#ifndef AWSSTS_STS_OPS_H
#define AWSSTS_STS_OPS_H

#include "awssts/sts.h"
#include "aws/sts_call.h"

/* Room for the parameter names of the tags (Key and Value each) and of the
 * transitive keys: "TransitiveTagKeys.member.50" is the longest, and any
 * size_t fits after "TransitiveTagKeys.member." in 48. */
#define ASSUME_ROLE_TAG_NAMES (AWSSTS_MAX_SESSION_TAGS * 3)

struct assume_role_call {
    struct sts_call call; /* borrows the request's strings and names below */
    char names[ASSUME_ROLE_TAG_NAMES][48];
};

/*
 * The caller's request (any struct_size of this library's versions) checked
 * as STS would and added to out->call: RoleArn, RoleSessionName,
 * DurationSeconds, SerialNumber, TokenCode, ExternalId, SourceIdentity,
 * Tags.member.N.Key/Value, TransitiveTagKeys.member.N, each when set.
 * Free out->call with awssts_sts_call_free, on failure too.
 */
awssts_err awssts_assume_role_prepare(const struct awssts_assume_role_request *given,
                                      struct assume_role_call *out, struct awssts_error_info *ei);

#endif
