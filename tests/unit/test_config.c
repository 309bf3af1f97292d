/* Configuration files: typed values, unknown keys, and files refused for
 * their syntax, owner or mode, each with a message naming file and line. */
#include "cm.h"
#include "tmpdir.h"

#include "awssts/config.h"

static const struct awssts_file_policy root_like = {.forbidden = 0022, .any_owner = true};

static struct awssts_config *load_ok(const char *name)
{
    char p[512];
    struct awssts_config *cfg = NULL;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc = awssts_config_load(tmp_path(p, sizeof(p), name), &root_like, &cfg, &ei);
    if (rc != AWSSTS_OK)
        fail_msg("load: %s", ei.detail);
    return cfg;
}

static void test_values(void **state)
{
    (void)state;
    write_file("a.conf",
               "; comment\n"
               "[global]\n"
               "region = ap-east-1\n"
               "timeout = 7\n"
               "fips = yes\n"
               "dualstack = Off\n"
               "empty =\n"
               "\n"
               "[user:Alice]\n"
               "role_arn = arn:aws:iam::123456789012:role/admin\n"
               "bogus = 1\n"
               "prompt = \"AWS MFA code: \"\n",
               0644);
    struct awssts_config *cfg = load_ok("a.conf");
    assert_string_equal(awssts_config_get(cfg, "global", "region"), "ap-east-1");
    assert_string_equal(awssts_config_get(cfg, "user:alice", "role_arn"),
                        "arn:aws:iam::123456789012:role/admin");
    assert_string_equal(awssts_config_get(cfg, "USER:ALICE", "ROLE_ARN"),
                        "arn:aws:iam::123456789012:role/admin");
    assert_string_equal(awssts_config_get(cfg, "user:alice", "prompt"), "AWS MFA code: ");
    assert_null(awssts_config_get(cfg, "global", "missing"));
    assert_true(awssts_config_has_section(cfg, "user:alice"));
    assert_false(awssts_config_has_section(cfg, "user:bob"));
    assert_int_equal(awssts_config_section_count(cfg), 2);
    assert_string_equal(awssts_config_section_name(cfg, 0), "global");
    assert_string_equal(awssts_config_section_name(cfg, 1), "user:alice");
    assert_null(awssts_config_section_name(cfg, 2));

    long t = 0;
    bool b = false;
    assert_int_equal(awssts_config_get_long(cfg, "global", "timeout", 1, 60, &t, NULL), AWSSTS_OK);
    assert_int_equal(t, 7);
    assert_int_equal(awssts_config_get_bool(cfg, "global", "fips", &b, NULL), AWSSTS_OK);
    assert_true(b);
    assert_int_equal(awssts_config_get_bool(cfg, "global", "dualstack", &b, NULL), AWSSTS_OK);
    assert_false(b);
    assert_int_equal(awssts_config_get_bool(cfg, "global", "nothere", &b, NULL),
                     AWSSTS_E_NOT_FOUND);

    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_config_get_long(cfg, "global", "timeout", 10, 60, &t, &ei),
                     AWSSTS_E_CONFIG);
    assert_non_null(
        strstr(ei.detail, "[global] timeout = '7': expected a whole number from 10 to 60"));
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_config_get_bool(cfg, "global", "region", &b, &ei), AWSSTS_E_CONFIG);
    assert_non_null(strstr(ei.detail, "expected yes or no"));
    awssts_config_free(cfg);
}

static int unknown_count;
static char unknown_last[64];

static void on_unknown(void *ctx, const char *section, const char *key)
{
    (void)ctx;
    (void)section;
    unknown_count++;
    snprintf(unknown_last, sizeof(unknown_last), "%s", key);
}

static void test_unknown_keys(void **state)
{
    (void)state;
    struct awssts_config *cfg = load_ok("a.conf");
    static const char *const known[] = {"role_arn", "prompt", NULL};
    unknown_count = 0;
    awssts_config_unknown_keys(cfg, "user:alice", known, on_unknown, NULL);
    assert_int_equal(unknown_count, 1);
    assert_string_equal(unknown_last, "bogus");
    awssts_config_free(cfg);
}

static void expect_refused(const char *text, mode_t mode, const struct awssts_file_policy *pol,
                           awssts_err want, const char *why)
{
    char p[512];
    write_file("bad.conf", text, mode);
    struct awssts_config *cfg = NULL;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_config_load(tmp_path(p, sizeof(p), "bad.conf"), pol, &cfg, &ei), want);
    assert_null(cfg);
    if (strstr(ei.detail, why) == NULL)
        fail_msg("detail '%s' lacks '%s'", ei.detail, why);
    assert_non_null(strstr(ei.detail, "bad.conf"));
}

static void test_refused_files(void **state)
{
    (void)state;
    expect_refused("[global]\nregion ap-east-1\n", 0644, &root_like, AWSSTS_E_CONFIG,
                   "line 2: expected 'key = value'");
    expect_refused("region = x\n", 0644, &root_like, AWSSTS_E_CONFIG, "line 1: key before");
    expect_refused("[global]\nregion = x\n", 0666, &root_like, AWSSTS_E_FILE_UNSAFE,
                   "mode 0666 is too open");
    struct awssts_file_policy other_owner = {.owner = getuid() + 1, .forbidden = 0022};
    expect_refused("[global]\n", 0644, &other_owner, AWSSTS_E_FILE_UNSAFE, "owned by uid");

    char longline[1100] = "[global]\nx = ";
    memset(longline + strlen(longline), 'a', 1050);
    longline[1080] = '\0';
    expect_refused(longline, 0644, &root_like, AWSSTS_E_CONFIG, "line 2: longer than");

    char p[512], link[512];
    write_file("real.conf", "[global]\n", 0644);
    tmp_path(link, sizeof(link), "link.conf");
    assert_int_equal(symlink(tmp_path(p, sizeof(p), "real.conf"), link), 0);
    struct awssts_config *cfg = NULL;
    assert_int_equal(awssts_config_load(link, &root_like, &cfg, NULL), AWSSTS_E_FILE_UNSAFE);
    assert_int_equal(
        awssts_config_load(tmp_path(p, sizeof(p), "none.conf"), &root_like, &cfg, NULL),
        AWSSTS_E_NOT_FOUND);
    assert_int_equal(awssts_config_load(test_dir, &root_like, &cfg, NULL), AWSSTS_E_FILE_UNSAFE);
}

/* One set of rules for configuration and keys files, iniparser's, the lines
 * checked with their numbers: the inputs on which the old syntax check (the
 * credentials-file parser) and iniparser disagreed now read one way. */
static void test_one_set_of_rules(void **state)
{
    (void)state;
    write_file("r.conf",
               "# comment\n"
               "; comment\n"
               "[Global]\n"
               "region = us-east-1 ; eu-west-1\n"
               "prompt = \"AWS MFA code: \"\n"
               "quoted = 'a ; b'\n"
               "hash = /etc/keys#1\n"
               "empty =\n"
               "empty2 = \"\"\n"
               "  Key.Two_3-x   =   value with spaces   \n"
               "\n"
               "[user:alice]\n"
               "aws_mfa_device = arn:aws:iam::123456789012:mfa/alice ; her phone\n",
               0644);
    struct awssts_config *cfg = load_ok("r.conf");
    assert_string_equal(awssts_config_get(cfg, "global", "region"), "us-east-1");
    assert_string_equal(awssts_config_get(cfg, "global", "prompt"), "AWS MFA code: ");
    assert_string_equal(awssts_config_get(cfg, "global", "quoted"), "a ; b");
    assert_string_equal(awssts_config_get(cfg, "global", "hash"), "/etc/keys");
    assert_string_equal(awssts_config_get(cfg, "global", "empty"), "");
    assert_string_equal(awssts_config_get(cfg, "global", "empty2"), "");
    assert_string_equal(awssts_config_get(cfg, "global", "key.two_3-x"), "value with spaces");
    assert_string_equal(awssts_config_get(cfg, "user:alice", "aws_mfa_device"),
                        "arn:aws:iam::123456789012:mfa/alice");
    /* Every key's line, for messages that name it. */
    assert_int_equal(awssts_config_line(cfg, "global", "region"), 4);
    assert_int_equal(awssts_config_line(cfg, "GLOBAL", "Prompt"), 5);
    assert_int_equal(awssts_config_line(cfg, "user:alice", "aws_mfa_device"), 13);
    assert_int_equal(awssts_config_line(cfg, "user:alice", "nothere"), 0);
    awssts_config_free(cfg);

    /* What iniparser would take silently, or read otherwise than it looks. */
    expect_refused("[global]\nregion = a\nREGION = b\n", 0644, &root_like, AWSSTS_E_CONFIG,
                   "line 3: region given twice in [global] (also line 2)");
    expect_refused("[global]\n[Global]\n", 0644, &root_like, AWSSTS_E_CONFIG,
                   "line 2: section [global] given twice");
    expect_refused("[global]\nregion = a \\\n  b\n", 0644, &root_like, AWSSTS_E_CONFIG,
                   "line 2: a line continued with");
    expect_refused("[global]\nregion: a\n", 0644, &root_like, AWSSTS_E_CONFIG,
                   "line 2: expected 'key = value'");
    expect_refused("[global]\n = a\n", 0644, &root_like, AWSSTS_E_CONFIG, "line 2: bad key name");
    expect_refused("[global]\nspaced key = a\n", 0644, &root_like, AWSSTS_E_CONFIG,
                   "line 2: bad key name");
    expect_refused("[global\n", 0644, &root_like, AWSSTS_E_CONFIG, "line 1: bad section header");
}

static void test_parse_bool(void **state)
{
    (void)state;
    bool b;
    assert_true(awssts_parse_bool("TRUE", &b) && b);
    assert_true(awssts_parse_bool("0", &b) && !b);
    assert_false(awssts_parse_bool("nonsense", &b));
    assert_false(awssts_parse_bool("y", &b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_refused_files), cmocka_unit_test(test_one_set_of_rules),
        cmocka_unit_test(test_parse_bool),
    };
    return cmocka_run_group_tests_name("config", tests, tmpdir_setup, tmpdir_teardown);
}
