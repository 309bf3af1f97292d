/*
 * A JSON document as text. json-c writes into a buffer of its own, kept on
 * the object and grown with realloc, which would leave pieces of the text
 * (secrets in a credential_process document) in freed memory. So the buffer
 * is first grown, with blanks, to more than the text can need, the text
 * written and copied out, and the buffer zeroed. json-c hands its buffer
 * only to a serialiser function, so the growing and the zeroing are done by
 * one set on the object for a moment.
 */
#include "json/json_priv.h"
#include "awssts/secret.h"
#include "util/error_set.h"

#include <json-c/json_visit.h>
#include <json-c/printbuf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define INDENT     2  /* json-c's pretty indent per level */
#define SCALAR_MAX 64 /* an integer, a boolean, null, or a double as read */
#define SLACK      64 /* to spare: json-c moves its buffer when a write would fill it */

/* More than the text of a document can take, in either style, summed over
 * a visit of json-c's. json-c escapes a byte into at most six ("\u001f"). */
struct estimate {
    size_t total;
    size_t level; /* of the members being visited */
};

static int estimate_node(struct json_object *o, int flags, struct json_object *parent,
                         const char *key, size_t *index, void *arg)
{
    (void)parent;
    (void)index;
    struct estimate *e = arg;
    if (flags & JSON_C_VISIT_SECOND) { /* a container's end: new line, indent, bracket */
        e->level--;
        e->total += INDENT * e->level + 8;
        return JSON_C_VISIT_RETURN_CONTINUE;
    }
    if (e->level > 0) /* a member's line: indent, name, separators */
        e->total += INDENT * e->level + (key != NULL ? 6 * strlen(key) + 2 : 0) + 8;
    switch (json_object_get_type(o)) {
    case json_type_string:
        e->total += 6 * (size_t)json_object_get_string_len(o) + 2;
        break;
    case json_type_object:
    case json_type_array:
        e->total += 8;
        e->level++;
        break;
    default:
        e->total += SCALAR_MAX;
        break;
    }
    return JSON_C_VISIT_RETURN_CONTINUE;
}

static size_t bound(struct json_object *o)
{
    struct estimate e = {0, 0};
    json_c_visit(o, 0, estimate_node, &e);
    return e.total;
}

struct fill {
    int byte;
    int len;
};

/* The serialiser set for a moment: fill json-c's buffer with f->byte. */
static int fill_buffer(struct json_object *o, struct printbuf *pb, int level, int flags)
{
    (void)level;
    (void)flags;
    const struct fill *f = json_object_get_userdata(o);
    return printbuf_memset(pb, 0, f->byte, f->len) < 0 ? -1 : 0;
}

/* Run fill_buffer over o's buffer; false when json-c could not grow it. */
static bool fill(struct json_object *o, int byte, int len)
{
    struct fill f = {byte, len};
    json_object_set_serializer(o, fill_buffer, &f, NULL);
    const char *r = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, NULL);
    json_object_set_serializer(o, NULL, NULL, NULL); /* json-c's own again */
    return r != NULL;
}

awssts_err awssts_json_serialize(struct awssts_json *doc, enum awssts_json_style style, char **text,
                                 size_t *len, struct awssts_error_info *ei)
{
    if (len != NULL)
        *len = 0;
    if (text == NULL || doc == NULL) {
        if (text != NULL)
            *text = NULL;
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON text: no document or no place");
    }
    *text = NULL;
    struct json_object *o = awssts_json_jo(doc);
    int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
                (style == AWSSTS_JSON_PRETTY ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
                                             : JSON_C_TO_STRING_PLAIN);
    size_t room = bound(o) + SLACK;
    if (room > INT_MAX / 2)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "JSON document too large");
    if (!fill(o, ' ', (int)room))
        return awssts_error_set(ei, AWSSTS_E_NOMEM, "JSON text");

    size_t n = 0;
    const char *s = json_object_to_json_string_length(o, flags, &n);
    char *copy = s != NULL ? malloc(n + 1) : NULL;
    if (copy != NULL) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    /* Zero what json-c wrote, and all of it should the estimate have been
     * short: json-c's buffer then moved (it does when the text and its NUL
     * fill it), and that is a bug, reported below. */
    bool short_room = n + 2 > room;
    bool wiped = fill(o, 0, (int)(short_room ? n + 2 : room));

    if (copy == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, "JSON text");
    if (short_room || !wiped) {
        awssts_memzero(copy, n);
        free(copy);
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON text: %s",
                                wiped ? "the buffer estimate was short" : "buffer not zeroed");
    }
    *text = copy;
    if (len != NULL)
        *len = n;
    return AWSSTS_OK;
}
