/* The STS client object: its endpoint and its transport. */
#include "aws/sts_client.h"
#include "util/sized.h"
#include "util/error_set.h"
#include "util/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

AWSSTS_API awssts_err awssts_client_new(const struct awssts_client_options *given,
                                        struct awssts_client **out, struct awssts_error_info *ei)
{
    if (given == NULL || out == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "client: no options");
    *out = NULL;
    struct awssts_client_options opts;
    const struct awssts_client_options *o = &opts;
    /* One version so far: 0.1.0's. */
    static const size_t sizes[] = {sizeof(struct awssts_client_options)};
    awssts_err src = awssts_sized_copy(&opts, sizeof(opts), given, sizes, 1, "client options", ei);
    if (src != AWSSTS_OK)
        return src;
    struct awssts_client *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    char user_agent[128];
    snprintf(user_agent, sizeof(user_agent), "pam_aws_sts/%s%s%.40s", AWSSTS_VERSION,
             o->user_agent ? " " : "", o->user_agent ? o->user_agent : "");
    awssts_text_sanitize(user_agent);
    const struct transport_options to = {
        .ca_file = o->ca_file,
        .ca_path = o->ca_path,
        .proxy = o->proxy,
        .connect_to = o->connect_to,
        .connect_timeout_ms = o->connect_timeout_ms,
        .timeout_ms = o->timeout_ms,
        .max_attempts = o->max_attempts,
        .user_agent = user_agent,
    };
    awssts_err rc = awssts_transport_new(&to, &c->transport, ei);
    if (rc == AWSSTS_OK) {
        struct awssts_endpoint_options eo = {
            .region = o->region,
            .override = o->endpoint,
            .fips = o->fips,
            .dualstack = o->dualstack,
        };
        rc = awssts_endpoint_resolve(&eo, &c->endpoint, ei);
    }
    if (rc != AWSSTS_OK) {
        awssts_client_free(c);
        return rc;
    }
    *out = c;
    return AWSSTS_OK;
}

AWSSTS_API void awssts_client_free(struct awssts_client *c)
{
    if (c == NULL)
        return;
    awssts_transport_free(c->transport);
    free(c);
}

struct transport *awssts_client_transport(struct awssts_client *c)
{
    return c->transport;
}

AWSSTS_API const char *awssts_client_url(const struct awssts_client *c)
{
    return c->endpoint.url;
}

AWSSTS_API const char *awssts_client_host(const struct awssts_client *c)
{
    return c->endpoint.host;
}

AWSSTS_API const char *awssts_client_region(const struct awssts_client *c)
{
    return c->endpoint.region;
}

AWSSTS_API bool awssts_client_is_global(const struct awssts_client *c)
{
    return c->endpoint.is_global;
}
