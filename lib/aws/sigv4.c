/* SigV4: canonical request, string to sign, signing key, Authorization. */
#include "awssts/sigv4.h"
#include "awssts/secret.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/error_set.h"
#include "util/text.h"
#include "aws/uri.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"

struct canon_header {
    char *name;   /* lower case */
    char *value;  /* trimmed, inner runs of white space folded to one space */
    size_t order; /* position in the request, so duplicates keep their order */
};

static bool is_token_char(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != ':' && c != '(' && c != ')' && c != ',' && c != ';' &&
           c != '"' && c != '/' && c != '[' && c != ']' && c != '?' && c != '=' && c != '{' &&
           c != '}' && c != '\\' && c != '<' && c != '>' && c != '@';
}

static char *lower_dup(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d == NULL)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        d[i] = (char)tolower((unsigned char)s[i]);
    return d;
}

static char *fold_value(const char *s)
{
    struct awssts_buf b;
    awssts_buf_init(&b, 0);
    bool pending_space = false;
    for (; *s != '\0'; s++) {
        if (*s == ' ' || *s == '\t') {
            pending_space = b.len > 0;
            continue;
        }
        if (pending_space)
            awssts_buf_putc(&b, ' ');
        pending_space = false;
        awssts_buf_putc(&b, *s);
    }
    return awssts_buf_steal(&b);
}

static int header_cmp(const void *a, const void *b)
{
    const struct canon_header *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c != 0)
        return c;
    return (x->order > y->order) - (x->order < y->order);
}

static void free_headers(struct canon_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].name);
        awssts_secret_free(h[i].value);
    }
    free(h);
}

static awssts_err check_params(const struct awssts_sigv4_params *p, struct awssts_error_info *ei)
{
    if (p->access_key_id == NULL || *p->access_key_id == '\0' || p->secret_access_key == NULL ||
        *p->secret_access_key == '\0')
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "sigv4: access key missing");
    const char *scoped[] = {p->access_key_id, p->region, p->service};
    for (size_t i = 0; i < 3; i++) {
        const char *s = scoped[i];
        if (s == NULL || *s == '\0' || strpbrk(s, "/ \t\r\n,=") != NULL)
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                    "sigv4: key id, region or service empty or with a separator");
    }
    const char *d = p->amz_date;
    if (d == NULL || strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "sigv4: date must be YYYYMMDDTHHMMSSZ");
    for (size_t i = 0; i < 15; i++)
        if (i != 8 && !isdigit((unsigned char)d[i]))
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                    "sigv4: date must be YYYYMMDDTHHMMSSZ");
    return AWSSTS_OK;
}

/* Canonical headers block and the signed-headers list. */
static awssts_err canonical_headers(const struct awssts_sigv4_request *req,
                                    struct awssts_buf *block, struct awssts_buf *signed_list,
                                    struct awssts_error_info *ei)
{
    struct canon_header *h = calloc(req->n_headers ? req->n_headers : 1, sizeof(*h));
    if (h == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);

    awssts_err rc = AWSSTS_OK;
    for (size_t i = 0; i < req->n_headers && rc == AWSSTS_OK; i++) {
        const struct awssts_header *in = &req->headers[i];
        if (in->name == NULL || in->value == NULL || *in->name == '\0' ||
            !awssts_text_all(in->name, is_token_char)) {
            rc = awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                  "sigv4: header %zu has an invalid name", i);
            break;
        }
        for (const char *v = in->value; *v; v++)
            if (((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7f) {
                rc = awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                      "sigv4: header %s has a control character", in->name);
                break;
            }
        if (rc != AWSSTS_OK)
            break;
        h[i].name = lower_dup(in->name);
        h[i].value = fold_value(in->value);
        h[i].order = i;
        if (h[i].name == NULL || h[i].value == NULL)
            rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    if (rc != AWSSTS_OK) {
        free_headers(h, req->n_headers);
        return rc;
    }

    qsort(h, req->n_headers, sizeof(*h), header_cmp);
    for (size_t i = 0; i < req->n_headers; i++) {
        bool same_as_prev = i > 0 && strcmp(h[i].name, h[i - 1].name) == 0;
        if (same_as_prev) {
            awssts_buf_printf(block, ",%s", h[i].value);
            continue;
        }
        if (i > 0)
            awssts_buf_putc(block, '\n');
        awssts_buf_printf(block, "%s:%s", h[i].name, h[i].value);
        awssts_buf_printf(signed_list, "%s%s", signed_list->len ? ";" : "", h[i].name);
    }
    awssts_buf_putc(block, '\n');
    free_headers(h, req->n_headers);
    if (block->failed || signed_list->failed)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    return AWSSTS_OK;
}

static bool derive_signing_key(const struct awssts_sigv4_params *p,
                               unsigned char key[AWSSTS_SHA256_LEN])
{
    size_t slen = strlen(p->secret_access_key);
    char *k = malloc(slen + 5);
    if (k == NULL)
        return false;
    snprintf(k, slen + 5, "AWS4%s", p->secret_access_key);

    unsigned char a[AWSSTS_SHA256_LEN], b[AWSSTS_SHA256_LEN];
    bool ok = awssts_hmac_sha256(k, slen + 4, p->amz_date, 8, a) &&
              awssts_hmac_sha256(a, sizeof(a), p->region, strlen(p->region), b) &&
              awssts_hmac_sha256(b, sizeof(b), p->service, strlen(p->service), a) &&
              awssts_hmac_sha256(a, sizeof(a), "aws4_request", 12, key);
    awssts_secret_free(k);
    awssts_memzero(a, sizeof(a));
    awssts_memzero(b, sizeof(b));
    return ok;
}

AWSSTS_API awssts_err awssts_sigv4_sign(const struct awssts_sigv4_request *req,
                                        const struct awssts_sigv4_params *params,
                                        struct awssts_sigv4_result *out,
                                        struct awssts_error_info *ei)
{
    if (req == NULL || params == NULL || out == NULL || req->method == NULL ||
        (req->n_headers > 0 && req->headers == NULL) || (req->body_len > 0 && req->body == NULL))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "sigv4: missing request");
    memset(out, 0, sizeof(*out));
    awssts_err rc = check_params(params, ei);
    if (rc != AWSSTS_OK)
        return rc;

    struct awssts_buf creq, hblock, signed_list, sts, authz;
    awssts_buf_init(&creq, 0);
    awssts_buf_init(&hblock, 0);
    awssts_buf_init(&signed_list, 0);
    awssts_buf_init(&sts, 0);
    awssts_buf_init(&authz, 0);

    rc = canonical_headers(req, &hblock, &signed_list, ei);
    if (rc != AWSSTS_OK)
        goto done;

    unsigned char digest[AWSSTS_SHA256_LEN];
    char payload_hex[2 * AWSSTS_SHA256_LEN + 1];
    char creq_hex[2 * AWSSTS_SHA256_LEN + 1];
    if (!awssts_sha256(req->body_len ? req->body : "", req->body_len, digest)) {
        rc = awssts_error_set(ei, AWSSTS_E_INTERNAL, "sigv4: SHA-256 failed");
        goto done;
    }
    awssts_hex(digest, sizeof(digest), payload_hex);

    awssts_buf_printf(&creq, "%s\n", req->method);
    awssts_uri_canonical_path(&creq, req->path);
    awssts_buf_putc(&creq, '\n');
    awssts_uri_canonical_query(&creq, req->query);
    awssts_buf_printf(&creq, "\n%s\n%s\n%s", hblock.data, signed_list.data, payload_hex);
    if (creq.failed) {
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
        goto done;
    }

    if (!awssts_sha256(creq.data, creq.len, digest)) {
        rc = awssts_error_set(ei, AWSSTS_E_INTERNAL, "sigv4: SHA-256 failed");
        goto done;
    }
    awssts_hex(digest, sizeof(digest), creq_hex);
    awssts_buf_printf(&sts, SIGV4_ALGORITHM "\n%s\n%.8s/%s/%s/aws4_request\n%s", params->amz_date,
                      params->amz_date, params->region, params->service, creq_hex);

    unsigned char key[AWSSTS_SHA256_LEN], sig[AWSSTS_SHA256_LEN];
    char sig_hex[2 * AWSSTS_SHA256_LEN + 1];
    bool ok = !sts.failed && derive_signing_key(params, key) &&
              awssts_hmac_sha256(key, sizeof(key), sts.data, sts.len, sig);
    awssts_memzero(key, sizeof(key));
    if (!ok) {
        rc = awssts_error_set(ei, sts.failed ? AWSSTS_E_NOMEM : AWSSTS_E_INTERNAL,
                              "sigv4: signing failed");
        goto done;
    }
    awssts_hex(sig, sizeof(sig), sig_hex);
    awssts_buf_printf(&authz,
                      SIGV4_ALGORITHM " Credential=%s/%.8s/%s/%s/aws4_request, "
                                      "SignedHeaders=%s, Signature=%s",
                      params->access_key_id, params->amz_date, params->region, params->service,
                      signed_list.data, sig_hex);
    if (authz.failed) {
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
        goto done;
    }
    out->canonical_request = awssts_buf_steal(&creq);
    out->string_to_sign = awssts_buf_steal(&sts);
    out->authorization = awssts_buf_steal(&authz);

done:
    awssts_buf_free(&creq);
    awssts_buf_free(&hblock);
    awssts_buf_free(&signed_list);
    awssts_buf_free(&sts);
    awssts_buf_free(&authz);
    return rc;
}

AWSSTS_API void awssts_sigv4_result_free(struct awssts_sigv4_result *r)
{
    if (r == NULL)
        return;
    /* The canonical request carries the session token when one is signed. */
    awssts_secret_free(r->canonical_request);
    awssts_secret_free(r->string_to_sign);
    awssts_secret_free(r->authorization);
    memset(r, 0, sizeof(*r));
}

AWSSTS_API awssts_err awssts_sigv4_amz_date(long long t, char buf[17])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL || strftime(buf, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
        return AWSSTS_E_INVALID_ARGUMENT;
    return AWSSTS_OK;
}
