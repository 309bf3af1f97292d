/*
 * Internal: the values an administrator writes once for every user
 * (role_session_name, source_identity, tag values) with %u for the login
 * name, %h for this host's short name (up to the first dot) and %% for a
 * percent sign. Any other % is an error, so a typo never reaches STS.
 */
#ifndef AWSSTS_TEMPLATE_H
#define AWSSTS_TEMPLATE_H

#include <stddef.h>

#include "awssts/error.h"

awssts_err awssts_template_expand(const char *pattern, const char *user, char *out, size_t len,
                                  struct awssts_error_info *ei);

#endif
