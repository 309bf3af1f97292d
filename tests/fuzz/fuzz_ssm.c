/* keys = ssm:NAME's readers on any bytes: GetParameter's response (and,
 * when it holds a SecureString, its value read as keys), a value alone, and
 * an awsJson1.1 error document. The first byte picks which. Whatever is
 * accepted must be whole: keys that pass the keys-file checks, a value as
 * long as it says. */
#include "aws/ssm.h"
#include "login/ssm_keys.h"
#include "awssts/validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void keys(const char *value, size_t len)
{
    struct awssts_user_keys k;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc = awssts_ssm_keys_from_value(value, len, "ssm:/fuzz/u", &k, &ei);
    if (rc == AWSSTS_OK &&
        (!awssts_valid_access_key_id(k.access_key_id) ||
         !awssts_valid_secret_key(k.secret_access_key) || strcmp(k.source, "ssm:/fuzz/u") != 0))
        abort();
    if (rc != AWSSTS_OK &&
        (k.access_key_id != NULL || k.secret_access_key != NULL || rc != AWSSTS_E_CONFIG))
        abort();
    awssts_user_keys_free(&k);
}

static void response(const char *body, size_t len)
{
    struct ssm_parameter p;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_ssm_read_response(body, len, "/fuzz/u", &p, &ei) != AWSSTS_OK) {
        if (p.value != NULL)
            abort();
        return;
    }
    if (p.value == NULL || strlen(p.value) != p.value_len)
        abort();
    keys(p.value, p.value_len);
    awssts_ssm_parameter_free(&p);
}

static void error_doc(const char *body, size_t len)
{
    struct aws_error_doc d;
    memset(&d, 0, sizeof(d));
    if (awssts_ssm_read_error(body, len, AWSSTS_SSM_TARGET, &d)) {
        if (d.code[0] == '\0' || memchr(d.code, '\0', sizeof(d.code)) == NULL)
            abort();
        (void)awssts_ssm_map_error(d.code, d.message, 400);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *body = (const char *)data + 1;
    switch (data[0] % 3) {
    case 0:
        response(body, size - 1);
        break;
    case 1:
        keys(body, size - 1);
        break;
    default:
        error_doc(body, size - 1);
        break;
    }
    return 0;
}
