/* Parsing, checking and writing back the session tags of a login. */
#include "rules/session_tags.h"
#include "util/error_set.h"
#include "rules/tag_rules.h"
#include "rules/template.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A tag's strings are const for the request that borrows them, and ours. */
static void free_owned(const char *p)
{
    char *m;
    memcpy(&m, &p, sizeof(m));
    free(m);
}

void awssts_session_tags_free(struct awssts_session_tags *t)
{
    for (size_t i = 0; i < t->n_tags; i++) {
        free_owned(t->tags[i].key);
        free_owned(t->tags[i].value);
    }
    for (size_t i = 0; i < t->n_transitive; i++)
        free(t->transitive[i]);
    free(t->tags);
    free(t->transitive);
    memset(t, 0, sizeof(*t));
}

/* The next word of *p (spaces and tabs between); 0 at the end. */
static size_t next_word(const char **p)
{
    *p += strspn(*p, " \t");
    return strcspn(*p, " \t");
}

static awssts_err add_tag(struct awssts_session_tags *t, const char *word, size_t len,
                          const char *user, struct awssts_error_info *ei)
{
    const char *eq = memchr(word, '=', len);
    if (eq == NULL || eq == word)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "tags: '%.*s' is not KEY=VALUE",
                                (int)(len < 80 ? len : 80), word);
    /* One more than STS allows is kept, so that its check names the limit. */
    if (t->n_tags > AWSSTS_MAX_SESSION_TAGS)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "tags: more than %d, STS's limit",
                                AWSSTS_MAX_SESSION_TAGS);
    size_t klen = (size_t)(eq - word);
    char pattern[4 * AWSSTS_TAG_VALUE_MAX], value[4 * AWSSTS_TAG_VALUE_MAX];
    if (len - klen - 1 >= sizeof(pattern))
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "tags: %.*s's value is longer than %d characters",
                                (int)(klen < 80 ? klen : 80), word, AWSSTS_TAG_VALUE_MAX);
    memcpy(pattern, eq + 1, len - klen - 1);
    pattern[len - klen - 1] = '\0';
    if (user == NULL) {
        memcpy(value, pattern, sizeof(value));
    } else {
        struct awssts_error_info tei;
        awssts_error_info_reset(&tei);
        if (awssts_template_expand(pattern, user, value, sizeof(value), &tei) != AWSSTS_OK)
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "tags: %.*s: %s",
                                    (int)(klen < 80 ? klen : 80), word, tei.detail);
    }
    struct awssts_tag *grown = realloc(t->tags, (t->n_tags + 1) * sizeof(*grown));
    if (grown == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    t->tags = grown;
    /* Counted before it is complete, so that awssts_session_tags_free
     * takes what there is on every path. */
    struct awssts_tag *one = &t->tags[t->n_tags++];
    one->key = strndup(word, klen);
    one->value = one->key != NULL ? strdup(value) : NULL;
    return one->value != NULL ? AWSSTS_OK : awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
}

static awssts_err add_transitive(struct awssts_session_tags *t, const char *key, size_t len,
                                 struct awssts_error_info *ei)
{
    if (t->n_transitive > AWSSTS_MAX_SESSION_TAGS)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "transitive_tags: more than %d, STS's limit",
                                AWSSTS_MAX_SESSION_TAGS);
    char *k = strndup(key, len);
    char **v = k != NULL ? realloc(t->transitive, (t->n_transitive + 1) * sizeof(*v)) : NULL;
    if (v == NULL) {
        free(k);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    t->transitive = v;
    t->transitive[t->n_transitive++] = k;
    return AWSSTS_OK;
}

awssts_err awssts_session_tags_parse(const char *tags, const char *transitive, const char *user,
                                     struct awssts_session_tags *out, struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    awssts_err rc = AWSSTS_OK;
    const char *p = tags != NULL ? tags : "";
    for (size_t n; rc == AWSSTS_OK && (n = next_word(&p)) > 0; p += n)
        rc = add_tag(out, p, n, user, ei);
    p = transitive != NULL ? transitive : "";
    size_t n = next_word(&p);
    if (rc == AWSSTS_OK && n == 3 && strncasecmp(p, "all", 3) == 0 &&
        next_word(&(const char *){p + 3}) == 0) {
        for (size_t i = 0; rc == AWSSTS_OK && i < out->n_tags; i++)
            rc = add_transitive(out, out->tags[i].key, strlen(out->tags[i].key), ei);
    } else {
        for (; rc == AWSSTS_OK && (n = next_word(&p)) > 0; p += n)
            rc = add_transitive(out, p, n, ei);
    }
    if (rc == AWSSTS_OK) {
        struct awssts_error_info cei;
        awssts_error_info_reset(&cei);
        if (awssts_session_tags_check(out->tags, out->n_tags, (const char *const *)out->transitive,
                                      out->n_transitive, &cei) != AWSSTS_OK)
            rc = awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: %s",
                                  strncmp(cei.detail, "transitive", 10) == 0 ? "transitive_tags"
                                                                             : "tags",
                                  cei.detail);
    }
    if (rc != AWSSTS_OK)
        awssts_session_tags_free(out);
    return rc;
}

/* words joined by one space, each "a=b" or "a"; NULL for none. */
static char *join(const struct awssts_session_tags *t, bool pairs)
{
    size_t n = pairs ? t->n_tags : t->n_transitive, len = 1;
    if (n == 0)
        return NULL;
    for (size_t i = 0; i < n; i++)
        len += pairs ? strlen(t->tags[i].key) + strlen(t->tags[i].value) + 2
                     : strlen(t->transitive[i]) + 1;
    char *s = malloc(len), *o = s;
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *a = pairs ? t->tags[i].key : t->transitive[i];
        size_t al = strlen(a);
        memcpy(o, a, al);
        o += al;
        if (pairs) {
            size_t vl = strlen(t->tags[i].value);
            *o++ = '=';
            memcpy(o, t->tags[i].value, vl);
            o += vl;
        }
        *o++ = ' ';
    }
    o[-1] = '\0';
    return s;
}

awssts_err awssts_session_tags_format(const struct awssts_session_tags *t, char **tags,
                                      char **transitive)
{
    *tags = join(t, true);
    *transitive = join(t, false);
    if ((t->n_tags > 0 && *tags == NULL) || (t->n_transitive > 0 && *transitive == NULL)) {
        free(*tags);
        free(*transitive);
        *tags = *transitive = NULL;
        return AWSSTS_E_NOMEM;
    }
    return AWSSTS_OK;
}
