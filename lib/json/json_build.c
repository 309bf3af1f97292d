/* Adding members to a JSON object. */
#include "json/json_priv.h"
#include "util/buf.h"
#include "util/error_set.h"

#include <string.h>

static const char REPLACEMENT[] = "\xef\xbf\xbd"; /* U+FFFD */

/* Far above any credential or log field; keeps json-c's int lengths and the
 * serialiser's size bound (six bytes a byte) well away from overflow. */
#define MAX_VALUE ((size_t)1024 * 1024)

/* Check obj and name, and that the name is new: json-c would replace a
 * member silently, and the reader refuses a name given twice. */
static awssts_err check_add(struct awssts_json *obj, const char *name, struct awssts_error_info *ei)
{
    if (obj == NULL || name == NULL)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON member without an object or a name");
    if (json_object_get_type(awssts_json_jo(obj)) != json_type_object)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON member added to %s",
                                awssts_json_type_phrase(awssts_json_jo(obj)));
    size_t len = strlen(name);
    if (len > MAX_VALUE || awssts_json_utf8_check(name, len) != len)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "JSON member name is %s",
                                len > MAX_VALUE ? "too long" : "not UTF-8");
    if (json_object_object_get_ex(awssts_json_jo(obj), name, NULL))
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON member \"%.*s\" added twice",
                                awssts_json_name_width(name), name);
    return AWSSTS_OK;
}

static awssts_err nomem(const char *name, struct awssts_error_info *ei)
{
    return awssts_error_set(ei, AWSSTS_E_NOMEM, "JSON member \"%.*s\"",
                            awssts_json_name_width(name), name);
}

/* Takes val (NULL is a JSON null); json-c keeps it only on success. */
static awssts_err add(struct awssts_json *obj, const char *name, struct json_object *val,
                      struct awssts_error_info *ei)
{
    if (json_object_object_add_ex(awssts_json_jo(obj), name, val, JSON_C_OBJECT_ADD_KEY_IS_NEW) !=
        0) {
        awssts_json_free(awssts_json_handle(val));
        return nomem(name, ei);
    }
    return AWSSTS_OK;
}

/* A json-c string of value with every byte that is not UTF-8 as U+FFFD;
 * the copy, which may hold a secret, is zeroed. */
static struct json_object *new_utf8_string(const char *value)
{
    size_t len = strlen(value);
    if (awssts_json_utf8_check(value, len) == len)
        return json_object_new_string_len(value, (int)len);
    struct awssts_buf b;
    awssts_buf_init(&b, 0);
    const unsigned char *u = (const unsigned char *)value;
    for (size_t i = 0; i < len;) {
        size_t n = awssts_json_utf8_seq(u + i, len - i);
        if (n == 0) {
            awssts_buf_puts(&b, REPLACEMENT);
            i++;
        } else {
            awssts_buf_append(&b, value + i, n);
            i += n;
        }
    }
    struct json_object *o = NULL;
    if (!b.failed)
        o = json_object_new_string_len(b.data, (int)b.len);
    awssts_buf_free(&b);
    return o;
}

awssts_err awssts_json_add_string(struct awssts_json *obj, const char *name, const char *value,
                                  struct awssts_error_info *ei)
{
    awssts_err rc = check_add(obj, name, ei);
    if (rc != AWSSTS_OK)
        return rc;
    if (value == NULL)
        return add(obj, name, NULL, ei);
    if (strlen(value) > MAX_VALUE)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "JSON member \"%.*s\" is longer than %zu bytes",
                                awssts_json_name_width(name), name, MAX_VALUE);
    struct json_object *s = new_utf8_string(value);
    return s != NULL ? add(obj, name, s, ei) : nomem(name, ei);
}

awssts_err awssts_json_add_int(struct awssts_json *obj, const char *name, int64_t value,
                               struct awssts_error_info *ei)
{
    awssts_err rc = check_add(obj, name, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct json_object *v = json_object_new_int64(value);
    return v != NULL ? add(obj, name, v, ei) : nomem(name, ei);
}

awssts_err awssts_json_add_bool(struct awssts_json *obj, const char *name, bool value,
                                struct awssts_error_info *ei)
{
    awssts_err rc = check_add(obj, name, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct json_object *v = json_object_new_boolean(value);
    return v != NULL ? add(obj, name, v, ei) : nomem(name, ei);
}

awssts_err awssts_json_add_null(struct awssts_json *obj, const char *name,
                                struct awssts_error_info *ei)
{
    awssts_err rc = check_add(obj, name, ei);
    return rc != AWSSTS_OK ? rc : add(obj, name, NULL, ei);
}

awssts_err awssts_json_add_object(struct awssts_json *obj, const char *name,
                                  struct awssts_json **child, struct awssts_error_info *ei)
{
    if (child == NULL)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "JSON object member: no place for it");
    *child = NULL;
    awssts_err rc = check_add(obj, name, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct json_object *v = json_object_new_object();
    if (v == NULL)
        return nomem(name, ei);
    if ((rc = add(obj, name, v, ei)) == AWSSTS_OK)
        *child = awssts_json_handle(v);
    return rc;
}
