/* Backoff as AWS SDKs do it ("full jitter"), so many hosts throttled at once
 * spread out instead of retrying in step. */
#include "util/retry.h"
#include "util/crypto.h"

#include <errno.h>
#include <time.h>

long long awssts_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long long awssts_now_ms(void)
{
    return awssts_now_us() / 1000;
}

long awssts_backoff_ms(unsigned attempt)
{
    long ceiling = AWSSTS_BACKOFF_BASE_MS;
    for (unsigned i = 0; i < attempt && ceiling < AWSSTS_BACKOFF_CAP_MS; i++)
        ceiling *= 2;
    if (ceiling > AWSSTS_BACKOFF_CAP_MS)
        ceiling = AWSSTS_BACKOFF_CAP_MS;
    unsigned int r = 0;
    if (!awssts_random_bytes(&r, sizeof(r)))
        return ceiling / 2;
    return (long)(r % (unsigned)(ceiling + 1));
}

void awssts_sleep_ms(long ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
