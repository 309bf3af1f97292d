/* The instance metadata service's answers on any bytes: the credentials
 * document, the role listing, the region and the token. The first byte
 * picks which. Credentials accepted are whole and pass STS's checks;
 * refused ones leave nothing behind. */
#include "aws/imds.h"
#include "awssts/endpoint.h"
#include "awssts/validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void credentials(const char *body, size_t len)
{
    struct imds_credentials c;
    struct awssts_error_info ei;
    memset(&c, 0, sizeof(c));
    awssts_error_info_reset(&ei);
    if (awssts_imds_read_credentials(body, len, &c, &ei) == AWSSTS_OK) {
        if (!awssts_valid_access_key_id(c.access_key_id) ||
            !awssts_valid_secret_key(c.secret_access_key) ||
            !awssts_valid_session_token(c.session_token) || c.expiration <= 0)
            abort();
    } else if (c.access_key_id != NULL || c.secret_access_key != NULL || c.session_token != NULL) {
        abort();
    }
    awssts_imds_credentials_clear(&c);
}

static void role(const char *body, size_t len)
{
    char r[AWSSTS_IMDS_ROLE_MAX + 1];
    struct awssts_error_info ei;
    if (awssts_imds_read_role(body, len, r, &ei) == AWSSTS_OK &&
        (r[0] == '\0' || strpbrk(r, "/\r\n ") != NULL))
        abort();
}

static void region(const char *body, size_t len)
{
    char r[32];
    struct awssts_error_info ei;
    if (awssts_imds_read_region(body, len, r, &ei) == AWSSTS_OK && !awssts_region_valid(r))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *body = (const char *)data + 1;
    size_t len = size - 1;
    switch (data[0] % 4) {
    case 0:
        credentials(body, len);
        break;
    case 1:
        role(body, len);
        break;
    case 2:
        region(body, len);
        break;
    default:
        if (awssts_imds_token_valid(body, len) && memchr(body, '\n', len) != NULL)
            abort();
        break;
    }
    return 0;
}
