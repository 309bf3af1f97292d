/* keys = ssm:NAME from end to end: the name, the instance role from IMDSv2,
 * GetParameter signed with it, the value as keys. */
#include "aws/ssm.h"
#include "login/ssm_keys.h"
#include "awssts/secret.h"
#include "util/error_set.h"
#include "aws/imds.h"
#include "aws/service_endpoint.h"

#include <stdio.h>
#include <string.h>

/* SSM's endpoint in region, by STS's rules. */
static awssts_err ssm_endpoint(const struct ssm_keys_request *r, const char *region,
                               struct awssts_endpoint *ep, struct awssts_error_info *ei)
{
    const struct awssts_endpoint_options eo = {
        .region = region,
        .override = r->ssm_endpoint,
        .fips = r->fips,
        .dualstack = r->dualstack,
    };
    awssts_err rc = awssts_service_endpoint_resolve("ssm", &eo, ep, ei);
    if (rc != AWSSTS_OK)
        awssts_error_prefix(ei, "SSM endpoint");
    return rc;
}

/* The role's credentials, and the region when none is configured. */
static awssts_err instance_role(struct transport *t, const struct ssm_keys_request *r,
                                struct imds_credentials *cr, char region[32],
                                struct awssts_error_info *ei)
{
    const struct imds_options io = {.endpoint = r->imds_endpoint};
    struct imds *m = NULL;
    awssts_err rc = awssts_imds_open(t, &io, &m, ei);
    if (rc == AWSSTS_OK)
        rc = awssts_imds_role_credentials(m, cr, ei);
    if (rc == AWSSTS_OK && (r->region == NULL || *r->region == '\0'))
        rc = awssts_imds_region(m, region, ei);
    awssts_imds_close(m); /* zeroes the token */
    if (rc != AWSSTS_OK)
        awssts_imds_credentials_clear(cr);
    return rc;
}

awssts_err awssts_ssm_user_keys(struct transport *t, const struct ssm_keys_request *r,
                                struct awssts_user_keys *k, struct awssts_error_info *ei)
{
    memset(k, 0, sizeof(*k));
    if (t == NULL || r == NULL)
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT, "SSM keys: nothing to read");
    char name[AWSSTS_SSM_NAME_MAX + 1];
    awssts_err rc =
        awssts_ssm_name_expand(r->name_template, r->user, r->uid, name, sizeof(name), ei);
    if (rc != AWSSTS_OK)
        return rc;
    /* A configured region and endpoint are checked before any request. */
    struct awssts_endpoint ep;
    bool configured_region = r->region != NULL && *r->region != '\0';
    if (configured_region && (rc = ssm_endpoint(r, r->region, &ep, ei)) != AWSSTS_OK)
        return rc;

    struct imds_credentials cr;
    memset(&cr, 0, sizeof(cr));
    char region[32] = "";
    rc = instance_role(t, r, &cr, region, ei);
    if (rc == AWSSTS_OK && !configured_region)
        rc = ssm_endpoint(r, region, &ep, ei);
    struct ssm_parameter p = {0};
    if (rc == AWSSTS_OK) {
        const struct awssts_keys keys = awssts_imds_credentials_keys(&cr);
        rc = awssts_ssm_get_parameter(t, &ep, &keys, name, &p, ei);
    }
    awssts_imds_credentials_clear(&cr);
    /* The instance metadata service speaks plain HTTP: with ssm_account,
     * keys from any other account's store (credentials someone else's
     * metadata service handed out) are never used. */
    if (rc == AWSSTS_OK && r->account != NULL && strcmp(p.account, r->account) != 0)
        rc = awssts_error_set(ei, AWSSTS_E_BAD_RESPONSE,
                              "SSM parameter %.200s is in account %s, not ssm_account %s", name,
                              p.account[0] ? p.account : "(none given)", r->account);
    if (rc == AWSSTS_OK) {
        char label[AWSSTS_SSM_NAME_MAX + 8];
        snprintf(label, sizeof(label), "ssm:%s", name);
        rc = awssts_ssm_keys_from_value(p.value, p.value_len, label, k, ei);
    }
    if (rc == AWSSTS_OK && !configured_region)
        snprintf(k->region, sizeof(k->region), "%s", region);
    awssts_ssm_parameter_free(&p);
    return rc;
}
