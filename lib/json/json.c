/* A JSON document's life: made empty, freed with its strings zeroed. */
#include "json/json_priv.h"
#include "awssts/secret.h"
#include "util/error_set.h"

#include <json-c/json_visit.h>
#include <string.h>

awssts_err awssts_json_new(struct awssts_json **out, struct awssts_error_info *ei)
{
    if (out == NULL)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON document: no place for it");
    *out = NULL;
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, "JSON document");
    *out = awssts_json_handle(o);
    return AWSSTS_OK;
}

/* json-c frees a string without clearing it, so clear it first (a visit of
 * json-c's over the tree). The bytes are the object's own
 * (json_object_get_string hands back its storage) and were allocated
 * writable; json-c gives them back const. */
static int wipe_string(struct json_object *o, int flags, struct json_object *parent,
                       const char *key, size_t *index, void *arg)
{
    (void)flags;
    (void)parent;
    (void)key;
    (void)index;
    (void)arg;
    if (json_object_get_type(o) == json_type_string) {
        const char *s = json_object_get_string(o);
        char *w;
        memcpy(&w, &s, sizeof(w));
        awssts_memzero(w, (size_t)json_object_get_string_len(o));
    }
    return JSON_C_VISIT_RETURN_CONTINUE;
}

void awssts_json_free(struct awssts_json *doc)
{
    if (doc == NULL)
        return;
    json_c_visit(awssts_json_jo(doc), 0, wipe_string, NULL);
    json_object_put(awssts_json_jo(doc));
}

const char *awssts_json_type_phrase(const struct json_object *o)
{
    switch (json_object_get_type(o)) {
    case json_type_null:
        return "null";
    case json_type_boolean:
        return "a boolean";
    case json_type_double:
    case json_type_int:
        return "a number";
    case json_type_object:
        return "an object";
    case json_type_array:
        return "an array";
    case json_type_string:
        return "a string";
    }
    return "of an unknown type";
}
