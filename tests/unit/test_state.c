/* The renewal state file: round trip, and refusal of damaged files. */
#include "cm.h"

#include "awssts/secret.h"
#include "files/state.h"

#include <stdio.h>
#include <string.h>

static void test_round_trip(void **state)
{
    (void)state;
    char k1[] = "ASIAMFASESSION000001", s1[] = "secretsecretsecretsecret",
         t1[] = "tokentokentokentoken==";
    char k2[] = "ASIAROLE000000000001", s2[] = "rolesecretrolesecretrole",
         t2[] = "roletokenroletokenrole+/";
    char arn[] = "arn:aws:sts::123456789012:assumed-role/ops/alice";
    char user[] = "alice", region[] = "ap-east-1", profile[] = "work",
         role[] = "arn:aws:iam::123456789012:role/ops";
    char name[] = "alice", serial[] = "arn:aws:iam::123456789012:mfa/alice";
    struct awssts_state in = {
        .user = user,
        .region = region,
        .profile = profile,
        .role_arn = role,
        .role_session_name = name,
        .mfa_serial = serial,
        .connect_timeout = 3,
        .timeout = 10,
        .duration = 43200,
        .role_duration = 3600,
        .mfa_session = {.access_key_id = k1,
                        .secret_access_key = s1,
                        .session_token = t1,
                        .expiration = 2000000000},
        .has_mfa_session = true,
        .role = {.access_key_id = k2,
                 .secret_access_key = s2,
                 .session_token = t2,
                 .expiration = 1900000000,
                 .assumed_role_arn = arn},
        .has_role = true,
    };
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(awssts_state_serialize(&in, &text, &len, NULL), AWSSTS_OK);
    assert_non_null(strstr(text, "[awssts]\nversion = 3\n"));
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

/* A sample value for each field of the table, other than its default: a
 * field added to the table without one here fails this test. */
static const struct {
    const char *key, *value;
} samples[] = {
    {"user", "alice"},
    {"region", "ap-east-1"},
    {"endpoint", "https://vpce-1.sts.ap-east-1.vpce.amazonaws.com:8443"},
    {"fips", "yes"},
    {"dualstack", "yes"},
    {"ca_file", "/etc/ca.pem"},
    {"ca_path", "/etc/ca.d"},
    {"proxy", "http://proxy.example:3128"},
    {"connect_timeout", "7"},
    {"timeout", "29"},
    {"profile", "work"},
    {"flow", "direct"},
    {"duration", "3000"},
    {"role_arn", "arn:aws:iam::123456789012:role/ops"},
    {"role_session_name", "alice-s"},
    {"role_duration", "7200"},
    {"external_id", "ext-id-1"},
    {"mfa_serial", "arn:aws:iam::123456789012:mfa/alice"},
    {"export_region", "no"},
    {"export_endpoint", "no"},
    {"source_identity", "alice@bastion-1"},
    {"roles", "ops=arn:aws:iam::123456789012:role/ops ro=arn:aws:iam::123456789012:role/readonly"},
    {"tags", "linux_user=alice bastion=jump-1"},
    {"transitive_tags", "linux_user"},
    {"keys_source", "ssm:/pam-aws-sts/users/%u"},
};

static const char role_section[] = "[role]\naws_access_key_id = ASIAROLE000000000001\n"
                                   "aws_secret_access_key = rolesecretrolesecretrole\n"
                                   "aws_session_token = roletokenroletokenrole+/\n"
                                   "expiration = 2030-01-01T00:00:00Z\n";

/* Every field of the table survives a write and a read. */
static void test_every_field_round_trips(void **state)
{
    (void)state;
    size_t n = 0;
    const struct awssts_state_field *f = awssts_state_fields(&n);
    char text[4096] = "[awssts]\nversion = 3\n";
    for (size_t i = 0; i < n; i++) {
        const char *v = NULL;
        for (size_t j = 0; j < sizeof(samples) / sizeof(samples[0]); j++)
            if (strcmp(samples[j].key, f[i].key) == 0)
                v = samples[j].value;
        if (v == NULL)
            fail_msg("no sample value for state field %s", f[i].key);
        snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s = %s\n", f[i].key, v);
    }
    strcat(text, "\n"); /* a blank line between sections, as written */
    strcat(text, role_section);
    /* A named role taken from the MFA session, written as a profile too. */
    strcat(text, "\n[role:ro]\naws_access_key_id = ASIANAMED00000000001\n"
                 "aws_secret_access_key = namedsecretnamedsecret12\n"
                 "aws_session_token = namedtokennamedtoken+/\n"
                 "expiration = 2030-01-01T00:00:00Z\nprofile = readonly\n");
    struct awssts_state st;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_state_parse(text, strlen(text), &st, &ei) != AWSSTS_OK)
        fail_msg("parse: %s", ei.detail);
    char *again = NULL;
    size_t len = 0;
    assert_int_equal(awssts_state_serialize(&st, &again, &len, NULL), AWSSTS_OK);
    assert_string_equal(again, text);
    assert_false(st.export_region);
    assert_true(st.flow_direct && st.fips && st.dualstack);
    assert_int_equal(st.role_duration, 7200);
    assert_string_equal(st.source_identity, "alice@bastion-1");
    assert_int_equal(st.tag_list.n_tags, 2);
    assert_string_equal(st.tag_list.tags[1].value, "jump-1");
    assert_int_equal(st.tag_list.n_transitive, 1);
    const struct awssts_state_role *ro = awssts_state_named(&st, "ro", false);
    assert_non_null(ro);
    assert_string_equal(ro->profile, "readonly");
    assert_string_equal(ro->creds.access_key_id, "ASIANAMED00000000001");
    assert_null(awssts_state_named(&st, "ops", false)); /* listed, never taken */
    awssts_secret_free(again);
    awssts_state_free(&st);
}

/* Version 1 files (no export_region) are still read, and export the region. */
static void test_version_1_read(void **state)
{
    (void)state;
    char text[1024];
    snprintf(text, sizeof(text), "[awssts]\nversion = 1\nregion = us-east-1\nprofile = default\n%s",
             role_section);
    struct awssts_state st;
    assert_int_equal(awssts_state_parse(text, strlen(text), &st, NULL), AWSSTS_OK);
    assert_true(st.export_region);
    awssts_state_free(&st);
}

/* The proxy's credentials never reach the file. */
static void test_proxy_credentials_not_written(void **state)
{
    (void)state;
    char region[] = "us-east-1", profile[] = "default", proxy[] = "http://u:pass-word@proxy:3128/";
    char k[] = "ASIAROLE000000000001", sk[] = "rolesecretrolesecretrole",
         t[] = "roletokenroletokenrole+/";
    struct awssts_state in = {.region = region,
                              .profile = profile,
                              .proxy = proxy,
                              .connect_timeout = 3,
                              .timeout = 10,
                              .duration = 43200,
                              .role_duration = 3600,
                              .role = {.access_key_id = k,
                                       .secret_access_key = sk,
                                       .session_token = t,
                                       .expiration = 1900000000},
                              .has_role = true};
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(awssts_state_serialize(&in, &text, &len, NULL), AWSSTS_OK);
    assert_non_null(strstr(text, "proxy = http://proxy:3128/\n"));
    assert_null(strstr(text, "pass-word"));
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
    expect_refused("[awssts]\nversion = 3\nregion = us-east-1\nprofile = default\n");
    snprintf(buf, sizeof(buf),
             "[awssts]\nversion = 2\nregion = us-east-1\nprofile = default\nsurprise = 1\n%s",
             creds);
    expect_refused(buf);
    snprintf(buf, sizeof(buf), "[awssts]\nversion = 1\nregion = mars\nprofile = default\n%s",
             creds);
    expect_refused(buf);
    snprintf(
        buf, sizeof(buf),
        "[awssts]\nversion = 1\nregion = us-east-1\nprofile = default\nendpoint = http://x\n%s",
        creds);
    expect_refused(buf);
    expect_refused(
        "[awssts]\nversion = 1\nregion = us-east-1\nprofile = default\n"); /* no credentials */
    snprintf(buf, sizeof(buf),
             "[awssts]\nversion = 1\nregion = us-east-1\nprofile = default\ntimeout = 0\n%s",
             creds);
    expect_refused(buf);
    expect_refused("[awssts]\nversion = 1\nregion = us-east-1\nprofile = "
                   "default\n[role]\naws_access_key_id = bad\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_every_field_round_trips),
        cmocka_unit_test(test_version_1_read), cmocka_unit_test(test_proxy_credentials_not_written),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests_name("state", tests, NULL, NULL);
}
