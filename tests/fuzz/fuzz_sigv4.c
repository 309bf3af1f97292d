/* The SigV4 canonicaliser on arbitrary methods, paths, queries and headers.
 * Input: NUL-separated fields: method, path, query, then name/value pairs;
 * the last field is also the body. */
#include "awssts/sigv4.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *field[16];
    size_t nf = 0;
    const char *p = copy, *end = copy + size;
    while (nf < 16) {
        field[nf++] = p;
        const char *z = p + strlen(p);
        if (z >= end)
            break;
        p = z + 1;
    }
    if (nf >= 3) {
        struct awssts_header h[6];
        size_t nh = 0;
        for (size_t i = 3; i + 1 < nf && nh < 6; i += 2, nh++) {
            h[nh].name = field[i];
            h[nh].value = field[i + 1];
        }
        struct awssts_sigv4_request req = {
            .method = field[0],
            .path = field[1],
            .query = field[2],
            .headers = h,
            .n_headers = nh,
            .body = field[nf - 1],
            .body_len = strlen(field[nf - 1]),
        };
        struct awssts_sigv4_params prm = {
            .access_key_id = "AKIDEXAMPLE",
            .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            .region = "us-east-1",
            .service = "sts",
            .amz_date = "20150830T123600Z",
        };
        struct awssts_sigv4_result r;
        if (awssts_sigv4_sign(&req, &prm, &r, NULL) == AWSSTS_OK) {
            /* The canonical request never carries a raw control character in its path. */
            if (strchr(r.authorization, '\n') != NULL)
                abort();
            awssts_sigv4_result_free(&r);
        }
    }
    free(copy);
    return 0;
}
