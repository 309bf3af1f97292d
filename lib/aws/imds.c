/* IMDSv2 on a client's transport: one token, then GETs that carry it. */
#include "aws/imds.h"
#include "awssts/secret.h"
#include "util/error_set.h"
#include "aws/unsigned_request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_PATH   "/latest/api/token"
#define ROLES_PATH   "/latest/meta-data/iam/security-credentials/"
#define REGION_PATH  "/latest/meta-data/placement/region"
#define TTL_HEADER   "X-aws-ec2-metadata-token-ttl-seconds"
#define TOKEN_HEADER "X-aws-ec2-metadata-token"

struct imds {
    struct transport *t;
    char base[256];   /* http://host[:port] */
    char *token_line; /* "X-aws-ec2-metadata-token: TOKEN", for awssts_secret_free */
    long connect_timeout_ms;
    long attempt_timeout_ms;
    unsigned max_attempts;
};

/* A failed request as the metadata service's error, the detail naming the
 * endpoint and the step ("IMDS http://169.254.169.254, role name: HTTP 404"). */
static awssts_err imds_failure(const struct imds *m, awssts_err rc, const char *step,
                               struct awssts_error_info *ei)
{
    switch (rc) {
    case AWSSTS_E_NETWORK:
    case AWSSTS_E_TLS:
        rc = AWSSTS_E_IMDS_UNREACHABLE;
        break;
    case AWSSTS_E_TIMEOUT:
        rc = AWSSTS_E_IMDS_TIMEOUT;
        break;
    case AWSSTS_E_BAD_RESPONSE:
        rc = AWSSTS_E_IMDS_BAD_RESPONSE;
        break;
    case AWSSTS_E_ACCESS_DENIED:
    case AWSSTS_E_NOT_FOUND:
    case AWSSTS_E_THROTTLED:
    case AWSSTS_E_SERVER:
    case AWSSTS_E_STS_REJECTED:
        rc = AWSSTS_E_IMDS_REFUSED;
        break;
    default:
        break;
    }
    ei->code = rc;
    char prefix[320];
    snprintf(prefix, sizeof(prefix), "IMDS %s, %s", m->base, step);
    awssts_error_prefix(ei, prefix);
    return rc;
}

/* One request with the session's limits, straight to the service. */
static awssts_err imds_request(const struct imds *m, enum http_method method, const char *path,
                               const char *header, const char *step, struct http_response *resp,
                               struct awssts_error_info *ei)
{
    char url[512];
    snprintf(url, sizeof(url), "%s%s", m->base, path);
    const char *lines[1] = {header};
    const struct unsigned_request r = {
        .method = method,
        .url = url,
        .header_lines = lines,
        .n_headers = 1,
        .connect_timeout_ms = m->connect_timeout_ms,
        .attempt_timeout_ms = m->attempt_timeout_ms,
        .max_attempts = m->max_attempts,
        .direct = true,
    };
    awssts_err rc = awssts_unsigned_send(m->t, &r, resp, ei);
    return rc == AWSSTS_OK ? AWSSTS_OK : imds_failure(m, rc, step, ei);
}

/* A GET of path with the token; never without one. */
static awssts_err imds_get(const struct imds *m, const char *path, const char *step,
                           struct http_response *resp, struct awssts_error_info *ei)
{
    awssts_http_response_init(resp);
    if (m == NULL || m->token_line == NULL)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "IMDS request without a session token");
    return imds_request(m, HTTP_GET, path, m->token_line, step, resp, ei);
}

static awssts_err take_options(struct imds *m, const struct imds_options *o,
                               struct awssts_error_info *ei)
{
    const char *endpoint = o->endpoint != NULL && *o->endpoint ? o->endpoint : AWSSTS_IMDS_ENDPOINT;
    awssts_err rc = awssts_imds_endpoint_parse(endpoint, m->base, sizeof(m->base), ei);
    if (rc != AWSSTS_OK)
        return rc;
    if (o->connect_timeout_ms < 0 || o->attempt_timeout_ms < 0 ||
        o->token_ttl_seconds > AWSSTS_IMDS_TOKEN_TTL_MAX)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "IMDS: negative timeout, or a token TTL over %d s",
                                AWSSTS_IMDS_TOKEN_TTL_MAX);
    m->connect_timeout_ms =
        o->connect_timeout_ms ? o->connect_timeout_ms : AWSSTS_IMDS_CONNECT_TIMEOUT_MS;
    m->attempt_timeout_ms =
        o->attempt_timeout_ms ? o->attempt_timeout_ms : AWSSTS_IMDS_ATTEMPT_TIMEOUT_MS;
    m->max_attempts = o->max_attempts ? o->max_attempts : AWSSTS_IMDS_MAX_ATTEMPTS;
    return AWSSTS_OK;
}

awssts_err awssts_imds_open(struct transport *t, const struct imds_options *o, struct imds **out,
                            struct awssts_error_info *ei)
{
    *out = NULL;
    if (t == NULL || o == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "IMDS: no transport or options");
    struct imds *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    m->t = t;
    awssts_err rc = take_options(m, o, ei);
    if (rc != AWSSTS_OK) {
        awssts_imds_close(m);
        return rc;
    }
    char ttl[64];
    snprintf(ttl, sizeof(ttl), TTL_HEADER ": %u",
             o->token_ttl_seconds ? o->token_ttl_seconds : AWSSTS_IMDS_TOKEN_TTL);
    struct http_response r;
    rc = imds_request(m, HTTP_PUT, TOKEN_PATH, ttl, "session token", &r, ei);
    if (rc == AWSSTS_OK && !awssts_imds_token_valid(r.body.data, r.body.len))
        rc = awssts_error_set(ei, AWSSTS_E_IMDS_BAD_RESPONSE,
                              "IMDS %s, session token: not 1-1024 base64 characters", m->base);
    if (rc == AWSSTS_OK && asprintf(&m->token_line, TOKEN_HEADER ": %s", r.body.data) < 0) {
        m->token_line = NULL;
        rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    awssts_http_response_free(&r); /* zeroes the token */
    if (rc != AWSSTS_OK) {
        awssts_imds_close(m);
        return rc;
    }
    *out = m;
    return AWSSTS_OK;
}

void awssts_imds_close(struct imds *m)
{
    if (m == NULL)
        return;
    awssts_secret_free(m->token_line);
    free(m);
}

awssts_err awssts_imds_role_credentials(struct imds *m, struct imds_credentials *out,
                                        struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    struct http_response r;
    awssts_err rc = imds_get(m, ROLES_PATH, "role name", &r, ei);
    if (rc == AWSSTS_E_IMDS_REFUSED && r.status == 404) {
        ei->code = rc = AWSSTS_E_IMDS_NO_ROLE;
    } else if (rc == AWSSTS_OK) {
        rc = awssts_imds_read_role(r.body.data, r.body.len, out->role, ei);
        if (rc != AWSSTS_OK)
            awssts_error_prefix(ei, "IMDS role name");
    }
    awssts_http_response_free(&r);
    if (rc != AWSSTS_OK)
        return rc;

    char path[sizeof(ROLES_PATH) + AWSSTS_IMDS_ROLE_MAX];
    snprintf(path, sizeof(path), ROLES_PATH "%s", out->role);
    rc = imds_get(m, path, "role credentials", &r, ei);
    if (rc == AWSSTS_E_IMDS_REFUSED && r.status == 404) {
        /* Detached between the two requests. */
        ei->code = rc = AWSSTS_E_IMDS_NO_ROLE;
    } else if (rc == AWSSTS_OK) {
        rc = awssts_imds_read_credentials(r.body.data, r.body.len, out, ei);
        if (rc != AWSSTS_OK) {
            char prefix[128];
            snprintf(prefix, sizeof(prefix), "IMDS role %s", out->role);
            awssts_error_prefix(ei, prefix);
        }
    }
    awssts_http_response_free(&r); /* zeroes the document */
    if (rc != AWSSTS_OK)
        awssts_imds_credentials_clear(out);
    return rc;
}

awssts_err awssts_imds_region(struct imds *m, char region[32], struct awssts_error_info *ei)
{
    region[0] = '\0';
    struct http_response r;
    awssts_err rc = imds_get(m, REGION_PATH, "region", &r, ei);
    if (rc == AWSSTS_OK) {
        rc = awssts_imds_read_region(r.body.data, r.body.len, region, ei);
        if (rc != AWSSTS_OK)
            awssts_error_prefix(ei, "IMDS region");
    }
    awssts_http_response_free(&r);
    return rc;
}
