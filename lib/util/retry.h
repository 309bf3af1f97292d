/* Internal: bounded retries with full-jitter exponential backoff. */
#ifndef AWSSTS_RETRY_H
#define AWSSTS_RETRY_H

#include <stdbool.h>

#define AWSSTS_BACKOFF_BASE_MS 100
#define AWSSTS_BACKOFF_CAP_MS  2000

/* Milliseconds on CLOCK_MONOTONIC. */
long long awssts_now_ms(void);
/* The same clock in microseconds, for the module's debug timing. */
long long awssts_now_us(void);

/* Delay before retry number `attempt` (1 = first retry): uniform in [0, min(cap, base*2^attempt)]. */
long awssts_backoff_ms(unsigned attempt);

/* Sleep ms, resuming after signals. */
void awssts_sleep_ms(long ms);

#endif
