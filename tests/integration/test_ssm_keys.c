/* keys = ssm:NAME end to end: the instance role from the IMDSv2 stand-in
 * (imds_standin.py), GetParameter signed with it against moto (the
 * parameters of ssm_setup.py, auth on) and against fault_ssm.py for the
 * refusals moto cannot give. Each fault's error code, inside the login's
 * deadline; and no secret in anything the test keeps. */
#include "peer.h"

#include "awssts/secret.h"
#include "aws/imds.h"
#include "aws/ssm.h"
#include "login/ssm_keys.h"
#include "aws/transport.h"
#include "aws/unsigned_request.h"

#include <unistd.h>

#define DEADLINE_MS 4000
#define MARGIN_MS   1000

static char user[32]; /* this run's own, so fault_ssm's counters start at 0 */

/* Every outcome's line, as a module would log it: scanned for secrets. */
static void keep(const char *what, awssts_err rc, const struct awssts_error_info *ei)
{
    char path[512], line[1024];
    snprintf(path, sizeof(path), "%s/ssm-test.log", peer_env("PEERS_DIR"));
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    awssts_error_format(ei, line, sizeof(line));
    fprintf(f, "%s: %s: %s\n", what, awssts_errname(rc), rc == AWSSTS_OK ? "ok" : line);
    fclose(f);
}

static struct transport *transport(long timeout_ms)
{
    const struct transport_options o = {
        .ca_file = peer_env("TEST_CA"),
        .connect_timeout_ms = 1000,
        .timeout_ms = timeout_ms,
        .user_agent = "pam_aws_sts/test ssm",
    };
    struct transport *t = NULL;
    assert_int_equal(awssts_transport_new(&o, &t, NULL), AWSSTS_OK);
    return t;
}

/* The stand-in's fault, through its control port. */
static void imds_fault(const char *name)
{
    char url[256];
    snprintf(url, sizeof(url), "%s/fault/%s", peer_env("IMDS_CONTROL_URL"), name);
    struct transport *t = transport(3000);
    struct http_response r;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    assert_int_equal(awssts_unsigned_put(t, url, NULL, 0, NULL, 0, &r, &ei), AWSSTS_OK);
    awssts_http_response_free(&r);
    awssts_transport_free(t);
}

static int setup(void **state)
{
    (void)state;
    imds_fault("ok");
    return 0;
}

struct run {
    awssts_err rc;
    struct awssts_user_keys k;
    struct awssts_error_info ei;
    long long ms;
};

/* One user's keys, as the module would ask for them. */
static void get_keys(const char *tmpl, const char *name, uid_t uid, const char *region,
                     const char *endpoint, long deadline_ms, struct run *out)
{
    struct transport *t = transport(deadline_ms);
    const struct ssm_keys_request r = {
        .name_template = tmpl,
        .user = name,
        .uid = uid,
        .imds_endpoint = peer_env("IMDS_URL"),
        .region = region,
        .ssm_endpoint = endpoint,
    };
    awssts_error_info_reset(&out->ei);
    long long t0 = now_ms();
    out->rc = awssts_ssm_user_keys(t, &r, &out->k, &out->ei);
    out->ms = now_ms() - t0;
    awssts_transport_free(t);
    keep(tmpl, out->rc, &out->ei);
}

static void expect(const struct run *r, awssts_err want, const char *detail_part, long deadline)
{
    char line[1024];
    awssts_error_format(&r->ei, line, sizeof(line));
    if (r->rc != want)
        fail_msg("got %s, want %s: %s", awssts_errname(r->rc), awssts_errname(want), line);
    if (detail_part != NULL && strstr(line, detail_part) == NULL)
        fail_msg("'%s' lacks '%s'", line, detail_part);
    if (r->ms > deadline + MARGIN_MS)
        fail_msg("%s after %lld ms, past the %ld ms deadline", awssts_errname(want), r->ms,
                 deadline);
    if (want != AWSSTS_OK)
        assert_null(r->k.secret_access_key);
}

static void expect_user_keys(struct run *r)
{
    expect(r, AWSSTS_OK, NULL, DEADLINE_MS);
    assert_string_equal(r->k.access_key_id, peer_env("SSM_USER_KEY_ID"));
    assert_string_equal(r->k.secret_access_key, peer_env("SSM_USER_SECRET"));
    assert_string_equal(r->k.mfa_serial, peer_env("SSM_USER_MFA"));
    assert_string_equal(r->k.role_arn, peer_env("SSM_USER_ROLE"));
    awssts_user_keys_free(&r->k);
}

/* ---- the stand-in is IMDSv2 and strict, so what passes it is too ---- */

static void test_standin_is_strict(void **state)
{
    (void)state;
    struct transport *t = transport(3000);
    char url[256];
    struct http_response r;
    struct awssts_error_info ei;
    snprintf(url, sizeof(url), "%s/latest/meta-data/placement/region", peer_env("IMDS_URL"));
    /* IMDSv1: no token, 401. */
    assert_int_equal(awssts_unsigned_get(t, url, NULL, 0, &r, &ei), AWSSTS_E_ACCESS_DENIED);
    assert_int_equal(r.status, 401);
    awssts_http_response_free(&r);
    snprintf(url, sizeof(url), "%s/latest/api/token", peer_env("IMDS_URL"));
    const char *forwarded[] = {"X-aws-ec2-metadata-token-ttl-seconds: 60",
                               "X-Forwarded-For: 10.0.0.1"};
    assert_int_equal(awssts_unsigned_put(t, url, forwarded, 2, NULL, 0, &r, &ei),
                     AWSSTS_E_ACCESS_DENIED);
    assert_int_equal(r.status, 403);
    awssts_http_response_free(&r);
    const char *no_ttl[] = {"X-aws-ec2-metadata-token-ttl-seconds: 21601"};
    assert_int_equal(awssts_unsigned_put(t, url, no_ttl, 1, NULL, 0, &r, &ei),
                     AWSSTS_E_STS_REJECTED);
    assert_int_equal(r.status, 400);
    awssts_http_response_free(&r);
    awssts_transport_free(t);
}

/* ---- moto: the keys, and what the store holds wrong ---- */

static void test_keys_from_moto(void **state)
{
    (void)state;
    int v1_before = file_count_lines(peer_env("IMDS_LOG"), "\"v1\": true", NULL);
    struct run r = {0};
    get_keys("/bastion/keys/%u", "alice", 1001, peer_env("SSM_REGION"), peer_env("MOTO_URL"),
             DEADLINE_MS, &r);
    expect_user_keys(&r);
    /* Never a GET without a token; and the region was configured, not asked. */
    assert_int_equal(file_count_lines(peer_env("IMDS_LOG"), "\"v1\": true", NULL), v1_before);
}

static void test_region_from_imds_and_uid(void **state)
{
    (void)state;
    int asked = file_count_lines(peer_env("IMDS_LOG"), "placement/region", "\"status\": 200");
    struct run r = {0};
    get_keys("/bastion/uid/%U", "whoever", 4242, NULL, peer_env("MOTO_URL"), DEADLINE_MS, &r);
    expect_user_keys(&r);
    assert_int_equal(file_count_lines(peer_env("IMDS_LOG"), "placement/region", "\"status\": 200"),
                     asked + 1);
}

static void test_parameter_not_found_is_no_keys(void **state)
{
    (void)state;
    struct run r = {0};
    get_keys("/bastion/keys/%u", "nobody", 1002, peer_env("SSM_REGION"), peer_env("MOTO_URL"),
             DEADLINE_MS, &r);
    expect(&r, AWSSTS_E_NO_KEYS, "/bastion/keys/nobody", DEADLINE_MS);
    assert_string_equal(r.ei.aws_code, "ParameterNotFound");
}

static void test_string_parameter_refused(void **state)
{
    (void)state;
    struct run r = {0};
    get_keys("/bastion/keys/%u", "plain", 1003, peer_env("SSM_REGION"), peer_env("MOTO_URL"),
             DEADLINE_MS, &r);
    expect(&r, AWSSTS_E_CONFIG, "not a SecureString", DEADLINE_MS);
}

static void test_malformed_value_refused(void **state)
{
    (void)state;
    struct run r = {0};
    get_keys("/bastion/keys/%u", "broken", 1004, peer_env("SSM_REGION"), peer_env("MOTO_URL"),
             DEADLINE_MS, &r);
    expect(&r, AWSSTS_E_CONFIG, "ssm:/bastion/keys/broken: value", DEADLINE_MS);
    get_keys("/bastion/keys/%u", "extra", 1005, peer_env("SSM_REGION"), peer_env("MOTO_URL"),
             DEADLINE_MS, &r);
    expect(&r, AWSSTS_E_CONFIG, "region", DEADLINE_MS);
}

/* ---- the instance metadata service's faults ---- */

static void imds_case(const char *fault, long deadline, awssts_err want, const char *part)
{
    imds_fault(fault);
    struct run r = {0};
    get_keys("/bastion/keys/%u", "alice", 1001, NULL, peer_env("MOTO_URL"), deadline, &r);
    imds_fault("ok");
    expect(&r, want, part, deadline);
}

static void test_imds_down(void **state)
{
    (void)state;
    imds_case("down", DEADLINE_MS, AWSSTS_E_IMDS_UNREACHABLE, "session token");
}

static void test_imds_slow(void **state)
{
    (void)state;
    /* The service's own limits (1 s an attempt, 2 attempts) end it first... */
    imds_case("slow", DEADLINE_MS, AWSSTS_E_IMDS_TIMEOUT, "session token");
    /* ...or the login's deadline, when it is shorter. */
    imds_case("slow", 1500, AWSSTS_E_IMDS_TIMEOUT, NULL);
}

static void test_imds_no_role(void **state)
{
    (void)state;
    imds_case("no-role", DEADLINE_MS, AWSSTS_E_IMDS_NO_ROLE, "empty");
    imds_case("no-role-404", DEADLINE_MS, AWSSTS_E_IMDS_NO_ROLE, "HTTP 404");
}

static void test_imds_bad_json(void **state)
{
    (void)state;
    imds_case("bad-json", DEADLINE_MS, AWSSTS_E_IMDS_BAD_RESPONSE, "bastion-instance-role");
}

/* ---- SSM's and KMS's refusals, from the fault SSM ---- */

static void fault_ssm(const char *scenario, struct run *r)
{
    char tmpl[128];
    snprintf(tmpl, sizeof(tmpl), "/fault/%s/%%u", scenario);
    get_keys(tmpl, user, 1001, "us-east-1", peer_env("FAULT_SSM_URL"), DEADLINE_MS, r);
}

static int fault_ssm_requests(const char *scenario)
{
    char name[160];
    snprintf(name, sizeof(name), "\"name\": \"/fault/%s/%s\"", scenario, user);
    return file_count_lines(peer_env("FAULT_SSM_LOG"), name, "\"signature\": true");
}

static void test_fault_ssm_signed_and_read(void **state)
{
    (void)state;
    struct run r = {0};
    fault_ssm("ok", &r);
    expect_user_keys(&r);
    assert_int_equal(fault_ssm_requests("ok"), 1);
}

static void test_ssm_access_denied(void **state)
{
    (void)state;
    struct run r = {0};
    fault_ssm("denied", &r);
    expect(&r, AWSSTS_E_ACCESS_DENIED, "ssm:GetParameter", DEADLINE_MS);
    assert_string_equal(r.ei.aws_code, "AccessDeniedException");
    assert_false(awssts_ssm_error_is_kms(r.ei.aws_code, r.ei.message));
    assert_int_equal(fault_ssm_requests("denied"), 1); /* not retried */
}

static void test_kms_decrypt_denied(void **state)
{
    (void)state;
    struct run r = {0};
    fault_ssm("kms-denied", &r);
    expect(&r, AWSSTS_E_ACCESS_DENIED, "KMS refused to decrypt", DEADLINE_MS);
    assert_string_equal(r.ei.aws_code, "AccessDeniedException");
    fault_ssm("kms-code", &r);
    expect(&r, AWSSTS_E_ACCESS_DENIED, "kms:Decrypt", DEADLINE_MS);
    assert_string_equal(r.ei.aws_code, "KMSAccessDeniedException");
}

static void test_throttled_then_read(void **state)
{
    (void)state;
    struct run r = {0};
    fault_ssm("throttle-once", &r);
    expect_user_keys(&r);
    assert_int_equal(fault_ssm_requests("throttle-once"), 2);
}

static void test_throttled_gives_up(void **state)
{
    (void)state;
    struct run r = {0};
    fault_ssm("throttle-always", &r);
    expect(&r, AWSSTS_E_THROTTLED, NULL, DEADLINE_MS);
    assert_string_equal(r.ei.aws_code, "ThrottlingException");
    assert_true(fault_ssm_requests("throttle-always") >= 2);
    assert_int_equal(fault_ssm_requests("throttle-always"), (int)r.ei.attempts);
}

/* ---- last: nothing the test keeps holds a secret ---- */

static void no_secret_in(const char *file)
{
    const char *secrets[] = {peer_env("SSM_USER_SECRET"), peer_env("IMDS_ROLE_SECRET")};
    for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
        if (file_count_lines(file, secrets[i], NULL) != 0)
            fail_msg("%s holds a secret", file);
}

static void test_no_secret_in_logs(void **state)
{
    (void)state;
    static const char *const kept[] = {"ssm-test.log",  "imds.log",      "imds.out",
                                       "fault-ssm.log", "fault-ssm.out", "moto.out"};
    char path[512];
    snprintf(path, sizeof(path), "%s/ssm-test.log", peer_env("PEERS_DIR"));
    /* The outcomes were kept at all, or there is nothing to look at. */
    assert_true(file_count_lines(path, ": ", NULL) >= 15);
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", peer_env("PEERS_DIR"), kept[i]);
        assert_int_equal(access(path, R_OK), 0);
        no_secret_in(path);
    }
}

int main(void)
{
    snprintf(user, sizeof(user), "u%ld", (long)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standin_is_strict),
        cmocka_unit_test(test_keys_from_moto),
        cmocka_unit_test(test_region_from_imds_and_uid),
        cmocka_unit_test(test_parameter_not_found_is_no_keys),
        cmocka_unit_test(test_string_parameter_refused),
        cmocka_unit_test(test_malformed_value_refused),
        cmocka_unit_test_setup(test_imds_down, setup),
        cmocka_unit_test_setup(test_imds_slow, setup),
        cmocka_unit_test_setup(test_imds_no_role, setup),
        cmocka_unit_test_setup(test_imds_bad_json, setup),
        cmocka_unit_test(test_fault_ssm_signed_and_read),
        cmocka_unit_test(test_ssm_access_denied),
        cmocka_unit_test(test_kms_decrypt_denied),
        cmocka_unit_test(test_throttled_then_read),
        cmocka_unit_test(test_throttled_gives_up),
        cmocka_unit_test(test_no_secret_in_logs),
    };
    return cmocka_run_group_tests_name("ssm_keys", tests, NULL, NULL);
}
