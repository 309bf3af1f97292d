/* Endpoint and URL building: region and override strings. Whatever is
 * accepted yields an https URL whose host has no separator a request line
 * or header could be split at. */
#include "awssts/endpoint.h"
#include "awssts/timeutil.h"
#include "awssts/validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *copy = malloc(size + 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '\0';
    char *override = strchr(copy, '|');
    if (override != NULL)
        *override++ = '\0';
    struct awssts_endpoint_options o = {
        .region = copy, .override = override, .fips = data[0] & 1, .dualstack = (data[0] >> 1) & 1};
    struct awssts_endpoint e;
    if (awssts_endpoint_resolve(&o, &e, NULL) == AWSSTS_OK) {
        if (strncmp(e.url, "https://", 8) != 0 || strpbrk(e.host, " \t\r\n/?#@") != NULL)
            abort();
    }
    /* The validators and the time parser see the same bytes. */
    time_t t;
    awssts_time_parse(copy, &t);
    awssts_valid_role_arn(copy);
    awssts_valid_mfa_serial(copy);
    awssts_valid_session_name(copy);
    free(copy);
    return 0;
}
