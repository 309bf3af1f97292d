/* Small string helpers. */
#include "util/text.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void awssts_text_sanitize(char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            *s = '?';
    }
}

void awssts_text_copy_clean(char *dst, size_t dstlen, const char *src, size_t srclen)
{
    if (dstlen == 0)
        return;
    size_t n = srclen < dstlen - 1 ? srclen : dstlen - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    awssts_text_sanitize(dst);
}

char *awssts_text_trim(char *s)
{
    size_t len = strlen(s);
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        s[--len] = '\0';
    size_t lead = 0;
    while (isspace((unsigned char)s[lead]))
        lead++;
    if (lead > 0)
        memmove(s, s + lead, len - lead + 1);
    return s;
}

const char *awssts_text_span_trim(const char *s, size_t len, size_t *outlen)
{
    while (len > 0 && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    *outlen = len;
    return s;
}

bool awssts_text_all(const char *s, bool (*pred)(unsigned char))
{
    for (; *s != '\0'; s++)
        if (!pred((unsigned char)*s))
            return false;
    return true;
}

bool awssts_text_has_ctl(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return true;
    }
    return false;
}

bool awssts_text_parse_long(const char *s, long min, long max, long *out)
{
    if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
        return false;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return false;
    *out = v;
    return true;
}

void awssts_text_escape_quoted(char *dst, size_t dstlen, const char *src)
{
    if (dstlen == 0)
        return;
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)src; *p != '\0'; p++) {
        /* A control character (a newline above all) would start a forged
         * line in the log: written as \xNN, like " and \ never bare. */
        char one[5];
        size_t n;
        if (*p < 0x20 || *p == 0x7f)
            n = (size_t)snprintf(one, sizeof(one), "\\x%02x", *p);
        else if (*p == '"' || *p == '\\')
            n = (size_t)snprintf(one, sizeof(one), "\\%c", *p);
        else
            n = (size_t)snprintf(one, sizeof(one), "%c", *p);
        if (o + n >= dstlen)
            break;
        memcpy(dst + o, one, n);
        o += n;
    }
    dst[o] = '\0';
}
