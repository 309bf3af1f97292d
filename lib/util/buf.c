/* Growable buffer; every byte it ever held is zeroed before release, since
 * requests and responses carry secret keys and tokens. */
#include "util/buf.h"
#include "awssts/secret.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void awssts_buf_init(struct awssts_buf *b, size_t limit)
{
    memset(b, 0, sizeof(*b));
    b->limit = limit;
}

static bool buf_reserve(struct awssts_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra > (size_t)-1 / 2 - b->len || (b->limit && b->len + extra > b->limit)) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap && b->data != NULL)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    /* Not realloc: the old block must be zeroed before it goes back. */
    char *p = malloc(cap);
    if (p == NULL) {
        b->failed = true;
        return false;
    }
    if (b->data != NULL) {
        memcpy(p, b->data, b->len + 1);
        awssts_memzero(b->data, b->cap);
        free(b->data);
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool awssts_buf_append(struct awssts_buf *b, const void *p, size_t n)
{
    if (!buf_reserve(b, n))
        return false;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool awssts_buf_puts(struct awssts_buf *b, const char *s)
{
    return awssts_buf_append(b, s, strlen(s));
}

bool awssts_buf_putc(struct awssts_buf *b, char c)
{
    return awssts_buf_append(b, &c, 1);
}

bool awssts_buf_printf(struct awssts_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_reserve(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

char *awssts_buf_steal(struct awssts_buf *b)
{
    if (b->failed) {
        awssts_buf_free(b);
        return NULL;
    }
    if (b->data == NULL && !awssts_buf_append(b, "", 0))
        return NULL;
    char *s = b->data;
    size_t limit = b->limit;
    awssts_buf_init(b, limit);
    return s;
}

void awssts_buf_free(struct awssts_buf *b)
{
    if (b->data != NULL) {
        awssts_memzero(b->data, b->cap);
        free(b->data);
    }
    size_t limit = b->limit;
    awssts_buf_init(b, limit);
}
