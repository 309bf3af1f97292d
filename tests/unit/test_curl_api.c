/* libcurl is not linked: it is mapped on the first use of the STS client,
 * once, and a process that never calls STS never maps it. */
#include "cm.h"

#include "awssts/sts.h"
#include "aws/curl_api.h"

#include <dlfcn.h>
#include <stdbool.h>

static bool libcurl_mapped(void)
{
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_NOLOAD);
    if (h != NULL)
        dlclose(h); /* only drops the reference RTLD_NOLOAD took */
    return h != NULL;
}

static void test_loaded_on_first_use_only(void **state)
{
    (void)state;
    assert_false(libcurl_mapped());
    /* A client is the first use: making one loads libcurl. */
    struct awssts_client_options o = {.struct_size = sizeof(o), .region = "eu-west-1"};
    struct awssts_client *c = NULL;
    assert_int_equal(awssts_client_new(&o, &c, NULL), AWSSTS_OK);
    assert_true(libcurl_mapped());
    awssts_client_free(c);

    const struct awssts_curl_api *a = NULL, *b = NULL;
    assert_int_equal(awssts_curl_load(&a, NULL), AWSSTS_OK);
    assert_int_equal(awssts_curl_load(&b, NULL), AWSSTS_OK);
    assert_ptr_equal(a, b); /* one table per process */
    assert_non_null(a->easy_setopt);
    assert_non_null(a->slist_free_all);
    assert_string_equal(a->easy_strerror(CURLE_OK), "No error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loaded_on_first_use_only),
    };
    return cmocka_run_group_tests_name("curl_api", tests, NULL, NULL);
}
