/* Internal: libcurl, loaded on first use. A process that never calls STS
 * (the helper printing credentials it already has) then never maps libcurl
 * and the thirty-odd libraries it pulls in, which cost a new process about
 * 5 ms and several MiB. */
#ifndef AWSSTS_CURL_API_H
#define AWSSTS_CURL_API_H

#include <curl/curl.h>
#include "awssts/error.h"

/* The libcurl functions http.c uses, resolved from libcurl.so.4. */
struct awssts_curl_api {
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *h);
    void (*easy_reset)(CURL *h);
    CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode cc);
    struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
    void (*slist_free_all)(struct curl_slist *l);
};

/* Load libcurl and run curl_global_init, once per process (pthread_once);
 * *api stays valid for the life of the process. */
awssts_err awssts_curl_load(const struct awssts_curl_api **api, struct awssts_error_info *ei);

#endif
