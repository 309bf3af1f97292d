/* STS's rules for session tags, for the configuration and the STS client. */
#include "rules/tag_rules.h"
#include "awssts/validate.h"
#include "util/error_set.h"

#include <stdbool.h>
#include <string.h>

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Tag keys as STS compares them: without case (ASCII only, by then). */
static bool same_key(const char *a, const char *b)
{
    for (; *a != '\0' && ascii_lower(*a) == ascii_lower(*b); a++, b++)
        ;
    return ascii_lower(*a) == ascii_lower(*b);
}

/* Why a key that awssts_valid_tag_key refused is wrong. */
static const char *key_problem(const char *key)
{
    size_t n = strlen(key);
    if (n == 0)
        return "an empty key";
    if (n > AWSSTS_TAG_KEY_MAX)
        return "a key longer than 128 characters";
    if (n >= 4 && ascii_lower(key[0]) == 'a' && ascii_lower(key[1]) == 'w' &&
        ascii_lower(key[2]) == 's' && key[3] == ':')
        return "a key beginning with aws:, a prefix AWS keeps for itself";
    return "a key with a character other than ASCII letters, digits, space and _.:/=+-@";
}

/*
 * STS's rules for Tags and TransitiveTagKeys, checked here so that a bad
 * tag costs no round trip (and no MFA code). A tag is named by its place
 * and, once its key is known to be printable, by its key; never by a
 * value. The packed size of policies and tags together is STS's to check.
 */
awssts_err awssts_session_tags_check(const struct awssts_tag *tags, size_t n_tags,
                                     const char *const *transitive, size_t n_transitive,
                                     struct awssts_error_info *ei)
{
    /* The request's names, so that the rules below read as STS's. */
    const struct {
        const struct awssts_tag *tags;
        size_t n_tags;
        const char *const *transitive_tag_keys;
        size_t n_transitive_tag_keys;
    } r = {tags, n_tags, transitive, n_transitive}, *req = &r;
    if (req->n_tags > 0 && req->tags == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "AssumeRole: %zu session tags but no array of them", req->n_tags);
    if (req->n_transitive_tag_keys > 0 && req->transitive_tag_keys == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "AssumeRole: %zu transitive tag keys but no array of them",
                                req->n_transitive_tag_keys);
    if (req->n_tags > AWSSTS_MAX_SESSION_TAGS)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "%zu session tags, STS takes at most %d", req->n_tags,
                                AWSSTS_MAX_SESSION_TAGS);
    if (req->n_transitive_tag_keys > AWSSTS_MAX_SESSION_TAGS)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "%zu transitive tag keys, STS takes at most %d",
                                req->n_transitive_tag_keys, AWSSTS_MAX_SESSION_TAGS);
    for (size_t i = 0; i < req->n_tags; i++) {
        const struct awssts_tag *t = &req->tags[i];
        if (t->key == NULL)
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "session tag %zu has no key",
                                    i + 1);
        if (!awssts_valid_tag_key(t->key))
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "session tag %zu has %s", i + 1,
                                    key_problem(t->key));
        if (t->value == NULL)
            return awssts_error_set(
                ei, AWSSTS_E_INVALID_ARGUMENT,
                "session tag %zu (key \"%s\") has no value (\"\" for an empty one)", i + 1, t->key);
        if (!awssts_valid_tag_value(t->value))
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                    "session tag %zu (key \"%s\") has a value %s", i + 1, t->key,
                                    strlen(t->value) > AWSSTS_TAG_VALUE_MAX
                                        ? "longer than 256 characters"
                                        : "with a character other than ASCII letters, digits, "
                                          "space and _.:/=+-@");
        for (size_t j = 0; j < i; j++)
            if (same_key(req->tags[j].key, t->key))
                return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                        "session tags %zu and %zu have the same key \"%s\" "
                                        "(STS compares tag keys without case)",
                                        j + 1, i + 1, t->key);
    }
    for (size_t i = 0; i < req->n_transitive_tag_keys; i++) {
        const char *k = req->transitive_tag_keys[i];
        if (k == NULL || !awssts_valid_tag_key(k))
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "transitive tag key %zu has %s",
                                    i + 1, k == NULL ? "no text" : key_problem(k));
        bool found = false;
        for (size_t j = 0; j < req->n_tags && !found; j++)
            found = same_key(req->tags[j].key, k);
        if (!found)
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                    "transitive tag key %zu (\"%s\") is not the key of a session "
                                    "tag of the request",
                                    i + 1, k);
    }
    return AWSSTS_OK;
}
