/* The guarded expat both XML readers use (STS and IAM): the same refusals
 * of a DOCTYPE and of entities, the same wording, for either reader. */
#include "cm.h"

#include "aws/iam.h"
#include "aws/sts_response.h"

#include <string.h>

static const char iam_doc[] =
    "<ListMFADevicesResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
    "<ListMFADevicesResult><MFADevices><member><UserName>alice</UserName>"
    "<SerialNumber>arn:aws:iam::123456789012:mfa/alice</SerialNumber></member></MFADevices>"
    "<IsTruncated>false</IsTruncated></ListMFADevicesResult></ListMFADevicesResponse>";

/* A document that must be refused, and what the refusal must say. */
static const struct {
    const char *doc;
    const char *says;
} hostile[] = {
    {"<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><X>&lol2;</X>",
     "XML refused: a DOCTYPE is not allowed"},
    {"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/shadow\">]><X>&e;</X>",
     "XML refused: a DOCTYPE is not allowed"},
    {"<X", "XML error at line 1"},
    {"not XML at all", "XML error at line 1"},
};

static void test_both_readers_refuse_alike(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        struct awssts_error_info ei;
        struct sts_response r;
        struct iam_mfa_devices d;
        awssts_error_info_reset(&ei);
        assert_int_equal(awssts_sts_response_parse(hostile[i].doc, strlen(hostile[i].doc),
                                                   "GetSessionToken", &r, &ei),
                         AWSSTS_E_BAD_RESPONSE);
        if (strstr(ei.detail, hostile[i].says) == NULL)
            fail_msg("STS reader, document %zu: \"%s\" lacks \"%s\"", i, ei.detail,
                     hostile[i].says);
        awssts_error_info_reset(&ei);
        assert_int_equal(
            awssts_iam_mfa_devices_parse(hostile[i].doc, strlen(hostile[i].doc), "x", &d, &ei),
            AWSSTS_E_BAD_RESPONSE);
        if (strstr(ei.detail, hostile[i].says) == NULL)
            fail_msg("IAM reader, document %zu: \"%s\" lacks \"%s\"", i, ei.detail,
                     hostile[i].says);
        assert_int_equal(d.count, 0);
    }
}

static void test_iam_reader_reads_a_good_document(void **state)
{
    (void)state;
    struct awssts_error_info ei;
    struct iam_mfa_devices d;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_iam_mfa_devices_parse(iam_doc, strlen(iam_doc),
                                                  "arn:aws:iam::123456789012:mfa/alice", &d, &ei),
                     AWSSTS_OK);
    assert_int_equal(d.count, 1);
    assert_true(d.has_serial);
    assert_false(d.truncated);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_readers_refuse_alike),
        cmocka_unit_test(test_iam_reader_reads_a_good_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
