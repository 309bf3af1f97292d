/* Credentials file: parsing, refusing bad files, rewriting one profile while
 * keeping everything else byte for byte. */
#include "cm.h"
#include "tmpdir.h"

#include "awssts/credfile.h"
#include "awssts/secret.h"

static const char original[] = "# my credentials\n"
                               "[default]\n"
                               "aws_access_key_id = AKIAEXAMPLEDEFAULT01\n"
                               "aws_secret_access_key=secretdefault\n"
                               "\n"
                               "; work account\n"
                               "[work-long-term]\n"
                               "aws_access_key_id = AKIAEXAMPLEWORK00001\n"
                               "aws_secret_access_key = secretwork\n"
                               "aws_mfa_device = arn:aws:iam::123456789012:mfa/alice\n"
                               "  # indented comment stays\n"
                               "\n"
                               "[work]\n"
                               "aws_access_key_id = OLD\n"
                               "expiration = 2000-01-01 00:00:00\n"
                               "assumed_role_arn = arn:aws:iam::123456789012:role/old\n"
                               "\n"
                               "[other]\n"
                               "region: eu-west-1\n";

static struct awssts_credfile *parse_ok(const char *text)
{
    struct awssts_credfile *cf = NULL;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_credfile_parse(text, strlen(text), &cf, &ei), AWSSTS_OK);
    return cf;
}

static void test_get(void **state)
{
    (void)state;
    struct awssts_credfile *cf = parse_ok(original);
    assert_string_equal(awssts_credfile_get(cf, "default", "aws_secret_access_key"),
                        "secretdefault");
    assert_string_equal(awssts_credfile_get(cf, "work-long-term", "AWS_MFA_DEVICE"),
                        "arn:aws:iam::123456789012:mfa/alice");
    assert_string_equal(awssts_credfile_get(cf, "other", "region"), "eu-west-1");
    assert_null(awssts_credfile_get(cf, "missing", "x"));
    assert_null(awssts_credfile_get(cf, "default", "missing"));
    assert_true(awssts_credfile_has_section(cf, "work"));
    assert_false(awssts_credfile_has_section(cf, "Work"));
    awssts_credfile_free(cf);
}

static void test_roundtrip_unchanged(void **state)
{
    (void)state;
    struct awssts_credfile *cf = parse_ok(original);
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(awssts_credfile_serialize(cf, &out, &len), AWSSTS_OK);
    assert_string_equal(out, original);
    assert_int_equal(len, strlen(original));
    awssts_secret_free(out);
    awssts_credfile_free(cf);
}

static void test_put_credentials_keeps_the_rest(void **state)
{
    (void)state;
    struct awssts_credfile *cf = parse_ok(original);
    char key[] = "ASIANEWKEY0000000001", secret[] = "newsecret", token[] = "newtoken";
    struct awssts_credentials cr = {
        .access_key_id = key,
        .secret_access_key = secret,
        .session_token = token,
        .expiration = 1440938160,
    };
    assert_int_equal(awssts_credfile_put_credentials(cf, "work", &cr, NULL, NULL), AWSSTS_OK);
    char *out = NULL;
    assert_int_equal(awssts_credfile_serialize(cf, &out, NULL), AWSSTS_OK);
    const char *want = "# my credentials\n"
                       "[default]\n"
                       "aws_access_key_id = AKIAEXAMPLEDEFAULT01\n"
                       "aws_secret_access_key=secretdefault\n"
                       "\n"
                       "; work account\n"
                       "[work-long-term]\n"
                       "aws_access_key_id = AKIAEXAMPLEWORK00001\n"
                       "aws_secret_access_key = secretwork\n"
                       "aws_mfa_device = arn:aws:iam::123456789012:mfa/alice\n"
                       "  # indented comment stays\n"
                       "\n"
                       "[work]\n"
                       "aws_access_key_id = ASIANEWKEY0000000001\n"
                       "expiration = 2015-08-30 12:36:00\n"
                       "assumed_role = False\n"
                       "aws_secret_access_key = newsecret\n"
                       "aws_session_token = newtoken\n"
                       "aws_security_token = newtoken\n"
                       "\n"
                       "[other]\n"
                       "region: eu-west-1\n";
    assert_string_equal(out, want);
    awssts_secret_free(out);

    /* With a role: the arn is written; a new section goes at the end. */
    assert_int_equal(
        awssts_credfile_put_credentials(cf, "fresh", &cr, "arn:aws:iam::123456789012:role/r", NULL),
        AWSSTS_OK);
    assert_string_equal(awssts_credfile_get(cf, "fresh", "assumed_role"), "True");
    assert_string_equal(awssts_credfile_get(cf, "fresh", "assumed_role_arn"),
                        "arn:aws:iam::123456789012:role/r");
    assert_int_equal(awssts_credfile_serialize(cf, &out, NULL), AWSSTS_OK);
    assert_non_null(strstr(out, "region: eu-west-1\n\n[fresh]\nassumed_role = True\n"));
    awssts_secret_free(out);

    awssts_credfile_remove_section(cf, "fresh");
    awssts_credfile_remove_section(cf, "work");
    assert_false(awssts_credfile_has_section(cf, "work"));
    assert_string_equal(awssts_credfile_get(cf, "other", "region"), "eu-west-1");
    awssts_credfile_free(cf);
}

static void test_set_refuses_injection(void **state)
{
    (void)state;
    struct awssts_credfile *cf = awssts_credfile_new();
    assert_int_equal(awssts_credfile_set(cf, "p", "k", "v\n[evil]", NULL),
                     AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(awssts_credfile_set(cf, "p]", "k", "v", NULL), AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(awssts_credfile_set(cf, "p", "k=x", "v", NULL), AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(awssts_credfile_set(cf, "p", "k", "v", NULL), AWSSTS_OK);
    char *out = NULL;
    assert_int_equal(awssts_credfile_serialize(cf, &out, NULL), AWSSTS_OK);
    assert_string_equal(out, "[p]\nk = v\n");
    awssts_secret_free(out);
    awssts_credfile_free(cf);
}

static void expect_parse_error(const char *text, const char *why)
{
    struct awssts_credfile *cf = NULL;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_credfile_parse(text, strlen(text), &cf, &ei), AWSSTS_E_CONFIG);
    assert_null(cf);
    if (strstr(ei.detail, why) == NULL)
        fail_msg("detail '%s' lacks '%s'", ei.detail, why);
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_parse_error("key = before section\n", "line 1: key before any [section]");
    expect_parse_error("[a]\njust words\n", "line 2: expected 'key = value'");
    expect_parse_error("[a\n", "line 1: section header without ']'");
    expect_parse_error("[a]\nx=1\n[a]\n", "line 3: section [a] repeated");
    expect_parse_error("[a]\nx=1\nX = 2\n", "line 3: key X repeated");
    expect_parse_error("[a]\nx=1\x01\n", "line 2: control character");
    expect_parse_error("[]\n", "line 1: bad section name");
    expect_parse_error("[a]\nbad key = 1\n", "line 2: bad key name");
}

static void test_load_and_save(void **state)
{
    (void)state;
    char p[512];
    write_file("creds", original, 0600);
    struct awssts_file_policy pol = {.owner = getuid(), .forbidden = 0077};
    struct awssts_credfile *cf = NULL;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(
        awssts_credfile_load(AT_FDCWD, tmp_path(p, sizeof(p), "creds"), &pol, &cf, &ei), AWSSTS_OK);
    assert_int_equal(awssts_credfile_set(cf, "default", "region", "ap-east-1", &ei), AWSSTS_OK);
    int dfd = open(test_dir, O_RDONLY | O_DIRECTORY);
    assert_true(dfd >= 0);
    assert_int_equal(awssts_credfile_save(cf, dfd, "creds", 0600, &ei), AWSSTS_OK);
    awssts_credfile_free(cf);
    close(dfd);

    cf = NULL;
    assert_int_equal(awssts_credfile_load(AT_FDCWD, p, &pol, &cf, &ei), AWSSTS_OK);
    assert_string_equal(awssts_credfile_get(cf, "default", "region"), "ap-east-1");
    awssts_credfile_free(cf);

    chmod(p, 0644);
    assert_int_equal(awssts_credfile_load(AT_FDCWD, p, &pol, &cf, &ei), AWSSTS_E_FILE_UNSAFE);
    assert_null(cf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get),
        cmocka_unit_test(test_roundtrip_unchanged),
        cmocka_unit_test(test_put_credentials_keeps_the_rest),
        cmocka_unit_test(test_set_refuses_injection),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_load_and_save),
    };
    return cmocka_run_group_tests_name("credfile", tests, tmpdir_setup, tmpdir_teardown);
}
