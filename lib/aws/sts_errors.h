/* Internal: AWS error codes to the project's enum, and which are retried. */
#ifndef AWSSTS_STS_ERRORS_H
#define AWSSTS_STS_ERRORS_H

#include <stdbool.h>
#include "awssts/error.h"

/* Map an AWS <Code>/<Message> pair and HTTP status to the enum. */
awssts_err awssts_sts_error_map(const char *code, const char *message, long http_status);

/* Throttling-type codes: STS refused before evaluating, so a retry is safe
 * even for a request that carried an MFA code. */
bool awssts_sts_error_is_throttle(const char *code);

#endif
