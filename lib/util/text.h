/* Internal: small string helpers shared by the library's parsers. */
#ifndef AWSSTS_TEXT_H
#define AWSSTS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Replace every byte below 0x20 or 0x7f with '?' so the text fits on one log line. */
void awssts_text_sanitize(char *s);

/* Copy at most dstlen-1 bytes of src, sanitised, always NUL-terminated. */
void awssts_text_copy_clean(char *dst, size_t dstlen, const char *src, size_t srclen);

/* Trim ASCII white space at both ends in place; returns s. */
char *awssts_text_trim(char *s);

/* Return a pointer into s past leading white space, and the length without trailing. */
const char *awssts_text_span_trim(const char *s, size_t len, size_t *outlen);

/* True when every byte of s is in the set accepted by pred. */
bool awssts_text_all(const char *s, bool (*pred)(unsigned char));

/* True when s[0..len) holds a control character other than tab. */
bool awssts_text_has_ctl(const char *s, size_t len);

/* src as the inside of a "..." log field: backslash and double quote
 * escaped, control characters as \xNN, truncated to fit dstlen (never
 * inside an escape). */
void awssts_text_escape_quoted(char *dst, size_t dstlen, const char *src);

/* Bounded, overflow-checked decimal parse of a whole string. */
bool awssts_text_parse_long(const char *s, long min, long max, long *out);

#endif
