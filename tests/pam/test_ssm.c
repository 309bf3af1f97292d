/*
 * keys = ssm:NAME through real libpam: the user's long-term keys from SSM
 * Parameter Store (moto, SecureString with KMS), read with the instance
 * role from the strict IMDSv2 stand-in, before any prompt; the region, when
 * none is configured, the instance's. Then the fault list: each fault is
 * one clean outcome within the deadline, one log line, and no code asked
 * for or spent. Run by tests/pam/run-pam-tests.
 */
#include "pam_login.h"

#include <security/pam_appl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The IMDS stand-in's fault, through its control port. */
static void imds_fault(const char *name)
{
    char url[400], out[512];
    snprintf(url, sizeof(url), "%s/fault/%s", peer_env("IMDS_CONTROL_URL"), name);
    char *argv[] = {(char *)(uintptr_t) "/usr/bin/curl",
                    (char *)(uintptr_t) "-sf",
                    (char *)(uintptr_t) "-X",
                    (char *)(uintptr_t) "POST",
                    url,
                    NULL};
    char *envp[] = {(char *)(uintptr_t) "PATH=/usr/bin:/bin", NULL};
    int st = spawn_capture(argv, envp, out, sizeof(out));
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("IMDS stand-in: fault %s not set: %s", name, out);
}

/* A login that must end at the keys: outcome, no prompt, one line, quick. */
static void keys_fault(const char *service, const char *user, const char *outcome,
                       const char *detail)
{
    char line[160];
    snprintf(line, sizeof(line), "user=%s outcome=%s ", user, outcome);
    int before = pam_log_count(line, detail), any = pam_log_count("outcome=", NULL);
    struct login l;
    login_start(&l, service, user, code_at(0));
    long long t0 = now_ms();
    int rc = pam_authenticate(l.ph, 0);
    long long took = now_ms() - t0;
    if (l.script.next != 0)
        fail_msg("%s: a code was asked for before the keys were read", user);
    assert_int_not_equal(rc, PAM_SUCCESS);
    login_finish(&l);
    if (pam_log_count(line, detail) != before + 1 || pam_log_count("outcome=", NULL) != any + 1)
        fail_msg("%s: not one line with outcome=%s and '%s'", user, outcome, detail ? detail : "");
    /* timeout = 5 in the configuration: the deadline holds, with a margin. */
    if (took > 7000)
        fail_msg("%s: %lld ms, past the 5 s deadline", user, took);
    print_message("%s: %s in %lld ms\n", user, outcome, took);
}

/* alice's keys from SSM, no region configured: the instance's, said so;
 * the session gets that region; IMDS saw no request without a token. */
static void test_login_with_keys_from_ssm(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts_ssm", "alice", code_at(0));
    login_auth_ok(&l, "alice");
    assert_int_equal(pam_setcred(l.ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
    assert_int_equal(pam_open_session(l.ph, 0), PAM_SUCCESS);
    char want[200];
    snprintf(want, sizeof(want), "region=%s region_from=imds ", peer_env("SSM_REGION"));
    assert_int_equal(pam_log_count("user=alice outcome=success", want), 1);
    assert_int_equal(pam_log_count("user=alice outcome=success",
                                   "role_arn=arn:aws:iam::123456789012:role/bastion-admin"),
                     1);
    const char *region = pam_getenv(l.ph, "AWS_REGION");
    assert_non_null(region);
    assert_string_equal(region, peer_env("SSM_REGION"));
    const char *path = pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE");
    assert_non_null(path);
    char sfile[600];
    snprintf(sfile, sizeof(sfile), "%s", path);
    snprintf(strrchr(sfile, '/'), sizeof(sfile) - (size_t)(strrchr(sfile, '/') - sfile), "/state");
    assert_int_equal(file_count_lines(sfile, "keys_source = ssm:/bastion/keys/%u", NULL), 1);
    /* The long-term secret is nowhere in what the session got. */
    assert_int_equal(file_count_lines(path, peer_env("SSM_USER_SECRET"), NULL), 0);
    assert_int_equal(file_count_lines(sfile, peer_env("SSM_USER_SECRET"), NULL), 0);
    login_close(&l);
    assert_int_equal(file_count_lines(peer_env("IMDS_LOG"), "\"token\": false", NULL), 0);
    assert_true(file_count_lines(peer_env("IMDS_LOG"), "/latest/api/token", NULL) >= 1);
}

/* The default flow with keys from SSM: GetSessionToken with the parameter's
 * keys and the code, then AssumeRole signed with that MFA session, at the
 * instance's region's STS (the fault STS: moto cannot take its own
 * sessions' credentials). */
static void test_session_flow_with_keys_from_ssm(void **state)
{
    (void)state;
    struct login l;
    /* The fault STS's log is the whole run's: test_checkplan.c logs alice
     * in with these keys too. This login must add exactly one of each call. */
    int sessions =
        fault_log_count("\"key\": \"AKIAOKSSMALICE000000\"", "\"action\": \"GetSessionToken\"");
    int roles = fault_log_count("\"role_arn\": \"arn:aws:iam::123456789012:role/bastion-admin\"",
                                "\"token\": true");
    login_start(&l, "awssts_ssmsts", "alice", code_at(0));
    login_auth_ok(&l, "alice");
    login_finish(&l);
    assert_int_equal(pam_log_count("user=alice outcome=success", "flow=session+role"), 1);
    assert_int_equal(
        fault_log_count("\"key\": \"AKIAOKSSMALICE000000\"", "\"action\": \"GetSessionToken\""),
        sessions + 1);
    assert_int_equal(
        fault_log_count("\"role_arn\": \"arn:aws:iam::123456789012:role/bastion-admin\"",
                        "\"token\": true"),
        roles + 1);
}

/* A configured region is used, and said to be the configuration's. */
static void test_configured_region(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts_ssmregion", "alice", code_at(30));
    login_auth_ok(&l, "alice");
    login_finish(&l);
    assert_int_equal(pam_log_count("user=alice outcome=success", "region_from=config"), 1);
}

/* ssm_account: the parameter must come from that account's store; from
 * any other (credentials someone else's metadata service handed out) it is
 * never used, and no code is asked for. */
static void test_pinned_account(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts_ssmacct", "alice", code_at(60));
    login_auth_ok(&l, "alice");
    login_finish(&l);
    keys_fault("awssts_ssmother", "alice", "keys_error", "not ssm_account 999999999999");
}

/* ParameterNotFound is "no keys": no prompt, ignored (require = no) or
 * refused (require = yes). */
static void test_no_parameter_is_no_keys(void **state)
{
    (void)state;
    keys_fault("awssts_ssm", "ssmnone", "no_keys", NULL);
    keys_fault("awssts_ssmregion", "ssmnone", "no_keys_required", NULL);
}

static void test_imds_faults(void **state)
{
    (void)state;
    keys_fault("awssts_ssmdown", "alice", "keys_error", "instance metadata");
    imds_fault("slow");
    keys_fault("awssts_ssm", "alice", "keys_error", NULL);
    imds_fault("no-role");
    keys_fault("awssts_ssm", "alice", "keys_error", "role");
    imds_fault("ok");
}

static void test_ssm_faults(void **state)
{
    (void)state;
    keys_fault("awssts_ssmfault", "denied", "keys_error", "AccessDenied");
    keys_fault("awssts_ssmfault", "kms-denied", "keys_error", "KMS");
    keys_fault("awssts_ssmfault", "throttle-always", "keys_error", "Throttling");
    keys_fault("awssts_ssm", "broken", "keys_error", NULL);
    keys_fault("awssts_ssm", "plain", "keys_error", "SecureString");
    keys_fault("awssts_ssm", "extra", "keys_error", "region");
    /* Throttled once, then read: the retry is SSM's, the code is asked once. */
    int before = file_count_lines(peer_env("FAULT_SSM_LOG"), "throttle-once", NULL);
    struct login l;
    login_start(&l, "awssts_ssmfault", "throttle-once", code_at(60));
    (void)pam_authenticate(l.ph, 0);
    assert_int_equal(l.script.next, 1);
    login_finish(&l);
    assert_int_equal(file_count_lines(peer_env("FAULT_SSM_LOG"), "throttle-once", NULL),
                     before + 2);
    assert_int_equal(pam_log_count("user=throttle-once outcome=", NULL), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_with_keys_from_ssm),
        cmocka_unit_test(test_session_flow_with_keys_from_ssm),
        cmocka_unit_test(test_configured_region),
        cmocka_unit_test(test_pinned_account),
        cmocka_unit_test(test_no_parameter_is_no_keys),
        cmocka_unit_test(test_imds_faults),
        cmocka_unit_test(test_ssm_faults),
    };
    return PAM_LOG_RUN("pam_ssm", tests, "ssm.log");
}
