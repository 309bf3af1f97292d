/* STS down on this connection (outage.h). The expiry is on the monotonic
 * clock, which a forked child shares and a clock change does not move. */
#include "outage.h"
#include "call.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define OUTAGE_DATA "pam_aws_sts_outage"

static long long now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec;
}

bool pas_outage_verdict(awssts_err e)
{
    return e == AWSSTS_E_TIMEOUT || e == AWSSTS_E_NETWORK || e == AWSSTS_E_SERVER;
}

void pas_outage_mark(pam_handle_t *pamh)
{
    long long until = now_s() + PAS_OUTAGE_SECONDS;
    long long *d = malloc(sizeof(*d));
    if (d != NULL) {
        *d = until;
        if (pam_set_data(pamh, OUTAGE_DATA, d, pas_free_data) != PAM_SUCCESS)
            free(d);
    }
    char env[64];
    snprintf(env, sizeof(env), PAS_OUTAGE_ENV "=%lld", until);
    pam_putenv(pamh, env); /* best effort: the data above holds in one process */
}

/* The expiry from the handle's data, else from the environment; 0: none. */
static long long outage_until(pam_handle_t *pamh)
{
    const void *d = NULL;
    if (pam_get_data(pamh, OUTAGE_DATA, &d) == PAM_SUCCESS && d != NULL)
        return *(const long long *)d;
    const char *env = pam_getenv(pamh, PAS_OUTAGE_ENV);
    if (env == NULL)
        return 0;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(env, &end, 10);
    return errno == 0 && end != env && *end == '\0' ? v : 0;
}

long pas_outage_left(pam_handle_t *pamh)
{
    long long left = outage_until(pamh) - now_s();
    /* Beyond PAS_OUTAGE_SECONDS it was not ours to set: never obeyed. */
    if (left > 0 && left <= PAS_OUTAGE_SECONDS)
        return (long)left;
    pas_outage_forget(pamh);
    return 0;
}

void pas_outage_forget(pam_handle_t *pamh)
{
    const void *d = NULL;
    if (pam_getenv(pamh, PAS_OUTAGE_ENV) != NULL)
        pam_putenv(pamh, PAS_OUTAGE_ENV);
    if (pam_get_data(pamh, OUTAGE_DATA, &d) == PAM_SUCCESS && d != NULL)
        pam_set_data(pamh, OUTAGE_DATA, NULL, NULL);
}
