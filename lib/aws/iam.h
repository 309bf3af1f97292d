/*
 * Internal: IAM, as far as awssts check --probe needs it: ListMFADevices
 * over the Query protocol (Version 2010-05-08), signed for "iam" at the
 * partition's endpoint (service_endpoint.h), with the user's long-term
 * keys, to tell whether the configured MFA device is one of theirs.
 */
#ifndef AWSSTS_IAM_H
#define AWSSTS_IAM_H

#include <stdbool.h>
#include <stddef.h>

#include "awssts/endpoint.h"
#include "awssts/error.h"
#include "awssts/sts.h"
#include "aws/transport.h"

#define AWSSTS_IAM_API_VERSION "2010-05-08"

/* What ListMFADevices answered. */
struct iam_mfa_devices {
    size_t count;    /* devices listed */
    bool has_serial; /* the one asked about is among them */
    bool truncated;  /* IsTruncated: more than this page */
};

/* A ListMFADevicesResponse: its devices, and whether serial is one of
 * them. AWSSTS_E_BAD_RESPONSE for anything else (an error document, a
 * DOCTYPE or entity, too deep a nesting). */
awssts_err awssts_iam_mfa_devices_parse(const char *body, size_t len, const char *serial,
                                        struct iam_mfa_devices *out, struct awssts_error_info *ei);

/* ListMFADevices of user_name (NULL: the caller's own) at ep, signed with
 * keys. A refusal is AWSSTS_E_ACCESS_DENIED, as for STS. */
awssts_err awssts_iam_list_mfa_devices(struct transport *t, const struct awssts_endpoint *ep,
                                       const struct awssts_keys *keys, const char *user_name,
                                       const char *serial, struct iam_mfa_devices *out,
                                       struct awssts_error_info *ei);

#endif
