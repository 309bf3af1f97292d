/*
 * Internal: STS's rules for an AssumeRole's Tags and TransitiveTagKeys (at
 * most 50 of each, the keys' and values' lengths and characters, no aws:
 * prefix, no two keys alike but for case, each transitive key a tag's).
 * Below both the configuration, which refuses a bad tag where it is
 * written, and the STS client, which checks a request before it costs a
 * round trip (and an MFA code).
 */
#ifndef AWSSTS_TAG_RULES_H
#define AWSSTS_TAG_RULES_H

#include <stddef.h>

#include "awssts/error.h"
#include "awssts/sts.h"

/* AWSSTS_E_INVALID_ARGUMENT, the tag named by place and key, never by value. */
awssts_err awssts_session_tags_check(const struct awssts_tag *tags, size_t n_tags,
                                     const char *const *transitive, size_t n_transitive,
                                     struct awssts_error_info *ei);

#endif
