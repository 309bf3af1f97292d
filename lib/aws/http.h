/* Internal: one HTTP exchange through libcurl with the project's TLS policy.
 * Everything above it (transport.h) shares one handle, deadline and retry
 * loop; this file knows nothing of AWS. */
#ifndef AWSSTS_HTTP_H
#define AWSSTS_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include "awssts/error.h"
#include "util/buf.h"

/* Response headers kept per exchange; more is a bad response. */
#define AWSSTS_MAX_RESPONSE_HEADERS (16L * 1024L)

struct http_settings {
    const char *ca_file;
    const char *ca_path;
    const char *proxy; /* NULL: none, whatever the environment says */
    const char *connect_to;
    const char *user_agent;
};

enum http_method { HTTP_GET, HTTP_PUT, HTTP_POST };

struct http_request {
    enum http_method method;
    const char *url;
    /* Plain http:// as well as https://. Only unsigned requests may ask:
     * a signed one carries a session token and a replayable signature. */
    bool allow_http;
    /* Never through the configured proxy: the instance metadata service
     * is link-local, and a proxy must not see its token or credentials. */
    bool direct;
    const char *const *header_lines; /* "Name: value" */
    size_t n_headers;
    const char *body; /* PUT and POST; NULL is empty */
    size_t body_len;
};

struct http_response {
    long status;               /* 0 when no response arrived */
    struct awssts_buf body;    /* capped at AWSSTS_MAX_RESPONSE */
    struct awssts_buf headers; /* the final response's "name: value\n" lines, sanitised */
    char request_id[80];       /* x-amzn-RequestId header, sanitised */
    char location[128];        /* Location header of a redirect, sanitised */
    bool request_sent;         /* bytes of the request reached the socket */
    long proxy_status;         /* the proxy's answer to CONNECT; 0 without a proxy */
};

/* Load libcurl and curl_global_init it, exactly once per process
 * (pthread_once); every other function here needs it done first. */
awssts_err awssts_http_global_init(struct awssts_error_info *ei);

/* A handle kept by the client so a second call reuses the connection. */
void *awssts_http_handle_new(void);
void awssts_http_handle_free(void *handle);

/* Empty response, ready for an exchange (or for freeing). */
void awssts_http_response_init(struct http_response *r);

/*
 * One exchange: TLS verified (1.2+), no redirects, bounded body and headers,
 * both timeouts, the proxy set explicitly. On a transport failure the error
 * is classified (timeout, network, TLS, bad response) and resp->request_sent
 * says whether the server may have seen the request. Any HTTP status is
 * AWSSTS_OK here: the layers above judge it. resp is initialised here
 * (a previous response must have been freed) and always needs freeing.
 */
awssts_err awssts_http_exchange(void *handle, const struct http_settings *s,
                                const struct http_request *req, long connect_timeout_ms,
                                long timeout_ms, struct http_response *resp,
                                struct awssts_error_info *ei);

/* The value of response header name (case-insensitive), trimmed, into dst.
 * False when absent or longer than dstlen-1 (dst is then empty). */
bool awssts_http_response_header(const struct http_response *r, const char *name, char *dst,
                                 size_t dstlen);

void awssts_http_response_free(struct http_response *r);

#endif
