/* AssumeRole's request as STS gets it: session tags and transitive keys by
 * STS's parameter names and in order, every tag STS would refuse refused
 * here first (named by place and key, never by value), and a caller built
 * against the struct's first version still served, with no tags sent. */
#include "cm.h"

#include "awssts/secret.h"
#include "awssts/sts.h"
#include "util/buf.h"
#include "util/sized.h"
#include "aws/sts_ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROLE "arn:aws:iam::123456789012:role/ops"

static char keys[AWSSTS_MAX_SESSION_TAGS + 1][16];
static char lower_keys[AWSSTS_MAX_SESSION_TAGS + 1][16];
static char values[AWSSTS_MAX_SESSION_TAGS + 1][32];
static struct awssts_tag tags[AWSSTS_MAX_SESSION_TAGS + 1];
static const char *transitive[AWSSTS_MAX_SESSION_TAGS + 1];

/* Keys "Key-01".. with their lower-case twins as transitive keys (STS
 * matches them without case); values with every character that the form
 * encodes. */
static void make_tags(void)
{
    for (int i = 0; i <= AWSSTS_MAX_SESSION_TAGS; i++) {
        snprintf(keys[i], sizeof(keys[i]), "Key-%02d", i + 1);
        snprintf(lower_keys[i], sizeof(lower_keys[i]), "key-%02d", i + 1);
        snprintf(values[i], sizeof(values[i]), "v %d:/=+@_.-", i + 1);
        tags[i] = (struct awssts_tag){keys[i], values[i]};
        transitive[i] = lower_keys[i];
    }
}

static struct awssts_assume_role_request base_request(void)
{
    return (struct awssts_assume_role_request){
        .struct_size = sizeof(struct awssts_assume_role_request),
        .role_arn = ROLE,
        .role_session_name = "alice",
        .source_identity = "alice",
    };
}

/* The encoded body of a prepared request; the caller frees it. */
static char *body_of(const struct awssts_assume_role_request *req, awssts_err *rc,
                     struct awssts_error_info *ei)
{
    struct assume_role_call ar;
    awssts_error_info_reset(ei);
    *rc = awssts_assume_role_prepare(req, &ar, ei);
    char *body = NULL;
    if (*rc == AWSSTS_OK)
        assert_int_equal(awssts_sts_form_body(&ar.call, &body, ei), AWSSTS_OK);
    awssts_sts_call_free(&ar.call);
    return body;
}

static void test_fifty_tags_and_transitive_keys_encoded(void **state)
{
    (void)state;
    make_tags();
    struct awssts_assume_role_request req = base_request();
    req.duration_seconds = 3600;
    req.external_id = "ext-42";
    req.tags = tags;
    req.n_tags = AWSSTS_MAX_SESSION_TAGS;
    req.transitive_tag_keys = transitive;
    req.n_transitive_tag_keys = AWSSTS_MAX_SESSION_TAGS;

    /* Built here, without the library's encoder. */
    struct awssts_buf want;
    awssts_buf_init(&want, 0);
    awssts_buf_puts(&want, "Action=AssumeRole&Version=2011-06-15"
                           "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fops"
                           "&RoleSessionName=alice&DurationSeconds=3600&ExternalId=ext-42"
                           "&SourceIdentity=alice");
    for (int i = 1; i <= AWSSTS_MAX_SESSION_TAGS; i++)
        awssts_buf_printf(
            &want,
            "&Tags.member.%d.Key=Key-%02d&Tags.member.%d.Value=v%%20%d%%3A%%2F%%3D%%2B%%40_.-", i,
            i, i, i);
    for (int i = 1; i <= AWSSTS_MAX_SESSION_TAGS; i++)
        awssts_buf_printf(&want, "&TransitiveTagKeys.member.%d=key-%02d", i, i);
    char *expected = awssts_buf_steal(&want);
    assert_non_null(expected);

    awssts_err rc;
    struct awssts_error_info ei;
    char *body = body_of(&req, &rc, &ei);
    if (rc != AWSSTS_OK)
        fail_msg("refused: %s", ei.detail);
    assert_string_equal(body, expected);
    size_t amps = 0;
    for (const char *p = body; *p; p++)
        amps += *p == '&';
    /* Action, Version, five parameters, 2 x 50 tag parts, 50 keys. */
    assert_int_equal(amps + 1, 2 + 5 + 2 * AWSSTS_MAX_SESSION_TAGS + AWSSTS_MAX_SESSION_TAGS);
    awssts_secret_free(body);
    free(expected);
}

/* The parameter names as the call holds them, in order. */
static void test_parameter_names_in_order(void **state)
{
    (void)state;
    make_tags();
    struct awssts_assume_role_request req = base_request();
    req.tags = tags;
    req.n_tags = 2;
    req.transitive_tag_keys = transitive + 1;
    req.n_transitive_tag_keys = 1;
    tags[1].value = ""; /* an empty value is a value */
    struct assume_role_call ar;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_assume_role_prepare(&req, &ar, &ei), AWSSTS_OK);
    static const char *const names[] = {
        "RoleArn",
        "RoleSessionName",
        "SourceIdentity",
        "Tags.member.1.Key",
        "Tags.member.1.Value",
        "Tags.member.2.Key",
        "Tags.member.2.Value",
        "TransitiveTagKeys.member.1",
    };
    static const char *const want_values[] = {
        ROLE, "alice", "alice", "Key-01", "v 1:/=+@_.-", "Key-02", "", "key-02",
    };
    assert_int_equal(ar.call.params.n, sizeof(names) / sizeof(names[0]));
    for (size_t i = 0; i < ar.call.params.n; i++) {
        assert_string_equal(ar.call.params.items[i].name, names[i]);
        assert_string_equal(ar.call.params.items[i].value, want_values[i]);
    }
    awssts_sts_call_free(&ar.call);
}

/* One refusal: its detail holds want and never the secret-looking text. */
static void refused(const struct awssts_assume_role_request *req, const char *want,
                    const char *never)
{
    awssts_err rc;
    struct awssts_error_info ei;
    char *body = body_of(req, &rc, &ei);
    assert_null(body);
    if (rc != AWSSTS_E_INVALID_ARGUMENT)
        fail_msg("got %s, want AWSSTS_E_INVALID_ARGUMENT (%s)", awssts_errname(rc), want);
    if (strstr(ei.detail, want) == NULL)
        fail_msg("'%s' lacks '%s'", ei.detail, want);
    if (never != NULL && strstr(ei.detail, never) != NULL)
        fail_msg("'%s' shows '%s'", ei.detail, never);
    for (const char *p = ei.detail; *p; p++)
        assert_false((unsigned char)*p < 0x20);
}

static void accepted(const struct awssts_assume_role_request *req)
{
    awssts_err rc;
    struct awssts_error_info ei;
    char *body = body_of(req, &rc, &ei);
    if (rc != AWSSTS_OK)
        fail_msg("refused: %s", ei.detail);
    awssts_secret_free(body);
}

static void test_every_refusal(void **state)
{
    (void)state;
    make_tags();
    struct awssts_assume_role_request req = base_request();

    /* At most 50 tags, and 50 transitive keys. */
    req.tags = tags;
    req.n_tags = AWSSTS_MAX_SESSION_TAGS + 1;
    refused(&req, "51 session tags, STS takes at most 50", NULL);
    req.n_tags = AWSSTS_MAX_SESSION_TAGS;
    req.transitive_tag_keys = transitive;
    req.n_transitive_tag_keys = AWSSTS_MAX_SESSION_TAGS + 1;
    refused(&req, "51 transitive tag keys, STS takes at most 50", NULL);
    req.n_transitive_tag_keys = 0;
    req.tags = NULL;
    req.n_tags = 1;
    refused(&req, "AssumeRole: 1 session tags but no array of them", NULL);
    req.n_tags = 0;
    req.n_transitive_tag_keys = 1;
    req.transitive_tag_keys = NULL;
    refused(&req, "AssumeRole: 1 transitive tag keys but no array of them", NULL);
    req.n_transitive_tag_keys = 0;

    /* Keys: 1 to 128 characters. */
    char text[300];
    memset(text, 'k', sizeof(text));
    text[AWSSTS_TAG_KEY_MAX] = '\0';
    struct awssts_tag two[2] = {{"First", "1"}, {text, "v"}};
    req.tags = two;
    req.n_tags = 2;
    accepted(&req);
    text[AWSSTS_TAG_KEY_MAX] = 'k';
    text[AWSSTS_TAG_KEY_MAX + 1] = '\0';
    refused(&req, "session tag 2 has a key longer than 128 characters", text);
    two[1].key = "";
    refused(&req, "session tag 2 has an empty key", NULL);
    two[1].key = NULL;
    refused(&req, "session tag 2 has no key", NULL);

    /* Values: 0 to 256 characters, never NULL; named by key, not shown. */
    two[1].key = "Second";
    memset(text, 'v', sizeof(text));
    text[AWSSTS_TAG_VALUE_MAX] = '\0';
    two[1].value = text;
    accepted(&req);
    two[1].value = "";
    accepted(&req);
    text[AWSSTS_TAG_VALUE_MAX] = 'v';
    text[AWSSTS_TAG_VALUE_MAX + 1] = '\0';
    two[1].value = text;
    refused(&req, "session tag 2 (key \"Second\") has a value longer than 256 characters", "vvvv");
    two[1].value = NULL;
    refused(&req, "session tag 2 (key \"Second\") has no value", NULL);

    /* Characters: ASCII letters, digits, space and _.:/=+-@ only. */
    static const char *const bad_keys[] = {"a,b",          "tab\there",  "new\nline", "caf\xc3\xa9",
                                           "\xe2\x80\xa8", "semi;colon", "x\"y"};
    two[1].value = "v";
    for (size_t i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
        two[1].key = bad_keys[i];
        /* A bad key is named by its place alone: it may not be printable. */
        refused(&req,
                "session tag 2 has a key with a character other than ASCII letters, "
                "digits, space and _.:/=+-@",
                bad_keys[i]);
    }
    two[1].key = "Second";
    static const char *const bad_values[] = {"s3cr3t,value", "line\nbreak", "caf\xc3\xa9", "x\x7f"};
    for (size_t i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
        two[1].value = bad_values[i];
        refused(&req, "session tag 2 (key \"Second\") has a value with a character other than",
                bad_values[i]);
    }
    two[1].value = "v";

    /* Keys differing only in case are one key to STS. */
    two[1].key = "fIRST";
    refused(&req,
            "session tags 1 and 2 have the same key \"fIRST\" (STS compares tag keys "
            "without case)",
            NULL);
    two[1].key = "First";
    refused(&req, "session tags 1 and 2 have the same key \"First\"", NULL);

    /* aws: is AWS's prefix, in any case. */
    two[1].key = "aws:user";
    refused(&req, "session tag 2 has a key beginning with aws:", NULL);
    two[1].key = "AwS:user";
    refused(&req, "session tag 2 has a key beginning with aws:", NULL);
    two[1].key = "my:aws:user";
    accepted(&req);

    /* Transitive keys: each the key of one of the tags, in any case. */
    two[1].key = "Second";
    const char *tk[] = {"second", "Nope"};
    req.transitive_tag_keys = tk;
    req.n_transitive_tag_keys = 1;
    accepted(&req);
    req.n_transitive_tag_keys = 2;
    refused(&req, "transitive tag key 2 (\"Nope\") is not the key of a session tag of the request",
            NULL);
    tk[1] = "aws:x";
    refused(&req, "transitive tag key 2 has a key beginning with aws:", NULL);
    tk[1] = NULL;
    refused(&req, "transitive tag key 2 has no text", NULL);
    req.n_tags = 0;
    req.n_transitive_tag_keys = 1;
    refused(&req, "transitive tag key 1 (\"second\") is not the key of a session tag", NULL);
}

/*
 * A caller built against libawssts 0.1.0 passes the struct that ended at
 * source_identity: still served, SourceIdentity sent exactly when set, and
 * no tags whatever lies in memory past its struct.
 */
static void test_first_version_caller(void **state)
{
    (void)state;
    size_t v1 = AWSSTS_SIZE_THROUGH(struct awssts_assume_role_request, source_identity);
    /* Exactly the old struct on the heap: a read past it is a sanitizer's error. */
    void *old = malloc(v1);
    assert_non_null(old);
    struct awssts_assume_role_request full = base_request();
    full.struct_size = v1;
    memcpy(old, &full, v1);

    awssts_err rc;
    struct awssts_error_info ei;
    char *body = body_of(old, &rc, &ei);
    if (rc != AWSSTS_OK)
        fail_msg("refused: %s", ei.detail);
    assert_string_equal(body, "Action=AssumeRole&Version=2011-06-15"
                              "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fops"
                              "&RoleSessionName=alice&SourceIdentity=alice");
    awssts_secret_free(body);

    full.source_identity = NULL;
    memcpy(old, &full, v1);
    body = body_of(old, &rc, &ei);
    assert_int_equal(rc, AWSSTS_OK);
    assert_null(strstr(body, "SourceIdentity"));
    assert_null(strstr(body, "Tags"));
    awssts_secret_free(body);
    free(old);

    /* Sizes that are no version of the struct: refused before anything else. */
    struct {
        struct awssts_assume_role_request r;
        char newer[8];
    } big = {.r = base_request()};
    size_t bad_sizes[] = {0, v1 - 8, v1 + 8, sizeof(big.r) - 1, sizeof(big)};
    for (size_t i = 0; i < sizeof(bad_sizes) / sizeof(bad_sizes[0]); i++) {
        big.r.struct_size = bad_sizes[i];
        char want[64];
        snprintf(want, sizeof(want), "AssumeRole request: struct_size %zu ", bad_sizes[i]);
        refused(&big.r, want, NULL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifty_tags_and_transitive_keys_encoded),
        cmocka_unit_test(test_parameter_names_in_order),
        cmocka_unit_test(test_every_refusal),
        cmocka_unit_test(test_first_version_caller),
    };
    return cmocka_run_group_tests_name("assume_role", tests, NULL, NULL);
}
