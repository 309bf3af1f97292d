/* Digests through OpenSSL's EVP interface; random bytes from the kernel. */
#include "util/crypto.h"
#include "util/hidden_env.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <sys/random.h>

static pthread_once_t openssl_once = PTHREAD_ONCE_INIT;

static void openssl_init_hidden(void *arg)
{
    (void)arg;
    /* The system's configuration file, never one OPENSSL_CONF names. */
    OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL);
}

static void openssl_init(void)
{
    awssts_without_environment(openssl_init_hidden, NULL);
}

void awssts_crypto_init(void)
{
    pthread_once(&openssl_once, openssl_init);
}

bool awssts_sha256(const void *data, size_t len, unsigned char out[AWSSTS_SHA256_LEN])
{
    awssts_crypto_init();
    unsigned int outlen = 0;
    return EVP_Digest(data, len, out, &outlen, EVP_sha256(), NULL) == 1 &&
           outlen == AWSSTS_SHA256_LEN;
}

bool awssts_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                        unsigned char out[AWSSTS_SHA256_LEN])
{
    awssts_crypto_init();
    unsigned int outlen = 0;
    if (keylen > 0x7fffffff)
        return false;
    return HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &outlen) != NULL &&
           outlen == AWSSTS_SHA256_LEN;
}

void awssts_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 0x0f];
    }
    out[2 * n] = '\0';
}

bool awssts_random_bytes(void *out, size_t n)
{
    unsigned char *p = out;
    while (n > 0) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += r;
        n -= (size_t)r;
    }
    return true;
}
