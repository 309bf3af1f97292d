/* Input checks: what passes and what never reaches STS or a file. */
#include "cm.h"

#include "awssts/validate.h"

#include <string.h>

static void test_mfa_code(void **state)
{
    (void)state;
    assert_true(awssts_valid_mfa_code("123456"));
    assert_true(awssts_valid_mfa_code("000000"));
    const char *bad[] = {"", "12345", "1234567", "12345a", " 12345", "123456\n", "１２３４５６"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(awssts_valid_mfa_code(bad[i]));
    assert_false(awssts_valid_mfa_code(NULL));
}

static void test_session_name(void **state)
{
    (void)state;
    assert_true(awssts_valid_session_name("alice"));
    assert_true(awssts_valid_session_name("a.b@c,d=e+f_g-h"));
    assert_false(awssts_valid_session_name("a"));
    assert_false(awssts_valid_session_name("has space"));
    assert_false(awssts_valid_session_name("new\nline"));
    assert_false(awssts_valid_session_name("slash/no"));
    char long_name[66];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    assert_false(awssts_valid_session_name(long_name));
    long_name[64] = '\0';
    assert_true(awssts_valid_session_name(long_name));
}

static void test_arns(void **state)
{
    (void)state;
    assert_true(awssts_valid_role_arn("arn:aws:iam::123456789012:role/admin"));
    assert_true(awssts_valid_role_arn("arn:aws:iam::123456789012:role/path/to/Admin.Role"));
    assert_true(awssts_valid_role_arn("arn:aws-cn:iam::123456789012:role/x"));
    assert_true(awssts_valid_role_arn("arn:aws-us-gov:iam::123456789012:role/x"));
    const char *bad_roles[] = {
        "arn:aws:iam::12345678901:role/x",
        "arn:aws:iam::123456789012:user/x",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:role/x/",
        "arn:evil:iam::123456789012:role/x",
        "arn:aws:sts::123456789012:role/x",
        "arn:aws:iam::123456789012:role/x y",
        "arn:aws:iam::123456789012:role/x\n",
        "role/x",
        "",
    };
    for (size_t i = 0; i < sizeof(bad_roles) / sizeof(bad_roles[0]); i++)
        assert_false(awssts_valid_role_arn(bad_roles[i]));

    assert_true(awssts_valid_mfa_serial("arn:aws:iam::123456789012:mfa/alice"));
    assert_true(awssts_valid_mfa_serial("GAHT12345678"));
    assert_false(awssts_valid_mfa_serial("arn:aws:iam::123456789012:role/alice"));
    assert_false(awssts_valid_mfa_serial("short"));
    assert_false(awssts_valid_mfa_serial("GAHT 12345678"));
}

static void test_keys(void **state)
{
    (void)state;
    assert_true(awssts_valid_access_key_id("AKIAIOSFODNN7EXAMPLE"));
    assert_false(awssts_valid_access_key_id("akiaiosfodnn7example"));
    assert_false(awssts_valid_access_key_id("AKIA"));
    assert_false(awssts_valid_access_key_id("AKIAIOSFODNN7EXAMPL\n"));
    assert_true(awssts_valid_secret_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
    assert_false(awssts_valid_secret_key("wJalrXUtnFEMI/K7MDENG bPxRfiCYEXAMPLEKEY"));
    assert_false(awssts_valid_secret_key("wJalrXUtnFEMI/K7MDENG\nbPxRfiCYEXAMPLEKEY"));
    assert_true(awssts_valid_session_token("AQoDYXdzEPT//////////wEXAMPLE=="));
    assert_false(awssts_valid_session_token("AQoDYXdzEPT////[profile]/////"));
    assert_true(awssts_valid_external_id("ext-id:1/2"));
    assert_false(awssts_valid_external_id("x"));
    assert_true(awssts_valid_source_identity("alice@example.com"));
    assert_false(awssts_valid_source_identity("alice example"));
    assert_true(awssts_valid_profile_name("prod-admin"));
    assert_false(awssts_valid_profile_name("bad]name"));
    assert_false(awssts_valid_profile_name(""));
}

/* Session tags: STS's lengths, ASCII of STS's classes, no aws: key. */
static void test_tags(void **state)
{
    (void)state;
    assert_true(awssts_valid_tag_key("Project"));
    assert_true(awssts_valid_tag_key("bastion:linux-user"));
    assert_true(awssts_valid_tag_key("a b_c.d:e/f=g+h-i@j"));
    assert_true(awssts_valid_tag_key("x"));
    assert_true(awssts_valid_tag_key("awsx"));
    assert_true(awssts_valid_tag_key("my:aws:key"));
    const char *bad_keys[] = {
        "",        "aws:x",     "AWS:x", "Aws:",        "tab\there",       "new\nline", "comma,no",
        "semi;no", "quote\"no", "star*", "caf\xc3\xa9", "\xe2\x80\xa8sep", "x\x7f",
    };
    for (size_t i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++)
        assert_false(awssts_valid_tag_key(bad_keys[i]));
    assert_false(awssts_valid_tag_key(NULL));

    assert_true(awssts_valid_tag_value(""));
    assert_true(awssts_valid_tag_value("aws:allowed in a value by the pattern"));
    assert_true(awssts_valid_tag_value("10.0.0.1:22 user@host /a=b+c-d_e"));
    assert_false(awssts_valid_tag_value("new\nline"));
    assert_false(awssts_valid_tag_value("caf\xc3\xa9"));
    assert_false(awssts_valid_tag_value("a,b"));
    assert_false(awssts_valid_tag_value(NULL));

    char s[260];
    memset(s, 'k', sizeof(s));
    s[128] = '\0';
    assert_true(awssts_valid_tag_key(s));
    s[128] = 'k';
    s[129] = '\0';
    assert_false(awssts_valid_tag_key(s));
    s[129] = 'k';
    s[256] = '\0';
    assert_true(awssts_valid_tag_value(s));
    s[256] = 'k';
    s[257] = '\0';
    assert_false(awssts_valid_tag_value(s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mfa_code), cmocka_unit_test(test_session_name),
        cmocka_unit_test(test_arns),     cmocka_unit_test(test_keys),
        cmocka_unit_test(test_tags),
    };
    return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
