/* Random ids, and the check that a name from outside has their shape. */
#include "id.h"
#include "crypto.h"

#include <string.h>

bool pas_id_new(char out[PAS_ID_LEN + 1])
{
    unsigned char rnd[PAS_ID_LEN / 2];
    if (!awssts_random_bytes(rnd, sizeof(rnd)))
        return false;
    awssts_hex(rnd, sizeof(rnd), out);
    return true;
}

bool pas_id_valid(const char *s)
{
    return s != NULL && strlen(s) == PAS_ID_LEN && strspn(s, "0123456789abcdef") == PAS_ID_LEN;
}
