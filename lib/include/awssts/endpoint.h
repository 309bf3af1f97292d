/* Which STS endpoint to call: regional by default, never the global one
 * unless an operator names it explicitly. */
#ifndef AWSSTS_ENDPOINT_H
#define AWSSTS_ENDPOINT_H

#include <stdbool.h>
#include "awssts/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct awssts_endpoint_options {
    const char *region;   /* required: signing region and host name */
    const char *override; /* "https://host[:port][/]", e.g. a VPC endpoint */
    bool fips;
    bool dualstack;
};

struct awssts_endpoint {
    char url[300];  /* https://host[:port]/ */
    char host[256]; /* the Host header: host[:port] */
    char region[32];
    bool is_global; /* sts.amazonaws.com: issues v1 tokens */
};

AWSSTS_API awssts_err awssts_endpoint_resolve(const struct awssts_endpoint_options *o,
                                              struct awssts_endpoint *out,
                                              struct awssts_error_info *ei);

/* A region name as AWS spells them: "us-east-1", "ap-east-1", "us-gov-west-1", "cn-north-1". */
AWSSTS_API bool awssts_region_valid(const char *region);

#ifdef __cplusplus
}
#endif
#endif
