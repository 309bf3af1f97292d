/* Shared by the integration tests: the peers' environment, TOTP codes from
 * oathtool, and the fault STS's request log. */
#ifndef TEST_PEER_H
#define TEST_PEER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "awssts/sts.h"

/* A variable tests/peers/start.sh must have set; its absence fails loudly. */
static inline const char *peer_env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') {
        fprintf(stderr, "FAIL: %s is not set: run through tests/run-integration\n", name);
        abort();
    }
    return v;
}

static inline long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The TOTP code for time t (oathtool does the arithmetic). */
static inline void totp_at(const char *secret, time_t t, char out[7])
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "oathtool --totp -b -N @%lld %s", (long long)t, secret);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[32] = "";
    assert_non_null(fgets(line, sizeof(line), p));
    assert_int_equal(pclose(p), 0);
    line[strcspn(line, "\n")] = '\0';
    assert_int_equal(strlen(line), 6);
    memcpy(out, line, 7);
}

static inline void totp_now(char out[7])
{
    totp_at(peer_env("TOTP_SECRET"), time(NULL), out);
}

/* Six digits the server cannot accept: none of the codes of the window it checks. */
static inline void totp_wrong(char out[7])
{
    const char *s = peer_env("TOTP_SECRET");
    time_t t = time(NULL);
    char win[5][7];
    for (int i = 0; i < 5; i++)
        totp_at(s, t + (i - 2) * 30, win[i]);
    for (int v = (atoi(win[2]) + 500000) % 1000000;; v = (v + 1) % 1000000) {
        for (int i = 5, x = v; i >= 0; i--, x /= 10)
            out[i] = (char)('0' + x % 10);
        out[6] = '\0';
        int clash = 0;
        for (int i = 0; i < 5; i++)
            clash |= strcmp(out, win[i]) == 0;
        if (!clash)
            return;
    }
}

/* Lines of a file that hold frag1, and frag2 when given; 0 with no file. */
static inline int file_count_lines(const char *path, const char *frag1, const char *frag2)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    char line[8192];
    int n = 0;
    while (fgets(line, sizeof(line), f) != NULL)
        n += strstr(line, frag1) != NULL && (frag2 == NULL || strstr(line, frag2) != NULL);
    fclose(f);
    return n;
}

/* Lines in the fault STS log that contain every given fragment. */
static inline int fault_log_count(const char *frag1, const char *frag2)
{
    return file_count_lines(peer_env("FAULT_LOG"), frag1, frag2);
}

/* Lines in the test proxy's log (one per CONNECT) that contain frag. */
static inline int proxy_log_count(const char *frag)
{
    return file_count_lines(peer_env("PROXY_LOG"), frag, NULL);
}

#endif
