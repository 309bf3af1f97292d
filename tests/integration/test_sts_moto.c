/* The library against moto over TLS with moto's signature and IAM checks on. */
#include "peer.h"

#include "awssts/validate.h"

static struct awssts_client *moto_client(void)
{
    struct awssts_client_options o = {
        .struct_size = sizeof(o),
        .region = "us-east-1",
        .endpoint = peer_env("MOTO_URL"),
        .ca_file = peer_env("TEST_CA"),
    };
    struct awssts_client *c = NULL;
    struct awssts_error_info ei;
    assert_int_equal(awssts_client_new(&o, &c, &ei), AWSSTS_OK);
    return c;
}

static struct awssts_keys alice(void)
{
    return (struct awssts_keys){peer_env("MOTO_KEY_ID"), peer_env("MOTO_SECRET"), NULL};
}

static void test_caller_identity(void **state)
{
    (void)state;
    struct awssts_client *c = moto_client();
    struct awssts_keys k = alice();
    struct awssts_caller_identity id;
    struct awssts_error_info ei;
    assert_int_equal(awssts_get_caller_identity(c, &k, &id, &ei), AWSSTS_OK);
    assert_string_equal(id.account, peer_env("MOTO_ACCOUNT"));
    assert_string_equal(id.arn, peer_env("MOTO_USER_ARN"));
    assert_non_null(id.user_id);
    awssts_caller_identity_clear(&id);
    awssts_client_free(c);
}

static void test_session_token(void **state)
{
    (void)state;
    struct awssts_client *c = moto_client();
    struct awssts_keys k = alice();
    struct awssts_session_token_request req = {
        .struct_size = sizeof(req),
        .duration_seconds = 3600,
        .serial_number = peer_env("MOTO_MFA_SERIAL"),
        .token_code = "123456", /* moto does not check codes; the fault STS does */
    };
    struct awssts_credentials cr;
    struct awssts_error_info ei;
    awssts_err rc = awssts_get_session_token(c, &k, &req, &cr, &ei);
    char line[512];
    if (rc != AWSSTS_OK)
        fail_msg("%s", awssts_error_format(&ei, line, sizeof(line)));
    assert_true(awssts_valid_access_key_id(cr.access_key_id));
    assert_true(awssts_valid_session_token(cr.session_token));
    assert_true(cr.expiration > time(NULL) + 3000 && cr.expiration <= time(NULL) + 3700);
    assert_null(cr.assumed_role_arn);
    awssts_credentials_clear(&cr);
    assert_null(cr.secret_access_key);
    awssts_client_free(c);
}

static void test_assume_role_then_use_it(void **state)
{
    (void)state;
    struct awssts_client *c = moto_client();
    struct awssts_keys k = alice();
    struct awssts_assume_role_request req = {
        .struct_size = sizeof(req),
        .role_arn = peer_env("MOTO_ROLE_ARN"),
        .role_session_name = "alice",
        .duration_seconds = 900,
        .external_id = "ext-1234",
    };
    struct awssts_credentials cr;
    struct awssts_error_info ei;
    char line[512];
    awssts_err rc = awssts_assume_role(c, &k, &req, &cr, &ei);
    if (rc != AWSSTS_OK)
        fail_msg("%s", awssts_error_format(&ei, line, sizeof(line)));
    assert_non_null(strstr(cr.assumed_role_arn, ":assumed-role/demo-role/alice"));
    assert_non_null(cr.assumed_role_id);

    /* The role's temporary credentials sign with their token; moto checks both. */
    struct awssts_keys rk = {cr.access_key_id, cr.secret_access_key, cr.session_token};
    struct awssts_caller_identity id;
    rc = awssts_get_caller_identity(c, &rk, &id, &ei);
    if (rc != AWSSTS_OK)
        fail_msg("%s", awssts_error_format(&ei, line, sizeof(line)));
    assert_non_null(strstr(id.arn, "assumed-role/demo-role/alice"));
    awssts_caller_identity_clear(&id);
    awssts_credentials_clear(&cr);
    awssts_client_free(c);
}

static void test_wrong_secret_is_invalid_keys(void **state)
{
    (void)state;
    struct awssts_client *c = moto_client();
    struct awssts_keys k = {peer_env("MOTO_KEY_ID"), "wrongwrongwrongwrongwrongwrongwrongwrong",
                            NULL};
    struct awssts_session_token_request req = {.struct_size = sizeof(req)};
    struct awssts_credentials cr;
    struct awssts_error_info ei;
    assert_int_equal(awssts_get_session_token(c, &k, &req, &cr, &ei), AWSSTS_E_INVALID_KEYS);
    assert_string_equal(ei.aws_code, "SignatureDoesNotMatch");
    assert_int_equal(ei.http_status, 403);
    assert_int_equal(ei.attempts, 1);
    assert_null(cr.access_key_id);

    struct awssts_keys unknown = {"AKIAUNKNOWN000000000",
                                  "wrongwrongwrongwrongwrongwrongwrongwrong", NULL};
    assert_int_equal(awssts_get_session_token(c, &unknown, &req, &cr, &ei), AWSSTS_E_INVALID_KEYS);
    assert_string_equal(ei.aws_code, "InvalidClientTokenId");
    awssts_client_free(c);
}

static void test_no_policy_is_access_denied(void **state)
{
    (void)state;
    struct awssts_client *c = moto_client();
    struct awssts_keys k = {peer_env("MOTO_NOBODY_KEY_ID"), peer_env("MOTO_NOBODY_SECRET"), NULL};
    struct awssts_session_token_request req = {.struct_size = sizeof(req)};
    struct awssts_credentials cr;
    struct awssts_error_info ei;
    assert_int_equal(awssts_get_session_token(c, &k, &req, &cr, &ei), AWSSTS_E_ACCESS_DENIED);
    assert_string_equal(ei.aws_code, "AccessDenied");
    char line[512];
    awssts_error_format(&ei, line, sizeof(line));
    assert_non_null(strstr(line, "check the IAM policy"));
    awssts_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caller_identity),
        cmocka_unit_test(test_session_token),
        cmocka_unit_test(test_assume_role_then_use_it),
        cmocka_unit_test(test_wrong_secret_is_invalid_keys),
        cmocka_unit_test(test_no_policy_is_access_denied),
    };
    return cmocka_run_group_tests_name("sts_moto", tests, NULL, NULL);
}
