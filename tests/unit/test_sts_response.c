/* The STS response reader: real documents, hostile documents, error mapping. */
#include "cm.h"

#include "aws/sts_errors.h"
#include "aws/sts_response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char session_doc[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<GetSessionTokenResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <GetSessionTokenResult>\n"
    "    <Credentials>\n"
    "      <Expiration>2030-07-11T19:55:29.611Z</Expiration>\n"
    "      <SessionToken>\n   "
    "AQoEXAMPLEH4aoAH0gNCAPy+FvwqnKwRcOIfrRh3c/LTo6UDdyJwOOvEVPvLXCrrrUtdnniCEXAMPLE/"
    "IvU1dYUg2RVAJBanLiHb4IgRmpRV3zrkuWJOgQs8IZZaIv2BXIa2R4OlgkBN9bkUDNCJiBeb/"
    "AXlzBBko7b15fjrBs2+cTQtpZ3CYWFXG8C5zqx37wnOE49mRl/+OtkIKGO7fAE\n  </SessionToken>\n"
    "      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>\n"
    "      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>\n"
    "    </Credentials>\n"
    "  </GetSessionTokenResult>\n"
    "  "
    "<ResponseMetadata><RequestId>58c5dbae-abef-11e0-8cfe-09039844ac7d</RequestId></"
    "ResponseMetadata>\n"
    "</GetSessionTokenResponse>\n";

static awssts_err parse(const char *doc, const char *action, struct sts_response *r,
                        struct awssts_error_info *ei)
{
    awssts_error_info_reset(ei);
    return awssts_sts_response_parse(doc, strlen(doc), action, r, ei);
}

static void test_session_token(void **state)
{
    (void)state;
    struct sts_response r;
    struct awssts_error_info ei;
    assert_int_equal(parse(session_doc, "GetSessionToken", &r, &ei), AWSSTS_OK);
    assert_false(r.is_error);
    assert_string_equal(r.field[STS_F_ACCESS_KEY_ID], "ASIAIOSFODNN7EXAMPLE");
    assert_string_equal(r.field[STS_F_EXPIRATION], "2030-07-11T19:55:29.611Z");
    /* trimmed */
    assert_int_equal(strncmp(r.field[STS_F_SESSION_TOKEN], "AQoEXAMPLE", 10), 0);
    assert_string_equal(r.field[STS_F_REQUEST_ID], "58c5dbae-abef-11e0-8cfe-09039844ac7d");
    assert_null(r.field[STS_F_ROLE_ARN]);
    awssts_sts_response_free(&r);
}

static void test_assume_role_and_identity(void **state)
{
    (void)state;
    const char *doc =
        "<AssumeRoleResponse><AssumeRoleResult><SourceIdentity>alice</SourceIdentity>"
        "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/demo/alice</Arn>"
        "<AssumedRoleId>ARO123EXAMPLE123:alice</AssumedRoleId></AssumedRoleUser>"
        "<Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId></Credentials>"
        "<PackedPolicySize>6</PackedPolicySize></AssumeRoleResult></AssumeRoleResponse>";
    struct sts_response r;
    struct awssts_error_info ei;
    assert_int_equal(parse(doc, "AssumeRole", &r, &ei), AWSSTS_OK);
    assert_string_equal(r.field[STS_F_ROLE_ARN],
                        "arn:aws:sts::123456789012:assumed-role/demo/alice");
    assert_string_equal(r.field[STS_F_ROLE_ID], "ARO123EXAMPLE123:alice");
    assert_string_equal(r.field[STS_F_SOURCE_IDENTITY], "alice");
    assert_null(r.field[STS_F_ARN]);
    awssts_sts_response_free(&r);

    const char *id = "<sts:GetCallerIdentityResponse xmlns:sts=\"x\"><sts:GetCallerIdentityResult>"
                     "<sts:UserId>AIDAEXAMPLE</sts:UserId><sts:Account>123456789012</sts:Account>"
                     "<sts:Arn>arn:aws:iam::123456789012:user/alice</sts:Arn>"
                     "</sts:GetCallerIdentityResult></sts:GetCallerIdentityResponse>";
    assert_int_equal(parse(id, "GetCallerIdentity", &r, &ei), AWSSTS_OK);
    assert_string_equal(r.field[STS_F_ACCOUNT], "123456789012");
    assert_string_equal(r.field[STS_F_ARN], "arn:aws:iam::123456789012:user/alice");
    /* An Arn in the wrong place is not the role's. */
    assert_null(r.field[STS_F_ROLE_ARN]);
    awssts_sts_response_free(&r);
}

static void test_error_document(void **state)
{
    (void)state;
    const char *doc =
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
        "<Error><Type>Sender</Type><Code>AccessDenied</Code>"
        "<Message>MultiFactorAuthentication failed with invalid MFA one time pass code. "
        "</Message></Error><RequestId>req-1</RequestId></ErrorResponse>";
    struct sts_response r;
    struct awssts_error_info ei;
    assert_int_equal(parse(doc, "GetSessionToken", &r, &ei), AWSSTS_OK);
    assert_true(r.is_error);
    assert_string_equal(r.field[STS_F_ERROR_CODE], "AccessDenied");
    assert_string_equal(r.field[STS_F_REQUEST_ID], "req-1");
    assert_int_equal(
        awssts_sts_error_map(r.field[STS_F_ERROR_CODE], r.field[STS_F_ERROR_MESSAGE], 403),
        AWSSTS_E_MFA_CODE);
    awssts_sts_response_free(&r);
}

static void expect_refused(const char *doc, const char *why)
{
    struct sts_response r;
    struct awssts_error_info ei;
    assert_int_equal(parse(doc, "GetSessionToken", &r, &ei), AWSSTS_E_BAD_RESPONSE);
    if (strstr(ei.detail, why) == NULL)
        fail_msg("detail '%s' lacks '%s'", ei.detail, why);
    for (int i = 0; i < STS_F__COUNT; i++)
        assert_null(r.field[i]);
}

static void test_hostile_documents(void **state)
{
    (void)state;
    expect_refused("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
                   "<GetSessionTokenResponse>&lol2;</GetSessionTokenResponse>",
                   "DOCTYPE");
    expect_refused("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/shadow\">]>"
                   "<GetSessionTokenResponse>&e;</GetSessionTokenResponse>",
                   "DOCTYPE");
    expect_refused("<GetSessionTokenResponse>&undefined;</GetSessionTokenResponse>", "XML error");
    expect_refused("<html><body>hello</body></html>", "unexpected root");
    expect_refused("not xml at all", "XML error");
    expect_refused("<GetSessionTokenResponse><GetSessionTokenResult><Credentials>"
                   "<AccessKeyId>A</AccessKeyId><AccessKeyId>B</AccessKeyId>",
                   "twice");
    expect_refused("<GetSessionTokenResponse><GetSessionTokenResult><Credentials>"
                   "<SecretAccessKey>ab<b>c</b></SecretAccessKey>",
                   "markup inside");
    expect_refused("<GetSessionTokenResponse><GetSessionTokenResult><Credentials>"
                   "<AccessKeyId>A</AccessKeyId></Credentials></GetSessionTokenResult>",
                   "XML error");                                /* truncated */
    expect_refused("<AssumeRoleResponse/>", "unexpected root"); /* wrong action */
    expect_refused("", "empty");

    char deep[2048] = "<GetSessionTokenResponse>";
    for (int i = 0; i < 40; i++)
        strcat(deep, "<a>");
    expect_refused(deep, "too deep");

    /* A single value over 16 KiB. */
    size_t big = 20000;
    char *doc = malloc(big + 200);
    assert_non_null(doc);
    strcpy(doc, "<GetSessionTokenResponse><GetSessionTokenResult><Credentials><SessionToken>");
    size_t off = strlen(doc);
    memset(doc + off, 'A', big);
    strcpy(doc + off + big,
           "</SessionToken></Credentials></GetSessionTokenResult></GetSessionTokenResponse>");
    expect_refused(doc, "16 KiB");
    free(doc);
}

static void test_error_map(void **state)
{
    (void)state;
    assert_int_equal(awssts_sts_error_map("AccessDenied", "User is not authorized", 403),
                     AWSSTS_E_ACCESS_DENIED);
    assert_int_equal(awssts_sts_error_map("InvalidClientTokenId", "", 403), AWSSTS_E_INVALID_KEYS);
    assert_int_equal(awssts_sts_error_map("SignatureDoesNotMatch", "bad", 403),
                     AWSSTS_E_INVALID_KEYS);
    assert_int_equal(awssts_sts_error_map("SignatureDoesNotMatch", "Signature expired: x", 403),
                     AWSSTS_E_CLOCK_SKEW);
    assert_int_equal(awssts_sts_error_map("ExpiredToken", "", 400), AWSSTS_E_EXPIRED_TOKEN);
    assert_int_equal(awssts_sts_error_map("RegionDisabledException", "", 403),
                     AWSSTS_E_REGION_DISABLED);
    assert_int_equal(awssts_sts_error_map("Throttling", "Rate exceeded", 400), AWSSTS_E_THROTTLED);
    assert_int_equal(awssts_sts_error_map("IDPCommunicationError", "", 400), AWSSTS_E_SERVER);
    assert_int_equal(awssts_sts_error_map("ValidationError", "", 400), AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(awssts_sts_error_map("SomethingNew", "", 400), AWSSTS_E_STS_REJECTED);
    assert_int_equal(awssts_sts_error_map("SomethingNew", "", 503), AWSSTS_E_SERVER);
    assert_int_equal(awssts_sts_error_map(NULL, NULL, 500), AWSSTS_E_SERVER);
    assert_int_equal(awssts_sts_error_map(NULL, NULL, 429), AWSSTS_E_THROTTLED);
    assert_int_equal(awssts_sts_error_map(NULL, NULL, 404), AWSSTS_E_BAD_RESPONSE);
    assert_true(awssts_sts_error_is_throttle("ThrottlingException"));
    assert_false(awssts_sts_error_is_throttle("InternalFailure"));
    assert_false(awssts_sts_error_is_throttle(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_token),  cmocka_unit_test(test_assume_role_and_identity),
        cmocka_unit_test(test_error_document), cmocka_unit_test(test_hostile_documents),
        cmocka_unit_test(test_error_map),
    };
    return cmocka_run_group_tests_name("sts_response", tests, NULL, NULL);
}
