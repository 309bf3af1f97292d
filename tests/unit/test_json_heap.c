/* lib/json leaves no secret in freed memory, json-c's buffers included:
 * this program's free and realloc look in every block given back. */
#include "cm.h"

#include "json/json.h"
#include "awssts/secret.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The secret is this repeated: any 8 bytes of it in a freed block count. */
#define UNIT   "K3Y!"
#define WINDOW UNIT UNIT

static bool watching;
static int leaks;

/* ASan brings its own allocator: there the tests skip, and nothing here
 * may stand in for its free. */
#if !defined(__SANITIZE_ADDRESS__)
/* glibc's own allocator, below ours. Ours are exported (the unit tests are
 * built with hidden visibility), so json-c's calls come here too. */
#define EXPORTED __attribute__((visibility("default")))
void __libc_free(void *p);
void *__libc_realloc(void *p, size_t n);
EXPORTED void free(void *p);
EXPORTED void *realloc(void *p, size_t n);

static bool holds_secret(void *p)
{
    return p != NULL && memmem(p, malloc_usable_size(p), WINDOW, strlen(WINDOW)) != NULL;
}

EXPORTED void free(void *p)
{
    if (watching && holds_secret(p))
        leaks++;
    __libc_free(p);
}

/* A block that moves is freed where it was, with what it held. */
EXPORTED void *realloc(void *p, size_t n)
{
    bool held = watching && holds_secret(p);
    void *q = __libc_realloc(p, n);
    if (held && q != p && q != NULL)
        leaks++;
    return q;
}
#endif

static void secret(char *out, size_t units)
{
    out[0] = '\0';
    for (size_t i = 0; i < units; i++)
        memcpy(out + 4 * i, UNIT, 5);
}

static void watch(void)
{
    leaks = 0;
    watching = true;
}

static int unwatch(void)
{
    watching = false;
    return leaks;
}

/* Only over glibc's allocator: ASan and valgrind bring their own (valgrind's
 * still calls the free above, which hands the block to valgrind's). */
static void need_glibc_heap(void)
{
#if defined(__SANITIZE_ADDRESS__)
    skip();
#else
    const char *pre = getenv("LD_PRELOAD");
    if (pre != NULL && strstr(pre, "vgpreload") != NULL)
        skip();
#endif
}

/* The check sees a secret freed as it is. */
static void test_check_works(void **state)
{
    (void)state;
    need_glibc_heap();
    /* Through a volatile pointer, or the compiler drops malloc and free. */
    void (*volatile release)(void *) = free;
    char *p = malloc(64);
    assert_non_null(p);
    secret(p, 8);
    watch();
    release(p);
    assert_int_equal(unwatch(), 1);
}

static void test_writer(void **state)
{
    (void)state;
    need_glibc_heap();
    static char value[4001], bad[1001];
    secret(value, 1000);
    secret(bad, 250);
    bad[500] = '\xff'; /* written through the U+FFFD copy */
    watch();
    struct awssts_json *d = NULL, *inner = NULL;
    assert_int_equal(awssts_json_new(&d, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_int(d, "Version", 1, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(d, "SessionToken", value, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_object(d, "inner", &inner, NULL), AWSSTS_OK);
    assert_int_equal(awssts_json_add_string(inner, "bad", bad, NULL), AWSSTS_OK);
    for (int round = 0; round < 2; round++) {
        for (enum awssts_json_style s = AWSSTS_JSON_LINE; s <= AWSSTS_JSON_PRETTY; s++) {
            char *text = NULL;
            assert_int_equal(awssts_json_serialize(d, s, &text, NULL, NULL), AWSSTS_OK);
            assert_non_null(strstr(text, WINDOW));
            awssts_secret_free(text);
        }
    }
    awssts_json_free(d);
    assert_int_equal(unwatch(), 0);
}

static int read_doc(const char *head, const char *value, const char *tail, bool ok)
{
    static char doc[8192];
    snprintf(doc, sizeof(doc), "%s%s%s", head, value, tail);
    watch();
    struct awssts_json *d = NULL;
    awssts_err rc = awssts_json_parse(doc, strlen(doc), &d, NULL);
    if (ok) {
        const struct awssts_json *p = NULL;
        const char *v = NULL;
        assert_int_equal(rc, AWSSTS_OK);
        assert_int_equal(awssts_json_get_object(d, "Parameter", &p, NULL), AWSSTS_OK);
        assert_int_equal(awssts_json_get_string(p, "Value", &v, NULL), AWSSTS_OK);
        assert_string_equal(v, value);
    } else {
        assert_int_equal(rc, AWSSTS_E_BAD_RESPONSE);
    }
    awssts_json_free(d);
    return unwatch();
}

static void test_reader(void **state)
{
    (void)state;
    need_glibc_heap();
    static char value[4001];
    secret(value, 1000);
    const char *head =
        "{\"Parameter\":{\"Name\":\"/bastion/alice\",\"Type\":\"SecureString\",\"Value\":\"";
    assert_int_equal(read_doc(head, value, "\",\"Version\":3}}", true), 0);
    /* Refused before json-c builds anything. */
    assert_int_equal(read_doc(head, value, "\",\"Version\":3}", false), 0);
    assert_int_equal(read_doc(head, value, "\",\"Value\":\"x\"}}", false), 0);
    assert_int_equal(read_doc(head, value, "\",\"Version\":NaN}}", false), 0);
    assert_int_equal(read_doc(head, value, "\",\"Version\":3}} x", false), 0);
    assert_int_equal(read_doc(head, value, "\",\"V\":[[[[[[[[1]]]]]]]]}}", false), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_works),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_reader),
    };
    return cmocka_run_group_tests_name("json_heap", tests, NULL, NULL);
}
