/* The renewal state file: anything accepted serialises and parses again. */
#include "awssts/secret.h"
#include "files/state.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct awssts_state st;
    if (awssts_state_parse((const char *)data, size, &st, NULL) != AWSSTS_OK)
        return 0;
    char *text = NULL;
    size_t len = 0;
    if (awssts_state_serialize(&st, &text, &len, NULL) != AWSSTS_OK)
        abort();
    struct awssts_state again;
    if (awssts_state_parse(text, len, &again, NULL) != AWSSTS_OK)
        abort();
    awssts_state_free(&again);
    awssts_secret_free(text);
    awssts_state_free(&st);
    return 0;
}
