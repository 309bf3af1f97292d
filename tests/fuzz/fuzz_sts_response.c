/* The STS response reader on any bytes, for each action. */
#include "aws/sts_response.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const actions[] = {"GetSessionToken", "AssumeRole", "GetCallerIdentity"};
    if (size < 1)
        return 0;
    struct sts_response r;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_sts_response_parse((const char *)data + 1, size - 1, actions[data[0] % 3], &r,
                                  &ei) == AWSSTS_OK)
        awssts_sts_response_free(&r);
    return 0;
}
