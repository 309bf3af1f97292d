/*
 * awssts check's prediction against the login itself: for every user and
 * configuration of test_check.c, and for the ways a role is chosen
 * (role_arn, roles = in a [user:] or [group:] section, the keys' own
 * assume_role, keys = ssm: with the instance's region), the MFA device,
 * role, flow and region that check prints are the ones the module's log
 * line names and the fault STS was called with. Run by
 * tests/pam/run-pam-tests (checkplan).
 */
#include "check_run.h"
#include "pam_login.h"

#include <security/pam_appl.h>
#include <sys/stat.h>

#define ROLE "arn:aws:iam::123456789012:role/"

/* What one side says of a login; "-": nothing. */
struct view {
    char flow[32];
    char role[300];
    char serial[300];
    char region[64];
};

static void view_init(struct view *v)
{
    snprintf(v->flow, sizeof(v->flow), "-");
    snprintf(v->role, sizeof(v->role), "-");
    snprintf(v->serial, sizeof(v->serial), "-");
    snprintf(v->region, sizeof(v->region), "-");
}

/* The text after the first occurrence of key in text, up to one of stop. */
static void word_after(const char *text, const char *key, const char *stop, char *out, size_t len)
{
    const char *p = text != NULL ? strstr(text, key) : NULL;
    if (p == NULL)
        return;
    p += strlen(key);
    snprintf(out, len, "%.*s", (int)strcspn(p, stop), p);
}

/* The line of check's output that starts with prefix, or NULL. */
static const char *check_line(const char *out, const char *prefix, char *line, size_t len)
{
    for (const char *p = out; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            snprintf(line, len, "%.*s", (int)strcspn(p, "\n"), p);
            return line;
        }
    }
    return NULL;
}

/* Check's prediction: the mfa and flow lines, and the region the endpoint
 * is signed for. */
static void predicted(const struct checked *c, struct view *v)
{
    char line[1024];
    view_init(v);
    if (check_line(c->out, "mfa        ", line, sizeof(line)) != NULL)
        word_after(line, "mfa        ", " ", v->serial, sizeof(v->serial));
    if (check_line(c->out, "flow       ", line, sizeof(line)) != NULL) {
        word_after(line, "flow       ", ":", v->flow, sizeof(v->flow));
        word_after(line, "AssumeRole ", " ", v->role, sizeof(v->role));
    }
    word_after(c->out, "(signed for ", ")", v->region, sizeof(v->region));
}

/* The module's one line for user's last login, from the PAM log. */
static void logged(const char *user, struct view *v, char *last, size_t len)
{
    char key[80], line[4096];
    snprintf(key, sizeof(key), "user=%s outcome=", user);
    last[0] = '\0';
    FILE *f = fopen(pam_log_path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL)
        if (strstr(line, "SYSLOG(") != NULL && strstr(line, key) != NULL)
            snprintf(last, len, "%.*s", (int)strcspn(line, "\n"), line);
    fclose(f);
    view_init(v);
    word_after(last, " flow=", " ", v->flow, sizeof(v->flow));
    word_after(last, " role_arn=", " ", v->role, sizeof(v->role));
    word_after(last, " region=", " ", v->region, sizeof(v->region));
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* The fault STS's calls since offset: the device and region of the call
 * with the code, the role of any AssumeRole. */
static void sts_calls(long offset, struct view *v, bool *called)
{
    view_init(v);
    *called = false;
    FILE *f = fopen(peer_env("FAULT_LOG"), "r");
    if (f == NULL)
        return;
    fseek(f, offset, SEEK_SET);
    char line[16384];
    while (fgets(line, sizeof(line), f) != NULL) {
        bool get_token = strstr(line, "\"action\": \"GetSessionToken\"") != NULL;
        bool assume = strstr(line, "\"action\": \"AssumeRole\"") != NULL;
        if (!get_token && !assume)
            continue;
        if (!*called) {
            word_after(line, "\"region\": \"", "\"", v->region, sizeof(v->region));
            word_after(line, "\"serial\": \"", "\"", v->serial, sizeof(v->serial));
        }
        *called = true;
        if (assume)
            word_after(line, "\"role_arn\": \"", "\"", v->role, sizeof(v->role));
    }
    fclose(f);
}

static char mismatches[32768];
static int disagreeing; /* cases */

static void compare(const char *user, const char *config, const char *what, const char *check,
                    const char *login, const char *why)
{
    size_t n = strlen(mismatches);
    if (strcmp(check, login) != 0)
        snprintf(mismatches + n, sizeof(mismatches) - n,
                 "%s (%s): check predicts %s %s; the login %s%s\n", user, config, what, check, why,
                 login);
}

/* Check user with config, then one login through service; every
 * difference between the two is added to mismatches. */
static void check_then_login(const char *user, const char *config, const char *service, bool probe)
{
    char path[400];
    const char *args[] = {
        "--user", user, "--config", conf(config, path, sizeof(path)), probe ? "--probe" : NULL,
        NULL};
    static struct checked c;
    run_check(&c, args);
    struct view want, got, sts;
    predicted(&c, &want);

    long offset = file_size(peer_env("FAULT_LOG"));
    struct login l;
    /* Not code_at(0): test_check's logins of the same users spent those. */
    login_start(&l, service, user, code_at(30));
    (void)pam_authenticate(l.ph, 0);
    login_finish(&l);
    char line[4096];
    logged(user, &got, line, sizeof(line));
    if (line[0] == '\0')
        fail_msg("%s (%s): the module logged no outcome line", user, config);
    bool called = false;
    sts_calls(offset, &sts, &called);

    size_t before = strlen(mismatches);
    compare(user, config, "flow", want.flow, got.flow, "logged flow=");
    compare(user, config, "role", want.role, got.role, "logged role_arn=");
    if (strcmp(want.region, "-") != 0)
        compare(user, config, "region", want.region, got.region, "logged region=");
    if (called) {
        compare(user, config, "MFA device", want.serial, sts.serial, "sent STS SerialNumber=");
        compare(user, config, "region", want.region, sts.region, "signed STS's call for region=");
        if (strcmp(sts.role, "-") != 0)
            compare(user, config, "role", want.role, sts.role, "sent STS RoleArn=");
    }
    if (strlen(mismatches) != before) {
        char flow[1024] = "(no flow line)";
        check_line(c.out, "flow       ", flow, sizeof(flow));
        size_t n = strlen(mismatches);
        snprintf(mismatches + n, sizeof(mismatches) - n, "    module: %s\n    check:  %s\n",
                 strstr(line, "user=") ? strstr(line, "user=") : line, flow);
        disagreeing++;
        printf("awssts check's whole output for %s (%s):\n%s", user, config, c.out);
    }
    printf("%-10s %-15s check: %s %s %s %s | login: %s %s %s%s%s\n", user, config, want.flow,
           want.role, want.serial, want.region, got.flow, got.role, got.region,
           called ? " | STS: " : "", called ? sts.serial : "");
}

static void test_check_predicts_the_login(void **state)
{
    (void)state;
    /* test_check.c's users and configurations. */
    check_then_login("cleo", "main.conf", "awssts", true);
    check_then_login("cody", "main.conf", "awssts", false);
    check_then_login("erin", "main.conf", "awssts", false);
    check_then_login("pete", "main.conf", "awssts", false);
    check_then_login("dan", "main.conf", "awssts", false);
    check_then_login("alice", "openkeys.conf", "awssts_openkeys", false);
    check_then_login("alice", "keyz.conf", "awssts_keyz", false);
    check_then_login("alice", "typo.conf", "awssts_typo", false);
    check_then_login("alice", "ww.conf", "awssts_ww", false);
    check_then_login("rosa", "disk.conf", "awssts_disk", false);
    /* The DNS row under ASan: test_check.c says why it is left out. */
    if (getenv("PAS_SANITIZED") == NULL)
        check_then_login("mxdns", "main.conf", "awssts", true);
    check_then_login("mxotherca", "main.conf", "awssts", true);
    check_then_login("alice", "ssm.conf", "awssts_ssm", true);
    check_then_login("ssmnone", "ssm.conf", "awssts_ssm", true);
    check_then_login("denied", "ssmfault.conf", "awssts_ssmfault", true);
    check_then_login("liam", "main.conf", "awssts", false);
    check_then_login("pat", "proxy.conf", "awssts_proxy", false);
    check_then_login("tina", "main.conf", "awssts", false);
    check_then_login("dave", "main.conf", "awssts", false);
    /* on_error = allow with a keys file that is not there. */
    char path[400];
    FILE *f = fopen(conf("allow.conf", path, sizeof(path)), "w");
    assert_non_null(f);
    fprintf(f, "[global]\nregion = us-east-1\nkeys = %s/nokeys\non_error = allow\n",
            peer_env("PAS_TEST_DIR"));
    fclose(f);
    check_then_login("gina", "allow.conf", "awssts_allow", false);
    unlink(path);

    /* roles = (roles.conf): alone, beside role_arn, in a [group:] section
     * (with flow = direct too), beside the keys' assume_role; and keys =
     * ssm: with the keys' role, the instance's region and roles. */
    check_then_login("uma", "roles.conf", "awssts_roles", false);
    check_then_login("vera", "roles.conf", "awssts_roles", false);
    check_then_login("quinn", "roles.conf", "awssts_roles", false);
    check_then_login("kate", "roles.conf", "awssts_roles", false);
    check_then_login("kira", "roles.conf", "awssts_roles", false);
    /* Not alice: test_ssm.c logs her in with these keys' device too, and
     * the fault STS refuses a code twice for one device. */
    check_then_login("ssmplan", "ssmroles.conf", "awssts_ssmroles", true);
    if (disagreeing > 0) {
        /* cmocka cuts its messages short: the list goes to stdout itself. */
        printf("awssts check and the module disagree:\n%s", mismatches);
        fail_msg("awssts check and the module disagree for %d login(s), listed above", disagreeing);
    }
}

int main(void)
{
    check_run_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_predicts_the_login),
    };
    return PAM_LOG_RUN("pam_checkplan", tests, "checkplan.log");
}
