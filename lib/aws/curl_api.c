/* libcurl through dlopen, resolved once. The table is written only inside
 * pthread_once and read-only after it; libcurl is never unloaded (its TLS
 * state must outlive any one login, as -z nodelete keeps the module). */
#include "aws/curl_api.h"
#include "util/crypto.h"
#include "util/error_set.h"
#include "util/hidden_env.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* libcurl's ABI has kept this soname since 2006. */
#define LIBCURL_SONAME "libcurl.so.4"

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static struct awssts_curl_api table; /* written once, inside pthread_once */
static bool loaded;                  /* likewise */
static char load_error[200];         /* likewise */

static bool resolve(void *lib, const char *name, void *field, size_t size)
{
    void *sym = dlsym(lib, name);
    if (sym == NULL) {
        snprintf(load_error, sizeof(load_error), "%s lacks %s", LIBCURL_SONAME, name);
        return false;
    }
    /* A data pointer to a function pointer, as POSIX allows for dlsym. */
    memcpy(field, &sym, size);
    return true;
}

#define RESOLVE(lib, name, field) resolve((lib), (name), &table.field, sizeof(table.field))

static void load_hidden(void *arg)
{
    (void)arg;
    /* Lazy: binding all of libcurl's thirty-odd libraries up front is over a
     * third of a login's instructions, for functions never called. Their
     * own RELRO settings apply either way. */
    void *lib = dlopen(LIBCURL_SONAME, RTLD_LAZY | RTLD_LOCAL);
    if (lib == NULL) {
        snprintf(load_error, sizeof(load_error), "cannot load %s: %s", LIBCURL_SONAME, dlerror());
        return;
    }
    CURLcode (*global_init)(long flags) = NULL;
    if (!resolve(lib, "curl_global_init", &global_init, sizeof(global_init)) ||
        !RESOLVE(lib, "curl_easy_init", easy_init) ||
        !RESOLVE(lib, "curl_easy_cleanup", easy_cleanup) ||
        !RESOLVE(lib, "curl_easy_reset", easy_reset) ||
        !RESOLVE(lib, "curl_easy_setopt", easy_setopt) ||
        !RESOLVE(lib, "curl_easy_perform", easy_perform) ||
        !RESOLVE(lib, "curl_easy_getinfo", easy_getinfo) ||
        !RESOLVE(lib, "curl_easy_strerror", easy_strerror) ||
        !RESOLVE(lib, "curl_slist_append", slist_append) ||
        !RESOLVE(lib, "curl_slist_free_all", slist_free_all))
        return;
    if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(load_error, sizeof(load_error), "curl_global_init failed");
        return;
    }
    loaded = true;
}

/* libcurl reads SSLKEYLOGFILE (and opens that file) in curl_global_init,
 * and its libraries may read others as they load: none of them sees the
 * caller's environment. OpenSSL is set up first, the same way. */
static void load(void)
{
    awssts_crypto_init();
    awssts_without_environment(load_hidden, NULL);
}

awssts_err awssts_curl_load(const struct awssts_curl_api **api, struct awssts_error_info *ei)
{
    *api = NULL;
    if (pthread_once(&load_once, load) != 0)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "pthread_once failed");
    if (!loaded)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "%s", load_error);
    *api = &table;
    return AWSSTS_OK;
}
