/* Typed access to a read document's members. Details name the member and
 * what it is, never its value. */
#include "json/json_priv.h"
#include "util/error_set.h"

#include <json-c/linkhash.h>
#include <string.h>

bool awssts_json_has(const struct awssts_json *obj, const char *name)
{
    return obj != NULL && name != NULL &&
           json_object_get_type(awssts_json_cjo(obj)) == json_type_object &&
           json_object_object_get_ex(awssts_json_cjo(obj), name, NULL);
}

/* The member name of obj, of type want ("a string", ...). */
static awssts_err member(const struct awssts_json *obj, const char *name, enum json_type want,
                         const char *want_phrase, struct json_object **val,
                         struct awssts_error_info *ei)
{
    *val = NULL;
    if (obj == NULL || name == NULL ||
        json_object_get_type(awssts_json_cjo(obj)) != json_type_object)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON member asked of no object");
    int w = awssts_json_name_width(name);
    if (!json_object_object_get_ex(awssts_json_cjo(obj), name, val))
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "JSON member \"%.*s\" is missing", w,
                                name);
    if (json_object_get_type(*val) != want) {
        awssts_err rc =
            awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "JSON member \"%.*s\" is %s, not %s", w,
                             name, awssts_json_type_phrase(*val), want_phrase);
        *val = NULL;
        return rc;
    }
    return AWSSTS_OK;
}

awssts_err awssts_json_get_string(const struct awssts_json *obj, const char *name,
                                  const char **value, struct awssts_error_info *ei)
{
    if (value == NULL)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON string member: no place for it");
    *value = NULL;
    struct json_object *v;
    awssts_err rc = member(obj, name, json_type_string, "a string", &v, ei);
    if (rc == AWSSTS_OK)
        *value = json_object_get_string(v);
    return rc;
}

awssts_err awssts_json_get_object(const struct awssts_json *obj, const char *name,
                                  const struct awssts_json **child, struct awssts_error_info *ei)
{
    if (child == NULL)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON object member: no place for it");
    *child = NULL;
    struct json_object *v;
    awssts_err rc = member(obj, name, json_type_object, "an object", &v, ei);
    if (rc == AWSSTS_OK)
        *child = awssts_json_handle(v);
    return rc;
}

void awssts_json_iter_init(const struct awssts_json *obj, struct awssts_json_iter *it)
{
    it->next = NULL;
    if (obj != NULL && json_object_get_type(awssts_json_cjo(obj)) == json_type_object)
        it->next = lh_table_head(json_object_get_object(awssts_json_cjo(obj)));
}

bool awssts_json_iter_next(struct awssts_json_iter *it, const char **name)
{
    if (it->next == NULL)
        return false;
    *name = lh_entry_k(it->next);
    it->next = lh_entry_next(it->next);
    return true;
}

awssts_err awssts_json_only_members(const struct awssts_json *obj, const char *const *allowed,
                                    struct awssts_error_info *ei)
{
    if (obj == NULL || allowed == NULL ||
        json_object_get_type(awssts_json_cjo(obj)) != json_type_object)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON members asked of no object");
    struct awssts_json_iter it;
    const char *name;
    awssts_json_iter_init(obj, &it);
    while (awssts_json_iter_next(&it, &name)) {
        const char *const *a = allowed;
        while (*a != NULL && strcmp(*a, name) != 0)
            a++;
        if (*a == NULL)
            return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "JSON member \"%.*s\" is unexpected",
                                    awssts_json_name_width(name), name);
    }
    return AWSSTS_OK;
}
