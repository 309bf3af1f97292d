/* STS's (and SSM's) endpoint names per partition, following AWS's endpoint
 * rules, which are the same for both (botocore's endpoint rule sets). */
#include "awssts/endpoint.h"
#include "util/error_set.h"
#include "aws/service_endpoint.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct partition {
    const char *prefix; /* region prefix that selects the partition */
    const char *dns_suffix;
    const char *dualstack_suffix; /* NULL: no dual-stack endpoints */
    bool fips;                    /* FIPS endpoints exist */
    bool fips_is_regular;         /* GovCloud: the regular endpoint is FIPS (STS's and SSM's) */
};

static const struct partition partitions[] = {
    {"cn-", "amazonaws.com.cn", "api.amazonwebservices.com.cn", false, false},
    {"us-gov-", "amazonaws.com", "api.aws", true, true},
    {"us-isob-", "sc2s.sgov.gov", NULL, true, false},
    {"us-iso-", "c2s.ic.gov", NULL, true, false},
    {"", "amazonaws.com", "api.aws", true, false},
};

AWSSTS_API bool awssts_region_valid(const char *r)
{
    /* letters '-' letters ... '-' digits: at least "xx-yyyy-1" */
    if (r == NULL)
        return false;
    size_t n = strlen(r);
    if (n < 4 || n > 31)
        return false;
    int dashes = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)r[i];
        if (c == '-') {
            if (i == 0 || r[i - 1] == '-')
                return false;
            dashes++;
        } else if (!islower(c) && !isdigit(c)) {
            return false;
        }
    }
    const char *last = strrchr(r, '-');
    if (dashes < 2 || last[1] == '\0')
        return false;
    for (const char *p = last + 1; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return islower((unsigned char)r[0]);
}

static bool host_char(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '.';
}

/* https://host[:port][/] with a DNS name or [IPv6]; nothing else. */
static awssts_err parse_override(const char *url, bool sts, struct awssts_endpoint *out,
                                 struct awssts_error_info *ei)
{
    if (strncasecmp(url, "http://", 7) == 0)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "endpoint %s: plain http is refused, use https://", url);
    if (strncasecmp(url, "https://", 8) != 0)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "endpoint must start with https://");
    const char *h = url + 8;
    size_t hostlen = 0;
    if (*h == '[') {
        const char *close = strchr(h, ']');
        if (close == NULL)
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "endpoint: unclosed [");
        for (const char *p = h + 1; p < close; p++)
            if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
                return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                        "endpoint: bad IPv6 address");
        hostlen = (size_t)(close - h) + 1;
    } else {
        while (host_char((unsigned char)h[hostlen]))
            hostlen++;
    }
    if (hostlen == 0 || h[0] == '.' || h[0] == '-')
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "endpoint: no host name");
    const char *p = h + hostlen;
    if (*p == ':') {
        const char *port = ++p;
        while (isdigit((unsigned char)*p))
            p++;
        long v = 0;
        for (const char *q = port; q < p && v <= 65535; q++)
            v = v * 10 + (*q - '0');
        if (p == port || p - port > 5 || v < 1 || v > 65535)
            return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "endpoint: bad port");
    }
    size_t authority = (size_t)(p - h);
    if (!(*p == '\0' || (p[0] == '/' && p[1] == '\0')))
        return awssts_error_set(
            ei, AWSSTS_E_INVALID_ARGUMENT,
            "endpoint: only https://host[:port]/ is allowed (no path, user or query)");
    if (authority >= sizeof(out->host))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "endpoint: host name too long");
    memcpy(out->host, h, authority);
    out->host[authority] = '\0';
    snprintf(out->url, sizeof(out->url), "https://%s/", out->host);
    size_t bare = hostlen;
    out->is_global = sts && bare == 17 && strncasecmp(h, "sts.amazonaws.com", 17) == 0;
    return AWSSTS_OK;
}

/* IAM is global in each partition: one host, signed in the partition's
 * first region. */
static awssts_err iam_endpoint(const struct awssts_endpoint_options *o, struct awssts_endpoint *out,
                               struct awssts_error_info *ei)
{
    const char *host = "iam.amazonaws.com", *region = "us-east-1";
    if (strncmp(o->region, "cn-", 3) == 0) {
        host = "iam.cn-north-1.amazonaws.com.cn";
        region = "cn-north-1";
    } else if (strncmp(o->region, "us-gov-", 7) == 0) {
        host = "iam.us-gov.amazonaws.com";
        region = "us-gov-west-1";
    }
    snprintf(out->region, sizeof(out->region), "%s", region);
    if (o->override != NULL && *o->override != '\0')
        return parse_override(o->override, false, out, ei);
    snprintf(out->host, sizeof(out->host), "%s", host);
    snprintf(out->url, sizeof(out->url), "https://%s/", out->host);
    return AWSSTS_OK;
}

awssts_err awssts_service_endpoint_resolve(const char *service,
                                           const struct awssts_endpoint_options *o,
                                           struct awssts_endpoint *out,
                                           struct awssts_error_info *ei)
{
    if (o == NULL || out == NULL || service == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "endpoint: no options");
    memset(out, 0, sizeof(*out));
    bool sts = strcmp(service, "sts") == 0;
    if (strcmp(service, "iam") == 0 && awssts_region_valid(o->region))
        return iam_endpoint(o, out, ei);
    if (!sts && strcmp(service, "ssm") != 0)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "endpoint: no rules for that service");
    const char *shown = sts ? "STS" : "SSM";
    if (!awssts_region_valid(o->region))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "region '%.40s' is not a region name like us-east-1",
                                o->region ? o->region : "");
    snprintf(out->region, sizeof(out->region), "%s", o->region);

    if (o->override != NULL && *o->override != '\0')
        return parse_override(o->override, sts, out, ei);

    const struct partition *pt = NULL;
    for (size_t i = 0; i < sizeof(partitions) / sizeof(partitions[0]); i++)
        if (strncmp(o->region, partitions[i].prefix, strlen(partitions[i].prefix)) == 0) {
            pt = &partitions[i];
            break;
        }
    if (o->fips && !pt->fips)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "no FIPS %s endpoint in region %s",
                                shown, o->region);
    if (o->dualstack && pt->dualstack_suffix == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "no dual-stack %s endpoint in region %s", shown, o->region);

    bool fips_name = o->fips && !(pt->fips_is_regular && !o->dualstack);
    const char *suffix = o->dualstack ? pt->dualstack_suffix : pt->dns_suffix;
    snprintf(out->host, sizeof(out->host), "%s%s.%s.%s", service, fips_name ? "-fips" : "",
             o->region, suffix);
    snprintf(out->url, sizeof(out->url), "https://%s/", out->host);
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_endpoint_resolve(const struct awssts_endpoint_options *o,
                                              struct awssts_endpoint *out,
                                              struct awssts_error_info *ei)
{
    return awssts_service_endpoint_resolve("sts", o, out, ei);
}
