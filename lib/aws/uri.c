/* URI encoding and the SigV4 canonical path and query. */
#include "aws/uri.h"
#include "awssts/secret.h"

#include <stdlib.h>
#include <string.h>

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

bool awssts_uri_encode(struct awssts_buf *out, const char *s, size_t len, bool keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_unreserved(c) || (keep_slash && c == '/')) {
            if (!awssts_buf_putc(out, (char)c))
                return false;
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 0x0f]};
            if (!awssts_buf_append(out, esc, 3))
                return false;
        }
    }
    return !out->failed;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool awssts_uri_decode(struct awssts_buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%' && i + 2 < len) {
            int hi = hexval((unsigned char)s[i + 1]);
            int lo = hexval((unsigned char)s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                c = (char)(hi * 16 + lo);
                i += 2;
            }
        }
        if (!awssts_buf_putc(out, c))
            return false;
    }
    return !out->failed;
}

struct span {
    const char *p;
    size_t n;
};

bool awssts_uri_canonical_path(struct awssts_buf *out, const char *path)
{
    if (path == NULL || *path == '\0')
        return awssts_buf_putc(out, '/');

    size_t plen = strlen(path);
    size_t max_segs = 1;
    for (size_t i = 0; i < plen; i++)
        max_segs += (path[i] == '/');
    struct span *segs = calloc(max_segs, sizeof(*segs));
    if (segs == NULL) {
        out->failed = true;
        return false;
    }

    size_t nsegs = 0;
    const char *p = path;
    const char *end = path + plen;
    while (p < end) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *stop = slash ? slash : end;
        size_t n = (size_t)(stop - p);
        if (n == 0 || (n == 1 && p[0] == '.')) {
            /* empty or "." segment: dropped */
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (nsegs > 0)
                nsegs--;
        } else {
            segs[nsegs].p = p;
            segs[nsegs].n = n;
            nsegs++;
        }
        p = slash ? slash + 1 : end;
    }

    bool ok = awssts_buf_putc(out, '/');
    for (size_t i = 0; ok && i < nsegs; i++) {
        if (i > 0)
            ok = awssts_buf_putc(out, '/');
        ok = ok && awssts_uri_encode(out, segs[i].p, segs[i].n, false);
    }
    /* A trailing slash is part of the resource name; keep it. */
    if (ok && nsegs > 0 && path[plen - 1] == '/')
        ok = awssts_buf_putc(out, '/');
    free(segs);
    return ok;
}

struct query_pair {
    char *key;
    char *value;
};

static int pair_cmp(const void *a, const void *b)
{
    const struct query_pair *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c != 0 ? c : strcmp(x->value, y->value);
}

/* Decode then re-encode one query component into a new string. */
static char *query_component(const char *s, size_t n)
{
    struct awssts_buf dec, enc;
    awssts_buf_init(&dec, 0);
    awssts_buf_init(&enc, 0);
    if (!awssts_uri_decode(&dec, s, n) || !awssts_buf_append(&dec, "", 0) ||
        !awssts_uri_encode(&enc, dec.data, dec.len, false) || !awssts_buf_append(&enc, "", 0)) {
        awssts_buf_free(&dec);
        awssts_buf_free(&enc);
        return NULL;
    }
    awssts_buf_free(&dec);
    return awssts_buf_steal(&enc);
}

bool awssts_uri_canonical_query(struct awssts_buf *out, const char *query)
{
    if (query == NULL || *query == '\0')
        return !out->failed;

    size_t qlen = strlen(query);
    size_t max_pairs = 1;
    for (size_t i = 0; i < qlen; i++)
        max_pairs += (query[i] == '&');
    struct query_pair *pairs = calloc(max_pairs, sizeof(*pairs));
    if (pairs == NULL) {
        out->failed = true;
        return false;
    }

    bool ok = true;
    size_t npairs = 0;
    const char *p = query;
    const char *end = query + qlen;
    while (ok && p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if (stop > p) {
            const char *eq = memchr(p, '=', (size_t)(stop - p));
            const char *kend = eq ? eq : stop;
            pairs[npairs].key = query_component(p, (size_t)(kend - p));
            pairs[npairs].value =
                eq ? query_component(eq + 1, (size_t)(stop - eq - 1)) : query_component("", 0);
            ok = pairs[npairs].key != NULL && pairs[npairs].value != NULL;
            npairs++;
        }
        p = amp ? amp + 1 : end;
    }

    if (ok) {
        qsort(pairs, npairs, sizeof(*pairs), pair_cmp);
        for (size_t i = 0; ok && i < npairs; i++)
            ok = awssts_buf_printf(out, "%s%s=%s", i ? "&" : "", pairs[i].key, pairs[i].value);
    }
    for (size_t i = 0; i < npairs; i++) {
        awssts_secret_free(pairs[i].key);
        awssts_secret_free(pairs[i].value);
    }
    free(pairs);
    if (!ok)
        out->failed = true;
    return ok;
}

bool awssts_uri_without_userinfo(const char *url, char *out, size_t len)
{
    const char *scheme_end = strstr(url, "://");
    const char *auth = scheme_end ? scheme_end + 3 : url;
    size_t auth_len = strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *p = auth; p < auth + auth_len; p++)
        if (*p == '@')
            at = p;
    size_t head = (size_t)(auth - url);
    const char *rest = at ? at + 1 : auth;
    size_t need = head + strlen(rest);
    if (need >= len)
        return false;
    memcpy(out, url, head);
    memcpy(out + head, rest, strlen(rest) + 1);
    return true;
}
