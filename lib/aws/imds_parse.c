/* What the instance metadata service says, checked before anything of it is
 * used: its endpoint as configured, the token, the role listing, the
 * credentials document and the region. Details never hold a secret. */
#include "aws/imds.h"
#include "awssts/endpoint.h"
#include "awssts/secret.h"
#include "awssts/timeutil.h"
#include "awssts/validate.h"
#include "util/error_set.h"
#include "json/json.h"
#include "util/text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool host_char(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '.';
}

/* The parts of "http://" host [":" port] ["/"]: the host as written
 * (brackets kept for IPv6), the port's digits (none: 80), the end of both. */
struct endpoint_parts {
    const char *host, *port, *end;
    size_t hostlen, portlen;
};

static awssts_err endpoint_split(const char *url, struct endpoint_parts *e,
                                 struct awssts_error_info *ei)
{
    *e = (struct endpoint_parts){url, NULL, url, 0, 0};
    if (url == NULL || strncasecmp(url, "http://", 7) != 0)
        return awssts_error_set(
            ei, AWSSTS_E_INVALID_ARGUMENT,
            "imds_endpoint must be http://HOST[:PORT] (the service has no https)");
    const char *h = url + 7;
    size_t hostlen = 0;
    if (*h == '[') {
        const char *close = strchr(h, ']');
        if (close == NULL || close == h + 1)
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                    "imds_endpoint: bad [IPv6] address");
        for (const char *p = h + 1; p < close; p++)
            if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
                return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                        "imds_endpoint: bad [IPv6] address");
        hostlen = (size_t)(close - h) + 1;
    } else {
        while (host_char((unsigned char)h[hostlen]))
            hostlen++;
        if (hostlen == 0 || h[0] == '.' || h[0] == '-')
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "imds_endpoint: no host");
    }
    const char *p = h + hostlen;
    const char *digits = NULL;
    if (*p == ':') {
        long port = 0;
        digits = ++p;
        while (isdigit((unsigned char)*p) && p - digits < 6)
            port = port * 10 + (*p++ - '0');
        if (p == digits || isdigit((unsigned char)*p) || port < 1 || port > 65535)
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "imds_endpoint: bad port");
    }
    if (!(*p == '\0' || (p[0] == '/' && p[1] == '\0')))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "imds_endpoint: only http://HOST[:PORT] (no path, user or query)");
    *e = (struct endpoint_parts){h, digits, p, hostlen, digits != NULL ? (size_t)(p - digits) : 0};
    return AWSSTS_OK;
}

awssts_err awssts_imds_endpoint_parse(const char *url, char *base, size_t len,
                                      struct awssts_error_info *ei)
{
    if (len > 0)
        base[0] = '\0';
    struct endpoint_parts e;
    awssts_err rc = endpoint_split(url, &e, ei);
    if (rc != AWSSTS_OK)
        return rc;
    size_t n = (size_t)(e.end - url);
    if (n + 1 > len || n > 255)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "imds_endpoint: too long");
    memcpy(base, url, n);
    base[n] = '\0';
    return AWSSTS_OK;
}

awssts_err awssts_imds_endpoint_host_port(const char *url, char host[256], char port[6],
                                          struct awssts_error_info *ei)
{
    host[0] = port[0] = '\0';
    struct endpoint_parts e;
    awssts_err rc = endpoint_split(url, &e, ei);
    if (rc != AWSSTS_OK)
        return rc;
    /* Without the brackets: as getaddrinfo takes an IPv6 address. */
    const char *h = e.host;
    size_t n = e.hostlen;
    if (*h == '[') {
        h++;
        n -= 2;
    }
    if (n > 255)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "imds_endpoint: too long");
    memcpy(host, h, n);
    host[n] = '\0';
    snprintf(port, 6, "%.*s", e.port != NULL ? (int)e.portlen : 2, e.port != NULL ? e.port : "80");
    return AWSSTS_OK;
}

bool awssts_imds_token_valid(const char *s, size_t len)
{
    if (s == NULL || len == 0 || len > 1024)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* body as one line: without one final "\n" (or "\r\n"), and no other line
 * break in it. */
static bool one_line(const char *body, size_t len, size_t *n)
{
    if (len > 0 && body[len - 1] == '\n')
        len--;
    if (len > 0 && body[len - 1] == '\r')
        len--;
    *n = len;
    return memchr(body, '\n', len) == NULL && memchr(body, '\r', len) == NULL;
}

/* IAM's role names: [\w+=,.@-]{1,64}. */
static bool role_name_valid(const char *s, size_t n)
{
    if (n == 0 || n > AWSSTS_IMDS_ROLE_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || strchr("_+=,.@-", c) != NULL) || c == '\0')
            return false;
    }
    return true;
}

awssts_err awssts_imds_read_role(const char *body, size_t len, char role[AWSSTS_IMDS_ROLE_MAX + 1],
                                 struct awssts_error_info *ei)
{
    role[0] = '\0';
    size_t n = 0;
    const char *s = body != NULL ? awssts_text_span_trim(body, len, &n) : NULL;
    if (body == NULL || n == 0)
        return awssts_error_set(ei, AWSSTS_E_IMDS_NO_ROLE, "the list of roles is empty");
    if (!one_line(body, len, &n))
        return awssts_error_set(ei, AWSSTS_E_IMDS_BAD_RESPONSE,
                                "more than one role listed, or a line break in one");
    if (s != body || !role_name_valid(body, n))
        return awssts_error_set(ei, AWSSTS_E_IMDS_BAD_RESPONSE,
                                "the role name is not 1-64 of [A-Za-z0-9+=,.@_-]");
    memcpy(role, body, n);
    role[n] = '\0';
    return AWSSTS_OK;
}

awssts_err awssts_imds_read_region(const char *body, size_t len, char region[32],
                                   struct awssts_error_info *ei)
{
    region[0] = '\0';
    size_t n = 0;
    if (body == NULL || !one_line(body, len, &n) || n == 0 || n > 31)
        return awssts_error_set(ei, AWSSTS_E_IMDS_BAD_RESPONSE, "the region is not one short line");
    char r[32];
    memcpy(r, body, n);
    r[n] = '\0';
    if (memchr(body, '\0', n) != NULL || !awssts_region_valid(r))
        return awssts_error_set(ei, AWSSTS_E_IMDS_BAD_RESPONSE,
                                "the region is not a region name like us-east-1");
    memcpy(region, r, n + 1);
    return AWSSTS_OK;
}

/* lib/json's "malformed" is the metadata service's here. */
static awssts_err as_imds(awssts_err rc, struct awssts_error_info *ei)
{
    if (rc != AWSSTS_E_BAD_RESPONSE)
        return rc;
    if (ei != NULL)
        ei->code = AWSSTS_E_IMDS_BAD_RESPONSE;
    return AWSSTS_E_IMDS_BAD_RESPONSE;
}

/* A string member the document must have: its absence or another type is
 * the service's fault. */
static awssts_err need(const struct awssts_json *d, const char *name, const char **v,
                       struct awssts_error_info *ei)
{
    return as_imds(awssts_json_get_string(d, name, v, ei), ei);
}

/* Code other than Success: the service's Code and Message go where an AWS
 * error's would, cleaned. */
static awssts_err refused(const struct awssts_json *d, const char *code,
                          struct awssts_error_info *ei)
{
    const char *msg = NULL;
    if (ei != NULL) {
        awssts_text_copy_clean(ei->aws_code, sizeof(ei->aws_code), code, strlen(code));
        if (awssts_json_get_string(d, "Message", &msg, NULL) == AWSSTS_OK)
            awssts_text_copy_clean(ei->message, sizeof(ei->message), msg, strlen(msg));
    }
    return awssts_error_set(ei, AWSSTS_E_IMDS_REFUSED,
                            "no credentials for the role: Code is not Success");
}

static awssts_err check_fields(const struct awssts_json *d, const char **id, const char **secret,
                               const char **token, time_t *exp, struct awssts_error_info *ei)
{
    const char *type = NULL, *expiration = NULL;
    if (awssts_json_has(d, "Type")) {
        awssts_err rc = need(d, "Type", &type, ei);
        if (rc != AWSSTS_OK)
            return rc;
        if (strcmp(type, "AWS-HMAC") != 0)
            return awssts_error_set(ei, AWSSTS_E_IMDS_BAD_RESPONSE,
                                    "credentials of a Type other than AWS-HMAC");
    }
    awssts_err rc = need(d, "AccessKeyId", id, ei);
    if (rc == AWSSTS_OK)
        rc = need(d, "SecretAccessKey", secret, ei);
    if (rc == AWSSTS_OK)
        rc = need(d, "Token", token, ei);
    if (rc == AWSSTS_OK)
        rc = need(d, "Expiration", &expiration, ei);
    if (rc != AWSSTS_OK)
        return rc;
    if (!awssts_valid_access_key_id(*id))
        return awssts_error_set(ei, AWSSTS_E_IMDS_BAD_RESPONSE,
                                "AccessKeyId has unexpected characters");
    if (!awssts_valid_secret_key(*secret))
        return awssts_error_set(ei, AWSSTS_E_IMDS_BAD_RESPONSE,
                                "SecretAccessKey is not base64 text of a sane length");
    if (!awssts_valid_session_token(*token))
        return awssts_error_set(ei, AWSSTS_E_IMDS_BAD_RESPONSE,
                                "Token is not base64 text of a sane length");
    if (awssts_time_parse(expiration, exp) != AWSSTS_OK)
        return awssts_error_set(ei, AWSSTS_E_IMDS_BAD_RESPONSE,
                                "Expiration is not an ISO 8601 time");
    if (*exp <= time(NULL))
        return awssts_error_set(ei, AWSSTS_E_CLOCK_SKEW,
                                "the role's credentials expire at %.40s, already past by this "
                                "host's clock",
                                expiration);
    return AWSSTS_OK;
}

awssts_err awssts_imds_read_credentials(const char *body, size_t len, struct imds_credentials *out,
                                        struct awssts_error_info *ei)
{
    out->access_key_id = out->secret_access_key = out->session_token = NULL;
    out->expiration = 0;
    struct awssts_json *d = NULL;
    awssts_err rc = awssts_json_parse(body != NULL ? body : "", body != NULL ? len : 0, &d, ei);
    if (rc != AWSSTS_OK) {
        awssts_error_prefix(ei, "credentials document");
        return as_imds(rc, ei);
    }
    const char *code = NULL, *id = NULL, *secret = NULL, *token = NULL;
    time_t exp = 0;
    rc = need(d, "Code", &code, ei);
    if (rc == AWSSTS_OK && strcmp(code, "Success") != 0)
        rc = refused(d, code, ei);
    if (rc == AWSSTS_OK)
        rc = check_fields(d, &id, &secret, &token, &exp, ei);
    if (rc == AWSSTS_OK) {
        out->access_key_id = awssts_secret_dup(id);
        out->secret_access_key = awssts_secret_dup(secret);
        out->session_token = awssts_secret_dup(token);
        out->expiration = exp;
        if (out->access_key_id == NULL || out->secret_access_key == NULL ||
            out->session_token == NULL) {
            awssts_imds_credentials_clear(out);
            rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
        }
    }
    awssts_json_free(d); /* zeroes the secret, the token and everything else */
    return rc;
}

void awssts_imds_credentials_clear(struct imds_credentials *c)
{
    if (c == NULL)
        return;
    awssts_secret_free(c->access_key_id);
    awssts_secret_free(c->secret_access_key);
    awssts_secret_free(c->session_token);
    awssts_memzero(c, sizeof(*c));
}

struct awssts_keys awssts_imds_credentials_keys(const struct imds_credentials *c)
{
    return (struct awssts_keys){c->access_key_id, c->secret_access_key, c->session_token};
}
