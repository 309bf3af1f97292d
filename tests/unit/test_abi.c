/* The structs callers fill in for libawssts carry their size, so that they
 * can grow without a new SONAME (awssts/sts.h): a caller built against an
 * older, shorter struct is read only as far as its own, the rest taken as
 * zero; a size that is no struct of this library's is refused before
 * anything is sent. */
#include "cm.h"

#include "awssts/sts.h"
#include "util/sized.h"

#include <stdio.h>
#include <stdlib.h>

/* A struct as a first and as a later version of the library has it. */
struct v1 {
    size_t struct_size;
    const char *a;
};
struct v2 {
    size_t struct_size;
    const char *a;
    const char *added; /* new in v2: zero for a v1 caller */
};

static void test_older_caller_read_only_as_far_as_its_struct(void **state)
{
    (void)state;
    /* Exactly a v1 on the heap: reading past it is a sanitizer's error. */
    struct v1 *old = malloc(sizeof(*old));
    assert_non_null(old);
    *old = (struct v1){.struct_size = sizeof(*old), .a = "x"};
    struct v2 full;
    const size_t sizes[] = {sizeof(struct v1), sizeof(struct v2)};
    assert_int_equal(AWSSTS_SIZE_THROUGH(struct v2, a), sizeof(struct v1));
    assert_int_equal(awssts_sized_copy(&full, sizeof(full), old, sizes, 2, "test", NULL),
                     AWSSTS_OK);
    assert_string_equal(full.a, "x");
    assert_null(full.added);
    free(old);
}

/* A size between two versions ends inside a field: refused, not half read. */
static void test_size_between_versions_refused(void **state)
{
    (void)state;
    struct v2 caller = {.struct_size = sizeof(struct v1) + 4, .a = "x", .added = "y"};
    struct v2 full;
    const size_t sizes[] = {sizeof(struct v1), sizeof(struct v2)};
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_sized_copy(&full, sizeof(full), &caller, sizes, 2, "test", &ei),
                     AWSSTS_E_INVALID_ARGUMENT);
    char want[80];
    snprintf(want, sizeof(want), "test: struct_size %zu is not the size of any version",
             sizeof(struct v1) + 4);
    assert_non_null(strstr(ei.detail, want));
    assert_null(full.a);
}

static void test_sizes_that_are_no_struct_refused(void **state)
{
    (void)state;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_client *c = NULL;
    struct awssts_client_options unset = {.region = "eu-west-1"};
    assert_int_equal(awssts_client_new(&unset, &c, &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_non_null(strstr(ei.detail, "struct_size 0"));
    assert_null(c);
    /* A caller built against a newer libawssts: its extra fields would be ignored. */
    struct {
        struct awssts_client_options o;
        char newer[16];
    } big = {.o = {.struct_size = sizeof(big), .region = "eu-west-1"}};
    assert_int_equal(awssts_client_new(&big.o, &c, &ei), AWSSTS_E_INVALID_ARGUMENT);

    struct awssts_client_options o = {.struct_size = sizeof(o), .region = "eu-west-1"};
    assert_int_equal(awssts_client_new(&o, &c, &ei), AWSSTS_OK);
    struct awssts_keys k = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                            NULL};
    struct awssts_credentials out;
    struct awssts_session_token_request st = {.duration_seconds = 900};
    assert_int_equal(awssts_get_session_token(c, &k, &st, &out, &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_non_null(strstr(ei.detail, "GetSessionToken request: struct_size 0"));
    struct awssts_assume_role_request ar = {.struct_size = sizeof(ar) - 1,
                                            .role_arn = "arn:aws:iam::123456789012:role/x",
                                            .role_session_name = "alice"};
    assert_int_equal(awssts_assume_role(c, &k, &ar, &out, &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_non_null(strstr(ei.detail, "AssumeRole request: struct_size"));
    awssts_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_older_caller_read_only_as_far_as_its_struct),
        cmocka_unit_test(test_size_between_versions_refused),
        cmocka_unit_test(test_sizes_that_are_no_struct_refused),
    };
    return cmocka_run_group_tests_name("abi", tests, NULL, NULL);
}
