/* The module's random names: hand-off tokens and session ids, 128 random
 * bits written as 32 lowercase hex digits. */
#ifndef PAS_ID_H
#define PAS_ID_H

#include <stdbool.h>

#define PAS_ID_LEN 32

/* A new id in out; false when no random bytes could be had. */
bool pas_id_new(char out[PAS_ID_LEN + 1]);

/* Exactly the shape of an id (NULL is not one). */
bool pas_id_valid(const char *s);

#endif
