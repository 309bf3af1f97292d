/* The login's decision (lib/login/login_plan.c): which device, role, flow and
 * region a user's login gets from the settings and the keys. */
#include "cm.h"

#include "login/login_plan.h"
#include "rules/roles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char cfg_serial[] = "arn:aws:iam::123456789012:mfa/config";
static char key_serial[] = "arn:aws:iam::123456789012:mfa/keys";
static char cfg_role[] = "arn:aws:iam::123456789012:role/config";
static char key_role[] = "arn:aws:iam::123456789012:role/keys";
static char region[] = "us-east-1";

struct fixture {
    struct awssts_settings s;
    struct awssts_user_keys k;
    struct awssts_login_decision d;
    enum awssts_outcome o;
    struct awssts_error_info ei;
};

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    f->s.region = region;
    f->s.flow = AWSSTS_FLOW_SESSION;
    f->k.mfa_serial = key_serial;
}

static void set_roles(struct fixture *f, const char *text)
{
    assert_int_equal(awssts_roles_parse(text, &f->s.role_list, NULL), AWSSTS_OK);
}

static awssts_err decide(struct fixture *f)
{
    return awssts_login_decide(&f->s, "alice", &f->k, &f->d, &f->o, &f->ei);
}

static void test_no_role(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    assert_int_equal(decide(&f), AWSSTS_OK);
    assert_null(f.d.role_arn);
    assert_int_equal(f.d.role_from, AWSSTS_ROLE_FROM_NONE);
    assert_string_equal(f.d.flow, "session-token");
    assert_string_equal(f.d.mfa_serial, key_serial);
    assert_true(f.d.serial_from_keys);
    assert_string_equal(f.d.region, region);
    assert_false(f.d.region_from_imds);
    /* flow = direct without a role is still GetSessionToken. */
    f.s.flow = AWSSTS_FLOW_DIRECT;
    assert_int_equal(decide(&f), AWSSTS_OK);
    assert_string_equal(f.d.flow, "session-token");
}

/* role_arn, else the keys' role, else the first of roles. */
static void test_role_order(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    set_roles(&f, "ops=arn:aws:iam::123456789012:role/ops ro=arn:aws:iam::123456789012:role/ro");
    assert_int_equal(decide(&f), AWSSTS_OK);
    assert_string_equal(f.d.role_arn, "arn:aws:iam::123456789012:role/ops");
    assert_int_equal(f.d.role_from, AWSSTS_ROLE_FROM_ROLES);
    assert_string_equal(f.d.flow, "session+role");
    assert_string_equal(awssts_role_from_text(f.d.role_from), "the first of roles");

    f.k.role_arn = key_role;
    assert_int_equal(decide(&f), AWSSTS_OK);
    assert_string_equal(f.d.role_arn, key_role);
    assert_int_equal(f.d.role_from, AWSSTS_ROLE_FROM_KEYS);

    f.s.role_arn = cfg_role;
    f.s.flow = AWSSTS_FLOW_DIRECT;
    assert_int_equal(decide(&f), AWSSTS_OK);
    assert_string_equal(f.d.role_arn, cfg_role);
    assert_int_equal(f.d.role_from, AWSSTS_ROLE_FROM_CONFIG);
    assert_string_equal(f.d.flow, "direct-role");
    awssts_roles_free(&f.s.role_list);
}

/* The configuration's device before the keys'; none at all is the
 * configuration's error, with the role and flow still named for the log. */
static void test_serial(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.s.mfa_serial = cfg_serial;
    assert_int_equal(decide(&f), AWSSTS_OK);
    assert_string_equal(f.d.mfa_serial, cfg_serial);
    assert_false(f.d.serial_from_keys);

    f.s.mfa_serial = NULL;
    f.k.mfa_serial = NULL;
    f.s.role_arn = cfg_role;
    assert_int_equal(decide(&f), AWSSTS_E_CONFIG);
    assert_int_equal(f.o, AWSSTS_OUT_CONFIG_ERROR);
    assert_string_equal(f.ei.detail, "no mfa_serial for user alice (config or keys file)");
    assert_string_equal(f.d.flow, "session+role");
    assert_string_equal(f.d.role_arn, cfg_role);
}

/* keys = ssm: with no region configured: the instance's, kept in the
 * settings; a configured region wins. */
static void test_instance_region(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    snprintf(f.k.region, sizeof(f.k.region), "eu-west-1");
    assert_int_equal(decide(&f), AWSSTS_OK);
    assert_string_equal(f.d.region, region);
    assert_false(f.d.region_from_imds);

    f.s.region = NULL;
    assert_int_equal(decide(&f), AWSSTS_OK);
    assert_non_null(f.s.region);
    assert_string_equal(f.s.region, "eu-west-1");
    assert_ptr_equal(f.d.region, f.s.region);
    assert_true(f.d.region_from_imds);
    free(f.s.region);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_role),
        cmocka_unit_test(test_role_order),
        cmocka_unit_test(test_serial),
        cmocka_unit_test(test_instance_region),
    };
    return cmocka_run_group_tests_name("login_plan", tests, NULL, NULL);
}
