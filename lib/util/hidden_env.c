/* The environment, hidden from the libraries we call. */
#include "util/hidden_env.h"

#include <stddef.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

bool awssts_secure_mode(void)
{
    return getauxval(AT_SECURE) != 0;
}

void awssts_without_environment(void (*fn)(void *arg), void *arg)
{
    /* getenv reads environ; an empty list makes every variable absent,
     * including any a later version of a library starts to read. */
    /* Static, never written: a thread of a library that still reads it
     * after we return (curl's resolver, timed out) finds a valid list. */
    static char *none[1];
    char **saved = environ;
    environ = none;
    fn(arg);
    environ = saved;
}
