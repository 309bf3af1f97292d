/* One exchange: verification always on, TLS 1.2+, https only unless an
 * unsigned request asks for http, no redirects, bounded body and headers,
 * no signals, timeouts on every call. */
#include "aws/http.h"
#include "awssts/secret.h"
#include "awssts/sts.h"
#include "aws/curl_api.h"
#include "util/error_set.h"
#include "util/hidden_env.h"
#include "util/text.h"

#include <string.h>
#include <strings.h>

awssts_err awssts_http_global_init(struct awssts_error_info *ei)
{
    const struct awssts_curl_api *api;
    return awssts_curl_load(&api, ei);
}

/* libcurl's functions; every caller comes after awssts_http_global_init. */
static const struct awssts_curl_api *curl(void)
{
    const struct awssts_curl_api *api = NULL;
    awssts_curl_load(&api, NULL);
    return api;
}

void *awssts_http_handle_new(void)
{
    const struct awssts_curl_api *api = curl();
    return api != NULL ? api->easy_init() : NULL;
}

void awssts_http_handle_free(void *handle)
{
    if (handle != NULL)
        curl()->easy_cleanup(handle);
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
    struct http_response *r = ud;
    size_t n = size * nmemb;
    /* Returning less than n makes curl stop with CURLE_WRITE_ERROR. */
    if (!awssts_buf_append(&r->body, ptr, n))
        return 0;
    return n;
}

void awssts_http_response_init(struct http_response *r)
{
    memset(r, 0, sizeof(*r));
    awssts_buf_init(&r->body, AWSSTS_MAX_RESPONSE);
    awssts_buf_init(&r->headers, AWSSTS_MAX_RESPONSE_HEADERS);
}

static void header_value(const char *line, size_t len, size_t namelen, char *dst, size_t dstlen)
{
    size_t vlen = 0;
    const char *v = awssts_text_span_trim(line + namelen, len - namelen, &vlen);
    awssts_text_copy_clean(dst, dstlen, v, vlen);
}

/* Keep one header line, cleaned of control characters. */
static bool keep_header(struct http_response *r, const char *line, size_t n)
{
    size_t len = 0;
    const char *l = awssts_text_span_trim(line, n, &len);
    if (len == 0)
        return true; /* the blank line that ends them */
    size_t at = r->headers.len;
    if (!awssts_buf_append(&r->headers, l, len))
        return false;
    awssts_text_sanitize(r->headers.data + at);
    return awssts_buf_putc(&r->headers, '\n');
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *ud)
{
    struct http_response *r = ud;
    size_t n = size * nmemb;
    static const char rid[] = "x-amzn-requestid:";
    static const char loc[] = "location:";
    /* A status line starts a response: a proxy's answer to CONNECT, or a
     * 1xx, comes before the one that counts. */
    if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        size_t limit = r->headers.limit;
        awssts_buf_free(&r->headers);
        awssts_buf_init(&r->headers, limit);
        r->request_id[0] = r->location[0] = '\0';
        return n;
    }
    if (n > sizeof(rid) - 1 && strncasecmp(line, rid, sizeof(rid) - 1) == 0)
        header_value(line, n, sizeof(rid) - 1, r->request_id, sizeof(r->request_id));
    else if (n > sizeof(loc) - 1 && strncasecmp(line, loc, sizeof(loc) - 1) == 0)
        header_value(line, n, sizeof(loc) - 1, r->location, sizeof(r->location));
    /* Returning less than n makes curl stop with CURLE_WRITE_ERROR. */
    return keep_header(r, line, n) ? n : 0;
}

bool awssts_http_response_header(const struct http_response *r, const char *name, char *dst,
                                 size_t dstlen)
{
    size_t nlen = strlen(name);
    if (dstlen > 0)
        dst[0] = '\0';
    for (const char *l = r->headers.data; l != NULL && *l != '\0';) {
        const char *end = strchr(l, '\n');
        size_t len = end != NULL ? (size_t)(end - l) : strlen(l);
        if (len > nlen && l[nlen] == ':' && strncasecmp(l, name, nlen) == 0) {
            size_t vlen = 0;
            const char *v = awssts_text_span_trim(l + nlen + 1, len - nlen - 1, &vlen);
            if (vlen >= dstlen)
                return false;
            memcpy(dst, v, vlen);
            dst[vlen] = '\0';
            return true;
        }
        l += len + (end != NULL);
    }
    return false;
}

static awssts_err classify(const struct awssts_curl_api *api, CURLcode cc, const char *errbuf,
                           struct http_response *resp, struct awssts_error_info *ei)
{
    const char *why = errbuf[0] ? errbuf : api->easy_strerror(cc);
    switch (cc) {
    case CURLE_OPERATION_TIMEDOUT:
        return awssts_error_set(ei, AWSSTS_E_TIMEOUT, "%s", why);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
        return awssts_error_set(ei, AWSSTS_E_TLS, "%s", why);
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        if (resp->headers.failed)
            return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                                    "response headers larger than %ld bytes",
                                    AWSSTS_MAX_RESPONSE_HEADERS);
        if (resp->body.failed || cc == CURLE_FILESIZE_EXCEEDED)
            return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                                    "response body larger than %ld bytes", AWSSTS_MAX_RESPONSE);
        return awssts_error_set(ei, AWSSTS_E_NETWORK, "%s", why);
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_WEIRD_SERVER_REPLY:
        return awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE, "%s", why);
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "%s", why);
    case CURLE_OUT_OF_MEMORY:
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    default:
        return awssts_error_set(ei, AWSSTS_E_NETWORK, "%s", why);
    }
}

struct perform {
    const struct awssts_curl_api *api;
    CURL *handle;
    CURLcode result;
};

static void perform(void *arg)
{
    struct perform *p = arg;
    p->result = p->api->easy_perform(p->handle);
}

#define SETOPT(h, opt, val)                                                                        \
    do {                                                                                           \
        if (api->easy_setopt((h), (opt), (val)) != CURLE_OK)                                       \
            goto setopt_failed;                                                                    \
    } while (0)

/* The scheme of url when this request may use it; NULL otherwise. */
static const char *allowed_scheme(const struct http_request *req)
{
    if (strncasecmp(req->url, "https://", 8) == 0)
        return "https";
    if (req->allow_http && strncasecmp(req->url, "http://", 7) == 0)
        return "http";
    return NULL;
}

static bool has_header(const struct http_request *req, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < req->n_headers; i++)
        if (strncasecmp(req->header_lines[i], name, n) == 0 && req->header_lines[i][n] == ':')
            return true;
    return false;
}

/* The caller's lines, then ours: no "Expect: 100-continue" round trip, and
 * no form Content-Type made up by libcurl for a body that has none. */
static struct curl_slist *header_list(const struct awssts_curl_api *api,
                                      const struct http_request *req, bool *ok)
{
    struct curl_slist *l = NULL;
    const char *extra[2] = {NULL, NULL};
    size_t n_extra = 0;
    if (req->method != HTTP_GET) {
        extra[n_extra++] = "Expect:";
        if (!has_header(req, "Content-Type"))
            extra[n_extra++] = "Content-Type:";
    }
    *ok = true;
    for (size_t i = 0; i < req->n_headers + n_extra && *ok; i++) {
        const char *line = i < req->n_headers ? req->header_lines[i] : extra[i - req->n_headers];
        struct curl_slist *t = api->slist_append(l, line);
        if (t == NULL)
            *ok = false;
        else
            l = t;
    }
    return l;
}

/* Connection and TLS rules, every one set explicitly: libcurl reads the
 * environment for what is left unset. */
static bool set_connection(const struct awssts_curl_api *api, CURL *h,
                           const struct http_settings *s, const struct http_request *req,
                           const char *scheme, struct curl_slist *connect_to,
                           long connect_timeout_ms, long timeout_ms)
{
    SETOPT(h, CURLOPT_URL, req->url);
    SETOPT(h, CURLOPT_PROTOCOLS_STR, scheme);
    SETOPT(h, CURLOPT_REDIR_PROTOCOLS_STR, scheme);
    SETOPT(h, CURLOPT_FOLLOWLOCATION, 0L);
    SETOPT(h, CURLOPT_NOSIGNAL, 1L);
    SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
    SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L);
    SETOPT(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    if (s->ca_file != NULL)
        SETOPT(h, CURLOPT_CAINFO, s->ca_file);
    if (s->ca_path != NULL)
        SETOPT(h, CURLOPT_CAPATH, s->ca_path);
    /* Set explicitly, both: libcurl reads the proxy variables (http_proxy,
     * NO_PROXY ...) from the environment only for options left unset. */
    SETOPT(h, CURLOPT_PROXY, s->proxy != NULL && !req->direct ? s->proxy : "");
    SETOPT(h, CURLOPT_NOPROXY, "");
    if (connect_to != NULL)
        SETOPT(h, CURLOPT_CONNECT_TO, connect_to);
    SETOPT(h, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
    SETOPT(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    return true;
setopt_failed:
    return false;
}

/* The request itself and where its answer goes. */
static bool set_request(const struct awssts_curl_api *api, CURL *h, const struct http_settings *s,
                        const struct http_request *req, struct curl_slist *hdrs,
                        struct http_response *resp, char *errbuf)
{
    SETOPT(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)AWSSTS_MAX_RESPONSE);
    if (req->method == HTTP_GET) {
        SETOPT(h, CURLOPT_HTTPGET, 1L);
    } else {
        SETOPT(h, CURLOPT_POST, 1L);
        SETOPT(h, CURLOPT_POSTFIELDS, req->body != NULL ? req->body : "");
        SETOPT(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(req->body != NULL ? req->body_len : 0));
        if (req->method == HTTP_PUT)
            SETOPT(h, CURLOPT_CUSTOMREQUEST, "PUT");
    }
    if (s->user_agent != NULL)
        SETOPT(h, CURLOPT_USERAGENT, s->user_agent);
    SETOPT(h, CURLOPT_HTTPHEADER, hdrs);
    SETOPT(h, CURLOPT_WRITEFUNCTION, on_body);
    SETOPT(h, CURLOPT_WRITEDATA, resp);
    SETOPT(h, CURLOPT_HEADERFUNCTION, on_header);
    SETOPT(h, CURLOPT_HEADERDATA, resp);
    SETOPT(h, CURLOPT_ERRORBUFFER, errbuf);
    SETOPT(h, CURLOPT_ACCEPT_ENCODING, "identity");
    return true;
setopt_failed:
    return false;
}

/* Runs the transfer set up on h; the error, if any, says what failed. */
static awssts_err run_transfer(const struct awssts_curl_api *api, CURL *h, char *errbuf,
                               struct http_response *resp, struct awssts_error_info *ei)
{
    struct perform p = {api, h, CURLE_OK};
    /* A setuid host (su, sudo) runs us with the caller's environment: in
     * that case no look-up or library call of the exchange gets to read it. */
    if (awssts_secure_mode())
        awssts_without_environment(perform, &p);
    else
        perform(&p);
    CURLcode cc = p.result;
    long request_size = 0;
    api->easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_size);
    resp->request_sent = request_size > 0;
    api->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
    api->easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &resp->proxy_status);
    if (cc != CURLE_OK && resp->proxy_status >= 300)
        return awssts_error_set(ei, AWSSTS_E_NETWORK, "the proxy refused the tunnel (HTTP %ld%s)",
                                resp->proxy_status,
                                resp->proxy_status == 407 ? ": it wants credentials" : "");
    if (cc != CURLE_OK) {
        errbuf[CURL_ERROR_SIZE - 1] = '\0';
        return classify(api, cc, errbuf, resp, ei);
    }
    return AWSSTS_OK;
}

awssts_err awssts_http_exchange(void *handle, const struct http_settings *s,
                                const struct http_request *req, long connect_timeout_ms,
                                long timeout_ms, struct http_response *resp,
                                struct awssts_error_info *ei)
{
    const struct awssts_curl_api *api = curl();
    CURL *h = handle;
    struct curl_slist *hdrs = NULL;
    struct curl_slist *connect_to = NULL;
    char errbuf[CURL_ERROR_SIZE] = "";
    awssts_err rc = AWSSTS_OK;
    bool ok = true;

    awssts_http_response_init(resp);
    const char *scheme = allowed_scheme(req);
    if (scheme == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "%s only for this request",
                                req->allow_http ? "http:// or https://" : "https://");

    hdrs = header_list(api, req, &ok);
    if (ok && s->connect_to != NULL)
        ok = (connect_to = api->slist_append(NULL, s->connect_to)) != NULL;
    if (!ok) {
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
        goto out;
    }

    api->easy_reset(h);
    if (set_connection(api, h, s, req, scheme, connect_to, connect_timeout_ms, timeout_ms) &&
        set_request(api, h, s, req, hdrs, resp, errbuf))
        rc = run_transfer(api, h, errbuf, resp, ei);
    else
        rc = awssts_error_set(ei, AWSSTS_E_INTERNAL, "libcurl refused an option (too old?)");
out:
    /* The handle keeps pointers to our header lists, body and error buffer. */
    api->easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    api->easy_setopt(h, CURLOPT_CONNECT_TO, NULL);
    api->easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    api->easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    for (struct curl_slist *l = hdrs; l != NULL; l = l->next)
        awssts_memzero(l->data, strlen(l->data)); /* Authorization, token */
    api->slist_free_all(hdrs);
    api->slist_free_all(connect_to);
    return rc;
}

void awssts_http_response_free(struct http_response *r)
{
    awssts_buf_free(&r->body);
    awssts_buf_free(&r->headers);
}
