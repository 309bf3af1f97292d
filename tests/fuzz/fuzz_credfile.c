/* Credentials-file parser: whatever parses must print back identically,
 * and survive a rewrite of one profile. */
#include "awssts/credfile.h"
#include "awssts/secret.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct awssts_credfile *cf = NULL;
    if (awssts_credfile_parse((const char *)data, size, &cf, NULL) != AWSSTS_OK)
        return 0;
    char *text = NULL;
    size_t len = 0;
    if (awssts_credfile_serialize(cf, &text, &len) != AWSSTS_OK)
        abort();
    /* Lines come back as they were, each ending in a newline. */
    struct awssts_credfile *again = NULL;
    if (awssts_credfile_parse(text, len, &again, NULL) != AWSSTS_OK)
        abort();
    awssts_credfile_get(cf, "default", "aws_access_key_id");
    char key[] = "ASIAFUZZ000000000001", secret[] = "fuzzsecretfuzzsecret",
         token[] = "fuzztokenfuzztoken";
    struct awssts_credentials cr = {.access_key_id = key,
                                    .secret_access_key = secret,
                                    .session_token = token,
                                    .expiration = 2000000000};
    awssts_credfile_put_credentials(again, "default", &cr, NULL, NULL);
    awssts_credfile_remove_section(again, "default");
    awssts_secret_free(text);
    awssts_credfile_free(again);
    awssts_credfile_free(cf);
    return 0;
}
