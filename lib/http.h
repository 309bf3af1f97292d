/* Internal: one HTTPS POST through libcurl with the project's TLS policy. */
#ifndef AWSSTS_HTTP_H
#define AWSSTS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include "awssts/error.h"
#include "buf.h"

struct http_settings {
    const char *ca_file;
    const char *ca_path;
    const char *proxy;
    const char *connect_to;
};

struct http_response {
    long status;              /* 0 when no response arrived */
    struct awssts_buf body;   /* capped at AWSSTS_MAX_RESPONSE */
    char request_id[80];      /* x-amzn-RequestId header, sanitised */
    char location[128];       /* Location header of a redirect, sanitised */
    bool request_sent;        /* bytes of the request reached the socket */
    long proxy_status;        /* the proxy's answer to CONNECT; 0 without a proxy */
};

/* Load libcurl and curl_global_init it, exactly once per process
 * (pthread_once); every other function here needs it done first. */
awssts_err awssts_http_global_init(struct awssts_error_info *ei);

/* A handle kept by the client so a second call reuses the TLS connection. */
void *awssts_http_handle_new(void);
void awssts_http_handle_free(void *handle);

/*
 * POST body to url with the given extra header lines. On a transport failure
 * the error is classified (timeout, network, TLS, bad response) and
 * resp->request_sent says whether the server may have seen the request.
 */
awssts_err awssts_http_post(void *handle, const struct http_settings *s, const char *url,
                            const char *const *header_lines, size_t n_headers,
                            const char *body, size_t body_len,
                            long connect_timeout_ms, long timeout_ms,
                            struct http_response *resp, struct awssts_error_info *ei);

void awssts_http_response_free(struct http_response *r);

#endif
