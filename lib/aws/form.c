/* Query-protocol parameters: as many as the caller adds, in order. */
#include "aws/form.h"
#include "util/buf.h"
#include "util/error_set.h"
#include "aws/uri.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void awssts_form_init(struct form *f)
{
    memset(f, 0, sizeof(*f));
}

awssts_err awssts_form_add(struct form *f, const char *name, const char *value,
                           struct awssts_error_info *ei)
{
    if (name == NULL || *name == '\0') {
        f->failed = true;
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "form: parameter without a name");
    }
    if (value == NULL)
        return AWSSTS_OK;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        /* Pointers only (values are borrowed): realloc leaves no secret behind. */
        struct form_param *p =
            cap <= SIZE_MAX / sizeof(*p) ? realloc(f->items, cap * sizeof(*p)) : NULL;
        if (p == NULL) {
            f->failed = true;
            return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
        }
        f->items = p;
        f->cap = cap;
    }
    f->items[f->n].name = name;
    f->items[f->n].value = value;
    f->n++;
    return AWSSTS_OK;
}

awssts_err awssts_form_encode(const struct form *f, char **out, struct awssts_error_info *ei)
{
    *out = NULL;
    if (f->failed)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "form: a parameter could not be added");
    struct awssts_buf b;
    awssts_buf_init(&b, 0);
    for (size_t i = 0; i < f->n; i++) {
        const struct form_param *p = &f->items[i];
        if (i > 0)
            awssts_buf_putc(&b, '&');
        awssts_uri_encode(&b, p->name, strlen(p->name), false);
        awssts_buf_putc(&b, '=');
        awssts_uri_encode(&b, p->value, strlen(p->value), false);
    }
    *out = awssts_buf_steal(&b); /* zeroes and frees on failure */
    if (*out == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    return AWSSTS_OK;
}

void awssts_form_free(struct form *f)
{
    free(f->items);
    awssts_form_init(f);
}
