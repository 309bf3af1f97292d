/* Secret zeroing. explicit_bzero survives dead-store elimination. */
#include "awssts/secret.h"

#include <stdlib.h>
#include <string.h>

AWSSTS_API void awssts_memzero(void *p, size_t len)
{
    if (p != NULL && len > 0)
        explicit_bzero(p, len);
}

AWSSTS_API void awssts_secret_free(char *s)
{
    if (s == NULL)
        return;
    awssts_memzero(s, strlen(s));
    free(s);
}

AWSSTS_API char *awssts_secret_dup(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d != NULL)
        memcpy(d, s, n + 1);
    return d;
}
