/* Endpoint names per partition, FIPS, dual-stack and overrides, for STS
 * and, by the same rules, SSM. */
#include "cm.h"

#include "awssts/endpoint.h"
#include "aws/service_endpoint.h"

#include <stdio.h>
#include <string.h>

static void expect_host(const char *region, bool fips, bool dual, const char *host)
{
    struct awssts_endpoint_options o = {.region = region, .fips = fips, .dualstack = dual};
    struct awssts_endpoint e;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc = awssts_endpoint_resolve(&o, &e, &ei);
    if (host == NULL) {
        assert_int_equal(rc, AWSSTS_E_INVALID_ARGUMENT);
        assert_true(ei.detail[0] != '\0');
        return;
    }
    assert_int_equal(rc, AWSSTS_OK);
    assert_string_equal(e.host, host);
    char url[300];
    snprintf(url, sizeof(url), "https://%s/", host);
    assert_string_equal(e.url, url);
    assert_false(e.is_global);
    assert_string_equal(e.region, region);
}

static void test_regional(void **state)
{
    (void)state;
    expect_host("us-east-1", false, false, "sts.us-east-1.amazonaws.com");
    expect_host("ap-east-1", false, false, "sts.ap-east-1.amazonaws.com");
    expect_host("eu-central-2", false, false, "sts.eu-central-2.amazonaws.com");
    expect_host("cn-north-1", false, false, "sts.cn-north-1.amazonaws.com.cn");
    expect_host("cn-northwest-1", false, true, "sts.cn-northwest-1.api.amazonwebservices.com.cn");
    expect_host("us-gov-west-1", false, false, "sts.us-gov-west-1.amazonaws.com");
    expect_host("us-iso-east-1", false, false, "sts.us-iso-east-1.c2s.ic.gov");
    expect_host("us-isob-east-1", false, false, "sts.us-isob-east-1.sc2s.sgov.gov");
}

static void test_fips_and_dualstack(void **state)
{
    (void)state;
    expect_host("us-east-1", true, false, "sts-fips.us-east-1.amazonaws.com");
    expect_host("us-east-1", false, true, "sts.us-east-1.api.aws");
    expect_host("us-east-1", true, true, "sts-fips.us-east-1.api.aws");
    /* GovCloud's regular endpoint is already FIPS validated. */
    expect_host("us-gov-east-1", true, false, "sts.us-gov-east-1.amazonaws.com");
    expect_host("us-gov-east-1", true, true, "sts-fips.us-gov-east-1.api.aws");
    expect_host("cn-north-1", true, false, NULL);
    expect_host("us-iso-east-1", false, true, NULL);
}

static void test_bad_regions(void **state)
{
    (void)state;
    const char *bad[] = {"",
                         "us",
                         "us-east",
                         "US-EAST-1",
                         "us-east-1.evil.com",
                         "us_east_1",
                         "-us-east-1",
                         "us--east-1",
                         "us-east-x",
                         "us-east-1-",
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1",
                         "us-east-1/"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_false(awssts_region_valid(bad[i]));
        expect_host(bad[i], false, false, NULL);
    }
    assert_false(awssts_region_valid(NULL));
}

static awssts_err resolve_override(const char *url, struct awssts_endpoint *e)
{
    struct awssts_endpoint_options o = {.region = "eu-west-1", .override = url};
    return awssts_endpoint_resolve(&o, e, NULL);
}

static void test_override(void **state)
{
    (void)state;
    struct awssts_endpoint e;
    assert_int_equal(resolve_override("https://vpce-1a2b.sts.eu-west-1.vpce.amazonaws.com", &e),
                     AWSSTS_OK);
    assert_string_equal(e.host, "vpce-1a2b.sts.eu-west-1.vpce.amazonaws.com");
    assert_string_equal(e.region, "eu-west-1");
    assert_int_equal(resolve_override("https://127.0.0.1:8443/", &e), AWSSTS_OK);
    assert_string_equal(e.host, "127.0.0.1:8443");
    assert_string_equal(e.url, "https://127.0.0.1:8443/");
    assert_int_equal(resolve_override("https://[::1]:443", &e), AWSSTS_OK);
    assert_string_equal(e.host, "[::1]:443");
    assert_int_equal(resolve_override("https://sts.amazonaws.com", &e), AWSSTS_OK);
    assert_true(e.is_global);

    const char *bad[] = {"http://sts.eu-west-1.amazonaws.com",
                         "ftp://x",
                         "sts.amazonaws.com",
                         "https://",
                         "https://user@host/",
                         "https://host/path",
                         "https://host?x=1",
                         "https://host:0",
                         "https://host:65536",
                         "https://host:123456",
                         "https://ho st/",
                         "https://[::1/",
                         "https://host\r\n/",
                         "https://.host/"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(resolve_override(bad[i], &e), AWSSTS_E_INVALID_ARGUMENT);
}

static void expect_ssm(const char *region, bool fips, bool dual, const char *host)
{
    struct awssts_endpoint_options o = {.region = region, .fips = fips, .dualstack = dual};
    struct awssts_endpoint e;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc = awssts_service_endpoint_resolve("ssm", &o, &e, &ei);
    if (host == NULL) {
        assert_int_equal(rc, AWSSTS_E_INVALID_ARGUMENT);
        assert_non_null(strstr(ei.detail, "SSM endpoint"));
        return;
    }
    assert_int_equal(rc, AWSSTS_OK);
    assert_string_equal(e.host, host);
    assert_false(e.is_global);
}

/* SSM's names, as botocore 1.x's endpoint rule set gives them. */
static void test_ssm_endpoints(void **state)
{
    (void)state;
    expect_ssm("us-east-1", false, false, "ssm.us-east-1.amazonaws.com");
    expect_ssm("us-east-1", true, false, "ssm-fips.us-east-1.amazonaws.com");
    expect_ssm("us-east-1", false, true, "ssm.us-east-1.api.aws");
    expect_ssm("us-east-1", true, true, "ssm-fips.us-east-1.api.aws");
    expect_ssm("us-gov-west-1", true, false, "ssm.us-gov-west-1.amazonaws.com");
    expect_ssm("us-gov-west-1", true, true, "ssm-fips.us-gov-west-1.api.aws");
    expect_ssm("cn-north-1", false, false, "ssm.cn-north-1.amazonaws.com.cn");
    expect_ssm("cn-north-1", false, true, "ssm.cn-north-1.api.amazonwebservices.com.cn");
    expect_ssm("us-iso-east-1", false, false, "ssm.us-iso-east-1.c2s.ic.gov");
    expect_ssm("cn-north-1", true, false, NULL);

    struct awssts_endpoint e;
    struct awssts_endpoint_options o = {
        .region = "eu-west-1", .override = "https://vpce-0ab.ssm.eu-west-1.vpce.amazonaws.com/"};
    assert_int_equal(awssts_service_endpoint_resolve("ssm", &o, &e, NULL), AWSSTS_OK);
    assert_string_equal(e.host, "vpce-0ab.ssm.eu-west-1.vpce.amazonaws.com");
    assert_string_equal(e.region, "eu-west-1");
    /* The same override rules: https only, no path. */
    o.override = "http://ssm.eu-west-1.amazonaws.com";
    assert_int_equal(awssts_service_endpoint_resolve("ssm", &o, &e, NULL),
                     AWSSTS_E_INVALID_ARGUMENT);
    o.override = "https://host/path";
    assert_int_equal(awssts_service_endpoint_resolve("ssm", &o, &e, NULL),
                     AWSSTS_E_INVALID_ARGUMENT);
    /* sts.amazonaws.com is STS's global endpoint only. */
    o.override = "https://sts.amazonaws.com";
    assert_int_equal(awssts_service_endpoint_resolve("ssm", &o, &e, NULL), AWSSTS_OK);
    assert_false(e.is_global);
    o.override = NULL;
    assert_int_equal(awssts_service_endpoint_resolve("ec2", &o, &e, NULL), AWSSTS_E_INTERNAL);
    o.region = "eu-west-1.evil";
    assert_int_equal(awssts_service_endpoint_resolve("ssm", &o, &e, NULL),
                     AWSSTS_E_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regional),      cmocka_unit_test(test_fips_and_dualstack),
        cmocka_unit_test(test_bad_regions),   cmocka_unit_test(test_override),
        cmocka_unit_test(test_ssm_endpoints),
    };
    return cmocka_run_group_tests_name("endpoint", tests, NULL, NULL);
}
