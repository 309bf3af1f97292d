/* What STS answers to the session tags libawssts refuses before sending:
 * sent here anyway, through the STS call layer under the request checks
 * (lib/aws/sts_call.h), so the fault STS's rules are shown against the limits
 * the library holds to (tests/unit/test_assume_role.c). And what STS takes
 * that the library does not: letters and numbers outside ASCII. */
#include "peer.h"

#include "aws/sts_call.h"
#include "aws/sts_client.h"
#include "aws/sts_response.h"

#define ROLE       "arn:aws:iam::123456789012:role/ops"
#define MAX_PARAMS 160

static int counter;

struct raw_call {
    struct sts_call call;
    char names[MAX_PARAMS][48];
    size_t n_names;
    char session_name[32];
};

static void raw_init(struct raw_call *r)
{
    awssts_sts_call_init(&r->call, "AssumeRole");
    r->n_names = 0;
    snprintf(r->session_name, sizeof(r->session_name), "wire-%d", ++counter);
    assert_int_equal(awssts_sts_call_add(&r->call, "RoleArn", ROLE, NULL), AWSSTS_OK);
    assert_int_equal(awssts_sts_call_add(&r->call, "RoleSessionName", r->session_name, NULL),
                     AWSSTS_OK);
}

/* A name's room in r (the call borrows names). */
static char *raw_name(struct raw_call *r)
{
    assert_true(r->n_names < MAX_PARAMS);
    return r->names[r->n_names++];
}

static void raw_tag(struct raw_call *r, int n, const char *key, const char *value)
{
    char *k = raw_name(r), *v = raw_name(r);
    snprintf(k, sizeof(r->names[0]), "Tags.member.%d.Key", n);
    snprintf(v, sizeof(r->names[0]), "Tags.member.%d.Value", n);
    assert_int_equal(awssts_sts_call_add(&r->call, k, key, NULL), AWSSTS_OK);
    assert_int_equal(awssts_sts_call_add(&r->call, v, value, NULL), AWSSTS_OK);
}

static void raw_transitive(struct raw_call *r, int n, const char *key)
{
    char *name = raw_name(r);
    snprintf(name, sizeof(r->names[0]), "TransitiveTagKeys.member.%d", n);
    assert_int_equal(awssts_sts_call_add(&r->call, name, key, NULL), AWSSTS_OK);
}

/* Sends the call signed with a fault-free IAM user's keys; frees it. */
static awssts_err raw_send(struct raw_call *r, struct awssts_error_info *ei)
{
    struct awssts_client_options o = {
        .struct_size = sizeof(o),
        .region = "us-east-1",
        .endpoint = peer_env("FAULT_URL"),
        .ca_file = peer_env("TEST_CA"),
        .timeout_ms = 20000,
    };
    struct awssts_client *c = NULL;
    assert_int_equal(awssts_client_new(&o, &c, NULL), AWSSTS_OK);
    char kb[32];
    snprintf(kb, sizeof(kb), "AKIAOKW%013d", counter);
    struct awssts_keys k = {kb, "faultSTSsecretKEY/0123456789abcdefghijkl", NULL};
    struct sts_response resp;
    awssts_error_info_reset(ei);
    awssts_err rc = awssts_sts_call(c, &k, &r->call, &resp, ei);
    awssts_sts_response_free(&resp);
    awssts_sts_call_free(&r->call);
    awssts_client_free(c);
    return rc;
}

static void expect_refused(struct raw_call *r, const char *aws_code, const char *part)
{
    struct awssts_error_info ei;
    awssts_err rc = raw_send(r, &ei);
    if (rc != AWSSTS_E_INVALID_ARGUMENT)
        fail_msg("%s: got %s, want AWSSTS_E_INVALID_ARGUMENT", r->session_name, awssts_errname(rc));
    assert_int_equal(ei.http_status, 400);
    assert_string_equal(ei.aws_code, aws_code);
    if (strstr(ei.message, part) == NULL)
        fail_msg("%s: '%s' lacks '%s'", r->session_name, ei.message, part);
}

static void expect_accepted(struct raw_call *r)
{
    struct awssts_error_info ei;
    awssts_err rc = raw_send(r, &ei);
    if (rc != AWSSTS_OK)
        fail_msg("%s: got %s: %s", r->session_name, awssts_errname(rc), ei.message);
}

static char keys[AWSSTS_MAX_SESSION_TAGS + 1][16];

static void test_more_than_fifty(void **state)
{
    (void)state;
    struct raw_call r;
    raw_init(&r);
    for (int i = 1; i <= AWSSTS_MAX_SESSION_TAGS + 1; i++) {
        snprintf(keys[i - 1], sizeof(keys[0]), "k%02d", i);
        raw_tag(&r, i, keys[i - 1], "v");
    }
    expect_refused(&r, "ValidationError",
                   "at 'tags' failed to satisfy constraint: Member must "
                   "have length less than or equal to 50");

    raw_init(&r);
    for (int i = 1; i <= AWSSTS_MAX_SESSION_TAGS; i++)
        raw_tag(&r, i, keys[i - 1], "v");
    for (int i = 1; i <= AWSSTS_MAX_SESSION_TAGS; i++)
        raw_transitive(&r, i, keys[i - 1]);
    expect_accepted(&r);
}

static void test_lengths(void **state)
{
    (void)state;
    static char text[300];
    memset(text, 'x', sizeof(text) - 1);
    struct raw_call r;

    text[AWSSTS_TAG_KEY_MAX + 1] = '\0';
    raw_init(&r);
    raw_tag(&r, 1, "ok", "v");
    raw_tag(&r, 2, text, "v");
    expect_refused(&r, "ValidationError",
                   "at 'tags.2.member.key' failed to satisfy constraint: "
                   "Member must have length less than or equal to 128");
    raw_init(&r);
    raw_tag(&r, 1, "", "v");
    expect_refused(&r, "ValidationError",
                   "at 'tags.1.member.key' failed to satisfy constraint: "
                   "Member must have length greater than or equal to 1");

    text[AWSSTS_TAG_KEY_MAX + 1] = 'x';
    text[AWSSTS_TAG_VALUE_MAX + 1] = '\0';
    raw_init(&r);
    raw_tag(&r, 1, "k", text);
    expect_refused(&r, "ValidationError",
                   "at 'tags.1.member.value' failed to satisfy constraint: "
                   "Member must have length less than or equal to 256");
    text[AWSSTS_TAG_VALUE_MAX] = '\0';
    raw_init(&r);
    raw_tag(&r, 1, "k", text);
    raw_tag(&r, 2, "empty", "");
    expect_accepted(&r);
}

/* STS's classes are Unicode letters, separators and numbers and _.:/=+-@. */
static void test_characters(void **state)
{
    (void)state;
    static const char *const bad[] = {"semi;colon", "a,b", "quote\"", "star*", "tab\there"};
    struct raw_call r;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        raw_init(&r);
        raw_tag(&r, 1, bad[i], "v");
        expect_refused(&r, "ValidationError",
                       "at 'tags.1.member.key' failed to satisfy "
                       "constraint: Member must satisfy regular expression "
                       "pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
        raw_init(&r);
        raw_tag(&r, 1, "k", bad[i]);
        expect_refused(&r, "ValidationError",
                       "at 'tags.1.member.value' failed to satisfy "
                       "constraint: Member must satisfy regular expression "
                       "pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    }
    /* Wider than the library's ASCII: STS takes these, libawssts does not. */
    raw_init(&r);
    raw_tag(&r, 1, "caf\xc3\xa9", "\xd9\xa3 \xe2\x80\x83 na\xc3\xafve");
    expect_accepted(&r);
    assert_int_equal(fault_log_count("\"tags\": [[\"caf\\u00e9\"", NULL), 1);
}

static void test_reserved_and_duplicate_keys(void **state)
{
    (void)state;
    struct raw_call r;
    raw_init(&r);
    raw_tag(&r, 1, "AWS:user", "v");
    expect_refused(&r, "InvalidParameterValue", "aws:");
    raw_init(&r);
    raw_tag(&r, 1, "my:aws:user", "v");
    expect_accepted(&r);

    raw_init(&r);
    raw_tag(&r, 1, "Project", "a");
    raw_tag(&r, 2, "project", "b");
    expect_refused(&r, "InvalidParameterValue",
                   "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    raw_init(&r);
    raw_tag(&r, 1, "Project", "a");
    raw_tag(&r, 2, "Projects", "b");
    expect_accepted(&r);
}

static void test_transitive_keys_name_tags(void **state)
{
    (void)state;
    struct raw_call r;
    raw_init(&r);
    raw_tag(&r, 1, "Project", "a");
    raw_transitive(&r, 1, "Team");
    expect_refused(&r, "InvalidParameterValue", "TransitiveTagKeys");
    raw_init(&r);
    raw_tag(&r, 1, "Project", "a");
    raw_transitive(&r, 1, "PROJECT");
    expect_accepted(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_more_than_fifty),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_characters),
        cmocka_unit_test(test_reserved_and_duplicate_keys),
        cmocka_unit_test(test_transitive_keys_name_tags),
    };
    return cmocka_run_group_tests_name("sts_wire_tags", tests, NULL, NULL);
}
