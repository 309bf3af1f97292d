/*
 * pam_aws_sts.so through real libpam (pam_wrapper), against the fault STS
 * and moto. Run by tests/pam/run-pam-tests, which makes the users, the
 * configuration, the services and a private tmpfs on /run.
 */
#include "pam_login.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <pwd.h>
#include <security/pam_appl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *tdir(const char *rel, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", peer_env("PAS_TEST_DIR"), rel);
    return buf;
}

static void run_dir(const char *user, char *buf, size_t len)
{
    snprintf(buf, len, "/run/aws-sts/%u", (unsigned)uid_of(user));
}

static void assert_no_staging_left(void)
{
    int n = 0;
    FILE *p = popen("ls -A /run/aws-sts/staging 2>/dev/null | wc -l", "r");
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    assert_int_equal(n, 0);
}

static void test_session_token_flow(void **state)
{
    (void)state;
    struct login l;
    int before = fault_log_count("\"key\": \"AKIAOKALICE", "GetSessionToken");
    login_full(&l, "awssts", "alice", code_at(0));
    assert_string_equal(l.script.prompt, "AWS MFA code: ");
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKALICE", "GetSessionToken"), before + 1);
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKALICE", "AssumeRole"), 0);

    char dir[256], path[300];
    run_dir("alice", dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/credentials", dir);
    uid_t uid = uid_of("alice");
    assert_user_file(path, uid, "[default]\n");
    assert_user_file(path, uid, "aws_access_key_id = ASIA");
    assert_user_file(path, uid, "aws_security_token = ");
    assert_user_file(path, uid, "assumed_role = False");
    snprintf(path, sizeof(path), "%s/state", dir);
    assert_user_file(path, uid, "[mfa_session]");
    assert_user_file(path, uid, "region = us-east-1");
    struct stat st;
    assert_int_equal(lstat(dir, &st), 0);
    assert_int_equal(st.st_uid, uid);
    assert_int_equal(st.st_mode & 07777, 0700);

    char want[320];
    snprintf(want, sizeof(want), "%s/credentials", dir);
    assert_string_equal(pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE"), want);
    assert_string_equal(pam_getenv(l.ph, "AWS_REGION"), "us-east-1");
    assert_string_equal(pam_getenv(l.ph, "AWS_DEFAULT_REGION"), "us-east-1");
    assert_string_equal(pam_getenv(l.ph, "AWS_STS_REGIONAL_ENDPOINTS"), "regional");
    assert_null(pam_getenv(l.ph, "AWS_PROFILE"));
    assert_null(pam_getenv(l.ph, "PAM_AWS_STS_HANDOFF"));
    assert_no_staging_left();

    /* One line for the login, with what an operator needs and no secret. */
    assert_int_equal(
        pam_log_count(
            "user=alice outcome=success region=us-east-1 region_from=config endpoint=localhost:",
            "flow=session-token call=- role_arn=- source_identity=- access_key_id=ASIA"),
        1);
    assert_int_equal(pam_log_count("user=alice outcome=success", "rhost=- tty=- request_id=fault-"),
                     1);
    assert_int_equal(pam_log_count("user=alice outcome=success", "latency_ms="), 1);
    /* With debug, the module's own steps are timed (make bench reads these). */
    assert_int_equal(pam_log_count("user=alice: timing_us settings=", " sts="), 1);
    assert_int_equal(pam_log_count("user=alice: credentials written to", "timing_us write="), 1);

    /* setcred again (sshd does) changes nothing and still succeeds. */
    assert_int_equal(pam_setcred(l.ph, PAM_REINITIALIZE_CRED), PAM_SUCCESS);
    login_close(&l);
    assert_false(exists(path));
    snprintf(path, sizeof(path), "%s/credentials", dir);
    assert_false(exists(path));
    assert_int_equal(pam_log_count("user=alice: session closed, 0 open, credentials removed", NULL),
                     1);
}

static void test_group_role_session_flow(void **state)
{
    (void)state;
    struct login l;
    login_full(&l, "awssts", "bob", code_at(0));
    /* GetSessionToken with the code, then AssumeRole signed by the session. */
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKBOB", "\"mfa\": true"), 1);
    assert_int_equal(fault_log_count("\"action\": \"AssumeRole\"", "\"session_name\": \"bob\""), 1);
    assert_int_equal(fault_log_count("\"session_name\": \"bob\"", "\"token\": true"), 1);
    assert_int_equal(fault_log_count("\"session_name\": \"bob\"", "\"region\": \"eu-west-1\""), 1);
    char dir[256], path[300];
    run_dir("bob", dir, sizeof(dir));
    snprintf(path, sizeof(path), "%s/credentials", dir);
    assert_user_file(path, uid_of("bob"), "assumed_role = True");
    assert_user_file(path, uid_of("bob"),
                     "assumed_role_arn = arn:aws:iam::123456789012:role/mfa-admin");
    snprintf(path, sizeof(path), "%s/state", dir);
    assert_user_file(path, uid_of("bob"), "[role]");
    assert_user_file(path, uid_of("bob"), "flow = session");
    assert_string_equal(pam_getenv(l.ph, "AWS_REGION"), "eu-west-1");
    login_close(&l);
}

static void test_user_section_overrides_group(void **state)
{
    (void)state;
    struct login l;
    login_full(&l, "awssts", "liam", code_at(0));
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKLIAM", "\"region\": \"ap-east-1\""), 1);
    assert_int_equal(fault_log_count("\"session_name\": \"liam\"", "\"region\": \"ap-east-1\""), 1);
    /* export_region = no */
    assert_null(pam_getenv(l.ph, "AWS_REGION"));
    assert_null(pam_getenv(l.ph, "AWS_DEFAULT_REGION"));
    assert_null(pam_getenv(l.ph, "AWS_ENDPOINT_URL_STS")); /* export_endpoint = no */
    assert_non_null(pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE"));
    login_close(&l);
}

/* With endpoint set (a VPC endpoint without private DNS), the session's own
 * STS calls go there too, for clients that read AWS_ENDPOINT_URL_STS: here
 * boto3 (botocore reads it; Debian 12's AWS CLI 2.9 does not yet). */
/* The session's own environment, as the user's shell gets it, steers an AWS
 * SDK to the endpoint the module used: boto3 run with exactly the PAM
 * environment (plus PATH and the test CA) reaches the same STS. */
static void test_endpoint_exported_and_used(void **state)
{
    (void)state;
    struct login l;
    login_full(&l, "awssts", "alice", code_at(30));
    const char *url = pam_getenv(l.ph, "AWS_ENDPOINT_URL_STS");
    assert_non_null(url);
    assert_string_equal(url, peer_env("FAULT_URL"));

    char path[4096], ca[4096], home[] = "HOME=/nonexistent";
    snprintf(path, sizeof(path), "PATH=%s", getenv("PATH"));
    snprintf(ca, sizeof(ca), "AWS_CA_BUNDLE=%s", peer_env("TEST_CA"));
    char **penv = pam_getenvlist(l.ph);
    assert_non_null(penv);
    size_t n = 0;
    while (penv[n] != NULL)
        n++;
    char **envp = calloc(n + 4, sizeof(*envp));
    assert_non_null(envp);
    for (size_t i = 0; i < n; i++)
        envp[i] = penv[i];
    envp[n] = path;
    envp[n + 1] = ca;
    envp[n + 2] = home;

    const char *py = getenv("AWSSTS_TEST_PYTHON") ? getenv("AWSSTS_TEST_PYTHON") : "python3";
    int before = fault_log_count("\"action\": \"GetCallerIdentity\"", NULL);
    char prog[256],
        flag[] = "-c",
        script[] = "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])";
    snprintf(prog, sizeof(prog), "%s", py);
    char out[2048];
    int st = spawn_capture((char *[]){prog, flag, script, NULL}, envp, out, sizeof(out));
    for (size_t i = 0; i < n; i++)
        free(penv[i]);
    free(penv);
    free(envp);
    if (st != 0 || strstr(out, "arn:aws:iam::123456789012:user/") == NULL) {
        fprintf(stderr, "boto3 in the session: status %d:\n%s\n", st, out);
        fail_msg("boto3 in the session failed (output above)");
    }
    assert_int_equal(fault_log_count("\"action\": \"GetCallerIdentity\"", NULL), before + 1);
    login_close(&l);
}

static void test_direct_flow(void **state)
{
    (void)state;
    struct login l;
    login_full(&l, "awssts", "carol", code_at(0));
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKCAROL", "GetSessionToken"), 0);
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKCAROL", "\"duration\": \"7200\""), 1);
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKCAROL", "\"mfa\": true"), 1);
    char path[300];
    run_dir("carol", path, sizeof(path));
    strcat(path, "/state");
    assert_user_file(path, uid_of("carol"), "flow = direct");
    login_close(&l);
}

static void test_keys_from_home(void **state)
{
    (void)state;
    struct login l;
    login_full(&l, "awssts", "dave", code_at(0));
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKDAVE",
                                     "\"serial\": \"arn:aws:iam::123456789012:mfa/dave\""),
                     1);
    assert_int_equal(fault_log_count("\"session_name\": \"dave\"", "mfa-admin"), 1);
    char path[300];
    run_dir("dave", path, sizeof(path));
    strcat(path, "/credentials");
    assert_user_file(path, uid_of("dave"), "[work]\n");
    assert_string_equal(pam_getenv(l.ph, "AWS_PROFILE"), "work");
    login_close(&l);

    /* A credentials file others can read is refused: on_error deny. */
    login_start(&l, "awssts", "dan", code_at(0));
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_AUTHINFO_UNAVAIL);
    assert_int_equal(l.script.next, 0); /* not even prompted */
    login_finish(&l);
}

static void test_user_without_configuration(void **state)
{
    (void)state;
    struct login l;
    int before = fault_log_count("\"scenario\"", NULL);
    login_start(&l, "awssts", "erin", "123456");
    assert_int_equal(pam_authenticate(l.ph, 0), MODULE_IGNORED);
    assert_int_equal(l.script.next, 0);
    assert_int_equal(pam_setcred(l.ph, PAM_ESTABLISH_CRED), MODULE_IGNORED);
    assert_int_equal(pam_open_session(l.ph, 0), MODULE_IGNORED);
    assert_int_equal(pam_close_session(l.ph, 0), MODULE_IGNORED);
    assert_null(pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE"));
    login_finish(&l);

    /* require = yes: no keys means no login. */
    login_start(&l, "awssts", "pete", "123456");
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_AUTH_ERR);
    login_finish(&l);
    assert_int_equal(fault_log_count("\"scenario\"", NULL), before);
}

static void test_wrong_and_malformed_codes(void **state)
{
    (void)state;
    struct login l;
    char wrong[7];
    totp_wrong(wrong);
    login_start(&l, "awssts", "kate", wrong);
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_AUTH_ERR);
    assert_int_equal(pam_setcred(l.ph, PAM_ESTABLISH_CRED), MODULE_IGNORED);
    login_finish(&l);
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKKATE", "\"status\": 403"), 1);
    assert_int_equal(
        pam_log_count("user=kate outcome=mfa_code_rejected", "MultiFactorAuthentication failed"),
        1);
    assert_int_equal(pam_log_count(wrong, NULL), 0);

    int before = fault_log_count("\"scenario\"", NULL);
    const char *bad[] = {"12345", "1234567", "12a456", "", "123456; rm"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        login_start(&l, "awssts", "kate", bad[i]);
        assert_int_equal(pam_authenticate(l.ph, 0), PAM_AUTH_ERR);
        login_finish(&l);
    }
    assert_int_equal(fault_log_count("\"scenario\"", NULL), before);
    assert_int_equal(pam_log_count("user=kate outcome=bad_code_format", "STS not called"), 5);
    assert_no_staging_left();
}

static void test_on_error_both_ways(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts", "frank", code_at(0));
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_AUTHINFO_UNAVAIL);
    login_finish(&l);
    login_start(&l, "awssts", "gina", code_at(0));
    assert_int_equal(pam_authenticate(l.ph, 0), MODULE_IGNORED);
    /* The login goes on without credentials. */
    assert_int_equal(pam_setcred(l.ph, PAM_ESTABLISH_CRED), MODULE_IGNORED);
    assert_int_equal(pam_open_session(l.ph, 0), MODULE_IGNORED);
    assert_null(pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE"));
    login_finish(&l);
    char dir[256];
    run_dir("gina", dir, sizeof(dir));
    assert_false(exists(dir));
}

static void test_bad_configuration_files(void **state)
{
    (void)state;
    const char *services[] = {"awssts_bad", "awssts_ww", "awssts_notroot", "awssts_openkeys"};
    /* Each for its own reason, which its line names. */
    const char *reasons[] = {"line 2: expected 'key = value'", "ww.conf: mode 0666 is too open",
                             "notroot.conf: owned by uid 5001", "keys-open: mode 0644 is too open"};
    int before = fault_log_count("\"scenario\"", NULL);
    for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
        struct login l;
        int lines = pam_log_count("user=alice outcome=", reasons[i]);
        login_start(&l, services[i], "alice", "123456");
        int rc = pam_authenticate(l.ph, 0);
        if (rc != PAM_AUTHINFO_UNAVAIL)
            fail_msg("%s: %s", services[i], pam_strerror(l.ph, rc));
        assert_int_equal(l.script.next, 0);
        login_finish(&l);
        if (pam_log_count("user=alice outcome=", reasons[i]) != lines + 1)
            fail_msg("%s: no line with '%s'", services[i], reasons[i]);
    }
    assert_int_equal(fault_log_count("\"scenario\"", NULL), before);
}

/* A mistyped keys path is a configuration error, not "this user has no
 * keys": ignoring it would let every user in without MFA on a stack where
 * another module also authenticates. */
static void test_missing_keys_file_is_a_config_error(void **state)
{
    (void)state;
    struct login l;
    int before = fault_log_count("\"scenario\"", NULL);
    login_start(&l, "awssts_keyz", "alice", code_at(0));
    int rc = pam_authenticate(l.ph, 0);
    if (rc != PAM_AUTHINFO_UNAVAIL)
        fail_msg("a missing keys file: %s", pam_strerror(l.ph, rc));
    assert_int_equal(l.script.next, 0);
    login_finish(&l);
    assert_int_equal(fault_log_count("\"scenario\"", NULL), before);
    assert_int_equal(
        pam_log_count("SYSLOG(3): user=alice outcome=config_error", "/keyz: no such file"), 1);
}

/* The keys file is read with the configuration file's rules (a comment
 * after a value, quotes around one), as the documentation says. */
static void test_keys_file_read_like_config(void **state)
{
    (void)state;
    struct login l;
    login_full(&l, "awssts", "kira", code_at(0));
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKKIRA0000000000\"",
                                     "\"serial\": \"arn:aws:iam::123456789012:mfa/kira\""),
                     1);
    assert_int_equal(fault_log_count("\"role_arn\": \"arn:aws:iam::123456789012:role/mfa-admin\"",
                                     "\"session_name\": \"kira\""),
                     1);
    login_close(&l);
}

/* A typo in the configuration is a configuration error, with its file and
 * line, whoever logs in: a misspelled role_arn would otherwise log users in
 * without their role. */
/* The line of the file (1-based) that starts with prefix, 0 when none. */
static int line_of(const char *path, const char *prefix)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    int n = 0, found = 0;
    while (found == 0 && fgets(line, sizeof(line), f) != NULL) {
        n++;
        if (strncmp(line, prefix, strlen(prefix)) == 0)
            found = n;
    }
    fclose(f);
    return found;
}

static void test_configuration_typos(void **state)
{
    (void)state;
    const struct {
        const char *service, *conf, *at, *why;
    } typos[] = {
        {"awssts_typo", "typo.conf", "role_arm", "[user:alice] unknown key 'role_arm'"},
        {"awssts_typosection", "typosection.conf", "[users:alice]",
         "unknown section [users:alice]"},
        {"awssts_typoglobal", "typoglobal.conf", "staging_dir",
         "[user:alice] staging_dir is allowed in [global] only"},
    };
    int before = fault_log_count("\"scenario\"", NULL);
    for (size_t i = 0; i < sizeof(typos) / sizeof(typos[0]); i++) {
        char path[512], where[600];
        tdir(typos[i].conf, path, sizeof(path));
        snprintf(where, sizeof(where), "%s: line %d: %s", path, line_of(path, typos[i].at),
                 typos[i].why);
        struct login l;
        login_start(&l, typos[i].service, "bob", code_at(0)); /* not even the section's user */
        int rc = pam_authenticate(l.ph, 0);
        if (rc != PAM_AUTHINFO_UNAVAIL)
            fail_msg("%s: %s", typos[i].service, pam_strerror(l.ph, rc));
        assert_int_equal(l.script.next, 0);
        login_finish(&l);
        if (pam_log_count("SYSLOG(3): user=bob outcome=config_error", where) != 1)
            fail_msg("%s: no config_error line with '%s'", typos[i].service, where);
    }
    assert_int_equal(fault_log_count("\"scenario\"", NULL), before);
}

static void test_use_first_pass(void **state)
{
    (void)state;
    struct login l;
    setenv("PAM_AUTHTOK", code_at(0), 1);
    login_start(&l, "awssts_first_pass", "henry", NULL); /* no answers: a prompt would fail */
    int rc = pam_authenticate(l.ph, 0);
    unsetenv("PAM_AUTHTOK");
    if (rc != PAM_SUCCESS)
        fail_msg("authenticate: %s", pam_strerror(l.ph, rc));
    assert_int_equal(l.script.next, 0);
    assert_int_equal(pam_setcred(l.ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
    assert_int_equal(pam_open_session(l.ph, 0), PAM_SUCCESS);
    login_close(&l);
}

static void test_parallel_sessions_refcount(void **state)
{
    (void)state;
    struct login a, b;
    login_full(&a, "awssts", "ivy", code_at(0));
    login_full(&b, "awssts", "ivy", code_at(30)); /* a second, different code */
    char dir[256], creds[300], registry[128];
    uid_t uid = uid_of("ivy");
    run_dir("ivy", dir, sizeof(dir));
    snprintf(creds, sizeof(creds), "%s/credentials", dir);
    registry_path("ivy", registry, sizeof(registry));
    assert_int_equal(registry_entries("ivy"), 2);

    login_close(&a);
    assert_user_file(creds, uid, "aws_access_key_id = ASIA");
    assert_int_equal(registry_entries("ivy"), 1);
    assert_int_equal(pam_log_count("user=ivy: session closed, others still open", NULL), 1);

    /* A session whose process died without closing cannot pin the files. */
    pid_t dead = fork();
    if (dead == 0)
        _exit(0);
    char stat_path[64], stat_line[1024];
    snprintf(stat_path, sizeof(stat_path), "/proc/%d/stat", (int)dead);
    FILE *sf = fopen(stat_path, "r");
    assert_non_null(sf);
    assert_non_null(fgets(stat_line, sizeof(stat_line), sf));
    fclose(sf);
    const char *start = strrchr(stat_line, ')');
    for (int field = 3; field <= 22; field++)
        start = strchr(start + 1, ' ');
    assert_int_equal(waitpid(dead, NULL, 0), dead);
    char entry[400], text[64];
    snprintf(entry, sizeof(entry), "%s/0123456789abcdef0123456789abcdef", registry);
    snprintf(text, sizeof(text), "%d %llu\n", (int)dead, strtoull(start + 1, NULL, 10));
    int fd = open(entry, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(registry_entries("ivy"), 2);

    login_close(&b);
    assert_false(exists(creds));
    assert_false(exists(registry));
    assert_false(exists(dir));
}

/* A user's last session closing while another login of theirs is between
 * setcred (files written) and open_session must leave that login's files. */
static void test_close_between_setcred_and_open_session(void **state)
{
    (void)state;
    struct login a, b;
    uid_t uid = uid_of("vera");
    char dir[256], creds[300];
    run_dir("vera", dir, sizeof(dir));
    snprintf(creds, sizeof(creds), "%s/credentials", dir);
    login_full(&a, "awssts", "vera", code_at(0));
    login_start(&b, "awssts", "vera", code_at(30));
    assert_int_equal(pam_authenticate(b.ph, 0), PAM_SUCCESS);
    assert_int_equal(pam_setcred(b.ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
    login_close(&a);
    assert_user_file(creds, uid, "aws_access_key_id = ASIA");
    assert_int_equal(pam_open_session(b.ph, 0), PAM_SUCCESS);
    assert_user_file(creds, uid, "aws_access_key_id = ASIA");
    login_close(&b);
    assert_false(exists(creds));
    assert_false(exists(dir));
}

/* With pam_systemd's /run/user/UID present, the files go below it, made as the user. */
static void test_runtime_dir_under_run_user(void **state)
{
    (void)state;
    uid_t uid = uid_of("tina");
    char base[64], dir[128], creds[160];
    snprintf(base, sizeof(base), "/run/user/%u", (unsigned)uid);
    assert_int_equal(system("mkdir -p /run/user"), 0);
    assert_int_equal(mkdir(base, 0700), 0);
    assert_int_equal(chown(base, uid, uid), 0);
    struct login l;
    login_full(&l, "awssts", "tina", code_at(0));
    snprintf(dir, sizeof(dir), "%s/aws-sts", base);
    snprintf(creds, sizeof(creds), "%s/credentials", dir);
    assert_user_file(creds, uid, "aws_access_key_id = ASIA");
    struct stat st;
    assert_int_equal(lstat(dir, &st), 0);
    assert_int_equal(st.st_uid, uid);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_string_equal(pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE"), creds);
    login_close(&l);
    assert_false(exists(creds));
    assert_true(exists(base)); /* logind's directory is left to logind */
}

/* Two logins of one user at the same moment: both succeed, the file is whole,
 * both sessions are counted, and the last one out removes the files. */
static void test_concurrent_logins(void **state)
{
    (void)state;
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    char codes[2][7];
    totp_at(peer_env("TOTP_SECRET"), time(NULL), codes[0]);
    totp_at(peer_env("TOTP_SECRET"), time(NULL) + 30, codes[1]);
    /* Handles are started here: pam_wrapper's fork handler forgets its set-up,
     * and a pam_start in the child would build (and race for) a new /tmp/pam.X. */
    struct login logins[2];
    for (int i = 0; i < 2; i++)
        login_start(&logins[i], "awssts", "uma", codes[i]);
    pid_t kids[2];
    for (int i = 0; i < 2; i++) {
        kids[i] = fork();
        assert_true(kids[i] >= 0);
        if (kids[i] == 0) {
            pam_handle_t *ph = logins[i].ph;
            int ok = pam_authenticate(ph, 0) == PAM_SUCCESS &&
                     pam_setcred(ph, PAM_ESTABLISH_CRED) == PAM_SUCCESS &&
                     pam_open_session(ph, 0) == PAM_SUCCESS;
            char c = ok ? 'y' : 'n';
            if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
                _exit(2);
            ok = ok && pam_close_session(ph, 0) == PAM_SUCCESS;
            pam_end(ph, PAM_SUCCESS);
            _exit(ok ? 0 : 1);
        }
    }
    close(ready[1]);
    close(go[0]);
    /* Never wait forever: a child that dies cannot leave us blocked. */
    char answers[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        struct pollfd pfd = {.fd = ready[0], .events = POLLIN};
        if (poll(&pfd, 1, 60000) != 1 || read(ready[0], &answers[i], 1) != 1) {
            kill(kids[0], SIGKILL);
            kill(kids[1], SIGKILL);
            fail_msg("a concurrent login did not report within 60 s");
        }
    }
    assert_int_equal(answers[0], 'y');
    assert_int_equal(answers[1], 'y');

    char dir[256], creds[300], registry[128];
    run_dir("uma", dir, sizeof(dir));
    snprintf(creds, sizeof(creds), "%s/credentials", dir);
    registry_path("uma", registry, sizeof(registry));
    FILE *f = fopen(creds, "r");
    assert_non_null(f);
    char line[4096];
    int headers = 0, ids = 0;
    while (fgets(line, sizeof(line), f)) {
        headers += strcmp(line, "[default]\n") == 0;
        ids += strncmp(line, "aws_access_key_id = ASIA", 24) == 0;
    }
    fclose(f);
    assert_int_equal(headers, 1);
    assert_int_equal(ids, 1);
    assert_int_equal(registry_entries("uma"), 2);

    assert_int_equal(write(go[1], "gg", 2), 2);
    for (int i = 0; i < 2; i++) {
        int status;
        assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    close(ready[0]);
    close(go[1]);
    for (int i = 0; i < 2; i++)
        login_finish(&logins[i]); /* the parent's copies never ran a module */
    assert_false(exists(creds));
    assert_false(exists(registry));
}

/* OpenSSH: auth in a forked child that hands back only the PAM environment;
 * setcred and open_session in the parent; setcred again in the session child. */
static void test_openssh_split(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts", "jack", code_at(0));
    bool saw_handoff = false;
    assert_true(login_auth_in_child(&l, &saw_handoff));
    assert_true(saw_handoff);

    assert_int_equal(pam_setcred(l.ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
    assert_int_equal(pam_open_session(l.ph, 0), PAM_SUCCESS);
    assert_null(pam_getenv(l.ph, "PAM_AWS_STS_HANDOFF"));
    char creds[300];
    run_dir("jack", creds, sizeof(creds));
    strcat(creds, "/credentials");
    assert_user_file(creds, uid_of("jack"), "aws_session_token = ");

    /* setcred again in the session child re-exports the environment. */
    int status;
    pid_t pid = fork();
    if (pid == 0)
        _exit(pam_setcred(l.ph, PAM_REINITIALIZE_CRED) == PAM_SUCCESS &&
                      pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE") != NULL
                  ? 0
                  : 1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    login_close(&l);
    assert_false(exists(creds));
    assert_no_staging_left();
}

/* A forged hand-off variable names nothing and is dropped. */
static void test_forged_handoff_variable(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts", "alice", NULL);
    assert_int_equal(pam_putenv(l.ph, "PAM_AWS_STS_HANDOFF=../../etc/shadow"), PAM_SUCCESS);
    assert_int_equal(pam_setcred(l.ph, PAM_ESTABLISH_CRED), PAM_CRED_ERR);
    assert_null(pam_getenv(l.ph, "PAM_AWS_STS_HANDOFF"));
    /* Well formed, but no such hand-off: an error, not a silent skip. */
    assert_int_equal(pam_putenv(l.ph, "PAM_AWS_STS_HANDOFF=0123456789abcdef0123456789abcdef"),
                     PAM_SUCCESS);
    assert_int_equal(pam_open_session(l.ph, 0), PAM_SESSION_ERR);
    assert_null(pam_getenv(l.ph, "PAM_AWS_STS_HANDOFF"));
    login_finish(&l);
}

/* Refused before the prompt and STS: no code is spent on a login whose
 * files could not be written. */
static void expect_runtime_refused(const char *service, const char *user, const char *why)
{
    struct login l;
    int before = fault_log_count("\"scenario\"", NULL);
    login_start(&l, service, user, code_at(0));
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_AUTHINFO_UNAVAIL);
    assert_int_equal(l.script.next, 0);
    assert_int_equal(pam_setcred(l.ph, PAM_ESTABLISH_CRED), MODULE_IGNORED);
    login_finish(&l);
    assert_int_equal(fault_log_count("\"scenario\"", NULL), before);
    char line[64];
    snprintf(line, sizeof(line), "user=%s outcome=local_error", user);
    assert_int_equal(pam_log_count(line, why), 1);
    assert_no_staging_left();
}

static void test_runtime_dir_refusals(void **state)
{
    (void)state;
    char path[300], buf[400];

    /* A symlink where the directory should be. */
    assert_int_equal(mkdir("/run/evil", 0755), 0);
    snprintf(path, sizeof(path), "/run/evil/%u", (unsigned)uid_of("olga"));
    assert_int_equal(symlink("/etc", path), 0);
    expect_runtime_refused("awssts_symlink", "olga", "is a symbolic link");
    assert_false(exists("/etc/credentials"));

    /* A directory that belongs to someone else. */
    assert_int_equal(mkdir("/run/foreign", 0755), 0);
    snprintf(path, sizeof(path), "/run/foreign/%u", (unsigned)uid_of("quinn"));
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(chown(path, uid_of("alice"), uid_of("alice")), 0);
    expect_runtime_refused("awssts_foreign", "quinn", "owned by uid 5001, not by uid");
    snprintf(buf, sizeof(buf), "%s/credentials", path);
    assert_false(exists(buf));

    /* A directory on a disk-backed filesystem. */
    expect_runtime_refused("awssts_disk", "rosa", "not on tmpfs");
    snprintf(path, sizeof(path), "disk/%u", (unsigned)uid_of("rosa"));
    assert_false(exists(tdir(path, buf, sizeof(buf))));

    /* A symlink planted between auth and the session: still refused, on
     * the open directory, and nothing is written through it. */
    snprintf(path, sizeof(path), "/run/evil/%u", (unsigned)uid_of("olga"));
    assert_int_equal(unlink(path), 0);
    struct login l;
    login_start(&l, "awssts_symlink", "olga", code_at(30));
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_SUCCESS);
    assert_int_equal(symlink("/etc", path), 0);
    assert_int_equal(pam_setcred(l.ph, PAM_ESTABLISH_CRED), PAM_CRED_ERR);
    assert_int_equal(pam_open_session(l.ph, 0), MODULE_IGNORED); /* the login is used up */
    login_finish(&l);
    assert_false(exists("/etc/credentials"));
    assert_false(exists("/etc/state"));
    assert_no_staging_left();
    assert_int_equal(unlink(path), 0);
}

/* awssts finds a session the module wrote at a configured runtime_dir, with
 * and without the variable the login exports, and accepts it by the same
 * rules (the user's, 0700, tmpfs). */
static void test_helper_finds_configured_runtime_dir(void **state)
{
    (void)state;
    assert_int_equal(mkdir("/run/rdir", 0755), 0);
    struct login l;
    login_full(&l, "awssts_rdir", "rita", code_at(0));
    char want[64], cmd[1024], out[4096] = "";
    snprintf(want, sizeof(want), "/run/rdir/%u/credentials", (unsigned)uid_of("rita"));
    assert_string_equal(pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE"), want);
    for (int with_var = 0; with_var < 2; with_var++) {
        char var[128] = "";
        if (with_var)
            snprintf(var, sizeof(var), "AWS_SHARED_CREDENTIALS_FILE=%s", want);
        snprintf(cmd, sizeof(cmd),
                 "setpriv --reuid=%u --regid=%u --clear-groups env -i PATH=/usr/bin:/bin "
                 "AWSSTS_CONFIG=%s/rdir.conf %s %s status 2>&1",
                 (unsigned)uid_of("rita"), (unsigned)uid_of("rita"), peer_env("PAS_TEST_DIR"), var,
                 peer_env("AWSSTS_BIN"));
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        size_t n = fread(out, 1, sizeof(out) - 1, p);
        out[n] = '\0';
        int st = pclose(p);
        if (st != 0 || strstr(out, "directory:    /run/rdir/") == NULL)
            fail_msg("awssts status (%s): exit %d:\n%s", with_var ? "with the variable" : "without",
                     st, out);
    }
    login_close(&l);
}

static void test_moto_happy_paths(void **state)
{
    (void)state;
    struct login l;
    login_full(&l, "awssts", "mona", code_at(0));
    char path[300];
    run_dir("mona", path, sizeof(path));
    strcat(path, "/credentials");
    assert_user_file(path, uid_of("mona"), "aws_access_key_id = ");
    assert_user_file(path, uid_of("mona"), "assumed_role = False");
    login_close(&l);

    login_full(&l, "awssts", "nick", code_at(0));
    run_dir("nick", path, sizeof(path));
    strcat(path, "/credentials");
    assert_user_file(path, uid_of("nick"), "assumed_role_arn = ");
    assert_user_file(path, uid_of("nick"), "aws_access_key_id = ");
    login_close(&l);
}

/* Nothing secret ever reaches the log: keys, tokens, codes. */
static void test_no_secret_in_log(void **state)
{
    (void)state;
    const char *secrets[] = {
        "faultSTSsecretKEY", peer_env("MOTO_SECRET"), "IQoJb3JpZ2luX2Vj", "aws_secret_access_key",
        "aws_session_token", "<SecretAccessKey>",     "<SessionToken>",
    };
    for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
        if (pam_log_count(secrets[i], NULL) != 0)
            fail_msg("the log holds '%s'", secrets[i]);
}

/* What the user is told (one short message, nothing an attacker could use),
 * and one log line for every attempt, whatever its outcome. */
static void expect_told(const char *user, const char *code, int want, const char *message,
                        const char *outcome)
{
    char line[128];
    snprintf(line, sizeof(line), "user=%s outcome=%s ", strchr(user, ' ') ? "(invalid)" : user,
             outcome);
    int lines = pam_log_count("outcome=", NULL), mine = pam_log_count(line, NULL);
    struct login l;
    login_start(&l, "awssts", user, code);
    assert_int_equal(pam_authenticate(l.ph, 0), want);
    if (strcmp(l.script.messages, message) != 0)
        fail_msg("%s was told '%s', want '%s'", user, l.script.messages, message);
    login_finish(&l);
    assert_int_equal(pam_log_count("outcome=", NULL), lines + 1);
    if (pam_log_count(line, NULL) != mine + 1)
        fail_msg("no line '%s'", line);
}

static void test_what_the_user_is_told(void **state)
{
    (void)state;
    char wrong[7];
    totp_wrong(wrong);
    const char *rejected =
        "The AWS MFA code was not accepted: wait for the next code and try again.\n";
    const char *unavailable = "AWS credentials are unavailable: contact your administrator.\n";
    const char *without = "Logging in without AWS credentials.\n";
    expect_told("kate", wrong, PAM_AUTH_ERR, rejected, "mfa_code_rejected");
    expect_told("kate", "12x456", PAM_AUTH_ERR,
                "The AWS MFA code is six digits: wait for the next code and try again.\n",
                "bad_code_format");
    expect_told("frank", code_at(0), PAM_AUTHINFO_UNAVAIL, unavailable, "sts_error");
    expect_told("gina", code_at(0), MODULE_IGNORED, without, "sts_error_allowed");
    expect_told("erin", "123456", MODULE_IGNORED, without, "no_keys");
    /* No keys where they are required, and no such user: the same words. */
    expect_told("pete", "123456", PAM_AUTH_ERR, unavailable, "no_keys_required");
    expect_told("nosuchuser", "123456", PAM_USER_UNKNOWN, unavailable, "unknown_user");
    expect_told("a b", "123456", PAM_USER_UNKNOWN, unavailable, "unknown_user");
    assert_int_equal(pam_log_count("user=a b", NULL), 0);
    assert_true(pam_log_count("SYSLOG(6): user=erin outcome=no_keys ", "no [erin] section") >= 1);
}

/* The log names the call that failed; AssumeRole refusing the MFA session
 * STS had just issued is not sent to the long-term keys. */
static void test_the_failed_call_is_named(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts", "roy", code_at(0));
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_AUTHINFO_UNAVAIL);
    login_finish(&l);
    assert_int_equal(pam_log_count("user=roy outcome=sts_error", "call=AssumeRole "), 1);
    assert_int_equal(
        pam_log_count("user=roy outcome=sts_error", "refused the MFA session it had just issued"),
        1);
    assert_int_equal(pam_log_count("user=roy outcome=sts_error", "check the key id and secret"), 0);
    assert_true(pam_log_count("user=frank outcome=sts_error", "call=GetSessionToken ") >= 1);
}

static void test_invalid_user_names(void **state)
{
    (void)state;
    const char *bad[] = {"../etc", "Root", "a b", "nosuchuser"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct login l;
        login_start(&l, "awssts", bad[i], "123456");
        assert_int_equal(pam_authenticate(l.ph, 0), PAM_USER_UNKNOWN);
        login_finish(&l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_token_flow),
        cmocka_unit_test(test_group_role_session_flow),
        cmocka_unit_test(test_user_section_overrides_group),
        cmocka_unit_test(test_endpoint_exported_and_used),
        cmocka_unit_test(test_direct_flow),
        cmocka_unit_test(test_keys_from_home),
        cmocka_unit_test(test_user_without_configuration),
        cmocka_unit_test(test_wrong_and_malformed_codes),
        cmocka_unit_test(test_on_error_both_ways),
        cmocka_unit_test(test_bad_configuration_files),
        cmocka_unit_test(test_missing_keys_file_is_a_config_error),
        cmocka_unit_test(test_keys_file_read_like_config),
        cmocka_unit_test(test_configuration_typos),
        cmocka_unit_test(test_use_first_pass),
        cmocka_unit_test(test_parallel_sessions_refcount),
        cmocka_unit_test(test_runtime_dir_under_run_user),
        cmocka_unit_test(test_close_between_setcred_and_open_session),
        cmocka_unit_test(test_concurrent_logins),
        cmocka_unit_test(test_openssh_split),
        cmocka_unit_test(test_forged_handoff_variable),
        cmocka_unit_test(test_runtime_dir_refusals),
        cmocka_unit_test(test_helper_finds_configured_runtime_dir),
        cmocka_unit_test(test_moto_happy_paths),
        cmocka_unit_test(test_invalid_user_names),
        cmocka_unit_test(test_what_the_user_is_told),
        cmocka_unit_test(test_the_failed_call_is_named),
        cmocka_unit_test(test_no_secret_in_log),
    };
    return PAM_LOG_RUN("pam_module", tests, "pam.log");
}
