/* Parsing and printing the time formats STS and aws-mfa use. */
#ifndef AWSSTS_TIMEUTIL_H
#define AWSSTS_TIMEUTIL_H

#include <stddef.h>
#include <time.h>
#include "awssts/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * "2026-11-24T10:00:00Z", with optional fractional seconds, 'T' or ' ' as the
 * separator, and "Z", "+00:00" or nothing (UTC) as the zone. Every field is
 * range-checked; trailing text is refused.
 */
AWSSTS_API awssts_err awssts_time_parse(const char *s, time_t *out);

/* "2026-11-24T10:00:00Z" into buf[21]. */
AWSSTS_API awssts_err awssts_time_format_iso8601(time_t t, char buf[21]);

/* "2026-11-24 10:00:00" (aws-mfa's expiration format) into buf[20]. */
AWSSTS_API awssts_err awssts_time_format_mfa(time_t t, char buf[20]);

#ifdef __cplusplus
}
#endif
#endif
