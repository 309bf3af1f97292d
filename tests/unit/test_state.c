/* The renewal state file: round trip, and refusal of damaged files. */
#include "cm.h"

#include "awssts/secret.h"
#include "awssts/state.h"

#include <stdio.h>
#include <string.h>

static void test_round_trip(void **state)
{
    (void)state;
    char k1[] = "ASIAMFASESSION000001", s1[] = "secretsecretsecretsecret", t1[] = "tokentokentokentoken==";
    char k2[] = "ASIAROLE000000000001", s2[] = "rolesecretrolesecretrole", t2[] = "roletokenroletokenrole+/";
    char arn[] = "arn:aws:sts::123456789012:assumed-role/ops/alice";
    char user[] = "alice", region[] = "ap-east-1", profile[] = "work", role[] = "arn:aws:iam::123456789012:role/ops";
    char name[] = "alice", serial[] = "arn:aws:iam::123456789012:mfa/alice";
    struct awssts_state in = {
        .user = user, .region = region, .profile = profile, .role_arn = role,
        .role_session_name = name, .mfa_serial = serial, .connect_timeout = 3, .timeout = 10,
        .duration = 43200, .role_duration = 3600,
        .mfa_session = {.access_key_id = k1, .secret_access_key = s1, .session_token = t1, .expiration = 2000000000},
        .has_mfa_session = true,
        .role = {.access_key_id = k2, .secret_access_key = s2, .session_token = t2, .expiration = 1900000000,
                 .assumed_role_arn = arn},
        .has_role = true,
    };
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(awssts_state_serialize(&in, &text, &len, NULL), AWSSTS_OK);
    assert_non_null(strstr(text, "[awssts]\nversion = 1\n"));
    assert_non_null(strstr(text, "[mfa_session]\naws_access_key_id = ASIAMFASESSION000001\n"));

    struct awssts_state out;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_state_parse(text, len, &out, &ei), AWSSTS_OK);
    assert_string_equal(out.region, "ap-east-1");
    assert_string_equal(out.profile, "work");
    assert_false(out.flow_direct);
    assert_true(out.has_mfa_session && out.has_role);
    assert_int_equal(out.mfa_session.expiration, 2000000000);
    assert_string_equal(out.role.assumed_role_arn, arn);
    assert_ptr_equal(awssts_state_current(&out), &out.role);
    awssts_state_free(&out);
    awssts_secret_free(text);
}

static void expect_refused(const char *text)
{
    struct awssts_state st;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc = awssts_state_parse(text, strlen(text), &st, &ei);
    assert_int_equal(rc, AWSSTS_E_CONFIG);
    assert_null(st.region);
}

static void test_refused(void **state)
{
    (void)state;
    static const char creds[] = "[role]\naws_access_key_id = ASIAROLE000000000001\n"
                                "aws_secret_access_key = rolesecretrolesecretrole\n"
                                "aws_session_token = roletokenroletokenrole+/\n"
                                "expiration = 2030-01-01T00:00:00Z\n";
    char buf[1024];
    expect_refused("[awssts]\nversion = 2\nregion = us-east-1\nprofile = default\n");
    snprintf(buf, sizeof(buf), "[awssts]\nversion = 1\nregion = mars\nprofile = default\n%s", creds);
    expect_refused(buf);
    snprintf(buf, sizeof(buf), "[awssts]\nversion = 1\nregion = us-east-1\nprofile = default\nendpoint = http://x\n%s", creds);
    expect_refused(buf);
    expect_refused("[awssts]\nversion = 1\nregion = us-east-1\nprofile = default\n"); /* no credentials */
    snprintf(buf, sizeof(buf), "[awssts]\nversion = 1\nregion = us-east-1\nprofile = default\ntimeout = 0\n%s", creds);
    expect_refused(buf);
    expect_refused("[awssts]\nversion = 1\nregion = us-east-1\nprofile = default\n[role]\naws_access_key_id = bad\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
