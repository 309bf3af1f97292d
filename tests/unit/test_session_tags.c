/* The session tags of the configuration: parsed, expanded, checked by STS's
 * rules before anything is sent, and written back as the state keeps them. */
#include "cm.h"

#include "rules/session_tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_parse_expand_and_format(void **state)
{
    (void)state;
    struct awssts_session_tags t;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_session_tags_parse("linux_user=%u \tbastion=%h team=ops:core empty=",
                                               "LINUX_USER Bastion", "alice", &t, &ei),
                     AWSSTS_OK);
    assert_int_equal(t.n_tags, 4);
    assert_string_equal(t.tags[0].key, "linux_user");
    assert_string_equal(t.tags[0].value, "alice");
    char host[256];
    assert_int_equal(gethostname(host, sizeof(host)), 0);
    host[strcspn(host, ".")] = '\0';
    assert_string_equal(t.tags[1].value, host);
    assert_string_equal(t.tags[3].value, "");
    assert_int_equal(t.n_transitive, 2);
    char *tags = NULL, *trans = NULL;
    assert_int_equal(awssts_session_tags_format(&t, &tags, &trans), AWSSTS_OK);
    char want[600];
    snprintf(want, sizeof(want), "linux_user=alice bastion=%s team=ops:core empty=", host);
    assert_string_equal(tags, want);
    assert_string_equal(trans, "LINUX_USER Bastion");
    awssts_session_tags_free(&t);

    /* As the state keeps them: read back unchanged, with no expansion. */
    assert_int_equal(awssts_session_tags_parse(tags, trans, NULL, &t, NULL), AWSSTS_OK);
    assert_int_equal(t.n_tags, 4);
    assert_string_equal(t.tags[2].value, "ops:core");
    awssts_session_tags_free(&t);
    free(tags);
    free(trans);

    /* "all": every tag's key; none at all: nothing, and no text. */
    assert_int_equal(awssts_session_tags_parse("a=1 b=2", "all", "alice", &t, NULL), AWSSTS_OK);
    assert_int_equal(t.n_transitive, 2);
    assert_string_equal(t.transitive[1], "b");
    awssts_session_tags_free(&t);
    assert_int_equal(awssts_session_tags_parse(NULL, NULL, "alice", &t, NULL), AWSSTS_OK);
    assert_int_equal(t.n_tags + t.n_transitive, 0);
    assert_int_equal(awssts_session_tags_format(&t, &tags, &trans), AWSSTS_OK);
    assert_null(tags);
    assert_null(trans);
}

static void expect_refused(const char *tags, const char *transitive, const char *why)
{
    struct awssts_session_tags t;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_session_tags_parse(tags, transitive, "alice", &t, &ei) != AWSSTS_E_CONFIG)
        fail_msg("accepted: tags '%.80s' transitive '%s'", tags, transitive ? transitive : "");
    if (strstr(ei.detail, why) == NULL)
        fail_msg("tags '%.80s': '%s' does not say '%s'", tags, ei.detail, why);
    assert_int_equal(t.n_tags + t.n_transitive, 0); /* nothing kept */
}

static void test_refused_as_sts_would(void **state)
{
    (void)state;
    char many[51 * 8 + 1] = "", longv[300] = "k=";
    for (int i = 0; i < 51; i++)
        snprintf(many + strlen(many), sizeof(many) - strlen(many), "k%d=v ", i);
    memset(longv + 2, 'v', 257);
    longv[259] = '\0';
    expect_refused(many, NULL, "STS takes at most 50");
    expect_refused(longv, NULL, "value longer than 256");
    expect_refused("aws:user=x", NULL, "aws:");
    expect_refused("Team=a team=b", NULL, "same key");
    expect_refused("team=a;b", NULL, "character");
    expect_refused("team", NULL, "not KEY=VALUE");
    expect_refused("=x", NULL, "not KEY=VALUE");
    expect_refused("team=%x", NULL, "only %u, %h");
    expect_refused("team=a", "other", "not the key of a session tag");
    /* The secret-looking value is never repeated in an error. */
    struct awssts_error_info ei;
    struct awssts_session_tags t;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_session_tags_parse("team=s3cr3t;x", NULL, "alice", &t, &ei),
                     AWSSTS_E_CONFIG);
    assert_null(strstr(ei.detail, "s3cr3t"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_expand_and_format),
        cmocka_unit_test(test_refused_as_sts_would),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
