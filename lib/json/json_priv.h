/* Internal to lib/json*.c: handles as json-c objects, and the checks json-c
 * does not make. */
#ifndef AWSSTS_JSON_PRIV_H
#define AWSSTS_JSON_PRIV_H

#include "json/json.h"

#include <json-c/json_object.h>

/* struct awssts_json is never defined: a handle is a json-c object. */
static inline struct json_object *awssts_json_jo(struct awssts_json *j)
{
    return (struct json_object *)j;
}

static inline const struct json_object *awssts_json_cjo(const struct awssts_json *j)
{
    return (const struct json_object *)j;
}

static inline struct awssts_json *awssts_json_handle(struct json_object *o)
{
    return (struct awssts_json *)o;
}

/* Bytes in the well-formed UTF-8 sequence at s[0..len) (1 to 4), or 0 when
 * it is not one: overlong forms, surrogates and code points past U+10FFFF
 * are not. */
size_t awssts_json_utf8_seq(const unsigned char *s, size_t len);

/* Offset of the first byte that is not well-formed UTF-8, or len. */
size_t awssts_json_utf8_check(const char *s, size_t len);

/* How many bytes of name to show in a detail: at most 64, whole characters. */
int awssts_json_name_width(const char *name);

/*
 * Before json-c reads text[0..len) (UTF-8 without NUL): refuse what json-c
 * lets through (see awssts_json_parse), and a text that is cut off, nested
 * too deep, not one object. AWSSTS_E_BAD_RESPONSE with the detail; json-c
 * checks the grammar.
 */
awssts_err awssts_json_strict_check(const char *text, size_t len, struct awssts_error_info *ei);

/* "a string", "an object", ... for details. */
const char *awssts_json_type_phrase(const struct json_object *o);

#endif
