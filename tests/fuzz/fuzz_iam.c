/* The IAM ListMFADevices reader on any bytes; the first byte picks the
 * device asked about. */
#include "aws/iam.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const serials[] = {"arn:aws:iam::123456789012:mfa/alice", "", NULL};
    if (size < 1)
        return 0;
    struct iam_mfa_devices dev;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    (void)awssts_iam_mfa_devices_parse((const char *)data + 1, size - 1, serials[data[0] % 3], &dev,
                                       &ei);
    return 0;
}
