/* ISO 8601 subset used by STS, and aws-mfa's "YYYY-MM-DD HH:MM:SS". */
#include "awssts/timeutil.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

AWSSTS_API awssts_err awssts_time_parse(const char *s, time_t *out)
{
    int Y, M, D, h, m, sec;
    if (s == NULL || strlen(s) < 19 || !digits(s, 4, &Y) || s[4] != '-' || !digits(s + 5, 2, &M) ||
        s[7] != '-' || !digits(s + 8, 2, &D) || (s[10] != 'T' && s[10] != ' ') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &m) || s[16] != ':' ||
        !digits(s + 17, 2, &sec))
        return AWSSTS_E_INVALID_ARGUMENT;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (Y < 1970 || M < 1 || M > 12 || D < 1 || D > mdays[M - 1] || h > 23 || m > 59 || sec > 60)
        return AWSSTS_E_INVALID_ARGUMENT;
    bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
    if (M == 2 && D == 29 && !leap)
        return AWSSTS_E_INVALID_ARGUMENT;

    const char *p = s + 19;
    if (*p == '.') {
        p++;
        const char *f = p;
        while (isdigit((unsigned char)*p))
            p++;
        if (p == f || p - f > 9)
            return AWSSTS_E_INVALID_ARGUMENT;
    }
    if (*p == 'Z')
        p++;
    else if (strcmp(p, "+00:00") == 0)
        p += 6;
    if (*p != '\0')
        return AWSSTS_E_INVALID_ARGUMENT;

    struct tm tm = {0};
    tm.tm_year = Y - 1900;
    tm.tm_mon = M - 1;
    tm.tm_mday = D;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return AWSSTS_E_INVALID_ARGUMENT;
    *out = t;
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_time_format_iso8601(time_t t, char buf[21])
{
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
        return AWSSTS_E_INVALID_ARGUMENT;
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_time_format_mfa(time_t t, char buf[20])
{
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(buf, 20, "%Y-%m-%d %H:%M:%S", &tm) != 19)
        return AWSSTS_E_INVALID_ARGUMENT;
    return AWSSTS_OK;
}
