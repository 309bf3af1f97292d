/*
 * SigV4 signatures per second on one core: the STS GetSessionToken request
 * a login signs, signed again and again for a fixed time.
 *   sigv4-rate [SECONDS]
 */
#include "awssts/sigv4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    static const char body[] = "Action=GetSessionToken&DurationSeconds=43200"
                               "&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice"
                               "&TokenCode=123456&Version=2011-06-15";
    const struct awssts_header headers[] = {
        {"Host", "sts.eu-west-1.amazonaws.com"},
        {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
        {"X-Amz-Date", "20261124T120000Z"},
    };
    const struct awssts_sigv4_request req = {"POST", "/", NULL, headers, 3, body, strlen(body)};
    const struct awssts_sigv4_params params = {"AKIAIOSFODNN7EXAMPLE",
                                               "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                               "eu-west-1", "sts", "20261124T120000Z"};
    long n = 0;
    double t0 = now_s(), t = t0;
    while (t - t0 < seconds) {
        for (int i = 0; i < 1000; i++, n++) {
            struct awssts_sigv4_result r;
            if (awssts_sigv4_sign(&req, &params, &r, NULL) != AWSSTS_OK) {
                fprintf(stderr, "sigv4-rate: signing failed\n");
                return 1;
            }
            awssts_sigv4_result_free(&r);
        }
        t = now_s();
    }
    printf("signatures=%ld seconds=%.3f rate=%.0f\n", n, t - t0, (double)n / (t - t0));
    return 0;
}
