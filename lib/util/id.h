/* Internal: random names for the module's hand-off tokens and session ids,
 * 128 random bits written as 32 lowercase hex digits. */
#ifndef AWSSTS_ID_H
#define AWSSTS_ID_H

#include <stdbool.h>

#define AWSSTS_ID_LEN 32

/* A new id in out; false when no random bytes could be had. */
bool awssts_id_new(char out[AWSSTS_ID_LEN + 1]);

/* Exactly the shape of an id (NULL is not one). */
bool awssts_id_valid(const char *s);

#endif
