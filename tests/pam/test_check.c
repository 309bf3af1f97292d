/*
 * awssts check against the module: for each user and configuration, what
 * the check predicts (the outcome label of its first problem, or success,
 * or no_keys) is what the module then logs for a real login through
 * libpam. Also: what it prints (file and line, the keys' source, the
 * probe), its exit codes, that it refuses to run unprivileged, and that it
 * makes nothing under /run. Run by tests/pam/run-pam-tests.
 */
#include "check_run.h"
#include "pam_login.h"

#include <fcntl.h>
#include <security/pam_appl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static bool has(const struct checked *c, const char *text)
{
    return strstr(c->out, text) != NULL;
}

static void assert_has(const struct checked *c, const char *text)
{
    if (!has(c, text))
        fail_msg("awssts check printed no '%s':\n%s", text, c->out);
}

/* The outcome the check predicts: its first problem's, else success or no_keys. */
static void predicted(const struct checked *c, char *out, size_t len)
{
    const char *p = strstr(c->out, "PROBLEM (outcome=");
    if (p != NULL) {
        p += strlen("PROBLEM (outcome=");
        size_t n = strcspn(p, ")");
        snprintf(out, len, "%.*s", (int)n, p);
    } else if (strstr(c->out, "(outcome=no_keys)") != NULL) {
        snprintf(out, len, "no_keys");
    } else {
        snprintf(out, len, "success");
    }
}

/*
 * The check for user with config (and --probe), then a login of user
 * through service: the module must log the outcome the check predicted.
 */
static void check_agrees(const char *user, const char *config, const char *service, bool probe,
                         int want_status, const char *want_outcome, struct checked *c)
{
    char path[400];
    const char *args[] = {
        "--user", user, "--config", conf(config, path, sizeof(path)), probe ? "--probe" : NULL,
        NULL};
    run_check(c, args);
    char outcome[64];
    predicted(c, outcome, sizeof(outcome));
    if (c->status != want_status || strcmp(outcome, want_outcome) != 0)
        fail_msg("check %s %s: exit %d, predicts %s; want exit %d and %s:\n%s", user, config,
                 c->status, outcome, want_status, want_outcome, c->out);

    char line[160];
    snprintf(line, sizeof(line), "user=%s outcome=%s ", user, outcome);
    int before = pam_log_count(line, NULL);
    struct login l;
    login_start(&l, service, user, code_at(0));
    (void)pam_authenticate(l.ph, 0);
    login_finish(&l);
    if (pam_log_count(line, NULL) != before + 1)
        fail_msg("check predicted outcome=%s for %s (%s), but the module logged otherwise", outcome,
                 user, config);
}

static void test_agrees_with_the_module(void **state)
{
    (void)state;
    struct checked c;
    /* Root's keys file, the session token flow. */
    check_agrees("cleo", "main.conf", "awssts", true, 0, "success", &c);
    assert_has(&c, "/keys [cleo]: access key AKIA...0000");
    assert_has(&c, "region = us-east-1");
    assert_has(&c, "flow       session-token:");
    assert_has(&c, "probe      GetCallerIdentity at localhost:");
    assert_has(&c, "arn:aws:iam::123456789012:user/okcleo00");
    assert_has(&c, "result     ok:");
    /* keys = home, read with the user's rights; the group's role. */
    check_agrees("cody", "main.conf", "awssts", false, 0, "success", &c);
    assert_has(&c, "/home/cody/.aws/credentials [default-long-term]");
    assert_has(&c, "flow       session+role:");
    /* No keys: ignored, or refused with require = yes. */
    check_agrees("erin", "main.conf", "awssts", false, 3, "no_keys", &c);
    check_agrees("pete", "main.conf", "awssts", false, 1, "no_keys_required", &c);
    /* The user's credentials file readable by others. */
    check_agrees("dan", "main.conf", "awssts", false, 1, "keys_error", &c);
    /* Root's keys file readable by others; a keys file that is not there. */
    check_agrees("alice", "openkeys.conf", "awssts_openkeys", false, 1, "keys_error", &c);
    check_agrees("alice", "keyz.conf", "awssts_keyz", false, 1, "config_error", &c);
    /* The configuration: a typo, a file others may write. */
    check_agrees("alice", "typo.conf", "awssts_typo", false, 1, "config_error", &c);
    assert_has(&c, "typo.conf: line ");
    assert_has(&c, "unknown key 'role_arm'");
    check_agrees("alice", "ww.conf", "awssts_ww", false, 1, "config_error", &c);
    /* A runtime_dir on disk: refused before STS. */
    check_agrees("rosa", "disk.conf", "awssts_disk", false, 1, "local_error", &c);
    assert_has(&c, "not on tmpfs or ramfs");
    /* The probe finds what only a login would: a host that does not resolve,
     * a certificate from another CA. */
    /* nss_wrapper reads NSS_WRAPPER_DISABLE_DEEPBIND only when it first
     * falls back to libc's resolver, which in awssts check happens inside
     * the probe's hidden environment: it then dlopens libc with
     * RTLD_DEEPBIND, which ASan aborts on. So under SANITIZE=1 this one row
     * is the plain run's (make check runs it). */
    if (getenv("PAS_SANITIZED") == NULL)
        check_agrees("mxdns", "main.conf", "awssts", true, 1, "sts_error", &c);
    else
        print_message("mxdns: the DNS row of awssts check runs in the plain build only "
                      "(nss_wrapper and ASan)\n");
    check_agrees("mxotherca", "main.conf", "awssts", true, 1, "sts_error", &c);
    /* keys = ssm: the probe reads the parameter with the instance role
     * (moto, the IMDSv2 stand-in), takes the instance's region and calls
     * GetCallerIdentity; a refusal and a missing parameter agree too. */
    check_agrees("alice", "ssm.conf", "awssts_ssm", true, 0, "success", &c);
    assert_has(&c, "ssm:/bastion/keys/alice: access key");
    assert_has(&c, "the instance's, from IMDS (no region configured)");
    assert_has(&c, "user/ssm-alice");
    check_agrees("ssmnone", "ssm.conf", "awssts_ssm", true, 3, "no_keys", &c);
    check_agrees("denied", "ssmfault.conf", "awssts_ssmfault", true, 1, "keys_error", &c);
    /* Without --probe, SSM is not read: a network call, as the probe's. */
    char path[400];
    const char *args[] = {"--user", "alice", "--config", conf("ssm.conf", path, sizeof(path)),
                          NULL};
    int reads = file_count_lines(peer_env("IMDS_LOG"), "/latest/api/token", NULL);
    run_check(&c, args);
    assert_int_equal(c.status, 0);
    assert_has(&c, "read at each login from SSM Parameter Store");
    /* The stand-in answers anyone: the check says what that means. */
    assert_has(&c, "WARNING: an unprivileged process (uid 65534) can connect to http://127.0.0.1:");
    assert_has(&c, "STS in the instance's region");
    assert_int_equal(file_count_lines(peer_env("IMDS_LOG"), "/latest/api/token", NULL), reads);
}

/* on_error = allow: the problem lets the login go on without credentials. */
static void test_on_error_allow(void **state)
{
    (void)state;
    char path[400];
    struct checked c;
    /* gina has on_error = allow; give her a keys file that is not there. */
    FILE *f = fopen(conf("allow.conf", path, sizeof(path)), "w");
    assert_non_null(f);
    fprintf(f, "[global]\nregion = us-east-1\nkeys = %s/nokeys\non_error = allow\n",
            peer_env("PAS_TEST_DIR"));
    fclose(f);
    const char *args[] = {"--user", "gina", "--config", path, NULL};
    run_check(&c, args);
    assert_int_equal(c.status, 3);
    assert_has(&c, "PROBLEM (outcome=config_error)");
    assert_has(&c, "goes on WITHOUT AWS credentials (on_error = allow)");
    unlink(path);
}

static void test_every_value_names_its_line(void **state)
{
    (void)state;
    char path[400];
    struct checked c;
    const char *args[] = {"--user", "liam", "--config", conf("main.conf", path, sizeof(path)),
                          NULL};
    run_check(&c, args);
    assert_int_equal(c.status, 0);
    /* liam is in [group:awsadmins] (region eu-west-1), and his own section
     * says ap-east-1: the later one wins, named by its line. */
    assert_has(&c, "region = ap-east-1");
    assert_has(&c, "[user:liam]");
    assert_has(&c, "role_arn = arn:aws:iam::123456789012:role/mfa-admin");
    assert_has(&c, "[group:awsadmins]");
    assert_has(&c, "export_endpoint = no");
    assert_has(&c, "does not get AWS_ENDPOINT_URL_STS");
    assert_has(&c, "duration = 43200");
    assert_has(&c, "default");
    /* A proxy's password is never printed. */
    run_check(&c, (const char *[]){"--user", "pat", "--config",
                                   conf("proxy.conf", path, sizeof(path)), NULL});
    assert_has(&c, "proxy      http://127.0.0.1:");
    if (has(&c, peer_env("PROXY_PASSWORD")))
        fail_msg("the proxy password was printed:\n%s", c.out);
}

static void test_usage_and_refusals(void **state)
{
    (void)state;
    struct checked c;
    run_check(&c, (const char *[]){"--user", "nosuchuser", NULL});
    assert_int_equal(c.status, 2);
    assert_has(&c, "no such user: nosuchuser");
    run_check(&c, (const char *[]){"--user", "Bad;Name", NULL});
    assert_int_equal(c.status, 2);
    assert_has(&c, "not a valid user name");
    run_check(&c, (const char *[]){"--user", "alice", "--config", "relative.conf", NULL});
    assert_int_equal(c.status, 2);
    run_check(&c, (const char *[]){NULL});
    assert_int_equal(c.status, 2);
    assert_has(&c, "usage: awssts check --user NAME");

    /* Not as root: refused before reading anything. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        if (setgid(5001) != 0 || setuid(5001) != 0)
            _exit(99);
        execl(peer_env("AWSSTS_BIN"), "awssts", "check", "--user", "alice", (char *)NULL);
        _exit(127);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 2);
}

/* Everything under /run, as one text, to compare. */
static void run_tree(char *out, size_t len)
{
    FILE *p = popen("find /run -xdev 2>/dev/null | sort", "r");
    assert_non_null(p);
    size_t n = fread(out, 1, len - 1, p);
    out[n] = '\0';
    pclose(p);
}

/* A check makes nothing: not the staging directory, not /run/aws-sts, not
 * a registry; it only says where they would be made and whether they could be. */
static void test_makes_nothing(void **state)
{
    (void)state;
    static char before[65536], after[65536];
    char path[400];
    struct checked c;
    run_tree(before, sizeof(before));
    run_check(&c, (const char *[]){"--user", "tina", "--config",
                                   conf("main.conf", path, sizeof(path)), NULL});
    run_tree(after, sizeof(after));
    assert_int_equal(c.status, 0);
    if (strcmp(before, after) != 0)
        fail_msg("awssts check changed /run:\nbefore:\n%s\nafter:\n%s", before, after);
}

/* A configuration of this test's own: $PAS_TEST_DIR/name, root's, 0644. */
static const char *write_conf(const char *name, const char *sections, char *path, size_t len)
{
    conf(name, path, len);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "[global]\nregion = us-east-1\nendpoint = %s\nca_file = %s\nkeys = %s/keys\n%s",
            peer_env("FAULT_URL"), peer_env("TEST_CA"), peer_env("PAS_TEST_DIR"), sections);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, 0644), 0);
    return path;
}

/* The --all line of account name (the name, then spaces), or "". */
static const char *account_line(const struct checked *c, const char *name, char *line, size_t len)
{
    size_t n = strlen(name);
    line[0] = '\0';
    for (const char *p = c->out; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, name, n) == 0 && p[n] == ' ') {
            snprintf(line, len, "%.*s", (int)strcspn(p, "\n"), p);
            break;
        }
    return line;
}

/*
 * check --all: every account that can log in, one line each. require = yes
 * in [global] refuses root, who has no AWS keys and logs in with an SSH key
 * alone: a warning names it and the exit is non-zero, so the guide's step
 * before reloading sshd stops there. The safe pattern (require = yes for the
 * group that must pass, require = no for root) passes; a user with keys left
 * out of the group that gives a role is warned of.
 */
static void test_all_accounts(void **state)
{
    (void)state;
    char path[400], line[1024];
    struct checked c;
    write_conf("lockout.conf", "require = yes\n", path, sizeof(path));
    run_check(&c, (const char *[]){"--all", "--config", path, NULL});
    if (c.status != 1 || strstr(account_line(&c, "root", line, sizeof(line)), "REFUSED") == NULL ||
        !has(&c, "WARNING: require = yes refuses root") ||
        strstr(account_line(&c, "cleo", line, sizeof(line)), "ok:") == NULL ||
        account_line(&c, "svcnologin", line, sizeof(line))[0] != '\0' ||
        account_line(&c, "svcfalse", line, sizeof(line))[0] != '\0')
        fail_msg("check --all with require = yes in [global]: exit %d:\n%s", c.status, c.out);

    write_conf("safe.conf",
               "\n[group:awsadmins]\nrequire = yes\n"
               "role_arn = arn:aws:iam::123456789012:role/mfa-admin\n"
               "\n[user:root]\nrequire = no\n",
               path, sizeof(path));
    run_check(&c, (const char *[]){"--all", "--config", path, NULL});
    if (c.status != 0 || has(&c, "REFUSED") ||
        strstr(account_line(&c, "root", line, sizeof(line)), "no keys") == NULL ||
        strstr(account_line(&c, "bob", line, sizeof(line)), "role/mfa-admin") == NULL ||
        !has(&c, "WARNING: cleo gets no role") || has(&c, "WARNING: bob"))
        fail_msg("check --all with the safe pattern: exit %d:\n%s", c.status, c.out);

    run_check(&c, (const char *[]){"--all", "--user", "cleo", NULL});
    assert_int_equal(c.status, 2);
}

/*
 * check --probe proves the MFA device too: IAM ListMFADevices with the
 * user's long-term keys (moto's alice, whose device is enabled) must list
 * the configured one. A wrong aws_mfa_device was reported ok, and the
 * login then looked like a wrong code.
 */
static void test_probe_checks_the_mfa_device(void **state)
{
    (void)state;
    char path[400], sections[600];
    struct checked c;
    snprintf(sections, sizeof(sections),
             "\n[user:mona]\nendpoint = %s\nmfa_serial = arn:aws:iam::%s:mfa/not-hers\n",
             peer_env("MOTO_URL"), peer_env("MOTO_ACCOUNT"));
    write_conf("iam-wrong.conf", sections, path, sizeof(path));
    run_check(&c, (const char *[]){"--user", "mona", "--config", path, "--probe", NULL});
    if (c.status != 1 || !has(&c, "PROBLEM (outcome=config_error)") ||
        !has(&c, "mfa/not-hers is not one of alice's MFA devices"))
        fail_msg("check --probe with a wrong device: exit %d:\n%s", c.status, c.out);

    snprintf(sections, sizeof(sections), "\n[user:mona]\nendpoint = %s\n", peer_env("MOTO_URL"));
    write_conf("iam-right.conf", sections, path, sizeof(path));
    run_check(&c, (const char *[]){"--user", "mona", "--config", path, "--probe", NULL});
    if (c.status != 0 || !has(&c, "is one of alice's MFA devices"))
        fail_msg("check --probe with mona's own device: exit %d:\n%s", c.status, c.out);
}

int main(void)
{
    check_run_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_makes_nothing),
        cmocka_unit_test(test_agrees_with_the_module),
        cmocka_unit_test(test_on_error_allow),
        cmocka_unit_test(test_every_value_names_its_line),
        cmocka_unit_test(test_usage_and_refusals),
        cmocka_unit_test(test_all_accounts),
        cmocka_unit_test(test_probe_checks_the_mfa_device),
    };
    return PAM_LOG_RUN("pam_check", tests, "check.log");
}
