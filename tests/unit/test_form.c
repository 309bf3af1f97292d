/* Query-protocol parameters: any number, in order, encoded; none dropped.
 * STS's calls used to keep twelve and drop the rest without a word, so a
 * third session tag would have vanished from a validly signed request. */
#include "cm.h"

#include "awssts/secret.h"
#include "util/buf.h"
#include "aws/form.h"
#include "aws/sts_call.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANY 60

static char names[MANY][32];
static char values[MANY][32];

/* Tag-like parameters; values with characters that must be encoded. */
static void make_params(void)
{
    for (int i = 0; i < MANY; i++) {
        snprintf(names[i], sizeof(names[i]), "Tags.member.%d.%s", i / 2 + 1,
                 i % 2 ? "Value" : "Key");
        snprintf(values[i], sizeof(values[i]), "v%d a/b=c&d", i + 1);
    }
}

/* What the body must be, built here without the library's encoder. */
static char *expected_body(const char *head)
{
    struct awssts_buf b;
    awssts_buf_init(&b, 0);
    awssts_buf_puts(&b, head);
    for (int i = 0; i < MANY; i++)
        awssts_buf_printf(&b, "%s%s=v%d%%20a%%2Fb%%3Dc%%26d", b.len ? "&" : "", names[i], i + 1);
    char *s = awssts_buf_steal(&b);
    assert_non_null(s);
    return s;
}

static void test_sixty_parameters_all_kept(void **state)
{
    (void)state;
    make_params();
    struct form f;
    awssts_form_init(&f);
    for (int i = 0; i < MANY; i++)
        assert_int_equal(awssts_form_add(&f, names[i], values[i], NULL), AWSSTS_OK);
    assert_int_equal(f.n, MANY);
    char *body = NULL;
    assert_int_equal(awssts_form_encode(&f, &body, NULL), AWSSTS_OK);
    char *want = expected_body("");
    assert_string_equal(body, want);
    assert_non_null(strstr(body, "Tags.member.30.Value=v60%20a%2Fb%3Dc%26d"));
    free(want);
    awssts_secret_free(body);
    awssts_form_free(&f);
}

static void test_sts_call_with_sixty_parameters(void **state)
{
    (void)state;
    make_params();
    struct sts_call call;
    awssts_sts_call_init(&call, "AssumeRole");
    for (int i = 0; i < MANY; i++)
        assert_int_equal(awssts_sts_call_add(&call, names[i], values[i], NULL), AWSSTS_OK);
    char *body = NULL;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_sts_form_body(&call, &body, &ei), AWSSTS_OK);
    char *want = expected_body("Action=AssumeRole&Version=2011-06-15");
    assert_string_equal(body, want);
    size_t amps = 0;
    for (const char *p = body; *p; p++)
        amps += *p == '&';
    assert_int_equal(amps, MANY + 1);
    free(want);
    awssts_secret_free(body);
    awssts_sts_call_free(&call);
}

static void test_absent_values_and_bad_names(void **state)
{
    (void)state;
    struct form f;
    awssts_form_init(&f);
    /* An optional parameter not given (ExternalId NULL) adds nothing. */
    assert_int_equal(awssts_form_add(&f, "ExternalId", NULL, NULL), AWSSTS_OK);
    assert_int_equal(awssts_form_add(&f, "Empty", "", NULL), AWSSTS_OK);
    char *body = NULL;
    assert_int_equal(awssts_form_encode(&f, &body, NULL), AWSSTS_OK);
    assert_string_equal(body, "Empty=");
    awssts_secret_free(body);

    /* A failed add leaves the form refusing to encode: never a request
     * signed and sent without a parameter the caller asked for. */
    struct awssts_error_info ei;
    assert_int_equal(awssts_form_add(&f, "", "x", &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(awssts_form_add(&f, "Later", "y", NULL), AWSSTS_OK);
    assert_int_equal(awssts_form_encode(&f, &body, &ei), AWSSTS_E_INTERNAL);
    assert_null(body);
    awssts_form_free(&f);

    struct sts_call call;
    awssts_sts_call_init(&call, "GetCallerIdentity");
    assert_int_equal(awssts_sts_call_add(&call, NULL, "x", NULL), AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(awssts_sts_form_body(&call, &body, &ei), AWSSTS_E_INTERNAL);
    assert_null(body);
    awssts_sts_call_free(&call);

    /* With no parameters at all, STS's two. */
    awssts_sts_call_init(&call, "GetCallerIdentity");
    assert_int_equal(awssts_sts_form_body(&call, &body, NULL), AWSSTS_OK);
    assert_string_equal(body, "Action=GetCallerIdentity&Version=2011-06-15");
    awssts_secret_free(body);
    awssts_sts_call_free(&call);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sixty_parameters_all_kept),
        cmocka_unit_test(test_sts_call_with_sixty_parameters),
        cmocka_unit_test(test_absent_values_and_bad_names),
    };
    return cmocka_run_group_tests_name("form", tests, NULL, NULL);
}
