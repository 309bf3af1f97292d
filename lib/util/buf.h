/* Internal: a growable byte buffer that zeroes what it held when it grows or is freed. */
#ifndef AWSSTS_BUF_H
#define AWSSTS_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct awssts_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    size_t limit; /* 0: no limit; else appends past it fail */
    bool failed;  /* sticky: an append ran out of memory or past the limit */
};

void awssts_buf_init(struct awssts_buf *b, size_t limit);
bool awssts_buf_append(struct awssts_buf *b, const void *p, size_t n);
bool awssts_buf_puts(struct awssts_buf *b, const char *s);
bool awssts_buf_putc(struct awssts_buf *b, char c);
bool awssts_buf_printf(struct awssts_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Give the string to the caller (never NULL unless failed); buffer is reset. */
char *awssts_buf_steal(struct awssts_buf *b);
/* Zero and free. */
void awssts_buf_free(struct awssts_buf *b);

#endif
