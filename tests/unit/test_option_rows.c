/* One row per option: every option the renewal state keeps has its name,
 * limits and default from the option table, and its value goes from the
 * settings through the state file and back unchanged. */
#include "cm.h"

#include "awssts/secret.h"
#include "files/state.h"
#include "login/options.h"
#include "login/settings_login.h"

#include <stdio.h>
#include <string.h>

/* A value for each string option the state keeps, valid where the state
 * reader checks it: an option kept without one here fails the test. */
static const struct {
    const char *name, *value;
} samples[] = {
    {"region", "ap-east-1"},
    {"endpoint", "https://vpce-1.sts.ap-east-1.vpce.amazonaws.com:8443"},
    {"ca_file", "/etc/ca.pem"},
    {"ca_path", "/etc/ca.d"},
    {"proxy", "http://proxy.example:3128"},
    {"profile", "work"},
    {"role_session_name", "alice-s"},
    {"source_identity", "alice@bastion-1"},
    {"roles", "ops=arn:aws:iam::123456789012:role/ops"},
    {"tags", "linux_user=alice bastion=jump-1"},
    {"transitive_tags", "linux_user"},
    {"external_id", "ext-id-1"},
};

static const char minimal[] = "[awssts]\nversion = 3\nprofile = default\nregion = eu-west-1\n%s\n"
                              "[mfa_session]\naws_access_key_id = ASIAMFASESSION000001\n"
                              "aws_secret_access_key = secretsecretsecretsecret\n"
                              "aws_session_token = tokentokentokentoken==\n"
                              "expiration = 2030-01-01T00:00:00Z\n";

static const struct awssts_state_field *state_field(const char *key)
{
    size_t n = 0;
    const struct awssts_state_field *f = awssts_state_fields(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].key, key) == 0)
            return &f[i];
    return NULL;
}

static enum awssts_state_field_type state_type(enum awssts_option_type t)
{
    switch (t) {
    case AWSSTS_OPT_BOOL:
        return AWSSTS_SF_BOOL;
    case AWSSTS_OPT_LONG:
        return AWSSTS_SF_LONG;
    case AWSSTS_OPT_FLOW:
        return AWSSTS_SF_FLOW;
    default:
        return AWSSTS_SF_STRING;
    }
}

/* A field's value as the file has it, from a parsed state. */
static const char *state_text(const struct awssts_state *st, const struct awssts_state_field *f,
                              char *buf, size_t len)
{
    const void *at = (const char *)st + f->offset;
    switch (f->type) {
    case AWSSTS_SF_STRING:
        return *(const char *const *)at != NULL ? *(const char *const *)at : "(not set)";
    case AWSSTS_SF_BOOL:
        return *(const bool *)at ? "yes" : "no";
    case AWSSTS_SF_LONG:
        snprintf(buf, len, "%ld", *(const long *)at);
        return buf;
    case AWSSTS_SF_FLOW:
        return *(const bool *)at ? "direct" : "session";
    }
    return "?";
}

/* The state's table has no hole, and its kept options are the table's:
 * same name, type, limits and default; no limit or default of its own. */
static void test_state_fields_are_the_options(void **state)
{
    (void)state;
    size_t n = 0, kept = 0;
    const struct awssts_option *o = awssts_options(&n);
    for (size_t i = 0; i < n; i++) {
        const struct awssts_state_field *f = state_field(o[i].name);
        if (!o[i].state_kept)
            continue;
        kept++;
        if (f == NULL)
            fail_msg("option %s is kept but the state has no such field", o[i].name);
        assert_int_equal(f->type, state_type(o[i].type));
        assert_int_equal(f->min, o[i].min);
        assert_int_equal(f->max, o[i].max);
        if (f->type != AWSSTS_SF_STRING) {
            assert_non_null(f->dflt);
            assert_string_equal(f->dflt, o[i].value);
        }
    }
    size_t nf = 0;
    const struct awssts_state_field *f = awssts_state_fields(&nf);
    size_t own = 0;
    for (size_t i = 0; i < nf; i++) {
        assert_non_null(f[i].key);
        const struct awssts_option *opt = NULL;
        for (size_t j = 0; j < n; j++)
            if (strcmp(o[j].name, f[i].key) == 0 && o[j].state_kept)
                opt = &o[j];
        if (opt == NULL) {
            /* The login's own (user, the role assumed...): text, no limits. */
            own++;
            assert_int_equal(f[i].type, AWSSTS_SF_STRING);
            assert_true(f[i].min == 0 && f[i].max == 0 && f[i].dflt == NULL);
        }
    }
    assert_int_equal(nf, kept + own);
}

/* A value other than the default for each kept option, set in s. */
static void set_sample(const struct awssts_option *o, struct awssts_settings *s)
{
    void *at = (char *)s + o->offset;
    switch (o->type) {
    case AWSSTS_OPT_BOOL:
        *(bool *)at = strcmp(o->value, "no") == 0;
        return;
    case AWSSTS_OPT_LONG:
        *(long *)at = o->max;
        return;
    case AWSSTS_OPT_FLOW:
        s->flow = AWSSTS_FLOW_DIRECT;
        return;
    default:
        for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
            if (strcmp(samples[i].name, o->name) == 0) {
                *(const char **)at = samples[i].value;
                return;
            }
        fail_msg("no sample value for kept option %s", o->name);
    }
}

/* settings -> state -> file -> state: every kept option's value survives. */
static void test_kept_options_round_trip(void **state)
{
    (void)state;
    size_t n = 0;
    const struct awssts_option *o = awssts_options(&n);
    struct awssts_settings s;
    memset(&s, 0, sizeof(s));
    for (size_t i = 0; i < n; i++)
        if (o[i].state_kept)
            set_sample(&o[i], &s);
    struct awssts_state st;
    awssts_settings_state(&s, &st);
    char user[] = "alice", k[] = "ASIAMFASESSION000001", sk[] = "secretsecretsecretsecret",
         tok[] = "tokentokentokentoken==";
    st.user = user;
    st.mfa_session = (struct awssts_credentials){.access_key_id = k,
                                                 .secret_access_key = sk,
                                                 .session_token = tok,
                                                 .expiration = 1900000000};
    st.has_mfa_session = true;
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(awssts_state_serialize(&st, &text, &len, NULL), AWSSTS_OK);
    struct awssts_state back;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_state_parse(text, len, &back, &ei) != AWSSTS_OK)
        fail_msg("parse: %s", ei.detail);
    for (size_t i = 0; i < n; i++) {
        if (!o[i].state_kept)
            continue;
        char a[256], b[256];
        const char *want = awssts_option_text(&o[i], &s, a, sizeof(a));
        const char *got = state_text(&back, state_field(o[i].name), b, sizeof(b));
        if (strcmp(want, got) != 0)
            fail_msg("%s: settings say '%s', the state read back '%s'", o[i].name, want, got);
    }
    awssts_state_free(&back);
    awssts_secret_free(text);
}

static awssts_err parse_with(const char *line, struct awssts_state *st)
{
    char text[1024];
    snprintf(text, sizeof(text), minimal, line);
    return awssts_state_parse(text, strlen(text), st, NULL);
}

/* An absent kept value reads as the option's default; a number within
 * the option's limits is read, one past either is refused. */
static void test_state_reader_uses_option_limits(void **state)
{
    (void)state;
    size_t n = 0;
    const struct awssts_option *o = awssts_options(&n);
    struct awssts_state st;
    assert_int_equal(parse_with("", &st), AWSSTS_OK);
    for (size_t i = 0; i < n; i++) {
        const struct awssts_state_field *f = state_field(o[i].name);
        if (!o[i].state_kept || f->type == AWSSTS_SF_STRING)
            continue;
        char buf[32];
        assert_string_equal(state_text(&st, f, buf, sizeof(buf)), o[i].value);
    }
    awssts_state_free(&st);
    for (size_t i = 0; i < n; i++) {
        if (!o[i].state_kept || o[i].type != AWSSTS_OPT_LONG)
            continue;
        const long tries[][2] = {
            {o[i].min, 1}, {o[i].max, 1}, {o[i].min - 1, 0}, {o[i].max + 1, 0}};
        for (size_t t = 0; t < 4; t++) {
            char line[80];
            snprintf(line, sizeof(line), "%s = %ld", o[i].name, tries[t][0]);
            awssts_err rc = parse_with(line, &st);
            if ((rc == AWSSTS_OK) != (tries[t][1] == 1))
                fail_msg("state: '%s' %s", line, rc == AWSSTS_OK ? "accepted" : "refused");
            if (rc == AWSSTS_OK)
                assert_int_equal(
                    *(const long *)((const char *)&st + state_field(o[i].name)->offset),
                    tries[t][0]);
            awssts_state_free(&st);
        }
    }
}

/* The documentation's default is the one default, shown as code. */
static void test_shown_default_is_the_value(void **state)
{
    (void)state;
    size_t n = 0;
    const struct awssts_option *o = awssts_options(&n);
    for (size_t i = 0; i < n; i++) {
        if (o[i].value == NULL)
            continue;
        char want[256];
        snprintf(want, sizeof(want), "`%s`", o[i].value);
        assert_string_equal(o[i].shown, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_fields_are_the_options),
        cmocka_unit_test(test_kept_options_round_trip),
        cmocka_unit_test(test_state_reader_uses_option_limits),
        cmocka_unit_test(test_shown_default_is_the_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
