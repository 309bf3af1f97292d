/* AssumeRole against the fault STS as AWS rules it: SourceIdentity set once
 * and kept down a chain, session tags and their transitive keys, the one-hour
 * cap on chained roles, and a role trusting as conf/iam/role-trust-policy.json
 * does (tests/peers/start.sh loads that very file for the role "bastion").
 * Each rule is shown accepting and refusing; the peer's log says what it saw. */
#include "peer.h"

#define ROLE_OPS  "arn:aws:iam::123456789012:role/ops"
#define ROLE_NEXT "arn:aws:iam::123456789012:role/next"

static int key_counter;

/* AKIAOKX<n>: an IAM user with no fault, named okx00000 by the peer. */
static struct awssts_keys user_keys(char buf[32])
{
    snprintf(buf, 32, "AKIAOKX%013d", ++key_counter);
    return (struct awssts_keys){buf, "faultSTSsecretKEY/0123456789abcdefghijkl", NULL};
}

/* One client a test: its timeout covers all its calls together. */
static struct awssts_client *client(void)
{
    struct awssts_client_options o = {
        .struct_size = sizeof(o),
        .region = "us-east-1",
        .endpoint = peer_env("FAULT_URL"),
        .ca_file = peer_env("TEST_CA"),
        .timeout_ms = 60000,
    };
    struct awssts_client *c = NULL;
    assert_int_equal(awssts_client_new(&o, &c, NULL), AWSSTS_OK);
    return c;
}

static const char *serial(void)
{
    static char buf[64];
    snprintf(buf, sizeof(buf), "arn:aws:iam::123456789012:mfa/rules%d", ++key_counter);
    return buf;
}

static struct awssts_keys keys_of(const struct awssts_credentials *cr)
{
    return (struct awssts_keys){cr->access_key_id, cr->secret_access_key, cr->session_token};
}

static struct awssts_assume_role_request role_request(const char *arn, const char *session_name)
{
    return (struct awssts_assume_role_request){
        .struct_size = sizeof(struct awssts_assume_role_request),
        .role_arn = arn,
        .role_session_name = session_name,
        .duration_seconds = 3600,
    };
}

/* An AssumeRole that must succeed; its credentials in out. */
static void assume_ok(struct awssts_client *c, const struct awssts_keys *k,
                      const struct awssts_assume_role_request *req, struct awssts_credentials *out)
{
    struct awssts_error_info ei;
    awssts_err rc = awssts_assume_role(c, k, req, out, &ei);
    if (rc != AWSSTS_OK) {
        char line[600];
        awssts_error_format(&ei, line, sizeof(line));
        fail_msg("%s refused: %s", req->role_session_name, line);
    }
}

/* An AssumeRole that STS must refuse with want and aws_code, message holding part. */
static void assume_refused(struct awssts_client *c, const struct awssts_keys *k,
                           const struct awssts_assume_role_request *req, awssts_err want,
                           const char *aws_code, const char *part)
{
    struct awssts_credentials cr;
    struct awssts_error_info ei;
    awssts_err rc = awssts_assume_role(c, k, req, &cr, &ei);
    char line[600];
    awssts_error_format(&ei, line, sizeof(line));
    if (rc != want)
        fail_msg("%s: got %s, want %s: %s", req->role_session_name, awssts_errname(rc),
                 awssts_errname(want), line);
    assert_null(cr.access_key_id);
    if (aws_code != NULL)
        assert_string_equal(ei.aws_code, aws_code);
    if (part != NULL && strstr(ei.message, part) == NULL)
        fail_msg("'%s' lacks '%s'", ei.message, part);
}

/* Log lines of the fault STS for one session name that hold frag too. */
static int logged(const char *session_name, const char *frag)
{
    char name[128];
    snprintf(name, sizeof(name), "\"session_name\": \"%s\"", session_name);
    return fault_log_count(name, frag);
}

/* The IAM user name the fault STS gives these keys, from GetCallerIdentity. */
static void user_name(struct awssts_client *c, const struct awssts_keys *k, char out[64])
{
    struct awssts_caller_identity id;
    assert_int_equal(awssts_get_caller_identity(c, k, &id, NULL), AWSSTS_OK);
    const char *slash = strstr(id.arn, ":user/");
    assert_non_null(slash);
    snprintf(out, 64, "%s", slash + strlen(":user/"));
    awssts_caller_identity_clear(&id);
}

static void test_source_identity_kept_through_chaining(void **state)
{
    (void)state;
    struct awssts_client *c = client();
    char kb[32];
    struct awssts_keys k = user_keys(kb);

    struct awssts_assume_role_request req = role_request(ROLE_OPS, "si-first");
    req.source_identity = "alice";
    struct awssts_credentials first;
    assume_ok(c, &k, &req, &first);
    assert_string_equal(first.source_identity, "alice");
    assert_int_equal(logged("si-first", "\"chained\": false"), 1);
    assert_int_equal(logged("si-first", "\"session_source_identity\": \"alice\""), 1);
    char issued[64];
    snprintf(issued, sizeof(issued), "\"issued\": \"%s\"", first.access_key_id);
    assert_int_equal(logged("si-first", issued), 1);

    /* Chained without a SourceIdentity: the session's is kept. */
    struct awssts_keys fk = keys_of(&first);
    req = role_request(ROLE_NEXT, "si-kept");
    struct awssts_credentials second;
    assume_ok(c, &fk, &req, &second);
    assert_string_equal(second.source_identity, "alice");
    assert_int_equal(logged("si-kept", "\"source_identity\": null"), 1);
    assert_int_equal(logged("si-kept", "\"chained\": true"), 1);
    assert_int_equal(logged("si-kept", "\"session_source_identity\": \"alice\""), 1);

    /* One link further, still kept: it lives in the session, not the call. */
    struct awssts_keys sk = keys_of(&second);
    req = role_request(ROLE_OPS, "si-third");
    struct awssts_credentials third;
    assume_ok(c, &sk, &req, &third);
    assert_string_equal(third.source_identity, "alice");
    awssts_credentials_clear(&third);

    /* Sent again unchanged: accepted. A different one: AccessDenied. */
    req = role_request(ROLE_NEXT, "si-same");
    req.source_identity = "alice";
    assume_ok(c, &fk, &req, &third);
    assert_string_equal(third.source_identity, "alice");
    awssts_credentials_clear(&third);
    req = role_request(ROLE_NEXT, "si-changed");
    req.source_identity = "mallory";
    assume_refused(c, &fk, &req, AWSSTS_E_ACCESS_DENIED, "AccessDenied", "sts:SetSourceIdentity");
    assume_refused(c, &sk, &req, AWSSTS_E_ACCESS_DENIED, "AccessDenied", "cannot be changed");
    assert_int_equal(logged("si-changed", "\"status\": 403"), 2);

    /* A session without one may be given one by the next call. */
    req = role_request(ROLE_OPS, "si-none");
    struct awssts_credentials plain;
    assume_ok(c, &k, &req, &plain);
    assert_null(plain.source_identity);
    struct awssts_keys pk = keys_of(&plain);
    req = role_request(ROLE_NEXT, "si-later");
    req.source_identity = "bob";
    assume_ok(c, &pk, &req, &third);
    assert_string_equal(third.source_identity, "bob");
    awssts_credentials_clear(&third);
    awssts_credentials_clear(&plain);
    awssts_credentials_clear(&second);
    awssts_credentials_clear(&first);
    awssts_client_free(c);
}

static void test_chaining_is_capped_at_one_hour(void **state)
{
    (void)state;
    struct awssts_client *c = client();
    char kb[32];
    struct awssts_keys k = user_keys(kb);

    /* Long-term keys: the role's own maximum (the library's 43200). */
    struct awssts_assume_role_request req = role_request(ROLE_OPS, "cap-direct");
    req.duration_seconds = 43200;
    struct awssts_credentials first;
    assume_ok(c, &k, &req, &first);
    assert_true(first.expiration > time(NULL) + 43000);
    assert_int_equal(logged("cap-direct", "\"duration\": \"43200\""), 1);

    struct awssts_keys fk = keys_of(&first);
    req = role_request(ROLE_NEXT, "cap-hour");
    struct awssts_credentials second;
    assume_ok(c, &fk, &req, &second);
    assert_true(second.expiration <= time(NULL) + 3600);
    awssts_credentials_clear(&second);

    req = role_request(ROLE_NEXT, "cap-over");
    req.duration_seconds = 3601;
    assume_refused(c, &fk, &req, AWSSTS_E_INVALID_ARGUMENT, "ValidationError",
                   "The requested DurationSeconds exceeds the 1 hour session limit for roles "
                   "assumed by role chaining.");
    req.duration_seconds = 43200;
    assume_refused(c, &fk, &req, AWSSTS_E_INVALID_ARGUMENT, "ValidationError", "role chaining");
    assert_int_equal(logged("cap-over", "\"chained\": true"), 2);
    awssts_credentials_clear(&first);
    awssts_client_free(c);
}

static void test_transitive_tags_carry_and_stay(void **state)
{
    (void)state;
    struct awssts_client *c = client();
    char kb[32];
    struct awssts_keys k = user_keys(kb);

    const struct awssts_tag tags[] = {
        {"Project", "bastion"},
        {"linux-user", "alice"},
        {"Team", "ops"},
        {"Empty", ""},
    };
    const char *transitive[] = {"project", "Linux-User"}; /* any case names the tag */
    struct awssts_assume_role_request req = role_request(ROLE_OPS, "tag-first");
    req.tags = tags;
    req.n_tags = 4;
    req.transitive_tag_keys = transitive;
    req.n_transitive_tag_keys = 2;
    struct awssts_credentials first;
    assume_ok(c, &k, &req, &first);
    assert_int_equal(logged("tag-first", "\"tags\": [[\"Project\", \"bastion\"], [\"linux-user\", "
                                         "\"alice\"], [\"Team\", \"ops\"], [\"Empty\", \"\"]]"),
                     1);
    assert_int_equal(logged("tag-first", "\"transitive_tag_keys\": [\"project\", \"Linux-User\"]"),
                     1);

    /* Chained with no tags: the transitive ones come along, the others not. */
    struct awssts_keys fk = keys_of(&first);
    req = role_request(ROLE_NEXT, "tag-carried");
    struct awssts_credentials second;
    assume_ok(c, &fk, &req, &second);
    assert_int_equal(logged("tag-carried", "\"session_tags\": [[\"Project\", \"bastion\"], "
                                           "[\"linux-user\", \"alice\"]]"),
                     1);

    /* A tag that was not transitive may be set again; new tags join. */
    const struct awssts_tag again[] = {{"Team", "dev"}, {"Shift", "night"}};
    req = role_request(ROLE_NEXT, "tag-new");
    req.tags = again;
    req.n_tags = 2;
    struct awssts_credentials third;
    assume_ok(c, &fk, &req, &third);
    assert_int_equal(logged("tag-new",
                            "\"session_tags\": [[\"Project\", \"bastion\"], [\"Shift\", "
                            "\"night\"], [\"Team\", \"dev\"], [\"linux-user\", \"alice\"]]"),
                     1);
    awssts_credentials_clear(&third);

    /* A transitive tag cannot be overridden, in any case, nor two links down. */
    const struct awssts_tag override[] = {{"PROJECT", "other"}};
    req = role_request(ROLE_NEXT, "tag-override");
    req.tags = override;
    req.n_tags = 1;
    assume_refused(c, &fk, &req, AWSSTS_E_INVALID_ARGUMENT, "InvalidParameterValue",
                   "conflicts with a transitive tag key");
    const struct awssts_tag same[] = {{"linux-user", "alice"}};
    req.tags = same;
    struct awssts_keys sk = keys_of(&second);
    assume_refused(c, &sk, &req, AWSSTS_E_INVALID_ARGUMENT, "InvalidParameterValue",
                   "conflicts with a transitive tag key");
    assert_int_equal(logged("tag-override", "\"status\": 400"), 2);

    /* Without transitive keys nothing carries. */
    req = role_request(ROLE_OPS, "tag-local");
    req.tags = tags;
    req.n_tags = 1;
    struct awssts_credentials local;
    assume_ok(c, &k, &req, &local);
    struct awssts_keys lk = keys_of(&local);
    req = role_request(ROLE_NEXT, "tag-local-next");
    assume_ok(c, &lk, &req, &third);
    assert_int_equal(logged("tag-local-next", "\"session_tags\": []"), 1);
    awssts_credentials_clear(&third);
    awssts_credentials_clear(&local);
    awssts_credentials_clear(&second);
    awssts_credentials_clear(&first);
    awssts_client_free(c);
}

static char tag_keys[AWSSTS_MAX_SESSION_TAGS + 1][16];
static struct awssts_tag many[AWSSTS_MAX_SESSION_TAGS + 1];

/* STS's limits, at the edge: accepted by the peer; one past it the library
 * refuses before sending (tests/integration/test_sts_wire_tags.c sends those
 * anyway, to show the peer's answer). */
static void test_tag_limits_at_the_edge(void **state)
{
    (void)state;
    struct awssts_client *c = client();
    char kb[32];
    struct awssts_keys k = user_keys(kb);
    static char long_key[AWSSTS_TAG_KEY_MAX + 2], long_value[AWSSTS_TAG_VALUE_MAX + 2];
    memset(long_key, 'k', AWSSTS_TAG_KEY_MAX);
    memset(long_value, 'v', AWSSTS_TAG_VALUE_MAX);
    for (int i = 0; i <= AWSSTS_MAX_SESSION_TAGS; i++) {
        snprintf(tag_keys[i], sizeof(tag_keys[i]), "k%02d", i);
        many[i] = (struct awssts_tag){tag_keys[i], "a b_c.d:e/f=g+h-i@j"};
    }
    many[0].key = long_key;
    many[1].value = long_value;
    struct awssts_assume_role_request req = role_request(ROLE_OPS, "limit-edge");
    req.tags = many;
    req.n_tags = AWSSTS_MAX_SESSION_TAGS;
    struct awssts_credentials cr;
    assume_ok(c, &k, &req, &cr);
    awssts_credentials_clear(&cr);
    assert_int_equal(logged("limit-edge", "\"status\": 200"), 1);

    /* One past each limit: refused here, and the peer never hears of it. */
    req.role_session_name = "limit-past";
    req.n_tags = AWSSTS_MAX_SESSION_TAGS + 1;
    assume_refused(c, &k, &req, AWSSTS_E_INVALID_ARGUMENT, NULL, NULL);
    req.n_tags = 2;
    long_key[AWSSTS_TAG_KEY_MAX] = 'k';
    assume_refused(c, &k, &req, AWSSTS_E_INVALID_ARGUMENT, NULL, NULL);
    long_key[AWSSTS_TAG_KEY_MAX] = '\0';
    long_value[AWSSTS_TAG_VALUE_MAX] = 'v';
    assume_refused(c, &k, &req, AWSSTS_E_INVALID_ARGUMENT, NULL, NULL);
    long_value[AWSSTS_TAG_VALUE_MAX] = '\0';
    many[1] = (struct awssts_tag){"K00", "dup"};
    many[0] = (struct awssts_tag){"k00", "dup"};
    assume_refused(c, &k, &req, AWSSTS_E_INVALID_ARGUMENT, NULL, NULL);
    many[1].key = "aws:user";
    assume_refused(c, &k, &req, AWSSTS_E_INVALID_ARGUMENT, NULL, NULL);
    assert_int_equal(logged("limit-past", NULL), 0);
    awssts_client_free(c);
}

/*
 * The role "bastion" trusts as conf/iam/role-trust-policy.json: an IAM user
 * of the account, with MFA, whose SourceIdentity is its own user name.
 */
static void test_trust_policy_template(void **state)
{
    (void)state;
    struct awssts_client *c = client();
    const char *role = peer_env("FAULT_TRUST_ROLE");
    char kb[32], me[64], code[7];
    struct awssts_keys k = user_keys(kb);
    user_name(c, &k, me);

    /* Long-term keys with the MFA code in the very call, as the module does. */
    totp_now(code);
    struct awssts_assume_role_request req = role_request(role, "trust-direct");
    req.serial_number = serial();
    req.token_code = code;
    req.source_identity = me;
    const struct awssts_tag tags[] = {{"linux-user", "alice"}};
    req.tags = tags;
    req.n_tags = 1;
    struct awssts_credentials direct;
    assume_ok(c, &k, &req, &direct);
    assert_string_equal(direct.source_identity, me);

    /* Not its own name, or none: refused, whatever the MFA. */
    totp_now(code);
    req = role_request(role, "trust-other-name");
    req.serial_number = serial();
    req.token_code = code;
    req.source_identity = "root";
    assume_refused(c, &k, &req, AWSSTS_E_ACCESS_DENIED, "AccessDenied", "sts:AssumeRole");
    totp_now(code);
    req = role_request(role, "trust-no-name");
    req.serial_number = serial();
    req.token_code = code;
    assume_refused(c, &k, &req, AWSSTS_E_ACCESS_DENIED, "AccessDenied", "sts:AssumeRole");

    /* No MFA: refused even as itself. */
    req = role_request(role, "trust-no-mfa");
    req.source_identity = me;
    assume_refused(c, &k, &req, AWSSTS_E_ACCESS_DENIED, "AccessDenied", "sts:AssumeRole");

    /* An MFA session of the user (GetSessionToken with a code): trusted. */
    totp_now(code);
    struct awssts_session_token_request sreq = {
        .struct_size = sizeof(sreq),
        .duration_seconds = 3600,
        .serial_number = serial(),
        .token_code = code,
    };
    struct awssts_credentials session;
    assert_int_equal(awssts_get_session_token(c, &k, &sreq, &session, NULL), AWSSTS_OK);
    struct awssts_keys sk = keys_of(&session);
    req = role_request(role, "trust-mfa-session");
    req.source_identity = me;
    struct awssts_credentials via_session;
    assume_ok(c, &sk, &req, &via_session);
    req.source_identity = NULL;
    req.role_session_name = "trust-mfa-session-no-name";
    assume_refused(c, &sk, &req, AWSSTS_E_ACCESS_DENIED, "AccessDenied", NULL);

    /* A session of the user without MFA: aws:MultiFactorAuthPresent is false. */
    sreq.serial_number = NULL;
    sreq.token_code = NULL;
    struct awssts_credentials no_mfa;
    assert_int_equal(awssts_get_session_token(c, &k, &sreq, &no_mfa, NULL), AWSSTS_OK);
    struct awssts_keys nk = keys_of(&no_mfa);
    req = role_request(role, "trust-session-no-mfa");
    req.source_identity = me;
    assume_refused(c, &nk, &req, AWSSTS_E_ACCESS_DENIED, "AccessDenied", NULL);

    /* A role session, even with the right source identity and MFA: not an IAM
     * user, no aws:username, not trusted. */
    struct awssts_keys dk = keys_of(&direct);
    req = role_request(role, "trust-from-role");
    assume_refused(c, &dk, &req, AWSSTS_E_ACCESS_DENIED, "AccessDenied", NULL);

    assert_int_equal(logged("trust-direct", "\"status\": 200"), 1);
    assert_int_equal(logged("trust-mfa-session", "\"status\": 200"), 1);
    assert_int_equal(fault_log_count("\"session_name\": \"trust-", "\"status\": 403"), 6);
    awssts_credentials_clear(&no_mfa);
    awssts_credentials_clear(&via_session);
    awssts_credentials_clear(&session);
    awssts_credentials_clear(&direct);
    awssts_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_identity_kept_through_chaining),
        cmocka_unit_test(test_chaining_is_capped_at_one_hour),
        cmocka_unit_test(test_transitive_tags_carry_and_stay),
        cmocka_unit_test(test_tag_limits_at_the_edge),
        cmocka_unit_test(test_trust_policy_template),
    };
    return cmocka_run_group_tests_name("sts_session_rules", tests, NULL, NULL);
}
