/* Internal: the endpoint of another AWS service by STS's rules, so that a
 * bastion's settings (region, fips, dualstack, an https:// override for a
 * VPC endpoint) mean the same for every service it calls. */
#ifndef AWSSTS_SERVICE_ENDPOINT_H
#define AWSSTS_SERVICE_ENDPOINT_H

#include "awssts/endpoint.h"

/*
 * service is "iam": the partition's one endpoint (iam.amazonaws.com
 * signed for us-east-1; China's and GovCloud's), or o->override, fips and
 * dualstack not applied. Else "sts" (what awssts_endpoint_resolve does) or "ssm":
 * SERVICE.REGION.SUFFIX, SERVICE-fips.REGION.SUFFIX with fips (GovCloud:
 * the regular name, which is FIPS), the partition's dual-stack suffix with
 * dualstack, or o->override (https://host[:port][/] only). is_global is for
 * STS's global endpoint alone. Errors as awssts_endpoint_resolve's, naming
 * the service.
 */
awssts_err awssts_service_endpoint_resolve(const char *service,
                                           const struct awssts_endpoint_options *o,
                                           struct awssts_endpoint *out,
                                           struct awssts_error_info *ei);

#endif
