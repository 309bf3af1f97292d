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
#include "error_set.h"

/* first: the size of the struct in libawssts's first version (its fields
 * up to the last one it had). */
static inline awssts_err awssts_sized_copy(void *full, size_t full_size, const void *caller,
                                           size_t first, const char *what,
                                           struct awssts_error_info *ei)
{
    size_t given;
    memcpy(&given, caller, sizeof(given));
    memset(full, 0, full_size);
    if (given < first || given > full_size)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "%s: struct_size %zu is not one of this libawssts (%zu to %zu): "
                                "set it to sizeof the struct",
                                what, given, first, full_size);
    memcpy(full, caller, given);
    return AWSSTS_OK;
}

/* The size of a struct up to and including member m. */
#define AWSSTS_SIZE_THROUGH(type, m) (offsetof(type, m) + sizeof(((type *)0)->m))

#endif
