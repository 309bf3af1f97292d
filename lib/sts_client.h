/* Internal: the client object and one signed STS call with retries. */
#ifndef AWSSTS_STS_CLIENT_H
#define AWSSTS_STS_CLIENT_H

#include "awssts/endpoint.h"
#include "awssts/sts.h"
#include "http.h"
#include "sts_response.h"

struct awssts_client {
    void *http;  /* CURL easy handle, kept for connection reuse */
    struct awssts_endpoint endpoint;
    struct http_settings http_settings;
    char *ca_file, *ca_path, *proxy, *connect_to;
    char user_agent[128];
    long connect_timeout_ms;
    long timeout_ms;
    long long deadline_ms;  /* of all calls together, from the first; 0 before it */
    unsigned max_attempts;
};

#define STS_MAX_PARAMS 12

struct sts_param {
    const char *name;
    const char *value;
};

struct sts_call {
    const char *action;
    struct sts_param params[STS_MAX_PARAMS];
    size_t n_params;
    bool carries_mfa; /* a TokenCode is in the request: no blind replay */
};

/* Sign and send call, retrying where safe; parse the success document. */
awssts_err awssts_sts_call(struct awssts_client *c, const struct awssts_keys *keys,
                           const struct sts_call *call, struct sts_response *out,
                           struct awssts_error_info *ei);

#endif
