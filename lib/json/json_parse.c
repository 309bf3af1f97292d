/*
 * Reading a JSON document with json-c, bounded and strict. json-c's
 * tokenizer gathers every string in a buffer of its own that it grows with
 * realloc and frees without clearing; so before the text it reads a filler
 * string as long as the text (the buffer then never has to move) and after
 * it the same string again, over whatever the text left there.
 */
#include "json/json_priv.h"
#include "util/error_set.h"

#include <json-c/json_tokener.h>
#include <stdlib.h>
#include <string.h>

/* "xxx...": n x's in quotes, a JSON string json-c reads into its buffer. */
static char *filler_string(size_t n)
{
    char *s = malloc(n + 2);
    if (s != NULL) {
        memset(s, 'x', n + 2);
        s[0] = '"';
        s[n + 1] = '"';
    }
    return s;
}

/* Have tok read filler (n + 2 bytes), then forget it. */
static void read_filler(struct json_tokener *tok, const char *filler, size_t n)
{
    json_tokener_reset(tok);
    json_object_put(json_tokener_parse_ex(tok, filler, (int)(n + 2)));
    json_tokener_reset(tok);
}

/* Why json-c refused the text. */
static awssts_err refused(struct json_tokener *tok, size_t len, struct awssts_error_info *ei)
{
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t at = json_tokener_get_parse_end(tok);
    if (e == json_tokener_continue || e == json_tokener_success)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                                "JSON text ends before its value does (%zu bytes)", len);
    if (e == json_tokener_error_depth)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                                "JSON nested deeper than %d levels (at byte %zu)",
                                AWSSTS_JSON_MAX_DEPTH, at);
    return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "not JSON at byte %zu: %s", at,
                            json_tokener_error_desc(e));
}

/* The checks made before json-c sees the text. */
static awssts_err check_bytes(const char *text, size_t len, struct awssts_error_info *ei)
{
    if (len > AWSSTS_JSON_MAX_SIZE)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "JSON text of %zu bytes, more than %zu",
                                len, AWSSTS_JSON_MAX_SIZE);
    const char *nul = memchr(text, '\0', len);
    if (nul != NULL)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "JSON text has a NUL byte at byte %zu",
                                (size_t)(nul - text));
    size_t bad = awssts_json_utf8_check(text, len);
    if (bad != len)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "JSON text is not UTF-8 at byte %zu",
                                bad);
    return awssts_json_strict_check(text, len, ei);
}

awssts_err awssts_json_parse(const char *text, size_t len, struct awssts_json **out,
                             struct awssts_error_info *ei)
{
    if (out == NULL || text == NULL)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON text: none, or no place for it");
    *out = NULL;
    if (len == 0)
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "JSON text is empty");
    awssts_err rc = check_bytes(text, len, ei);
    if (rc != AWSSTS_OK)
        return rc;

    struct json_tokener *tok = json_tokener_new_ex(AWSSTS_JSON_MAX_DEPTH);
    char *filler = filler_string(len);
    if (tok == NULL || filler == NULL) {
        json_tokener_free(tok);
        free(filler);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, "JSON reader");
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    read_filler(tok, filler, len);
    struct json_object *o = json_tokener_parse_ex(tok, text, (int)len);
    if (o == NULL)
        rc = refused(tok, len, ei);
    else if (json_tokener_get_parse_end(tok) != len) /* strict mode refuses it already */
        rc = awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "JSON text goes on after byte %zu",
                              json_tokener_get_parse_end(tok));
    read_filler(tok, filler, len);
    json_tokener_free(tok);
    free(filler);

    struct awssts_json *doc = awssts_json_handle(o);
    if (rc == AWSSTS_OK && json_object_get_type(o) != json_type_object)
        rc = awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "JSON text is %s, not an object",
                              awssts_json_type_phrase(o));
    if (rc != AWSSTS_OK) {
        awssts_json_free(doc);
        return rc;
    }
    *out = doc;
    return AWSSTS_OK;
}
