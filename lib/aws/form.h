/* Internal: a growable list of name=value parameters and its
 * application/x-www-form-urlencoded body (AWS's Query protocol). */
#ifndef AWSSTS_FORM_H
#define AWSSTS_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include "awssts/error.h"

struct form_param {
    const char *name;  /* borrowed: must outlive the form */
    const char *value; /* likewise */
};

struct form {
    struct form_param *items;
    size_t n, cap;
    bool failed; /* sticky: an add failed, so the list is incomplete */
};

void awssts_form_init(struct form *f);

/* Append name=value; a NULL value adds nothing. Out of memory is an error,
 * and the form then refuses to encode: no parameter is ever dropped. */
awssts_err awssts_form_add(struct form *f, const char *name, const char *value,
                           struct awssts_error_info *ei);

/* The encoded body, in the order added (names and values percent-encoded
 * as SigV4 wants); *out is the caller's, to free with awssts_secret_free. */
awssts_err awssts_form_encode(const struct form *f, char **out, struct awssts_error_info *ei);

void awssts_form_free(struct form *f);

#endif
