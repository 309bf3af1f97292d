/* Internal: SHA-256 and HMAC-SHA-256 through OpenSSL. */
#ifndef AWSSTS_CRYPTO_H
#define AWSSTS_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define AWSSTS_SHA256_LEN 32

/* OpenSSL initialised once, its configuration read with the environment
 * hidden (so OPENSSL_CONF cannot name another); the digests call it. */
void awssts_crypto_init(void);

bool awssts_sha256(const void *data, size_t len, unsigned char out[AWSSTS_SHA256_LEN]);
bool awssts_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                        unsigned char out[AWSSTS_SHA256_LEN]);
/* Lower-case hex of n bytes into out[2n+1]. */
void awssts_hex(const unsigned char *in, size_t n, char *out);
/* Cryptographically random bytes; false when the kernel cannot give them. */
bool awssts_random_bytes(void *out, size_t n);

#endif
