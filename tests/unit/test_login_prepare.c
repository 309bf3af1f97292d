/* The rules written once for the module, awssts check, awssts login and
 * renewal: the login's preparation (lib/login/login_plan.c), the home keys
 * and HOME (lib/login/user_keys.c), and the plans of a state and of aws-mfa
 * (lib/login/login_flow.c). */
#include "cm.h"
#include "tmpdir.h"

#include "login/login_flow.h"
#include "login/login_plan.h"
#include "login/settings_login.h"
#include "login/user_keys.h"

#include <pwd.h>

static char serial[] = "arn:aws:iam::123456789012:mfa/alice";
static char role[] = "arn:aws:iam::123456789012:role/ops";
static char region[] = "us-east-1";
static char profile[] = "default";
static char home_keys[] = "home";
static char alice[] = "alice";
static char alice_home[] = "/home/alice";
static char session_name[] = "alice-bastion";
static char external_id[] = "ext-1";
static char missing[512];

static const char long_term[] = "[default-long-term]\n"
                                "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                                "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
                                "aws_mfa_device = arn:aws:iam::123456789012:mfa/alice\n"
                                "assume_role = None\n";

static int no_op(void *ctx)
{
    (void)ctx;
    return 0;
}

static const struct awssts_as_user as_self = {no_op, no_op, NULL};

/* A user whose home is the test's directory, and keys = home. */
static void user_at_home(struct passwd *pw, struct awssts_settings *s)
{
    *pw = (struct passwd){
        .pw_name = alice, .pw_uid = getuid(), .pw_gid = getgid(), .pw_dir = test_dir};
    memset(s, 0, sizeof(*s));
    s->keys = home_keys;
    s->profile = profile;
    s->region = region;
    s->flow = AWSSTS_FLOW_SESSION;
}

static void write_home_keys(const char *text, mode_t mode)
{
    char p[512];
    mkdir(tmp_path(p, sizeof(p), ".aws"), 0700);
    write_file(".aws/credentials", text, mode);
}

/* aws-mfa's "None" is no role, for the module's keys = home and for renewal. */
static void test_home_keys_none_role(void **state)
{
    (void)state;
    write_home_keys(long_term, 0600);
    struct passwd pw;
    struct awssts_settings s;
    user_at_home(&pw, &s);
    struct awssts_user_keys k;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    /* The module's way: the password database's home. */
    assert_int_equal(awssts_keys_load(&s, &pw, &as_self, &k, &ei), AWSSTS_OK);
    assert_null(k.role_arn);
    assert_string_equal(k.mfa_serial, serial);
    awssts_user_keys_free(&k);
    /* Renewal's way: $HOME, read as the user it runs as. */
    const char *home = awssts_home_dir(&pw, test_dir);
    assert_int_equal(awssts_home_keys_read(home, getuid(), profile, &k, &ei), AWSSTS_OK);
    assert_null(k.role_arn);
    assert_string_equal(k.mfa_serial, serial);
    assert_string_equal(k.access_key_id, "AKIAIOSFODNN7EXAMPLE");
    awssts_user_keys_free(&k);
}

/* HOME: $HOME when given and set, else the password database's. */
static void test_home_dir(void **state)
{
    (void)state;
    struct passwd pw = {.pw_dir = alice_home};
    assert_string_equal(awssts_home_dir(&pw, "/elsewhere"), "/elsewhere");
    assert_string_equal(awssts_home_dir(&pw, ""), "/home/alice");
    assert_string_equal(awssts_home_dir(&pw, NULL), "/home/alice");
    assert_null(awssts_home_dir(NULL, NULL));
}

/* A keys failure's outcome, written once for the module and awssts check. */
static void test_prepare_keys_outcomes(void **state)
{
    (void)state;
    struct passwd pw;
    struct awssts_settings s;
    user_at_home(&pw, &s);
    struct awssts_user_keys k;
    struct awssts_login_decision d;
    enum awssts_outcome o;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    char p[512];
    unlink(tmp_path(p, sizeof(p), ".aws/credentials"));

    assert_int_equal(awssts_login_prepare(&s, &pw, &as_self, &k, &d, &o, &ei), AWSSTS_E_NO_KEYS);
    assert_int_equal(o, AWSSTS_OUT_NO_KEYS);
    assert_false(d.keys_loaded);
    s.require = true;
    assert_int_equal(awssts_login_prepare(&s, &pw, &as_self, &k, &d, &o, &ei), AWSSTS_E_NO_KEYS);
    assert_int_equal(o, AWSSTS_OUT_NO_KEYS_REQUIRED);

    /* A keys file the configuration names but is not there. */
    snprintf(missing, sizeof(missing), "%s/no-such-keys", test_dir);
    s.keys = missing;
    assert_int_equal(awssts_login_prepare(&s, &pw, &as_self, &k, &d, &o, &ei), AWSSTS_E_NOT_FOUND);
    assert_int_equal(o, AWSSTS_OUT_CONFIG_ERROR);
    assert_false(d.keys_loaded);

    /* Others may read them: refused, a keys error. */
    s.keys = home_keys;
    write_home_keys(long_term, 0644);
    assert_int_not_equal(awssts_login_prepare(&s, &pw, &as_self, &k, &d, &o, &ei), AWSSTS_OK);
    assert_int_equal(o, AWSSTS_OUT_KEYS_ERROR);
    assert_false(d.keys_loaded);

    write_home_keys(long_term, 0600);
    assert_int_equal(awssts_login_prepare(&s, &pw, &as_self, &k, &d, &o, &ei), AWSSTS_OK);
    assert_true(d.keys_loaded);
    assert_int_equal(o, AWSSTS_OUT_SUCCESS);
    assert_string_equal(d.mfa_serial, serial);
    assert_string_equal(d.flow, "session-token");
    awssts_user_keys_free(&k);
}

/* The login's plan (from the state its settings give) and renewal's (from
 * the state the login left) are one rule. */
static void test_plan_of_state(void **state)
{
    (void)state;
    struct awssts_settings s;
    memset(&s, 0, sizeof(s));
    s.flow = AWSSTS_FLOW_SESSION;
    s.duration = 7200;
    s.role_duration = 1800;
    s.role_session_name = session_name;
    s.external_id = external_id;
    s.source_identity = alice;
    struct awssts_state st;
    awssts_settings_state(&s, &st);
    st.user = alice;
    st.role_arn = role;
    st.mfa_serial = serial;
    struct awssts_login_plan p;
    awssts_login_plan_of_state(&st, &p);
    assert_int_equal(p.flow, AWSSTS_FLOW_SESSION);
    assert_string_equal(p.role_session_name, "alice-bastion");
    assert_int_equal(p.session_duration, 7200);
    assert_int_equal(p.role_duration, 1800);
    assert_string_equal(p.external_id, "ext-1");
    assert_string_equal(p.source_identity, "alice");
    assert_ptr_equal(p.tags, &st.tag_list);
    assert_string_equal(p.role_arn, role);
    assert_string_equal(p.mfa_serial, serial);
    /* A state that kept no session name: the user's. */
    st.role_session_name = NULL;
    st.flow_direct = true;
    awssts_login_plan_of_state(&st, &p);
    assert_string_equal(p.role_session_name, "alice");
    assert_int_equal(p.flow, AWSSTS_FLOW_DIRECT);
}

/* aws-mfa's: the one call it makes gets the duration. */
static void test_plan_aws_mfa(void **state)
{
    (void)state;
    struct awssts_login_plan p;
    awssts_login_plan_aws_mfa(serial, role, "alice", 3600, &p);
    assert_int_equal(p.flow, AWSSTS_FLOW_DIRECT);
    assert_int_equal(p.role_duration, 3600);
    assert_int_equal(p.session_duration, 0);
    assert_null(p.tags);
    awssts_login_plan_aws_mfa(serial, NULL, "alice", 43200, &p);
    assert_int_equal(p.session_duration, 43200);
    assert_int_equal(p.role_duration, 0);
    assert_string_equal(p.role_session_name, "alice");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_home_keys_none_role),   cmocka_unit_test(test_home_dir),
        cmocka_unit_test(test_prepare_keys_outcomes), cmocka_unit_test(test_plan_of_state),
        cmocka_unit_test(test_plan_aws_mfa),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
