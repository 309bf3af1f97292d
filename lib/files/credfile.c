/* Credentials file, line-preserving. Every line is kept as text with what it
 * is; values are found by section and key on demand. */
#include "awssts/credfile.h"
#include "awssts/secret.h"
#include "awssts/timeutil.h"
#include "util/buf.h"
#include "util/error_set.h"
#include "util/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum line_kind { LINE_OTHER, LINE_SECTION, LINE_KEY };

struct cf_line {
    char *text; /* the line as written, without newline */
    enum line_kind kind;
    char *name;     /* section name, or key (as written) */
    char *value;    /* trimmed value for LINE_KEY */
    size_t section; /* index of the owning LINE_SECTION, or SIZE_MAX */
};

struct awssts_credfile {
    struct cf_line *lines;
    size_t n, cap;
};

#define NO_SECTION ((size_t)-1)

AWSSTS_API struct awssts_credfile *awssts_credfile_new(void)
{
    return calloc(1, sizeof(struct awssts_credfile));
}

static void line_free(struct cf_line *l)
{
    awssts_secret_free(l->text);
    free(l->name);
    awssts_secret_free(l->value);
    memset(l, 0, sizeof(*l));
}

AWSSTS_API void awssts_credfile_free(struct awssts_credfile *cf)
{
    if (cf == NULL)
        return;
    for (size_t i = 0; i < cf->n; i++)
        line_free(&cf->lines[i]);
    free(cf->lines);
    free(cf);
}

static char *dup_span(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static bool valid_key(const char *s, size_t n)
{
    if (n == 0 || n > 128)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
            return false;
    return true;
}

static bool valid_section(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 128 && strpbrk(s, "[]\r\n") == NULL && !awssts_text_has_ctl(s, n);
}

/* Insert an empty line slot at position pos; fix section indexes after it. */
static struct cf_line *insert_line(struct awssts_credfile *cf, size_t pos)
{
    if (cf->n == cf->cap) {
        size_t cap = cf->cap ? cf->cap * 2 : 32;
        struct cf_line *l = realloc(cf->lines, cap * sizeof(*l));
        if (l == NULL)
            return NULL;
        cf->lines = l;
        cf->cap = cap;
    }
    memmove(&cf->lines[pos + 1], &cf->lines[pos], (cf->n - pos) * sizeof(*cf->lines));
    cf->n++;
    for (size_t i = pos + 1; i < cf->n; i++)
        if (cf->lines[i].section != NO_SECTION && cf->lines[i].section >= pos)
            cf->lines[i].section++;
    memset(&cf->lines[pos], 0, sizeof(*cf->lines));
    cf->lines[pos].section = NO_SECTION;
    return &cf->lines[pos];
}

static void delete_line(struct awssts_credfile *cf, size_t pos)
{
    line_free(&cf->lines[pos]);
    memmove(&cf->lines[pos], &cf->lines[pos + 1], (cf->n - pos - 1) * sizeof(*cf->lines));
    cf->n--;
    for (size_t i = pos; i < cf->n; i++)
        if (cf->lines[i].section != NO_SECTION && cf->lines[i].section > pos)
            cf->lines[i].section--;
}

static size_t find_section(const struct awssts_credfile *cf, const char *section)
{
    for (size_t i = 0; i < cf->n; i++)
        if (cf->lines[i].kind == LINE_SECTION && strcmp(cf->lines[i].name, section) == 0)
            return i;
    return NO_SECTION;
}

static size_t find_key(const struct awssts_credfile *cf, size_t sec, const char *key)
{
    for (size_t i = sec + 1; i < cf->n && cf->lines[i].kind != LINE_SECTION; i++)
        if (cf->lines[i].kind == LINE_KEY && strcasecmp(cf->lines[i].name, key) == 0)
            return i;
    return NO_SECTION;
}

/* Classify one line; sets name/value for sections and keys. */
static awssts_err classify_line(struct awssts_credfile *cf, struct cf_line *l, size_t *current,
                                size_t index, size_t lineno, struct awssts_error_info *ei)
{
    const char *t = l->text;
    size_t n = 0;
    const char *s = awssts_text_span_trim(t, strlen(t), &n);
    l->section = *current;
    if (n == 0 || *s == '#' || *s == ';')
        return AWSSTS_OK;
    if (awssts_text_has_ctl(s, n))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "line %zu: control character", lineno);
    if (*s == '[') {
        if (s[n - 1] != ']')
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "line %zu: section header without ']'",
                                    lineno);
        size_t nn = 0;
        const char *name = awssts_text_span_trim(s + 1, n - 2, &nn);
        l->name = dup_span(name, nn);
        if (l->name == NULL)
            return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
        if (!valid_section(l->name))
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "line %zu: bad section name", lineno);
        if (find_section(cf, l->name) != NO_SECTION)
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "line %zu: section [%s] repeated", lineno,
                                    l->name);
        l->kind = LINE_SECTION;
        l->section = NO_SECTION;
        *current = index;
        return AWSSTS_OK;
    }
    if (isspace((unsigned char)t[0]) && *current != NO_SECTION)
        return AWSSTS_OK; /* continuation of a nested value: kept, not read */
    size_t klen = strcspn(s, "=:");
    if (klen >= n)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "line %zu: expected 'key = value'", lineno);
    if (*current == NO_SECTION)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "line %zu: key before any [section]", lineno);
    size_t kn = 0;
    const char *key = awssts_text_span_trim(s, klen, &kn);
    if (!valid_key(key, kn))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "line %zu: bad key name", lineno);
    size_t vn = 0;
    const char *val = awssts_text_span_trim(s + klen + 1, n - klen - 1, &vn);
    l->name = dup_span(key, kn);
    l->value = dup_span(val, vn);
    if (l->name == NULL || l->value == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    if (find_key(cf, *current, l->name) != NO_SECTION)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "line %zu: key %s repeated in [%s]", lineno,
                                l->name, cf->lines[*current].name);
    l->kind = LINE_KEY;
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_credfile_parse(const char *text, size_t len,
                                            struct awssts_credfile **out,
                                            struct awssts_error_info *ei)
{
    *out = NULL;
    struct awssts_credfile *cf = awssts_credfile_new();
    if (cf == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    awssts_err rc = AWSSTS_OK;
    size_t current = NO_SECTION;
    const char *p = text, *end = text + len;
    size_t lineno = 0;
    while (p < end && rc == AWSSTS_OK) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        /* n is 0 for an empty line (nl == p), whatever cppcheck infers */
        // cppcheck-suppress knownConditionTrueFalse
        size_t keep = (n > 0 && p[n - 1] == '\r') ? n - 1 : n;
        lineno++;
        struct cf_line *l = insert_line(cf, cf->n);
        if (l == NULL || (l->text = dup_span(p, keep)) == NULL) {
            rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
            break;
        }
        if (memchr(l->text, '\0', keep) != NULL)
            rc = awssts_error_set(ei, AWSSTS_E_CONFIG, "line %zu: NUL byte", lineno);
        else
            rc = classify_line(cf, l, &current, cf->n - 1, lineno, ei);
        p = nl ? nl + 1 : end;
    }
    if (rc != AWSSTS_OK) {
        awssts_credfile_free(cf);
        return rc;
    }
    *out = cf;
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_credfile_load(int dirfd, const char *path,
                                           const struct awssts_file_policy *policy,
                                           struct awssts_credfile **out,
                                           struct awssts_error_info *ei)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    awssts_err rc = awssts_file_read(dirfd, path, policy, &text, &len, ei);
    if (rc != AWSSTS_OK)
        return rc;
    rc = awssts_credfile_parse(text, len, out, ei);
    awssts_secret_free(text);
    return rc;
}

AWSSTS_API const char *awssts_credfile_get(const struct awssts_credfile *cf, const char *section,
                                           const char *key)
{
    size_t s = find_section(cf, section);
    if (s == NO_SECTION)
        return NULL;
    size_t k = find_key(cf, s, key);
    return k == NO_SECTION ? NULL : cf->lines[k].value;
}

AWSSTS_API int awssts_credfile_has_section(const struct awssts_credfile *cf, const char *section)
{
    return find_section(cf, section) != NO_SECTION;
}

AWSSTS_API awssts_err awssts_credfile_set(struct awssts_credfile *cf, const char *section,
                                          const char *key, const char *value,
                                          struct awssts_error_info *ei)
{
    if (section == NULL || !valid_section(section) || key == NULL || !valid_key(key, strlen(key)) ||
        value == NULL || awssts_text_has_ctl(value, strlen(value)))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "credentials file: bad section, key or value");
    char *text = NULL;
    struct awssts_buf b;
    awssts_buf_init(&b, 0);
    awssts_buf_printf(&b, "%s = %s", key, value);
    text = awssts_buf_steal(&b);
    char *name = strdup(key);
    char *val = awssts_secret_dup(value);
    if (text == NULL || name == NULL || val == NULL)
        goto nomem;

    size_t s = find_section(cf, section);
    if (s == NO_SECTION) {
        /* A blank line before a new section, unless the file is empty or ends blank. */
        if (cf->n > 0 && cf->lines[cf->n - 1].text[0] != '\0') {
            struct cf_line *blank = insert_line(cf, cf->n);
            if (blank == NULL || (blank->text = strdup("")) == NULL)
                goto nomem;
        }
        struct cf_line *h = insert_line(cf, cf->n);
        if (h == NULL)
            goto nomem;
        struct awssts_buf hb;
        awssts_buf_init(&hb, 0);
        awssts_buf_printf(&hb, "[%s]", section);
        h->text = awssts_buf_steal(&hb);
        h->name = strdup(section);
        h->kind = LINE_SECTION;
        if (h->text == NULL || h->name == NULL)
            goto nomem;
        s = cf->n - 1;
    }
    size_t k = find_key(cf, s, key);
    if (k != NO_SECTION) {
        struct cf_line *l = &cf->lines[k];
        awssts_secret_free(l->text);
        awssts_secret_free(l->value);
        free(l->name);
        l->text = text;
        l->value = val;
        l->name = name;
        return AWSSTS_OK;
    }
    /* After the section's last key, before trailing blanks and comments. */
    size_t pos = s + 1;
    for (size_t i = s + 1; i < cf->n && cf->lines[i].kind != LINE_SECTION; i++)
        if (cf->lines[i].kind == LINE_KEY)
            pos = i + 1;
    struct cf_line *l = insert_line(cf, pos);
    if (l == NULL)
        goto nomem;
    l->text = text;
    l->name = name;
    l->value = val;
    l->kind = LINE_KEY;
    l->section = s;
    return AWSSTS_OK;

nomem:
    awssts_secret_free(text);
    free(name);
    awssts_secret_free(val);
    return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
}

AWSSTS_API void awssts_credfile_unset(struct awssts_credfile *cf, const char *section,
                                      const char *key)
{
    size_t s = find_section(cf, section);
    if (s == NO_SECTION)
        return;
    size_t k = find_key(cf, s, key);
    if (k != NO_SECTION)
        delete_line(cf, k);
}

AWSSTS_API void awssts_credfile_remove_section(struct awssts_credfile *cf, const char *section)
{
    size_t s = find_section(cf, section);
    if (s == NO_SECTION)
        return;
    size_t end = s + 1;
    while (end < cf->n && cf->lines[end].kind != LINE_SECTION)
        end++;
    while (end > s)
        delete_line(cf, --end);
}

AWSSTS_API awssts_err awssts_credfile_serialize(const struct awssts_credfile *cf, char **out,
                                                size_t *len)
{
    struct awssts_buf b;
    awssts_buf_init(&b, 0);
    for (size_t i = 0; i < cf->n; i++) {
        awssts_buf_puts(&b, cf->lines[i].text);
        awssts_buf_putc(&b, '\n');
    }
    if (len != NULL)
        *len = b.len;
    *out = awssts_buf_steal(&b);
    return *out == NULL ? AWSSTS_E_NOMEM : AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_credfile_save(const struct awssts_credfile *cf, int dirfd,
                                           const char *name, mode_t mode,
                                           struct awssts_error_info *ei)
{
    char *text = NULL;
    size_t len = 0;
    if (awssts_credfile_serialize(cf, &text, &len) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    awssts_err rc = awssts_file_write_atomic(dirfd, name, text, len, mode, ei);
    awssts_secret_free(text);
    return rc;
}

AWSSTS_API awssts_err awssts_credfile_put_credentials(struct awssts_credfile *cf,
                                                      const char *section,
                                                      const struct awssts_credentials *cr,
                                                      const char *role_arn,
                                                      struct awssts_error_info *ei)
{
    char exp[20];
    if (cr == NULL || cr->access_key_id == NULL || cr->secret_access_key == NULL ||
        cr->session_token == NULL || awssts_time_format_mfa(cr->expiration, exp) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "incomplete credentials");
    const char *pairs[][2] = {
        {"assumed_role", role_arn ? "True" : "False"},    {"aws_access_key_id", cr->access_key_id},
        {"aws_secret_access_key", cr->secret_access_key}, {"aws_session_token", cr->session_token},
        {"aws_security_token", cr->session_token},        {"expiration", exp},
    };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        awssts_err rc = awssts_credfile_set(cf, section, pairs[i][0], pairs[i][1], ei);
        if (rc != AWSSTS_OK)
            return rc;
    }
    if (role_arn != NULL)
        return awssts_credfile_set(cf, section, "assumed_role_arn", role_arn, ei);
    awssts_credfile_unset(cf, section, "assumed_role_arn");
    return AWSSTS_OK;
}
