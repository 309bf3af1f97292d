/* Well-formed UTF-8 (RFC 3629), stricter than json-c's check: it lets
 * overlong forms, surrogates and code points past U+10FFFF through. */
#include "json/json_priv.h"

#include <string.h>

#define NAME_WIDTH 64

size_t awssts_json_utf8_seq(const unsigned char *s, size_t len)
{
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf; /* the range of the second byte */
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        else if (c == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90; /* overlong */
        else if (c == 0xf4)
            hi = 0x8f; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (len < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    return n;
}

size_t awssts_json_utf8_check(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = awssts_json_utf8_seq(u + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

int awssts_json_name_width(const char *name)
{
    size_t len = strnlen(name, NAME_WIDTH + 1);
    if (len <= NAME_WIDTH)
        return (int)len;
    /* Back up to the start of a character so the detail stays UTF-8. */
    size_t w = NAME_WIDTH;
    while (w > 0 && ((unsigned char)name[w] & 0xc0) == 0x80)
        w--;
    return (int)w;
}
