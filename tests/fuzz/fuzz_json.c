/* lib/json on any bytes. The reader: every getter on every member; what it
 * accepts serialises, reads back, and serialises to the same text. The
 * writer: the bytes as a value and as a name always make JSON that reads
 * back to them. */
#include "json/json.h"
#include "awssts/secret.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every getter on every member, into nested objects. */
static void walk(const struct awssts_json *obj)
{
    static const char *const none[] = {NULL};
    struct awssts_json_iter it;
    const char *name;
    size_t members = 0;
    awssts_json_iter_init(obj, &it);
    while (awssts_json_iter_next(&it, &name)) {
        members++;
        const char *s = NULL;
        const struct awssts_json *child = NULL;
        if (!awssts_json_has(obj, name))
            abort();
        bool is_string = awssts_json_get_string(obj, name, &s, NULL) == AWSSTS_OK;
        bool is_object = awssts_json_get_object(obj, name, &child, NULL) == AWSSTS_OK;
        if ((is_string && (s == NULL || child != NULL)) ||
            (is_object && (child == NULL || is_string)))
            abort();
        if (is_object)
            walk(child);
    }
    if ((awssts_json_only_members(obj, none, NULL) == AWSSTS_OK) != (members == 0))
        abort();
}

static char *text_of(struct awssts_json *d, enum awssts_json_style style, size_t *len)
{
    char *text = NULL;
    if (awssts_json_serialize(d, style, &text, len, NULL) != AWSSTS_OK)
        abort(); /* the size estimate was short, or out of memory */
    return text;
}

static void reader(const char *data, size_t size)
{
    struct awssts_json *d = NULL;
    if (awssts_json_parse(data, size, &d, NULL) != AWSSTS_OK)
        return;
    walk(d);
    size_t len = 0;
    awssts_secret_free(text_of(d, AWSSTS_JSON_PRETTY, NULL));
    char *line = text_of(d, AWSSTS_JSON_LINE, &len);
    struct awssts_json *again = NULL;
    if (len <= AWSSTS_JSON_MAX_SIZE) {
        if (awssts_json_parse(line, len, &again, NULL) != AWSSTS_OK)
            abort();
        char *line2 = text_of(again, AWSSTS_JSON_LINE, NULL);
        if (strcmp(line, line2) != 0)
            abort();
        awssts_secret_free(line2);
    }
    awssts_json_free(again);
    awssts_secret_free(line);
    awssts_json_free(d);
}

static void writer(const char *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        return;
    memcpy(s, data, size);
    s[size] = '\0';
    struct awssts_json *d = NULL, *inner = NULL;
    if (awssts_json_new(&d, NULL) != AWSSTS_OK ||
        awssts_json_add_string(d, "v", s, NULL) != AWSSTS_OK ||
        awssts_json_add_object(d, "o", &inner, NULL) != AWSSTS_OK)
        abort();
    bool named = awssts_json_add_string(inner, s, "x", NULL) == AWSSTS_OK;
    size_t len = 0;
    char *text = text_of(d, data[0] & 1 ? AWSSTS_JSON_PRETTY : AWSSTS_JSON_LINE, &len);
    struct awssts_json *back = NULL;
    if (len <= AWSSTS_JSON_MAX_SIZE) {
        const char *v = NULL;
        const struct awssts_json *o = NULL;
        if (awssts_json_parse(text, len, &back, NULL) != AWSSTS_OK ||
            awssts_json_get_string(back, "v", &v, NULL) != AWSSTS_OK ||
            awssts_json_get_object(back, "o", &o, NULL) != AWSSTS_OK)
            abort();
        /* Valid UTF-8 comes back as it was; the rest as U+FFFD. */
        if (named && (strcmp(v, s) != 0 || !awssts_json_has(o, s)))
            abort();
    }
    awssts_json_free(back);
    awssts_secret_free(text);
    awssts_json_free(d);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    reader((const char *)data, size);
    writer((const char *)data, size);
    return 0;
}
