/*
 * Internal: JSON objects over json-c, for what the project writes
 * (credential_process, awssts status --json, the module's audit line) and
 * reads (SSM responses and parameter values). Not exported from the .so.
 *
 * A document is a tree of objects whose members are strings, integers,
 * booleans, null or objects. A handle is valid until awssts_json_free of the
 * document it belongs to; only what awssts_json_new or awssts_json_parse
 * returned is freed. Freeing zeroes every string in the tree first, so
 * values may be secrets. What json-c may still leave behind is listed in
 * docs/libawssts.md ("JSON").
 */
#ifndef AWSSTS_JSON_H
#define AWSSTS_JSON_H

#include "awssts/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The reader refuses texts longer than this and nesting deeper than this
 * (the outermost object is level 1). SSM responses are a few KiB, two deep. */
#define AWSSTS_JSON_MAX_SIZE  ((size_t)64 * 1024)
#define AWSSTS_JSON_MAX_DEPTH 8

/* A JSON object: the document itself or one nested in it. */
struct awssts_json;

/* ---- writing ---- */

/* A new empty document (an object). */
awssts_err awssts_json_new(struct awssts_json **out, struct awssts_error_info *ei);

/* Zero every string in the document, then free it. NULL is fine. */
void awssts_json_free(struct awssts_json *doc);

/*
 * Add a member at the end of obj. A name given twice is refused
 * (AWSSTS_E_INTERNAL); a name that is not UTF-8, or a name or value longer
 * than 1 MiB, is AWSSTS_E_INVALID_ARGUMENT. A NULL string value adds null.
 * Bytes of a value that are not UTF-8 are written as U+FFFD, so the text is
 * JSON whatever a user name holds.
 */
awssts_err awssts_json_add_string(struct awssts_json *obj, const char *name, const char *value,
                                  struct awssts_error_info *ei);
awssts_err awssts_json_add_int(struct awssts_json *obj, const char *name, int64_t value,
                               struct awssts_error_info *ei);
awssts_err awssts_json_add_bool(struct awssts_json *obj, const char *name, bool value,
                                struct awssts_error_info *ei);
awssts_err awssts_json_add_null(struct awssts_json *obj, const char *name,
                                struct awssts_error_info *ei);
/* Add an empty object; *child stays owned by obj. */
awssts_err awssts_json_add_object(struct awssts_json *obj, const char *name,
                                  struct awssts_json **child, struct awssts_error_info *ei);

enum awssts_json_style {
    AWSSTS_JSON_LINE,   /* {"a":1,"b":"x"}: one line, for a log */
    AWSSTS_JSON_PRETTY, /* two-space indent, "name": value; no final newline */
};

/*
 * The document as text, members in the order they were added; "/" is not
 * escaped. *text is for awssts_secret_free (it may hold secrets); len may be
 * NULL. json-c's own output buffer is sized before and zeroed after.
 */
awssts_err awssts_json_serialize(struct awssts_json *doc, enum awssts_json_style style, char **text,
                                 size_t *len, struct awssts_error_info *ei);

/* ---- reading ---- */

/*
 * Parse text[0..len) into a document, which must be an object. Refused
 * (AWSSTS_E_BAD_RESPONSE, the detail saying why and where, never a value):
 * more than AWSSTS_JSON_MAX_SIZE bytes, nesting deeper than
 * AWSSTS_JSON_MAX_DEPTH, a NUL byte or \u0000, bytes that are not UTF-8 or an
 * unpaired surrogate escape, text after the object, a member name given twice
 * in one object, a truncated text, and what json-c lets through but JSON is
 * not: single-quoted names, unescaped control characters in strings, NaN and
 * Infinity, numbers like "1.", integers outside int64 and numbers that
 * overflow a double.
 */
awssts_err awssts_json_parse(const char *text, size_t len, struct awssts_json **out,
                             struct awssts_error_info *ei);

/* True when obj has a member of that name, whatever its type. */
bool awssts_json_has(const struct awssts_json *obj, const char *name);

/*
 * The string member name of obj; *value lives as long as the document.
 * AWSSTS_E_BAD_RESPONSE when it is missing or of another type, the detail
 * naming the member and what it is ("member \"Value\" is a number, not a
 * string").
 */
awssts_err awssts_json_get_string(const struct awssts_json *obj, const char *name,
                                  const char **value, struct awssts_error_info *ei);

/* The object member name of obj; errors as for awssts_json_get_string. */
awssts_err awssts_json_get_object(const struct awssts_json *obj, const char *name,
                                  const struct awssts_json **child, struct awssts_error_info *ei);

/*
 * The member names of an object in document order:
 *     struct awssts_json_iter it;
 *     const char *name;
 *     awssts_json_iter_init(obj, &it);
 *     while (awssts_json_iter_next(&it, &name)) ...
 */
struct lh_entry;
struct awssts_json_iter {
    const struct lh_entry *next;
};
void awssts_json_iter_init(const struct awssts_json *obj, struct awssts_json_iter *it);
bool awssts_json_iter_next(struct awssts_json_iter *it, const char **name);

/* AWSSTS_E_BAD_RESPONSE naming the first member of obj that is not in
 * allowed (NULL-terminated): for callers that refuse what they do not know. */
awssts_err awssts_json_only_members(const struct awssts_json *obj, const char *const *allowed,
                                    struct awssts_error_info *ei);

#endif
