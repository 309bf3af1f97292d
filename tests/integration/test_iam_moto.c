/* IAM ListMFADevices (aws/iam.h) against moto's IAM, auth on: alice's
 * keys list her enabled virtual MFA device (moto_setup.py), a device
 * that is not hers is not found, and keys whose policy does not allow
 * iam:ListMFADevices are AWSSTS_E_ACCESS_DENIED. Also the partition's
 * endpoint when none is configured. */
#include "peer.h"

#include "aws/iam.h"
#include "aws/service_endpoint.h"
#include "aws/transport.h"

static struct transport *transport(void)
{
    const struct transport_options o = {
        .ca_file = peer_env("TEST_CA"),
        .connect_timeout_ms = 2000,
        .timeout_ms = 8000,
        .user_agent = "pam_aws_sts/test iam",
    };
    struct transport *t = NULL;
    assert_int_equal(awssts_transport_new(&o, &t, NULL), AWSSTS_OK);
    return t;
}

static void moto_endpoint(struct awssts_endpoint *ep)
{
    struct awssts_endpoint_options eo = {"eu-west-1", peer_env("MOTO_URL"), false, false};
    assert_int_equal(awssts_service_endpoint_resolve("iam", &eo, ep, NULL), AWSSTS_OK);
    /* IAM is signed in the partition's region, whatever the bastion's. */
    assert_string_equal(ep->region, "us-east-1");
}

static void test_lists_her_device(void **state)
{
    (void)state;
    struct transport *t = transport();
    struct awssts_endpoint ep;
    moto_endpoint(&ep);
    struct awssts_keys k = {peer_env("MOTO_KEY_ID"), peer_env("MOTO_SECRET"), NULL};
    struct iam_mfa_devices dev;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc =
        awssts_iam_list_mfa_devices(t, &ep, &k, "alice", peer_env("MOTO_MFA_SERIAL"), &dev, &ei);
    if (rc != AWSSTS_OK)
        fail_msg("ListMFADevices: %s: %s", awssts_errname(rc), ei.detail);
    assert_true(dev.has_serial);
    assert_int_equal(dev.count, 1);

    char other[300];
    snprintf(other, sizeof(other), "arn:aws:iam::%s:mfa/not-hers", peer_env("MOTO_ACCOUNT"));
    assert_int_equal(awssts_iam_list_mfa_devices(t, &ep, &k, "alice", other, &dev, NULL),
                     AWSSTS_OK);
    assert_false(dev.has_serial);
    assert_int_equal(dev.count, 1);
    awssts_transport_free(t);
}

static void test_not_allowed_is_access_denied(void **state)
{
    (void)state;
    struct transport *t = transport();
    struct awssts_endpoint ep;
    moto_endpoint(&ep);
    struct awssts_keys k = {peer_env("MOTO_NOBODY_KEY_ID"), peer_env("MOTO_NOBODY_SECRET"), NULL};
    struct iam_mfa_devices dev;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc =
        awssts_iam_list_mfa_devices(t, &ep, &k, "nobody", peer_env("MOTO_MFA_SERIAL"), &dev, &ei);
    if (rc != AWSSTS_E_ACCESS_DENIED)
        fail_msg("ListMFADevices as nobody: %s: %s", awssts_errname(rc), ei.detail);
    assert_false(dev.has_serial);
    awssts_transport_free(t);
}

static void test_partition_endpoints(void **state)
{
    (void)state;
    static const char *const want[][3] = {
        {"ap-east-1", "iam.amazonaws.com", "us-east-1"},
        {"cn-northwest-1", "iam.cn-north-1.amazonaws.com.cn", "cn-north-1"},
        {"us-gov-east-1", "iam.us-gov.amazonaws.com", "us-gov-west-1"},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        struct awssts_endpoint_options eo = {want[i][0], NULL, false, false};
        struct awssts_endpoint ep;
        assert_int_equal(awssts_service_endpoint_resolve("iam", &eo, &ep, NULL), AWSSTS_OK);
        assert_string_equal(ep.host, want[i][1]);
        assert_string_equal(ep.region, want[i][2]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_her_device),
        cmocka_unit_test(test_not_allowed_is_access_denied),
        cmocka_unit_test(test_partition_endpoints),
    };
    return cmocka_run_group_tests_name("iam_moto", tests, NULL, NULL);
}
