/* Internal: filling a struct awssts_error_info. */
#ifndef AWSSTS_ERROR_SET_H
#define AWSSTS_ERROR_SET_H

#include "awssts/error.h"

/* Record code and a printf-style detail (sanitised); returns code. ei may be NULL. */
awssts_err awssts_error_set(struct awssts_error_info *ei, awssts_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Put "prefix: " before the detail (truncated to fit). ei may be NULL. */
void awssts_error_prefix(struct awssts_error_info *ei, const char *prefix);

#endif
