/* Random ids, and the check that a name from outside has their shape. */
#include "util/id.h"
#include "util/crypto.h"

#include <string.h>

bool awssts_id_new(char out[AWSSTS_ID_LEN + 1])
{
    unsigned char rnd[AWSSTS_ID_LEN / 2];
    if (!awssts_random_bytes(rnd, sizeof(rnd)))
        return false;
    awssts_hex(rnd, sizeof(rnd), out);
    return true;
}

bool awssts_id_valid(const char *s)
{
    return s != NULL && strlen(s) == AWSSTS_ID_LEN &&
           strspn(s, "0123456789abcdef") == AWSSTS_ID_LEN;
}
