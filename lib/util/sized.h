/*
 * Internal: reading a caller's struct that begins with struct_size
 * (awssts/sts.h says why). The caller's bytes are copied into a struct of
 * this library's size, the rest zero.
 */
#ifndef AWSSTS_SIZED_H
#define AWSSTS_SIZED_H

#include <stddef.h>
#include <string.h>

#include "awssts/error.h"
#include "util/error_set.h"

/*
 * sizes: the struct's size in every version of libawssts that had it,
 * smallest first, the last this library's (full_size). A caller's
 * struct_size must be one of them: a size in between would end inside a
 * field, whose bytes would then be read as half a pointer.
 */
static inline awssts_err awssts_sized_copy(void *full, size_t full_size, const void *caller,
                                           const size_t *sizes, size_t n_sizes, const char *what,
                                           struct awssts_error_info *ei)
{
    size_t given;
    memcpy(&given, caller, sizeof(given));
    memset(full, 0, full_size);
    for (size_t i = 0; i < n_sizes; i++) {
        if (given == sizes[i] && given <= full_size) {
            memcpy(full, caller, given);
            return AWSSTS_OK;
        }
    }
    return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                            "%s: struct_size %zu is not the size of any version of this "
                            "libawssts's struct (%zu to %zu): set it to sizeof the struct",
                            what, given, sizes[0], full_size);
}

/* The size of a struct up to and including member m. */
#define AWSSTS_SIZE_THROUGH(type, m) (offsetof(type, m) + sizeof(((type *)0)->m))

#endif
