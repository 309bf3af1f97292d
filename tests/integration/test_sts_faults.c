/* The library against the fault-injecting STS: every fault gives its precise
 * error, in bounded time, and only safe requests are retried. */
#include "peer.h"

#include "awssts/validate.h"

#define SHORT_TIMEOUT_MS 1500
#define MARGIN_MS        2000

static int key_counter;

/* AKIA<SCENARIO>X<n>: the fault STS picks its behaviour from the key id. */
static struct awssts_keys scenario_keys(const char *scenario, char buf[64])
{
    snprintf(buf, 64, "AKIA%sX%06d", scenario, ++key_counter);
    while (strlen(buf) < 20)
        strcat(buf, "0");
    return (struct awssts_keys){buf, "faultSTSsecretKEY/0123456789abcdefghijkl", NULL};
}

static struct awssts_client *client_at(const char *url, long timeout_ms)
{
    struct awssts_client_options o = {
        .struct_size = sizeof(o),
        .region = "us-east-1",
        .endpoint = url,
        .ca_file = peer_env("TEST_CA"),
        .timeout_ms = timeout_ms,
        .connect_timeout_ms = 1000,
    };
    struct awssts_client *c = NULL;
    assert_int_equal(awssts_client_new(&o, &c, NULL), AWSSTS_OK);
    return c;
}

static struct awssts_client *fault_client(void)
{
    return client_at(peer_env("FAULT_URL"), 8000);
}

static char serial_buf[128];
static const char *fresh_serial(void)
{
    snprintf(serial_buf, sizeof(serial_buf), "arn:aws:iam::123456789012:mfa/t%d", ++key_counter);
    return serial_buf;
}

struct outcome {
    awssts_err rc;
    struct awssts_error_info ei;
    long long ms;
};

/* GetSessionToken, with a valid MFA code unless code is given. */
static struct outcome session_token(struct awssts_client *c, const char *scenario, const char *code)
{
    char kb[64], good[7];
    struct awssts_keys k = scenario_keys(scenario, kb);
    if (code == NULL) {
        totp_now(good);
        code = good;
    }
    struct awssts_session_token_request req = {
        .struct_size = sizeof(req),
        .duration_seconds = 3600,
        .serial_number = fresh_serial(),
        .token_code = code,
    };
    struct awssts_credentials cr;
    struct outcome o;
    awssts_error_info_reset(&o.ei);
    long long t0 = now_ms();
    o.rc = awssts_get_session_token(c, &k, &req, &cr, &o.ei);
    o.ms = now_ms() - t0;
    if (o.rc == AWSSTS_OK) {
        assert_true(awssts_valid_access_key_id(cr.access_key_id));
        assert_true(awssts_valid_secret_key(cr.secret_access_key));
        assert_true(awssts_valid_session_token(cr.session_token));
    } else {
        assert_null(cr.access_key_id);
        assert_null(cr.secret_access_key);
    }
    awssts_credentials_clear(&cr);
    return o;
}

static void expect(struct outcome o, awssts_err want, const char *detail_part)
{
    char line[600];
    awssts_error_format(&o.ei, line, sizeof(line));
    if (o.rc != want)
        fail_msg("got %s, want %s: %s", awssts_errname(o.rc), awssts_errname(want), line);
    if (detail_part != NULL && strstr(line, detail_part) == NULL)
        fail_msg("'%s' lacks '%s'", line, detail_part);
    for (const char *p = line; *p; p++)
        assert_false((unsigned char)*p < 0x20);
}

static void test_mfa_session_ok(void **state)
{
    (void)state;
    struct awssts_client *c = fault_client();
    struct outcome o = session_token(c, "OK", NULL);
    expect(o, AWSSTS_OK, NULL);
    assert_int_equal(o.ei.attempts, 1);
    assert_true(o.ei.request_id[0] != '\0');
    awssts_client_free(c);
}

static void test_wrong_and_reused_code(void **state)
{
    (void)state;
    struct awssts_client *c = fault_client();
    char wrong[7];
    totp_wrong(wrong);
    struct outcome o = session_token(c, "OK", wrong);
    expect(o, AWSSTS_E_MFA_CODE, "MultiFactorAuthentication failed");
    assert_int_equal(o.ei.attempts, 1);
    assert_int_equal(o.ei.http_status, 403);

    /* The same valid code twice on one device: STS refuses the second. */
    char kb[64], code[7];
    struct awssts_keys k = scenario_keys("OK", kb);
    totp_now(code);
    struct awssts_session_token_request req = {
        .struct_size = sizeof(req), .serial_number = fresh_serial(), .token_code = code};
    struct awssts_credentials cr;
    assert_int_equal(awssts_get_session_token(c, &k, &req, &cr, NULL), AWSSTS_OK);
    awssts_credentials_clear(&cr);
    assert_int_equal(awssts_get_session_token(c, &k, &req, &cr, NULL), AWSSTS_E_MFA_CODE);
    awssts_client_free(c);
}

static void test_session_flow_and_chaining_limit(void **state)
{
    (void)state;
    struct awssts_client *c = fault_client();
    char kb[64], code[7];
    struct awssts_keys k = scenario_keys("OK", kb);
    totp_now(code);
    struct awssts_session_token_request sreq = {
        .struct_size = sizeof(sreq),
        .duration_seconds = 43200,
        .serial_number = fresh_serial(),
        .token_code = code,
    };
    struct awssts_credentials session;
    assert_int_equal(awssts_get_session_token(c, &k, &sreq, &session, NULL), AWSSTS_OK);
    assert_true(session.expiration > time(NULL) + 43000);

    /* A role that requires MFA, assumed with the MFA session: no code needed. */
    struct awssts_keys sk = {session.access_key_id, session.secret_access_key,
                             session.session_token};
    struct awssts_assume_role_request rreq = {
        .struct_size = sizeof(rreq),
        .role_arn = "arn:aws:iam::123456789012:role/mfa-admin",
        .role_session_name = "alice",
        .duration_seconds = 3600,
    };
    struct awssts_credentials role;
    struct awssts_error_info ei;
    assert_int_equal(awssts_assume_role(c, &sk, &rreq, &role, &ei), AWSSTS_OK);
    assert_string_equal(role.assumed_role_arn,
                        "arn:aws:sts::123456789012:assumed-role/mfa-admin/alice");
    /* This role's own line: other tests chain roles on the same peer. */
    assert_int_equal(fault_log_count("\"role_arn\": \"arn:aws:iam::123456789012:role/mfa-admin\"",
                                     "\"token\": true"),
                     1);

    struct awssts_caller_identity id;
    struct awssts_keys rk = {role.access_key_id, role.secret_access_key, role.session_token};
    assert_int_equal(awssts_get_caller_identity(c, &rk, &id, NULL), AWSSTS_OK);
    assert_string_equal(id.arn, role.assumed_role_arn);
    awssts_caller_identity_clear(&id);
    awssts_credentials_clear(&role);

    /* Longer than an hour with temporary credentials: STS says no. */
    rreq.duration_seconds = 7200;
    assert_int_equal(awssts_assume_role(c, &sk, &rreq, &role, &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_string_equal(ei.aws_code, "ValidationError");
    assert_non_null(strstr(ei.message, "role chaining"));

    /* A role requiring MFA with plain long-term keys and no code: denied. */
    rreq.duration_seconds = 3600;
    assert_int_equal(awssts_assume_role(c, &k, &rreq, &role, &ei), AWSSTS_E_ACCESS_DENIED);
    awssts_credentials_clear(&session);
    awssts_client_free(c);
}

static void test_direct_assume_role(void **state)
{
    (void)state;
    struct awssts_client *c = fault_client();
    char kb[64], code[7];
    struct awssts_keys k = scenario_keys("OK", kb);
    totp_now(code);
    struct awssts_assume_role_request req = {
        .struct_size = sizeof(req),
        .role_arn = "arn:aws:iam::123456789012:role/path/mfa-admin",
        .role_session_name = "alice@example.com",
        .duration_seconds = 14400,
        .serial_number = fresh_serial(),
        .token_code = code,
        .external_id = "ext-42",
        .source_identity = "alice",
    };
    struct awssts_credentials cr;
    assert_int_equal(awssts_assume_role(c, &k, &req, &cr, NULL), AWSSTS_OK);
    assert_string_equal(cr.source_identity, "alice");
    assert_true(cr.expiration > time(NULL) + 14000);
    assert_int_equal(
        fault_log_count("\"external_id\": \"ext-42\"", "\"source_identity\": \"alice\""), 1);
    awssts_credentials_clear(&cr);
    awssts_client_free(c);
}

static void test_throttling(void **state)
{
    (void)state;
    struct awssts_client *c = fault_client();
    /* Throttled before evaluation: retried even with an MFA code. */
    struct outcome o = session_token(c, "THROTTLEONCE", NULL);
    expect(o, AWSSTS_OK, NULL);
    assert_int_equal(o.ei.attempts, 2);

    o = session_token(c, "THROTTLEALWAYS", NULL);
    expect(o, AWSSTS_E_THROTTLED, "Throttling");
    assert_int_equal(o.ei.attempts, AWSSTS_DEFAULT_MAX_ATTEMPTS);
    assert_true(o.ms < 8000 + MARGIN_MS);
    awssts_client_free(c);
}

static void test_server_errors_and_replay(void **state)
{
    (void)state;
    struct awssts_client *c = fault_client();
    /* With an MFA code a 500 is not replayed: STS may have used the code. */
    struct outcome o = session_token(c, "ERROR500ONCE", NULL);
    expect(o, AWSSTS_E_SERVER, "InternalFailure");
    assert_int_equal(o.ei.attempts, 1);

    /* Without a code the retry is safe. */
    char kb[64];
    struct awssts_keys k = scenario_keys("ERROR500ONCE", kb);
    struct awssts_caller_identity id;
    struct awssts_error_info ei;
    assert_int_equal(awssts_get_caller_identity(c, &k, &id, &ei), AWSSTS_OK);
    assert_int_equal(ei.attempts, 2);
    awssts_caller_identity_clear(&id);

    k = scenario_keys("ERROR500", kb);
    assert_int_equal(awssts_get_caller_identity(c, &k, &id, &ei), AWSSTS_E_SERVER);
    assert_int_equal(ei.attempts, AWSSTS_DEFAULT_MAX_ATTEMPTS);

    o = session_token(c, "UNAVAILABLE", NULL);
    expect(o, AWSSTS_E_SERVER, "HTTP 503");
    awssts_client_free(c);
}

static void test_hangs_and_slowness_time_out(void **state)
{
    (void)state;
    const char *slow[] = {"HANG", "SLOW"};
    for (int i = 0; i < 2; i++) {
        struct awssts_client *c = client_at(peer_env("FAULT_URL"), SHORT_TIMEOUT_MS);
        struct outcome o = session_token(c, slow[i], NULL);
        expect(o, AWSSTS_E_TIMEOUT, NULL);
        assert_int_equal(o.ei.attempts, 1);
        assert_true(o.ms >= SHORT_TIMEOUT_MS - 100);
        assert_true(o.ms < SHORT_TIMEOUT_MS + MARGIN_MS);
        awssts_client_free(c);
    }
    /* Without a code, a hang is retried only while time is left: still bounded. */
    struct awssts_client *c = client_at(peer_env("FAULT_URL"), SHORT_TIMEOUT_MS);
    char kb[64];
    struct awssts_keys k = scenario_keys("HANG", kb);
    struct awssts_caller_identity id;
    struct awssts_error_info ei;
    long long t0 = now_ms();
    assert_int_equal(awssts_get_caller_identity(c, &k, &id, &ei), AWSSTS_E_TIMEOUT);
    assert_true(now_ms() - t0 < SHORT_TIMEOUT_MS + MARGIN_MS);
    awssts_client_free(c);
}

/* The timeout is the client's, all calls together: a second call gets
 * what the first left (a login's GetSessionToken and AssumeRole). */
static void test_one_deadline_for_all_calls(void **state)
{
    (void)state;
    struct awssts_client *c = client_at(peer_env("FAULT_URL"), 3000);
    long long t0 = now_ms();
    struct outcome first = session_token(c, "DELAY", NULL); /* 1.8 s */
    expect(first, AWSSTS_OK, NULL);
    struct outcome second = session_token(c, "DELAY", NULL);
    long long total = now_ms() - t0;
    expect(second, AWSSTS_E_TIMEOUT, NULL);
    assert_true(total >= 3000 - 100);
    assert_true(total < 3000 + MARGIN_MS);
    awssts_client_free(c);
}

static void test_broken_connections(void **state)
{
    (void)state;
    struct awssts_client *c = fault_client();
    struct outcome o = session_token(c, "CLOSE", NULL);
    expect(o, AWSSTS_E_NETWORK, NULL);
    assert_int_equal(o.ei.attempts, 1); /* the request was sent: no replay */

    o = session_token(c, "TRUNCATED", NULL);
    expect(o, AWSSTS_E_NETWORK, NULL);
    assert_int_equal(o.ei.attempts, 1);
    awssts_client_free(c);

    /* Nothing listens: nothing was sent, so even an MFA request is retried. */
    c = client_at("https://127.0.0.1:1", 5000);
    o = session_token(c, "OK", NULL);
    expect(o, AWSSTS_E_NETWORK, NULL);
    assert_int_equal(o.ei.attempts, AWSSTS_DEFAULT_MAX_ATTEMPTS);
    assert_int_equal(o.ei.http_status, 0);
    awssts_client_free(c);
}

static void test_malformed_and_hostile_bodies(void **state)
{
    (void)state;
    static const struct {
        const char *scenario;
        awssts_err want;
        const char *detail;
    } cases[] = {
        {"TRUNCXML", AWSSTS_E_BAD_RESPONSE, "XML error"},
        {"NOTXML", AWSSTS_E_BAD_RESPONSE, "unexpected root"},
        {"GARBAGE", AWSSTS_E_BAD_RESPONSE, "XML"},
        {"OVERSIZECHUNKED", AWSSTS_E_BAD_RESPONSE, "larger than 1048576"},
        {"OVERSIZE", AWSSTS_E_BAD_RESPONSE, "larger than 1048576"},
        {"ENTITYBOMB", AWSSTS_E_BAD_RESPONSE, "DOCTYPE"},
        {"EXTENTITY", AWSSTS_E_BAD_RESPONSE, "DOCTYPE"},
        {"NEWLINE", AWSSTS_E_BAD_RESPONSE, "SecretAccessKey"},
        {"MISSINGFIELD", AWSSTS_E_BAD_RESPONSE, "incomplete"},
        {"BADEXPIRATION", AWSSTS_E_BAD_RESPONSE, "Expiration"},
        {"PASTEXPIRATION", AWSSTS_E_CLOCK_SKEW, "already past"},
        {"REDIRECT", AWSSTS_E_BAD_RESPONSE,
         "HTTP 302 redirect to http://169.254.169.254/latest/ not followed"},
        {"DENIED", AWSSTS_E_ACCESS_DENIED, "not authorized"},
        {"INVALIDKEYS", AWSSTS_E_INVALID_KEYS, "InvalidClientTokenId"},
        {"EXPIRED", AWSSTS_E_EXPIRED_TOKEN, "ExpiredToken"},
        {"REGIONDISABLED", AWSSTS_E_REGION_DISABLED, "RegionDisabledException"},
        {"SKEW", AWSSTS_E_CLOCK_SKEW, "Signature expired"},
        {"HOSTILEERROR", AWSSTS_E_STS_REJECTED, "(Weird?Code: line one?line two?AAAA"},
        {"CTLERROR", AWSSTS_E_BAD_RESPONSE, "HTTP 403 without an AWS error document"},
    };
    struct awssts_client *c = fault_client();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct outcome o = session_token(c, cases[i].scenario, NULL);
        expect(o, cases[i].want, cases[i].detail);
        assert_int_equal(o.ei.attempts, 1);
    }
    awssts_client_free(c);
}

static void test_wrong_secret(void **state)
{
    (void)state;
    struct awssts_client *c = fault_client();
    struct awssts_keys k = {"AKIAOKWRONGSECRET001", "notTheRightSecretAtAllnotTheRightSecret00",
                            NULL};
    struct awssts_caller_identity id;
    struct awssts_error_info ei;
    assert_int_equal(awssts_get_caller_identity(c, &k, &id, &ei), AWSSTS_E_INVALID_KEYS);
    assert_string_equal(ei.aws_code, "SignatureDoesNotMatch");
    awssts_client_free(c);
}

static void test_tls_failures(void **state)
{
    (void)state;
    const char *urls[] = {peer_env("FAULT_OTHER_URL"), peer_env("FAULT_WRONGHOST_URL")};
    for (int i = 0; i < 2; i++) {
        int before = fault_log_count("\"scenario\"", NULL);
        struct awssts_client *c = client_at(urls[i], 5000);
        struct outcome o = session_token(c, "OK", NULL);
        expect(o, AWSSTS_E_TLS, NULL);
        assert_int_equal(o.ei.attempts, 1); /* certificate errors are not retried */
        assert_int_equal(fault_log_count("\"scenario\"", NULL), before);
        awssts_client_free(c);
    }
    /* The system trust store does not know the test CA. */
    struct awssts_client_options o = {
        .struct_size = sizeof(o), .region = "us-east-1", .endpoint = peer_env("FAULT_URL")};
    struct awssts_client *c = NULL;
    assert_int_equal(awssts_client_new(&o, &c, NULL), AWSSTS_OK);
    expect(session_token(c, "OK", NULL), AWSSTS_E_TLS, NULL);
    awssts_client_free(c);
}

static void test_regional_name_verified(void **state)
{
    (void)state;
    /* The real regional host name, routed to the local STS, verified by name. */
    char connect_to[128];
    snprintf(connect_to, sizeof(connect_to), "sts.ap-east-1.amazonaws.com:443:127.0.0.1:%s",
             peer_env("FAULT_PORT"));
    struct awssts_client_options o = {
        .struct_size = sizeof(o),
        .region = "ap-east-1",
        .ca_file = peer_env("TEST_CA"),
        .connect_to = connect_to,
    };
    struct awssts_client *c = NULL;
    assert_int_equal(awssts_client_new(&o, &c, NULL), AWSSTS_OK);
    assert_string_equal(awssts_client_url(c), "https://sts.ap-east-1.amazonaws.com/");
    assert_false(awssts_client_is_global(c));
    struct outcome out = session_token(c, "OK", NULL);
    expect(out, AWSSTS_OK, NULL);
    assert_int_equal(
        fault_log_count("\"host\": \"sts.ap-east-1.amazonaws.com\"", "\"region\": \"ap-east-1\""),
        1);
    awssts_client_free(c);
}

static void test_bad_input_makes_no_call(void **state)
{
    (void)state;
    struct awssts_client *c = fault_client();
    int before = fault_log_count("\"scenario\"", NULL);
    struct outcome o = session_token(c, "OK", "12345");
    expect(o, AWSSTS_E_INVALID_ARGUMENT, "six digits");
    o = session_token(c, "OK", "12345a");
    expect(o, AWSSTS_E_INVALID_ARGUMENT, "six digits");

    char kb[64];
    struct awssts_keys k = scenario_keys("OK", kb);
    struct awssts_credentials cr;
    struct awssts_error_info ei;
    struct awssts_session_token_request sreq = {.struct_size = sizeof(sreq),
                                                .duration_seconds = 60};
    assert_int_equal(awssts_get_session_token(c, &k, &sreq, &cr, &ei), AWSSTS_E_INVALID_ARGUMENT);
    struct awssts_assume_role_request rreq = {.struct_size = sizeof(rreq),
                                              .role_arn = "arn:aws:iam::123:role/x",
                                              .role_session_name = "alice"};
    assert_int_equal(awssts_assume_role(c, &k, &rreq, &cr, &ei), AWSSTS_E_INVALID_ARGUMENT);
    rreq.role_arn = "arn:aws:iam::123456789012:role/x";
    rreq.role_session_name = "al ice";
    assert_int_equal(awssts_assume_role(c, &k, &rreq, &cr, &ei), AWSSTS_E_INVALID_ARGUMENT);
    rreq.role_session_name = "alice";
    rreq.duration_seconds = 43201;
    assert_int_equal(awssts_assume_role(c, &k, &rreq, &cr, &ei), AWSSTS_E_INVALID_ARGUMENT);
    struct awssts_keys badkey = {"akia-lower", "x", NULL};
    assert_int_equal(
        awssts_get_session_token(c, &badkey,
                                 &(struct awssts_session_token_request){
                                     .struct_size = sizeof(struct awssts_session_token_request)},
                                 &cr, &ei),
        AWSSTS_E_INVALID_ARGUMENT);
    assert_int_equal(fault_log_count("\"scenario\"", NULL), before);
    awssts_client_free(c);

    struct awssts_client_options http = {
        .struct_size = sizeof(http), .region = "us-east-1", .endpoint = "http://127.0.0.1:80/"};
    assert_int_equal(awssts_client_new(&http, &c, &ei), AWSSTS_E_INVALID_ARGUMENT);
    assert_non_null(strstr(ei.detail, "plain http is refused"));
    struct awssts_client_options region = {.struct_size = sizeof(region), .region = "mars-1"};
    assert_int_equal(awssts_client_new(&region, &c, &ei), AWSSTS_E_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mfa_session_ok),
        cmocka_unit_test(test_wrong_and_reused_code),
        cmocka_unit_test(test_session_flow_and_chaining_limit),
        cmocka_unit_test(test_direct_assume_role),
        cmocka_unit_test(test_throttling),
        cmocka_unit_test(test_server_errors_and_replay),
        cmocka_unit_test(test_hangs_and_slowness_time_out),
        cmocka_unit_test(test_one_deadline_for_all_calls),
        cmocka_unit_test(test_broken_connections),
        cmocka_unit_test(test_malformed_and_hostile_bodies),
        cmocka_unit_test(test_wrong_secret),
        cmocka_unit_test(test_tls_failures),
        cmocka_unit_test(test_regional_name_verified),
        cmocka_unit_test(test_bad_input_makes_no_call),
    };
    return cmocka_run_group_tests_name("sts_faults", tests, NULL, NULL);
}
