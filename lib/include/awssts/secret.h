/* Zeroing memory that held secrets, in a way the compiler cannot drop. */
#ifndef AWSSTS_SECRET_H
#define AWSSTS_SECRET_H

#include <stddef.h>
#include "awssts/error.h"

#ifdef __cplusplus
extern "C" {
#endif

AWSSTS_API void awssts_memzero(void *p, size_t len);

/* Zero a NUL-terminated string, then free it. NULL is fine. */
AWSSTS_API void awssts_secret_free(char *s);

/* strdup whose result is meant for awssts_secret_free. */
AWSSTS_API char *awssts_secret_dup(const char *s);

#ifdef __cplusplus
}
#endif
#endif
