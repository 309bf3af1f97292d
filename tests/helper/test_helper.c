/*
 * awssts as a real process, run as an unprivileged user (setpriv), with the
 * AWS CLI, faketime and tmux. Sessions are set up through libawssts against
 * the fault STS whose clock follows the request (so faketime moves both
 * sides); STS calls are counted in its log. Run by tests/helper/run-helper-tests.
 */
#include "../integration/peer.h"

#include "awssts/credfile.h"
#include "awssts/secret.h"
#include "rules/session_tags.h"
#include "files/state.h"

#include <fcntl.h>
#include <stdarg.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define UID 7001
#define DIR "/run/aws-sts/7001"

static char tdir[256];
static int serial_n;

struct run {
    int rc;
    char out[32768];
    char err[8192];
};

static void slurp(const char *path, char *buf, size_t len)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Run a shell command line as the test user with a clean environment. */
static void run_as_user(struct run *r, const char *env, const char *fmt, ...)
{
    char cmd[4096], line[8192], out[300], err[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    snprintf(out, sizeof(out), "%s/run.out", tdir);
    snprintf(err, sizeof(err), "%s/run.err", tdir);
    /* Sanitizer settings survive the clean environment (faketime preloads). */
    char san[512] = "";
    if (getenv("ASAN_OPTIONS") != NULL)
        snprintf(san, sizeof(san), "ASAN_OPTIONS=%s UBSAN_OPTIONS=%s", getenv("ASAN_OPTIONS"),
                 getenv("UBSAN_OPTIONS") ? getenv("UBSAN_OPTIONS") : "");
    snprintf(line, sizeof(line),
             "setpriv --reuid=%d --regid=%d --clear-groups env -i PATH=/usr/bin:/bin HOME=%s/home "
             "AWS_CA_BUNDLE=%s %s %s sh -c '%s' >%s 2>%s",
             UID, UID, tdir, peer_env("TEST_CA"), san, env ? env : "", cmd, out, err);
    int st = system(line);
    r->rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    slurp(out, r->out, sizeof(r->out));
    slurp(err, r->err, sizeof(r->err));
}

static int clock_log_count(const char *a, const char *b)
{
    return file_count_lines(peer_env("FAULT_CLOCK_LOG"), a, b);
}

static void write_user_file(const char *path, const char *text, size_t len, mode_t mode)
{
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    assert_int_equal(fchown(fd, UID, UID), 0);
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

/* A pam_aws_sts-style session (MFA session + role) in DIR, its renewals
 * through proxy (no credentials in it) when not NULL; returns the MFA
 * session's key id. */
static bool session_exports_region = true;
/* flow = direct: the role assumed with the code, no MFA session. */
static bool session_direct = false;
/* roles = and source_identity of the login, NULL: none. */
static const char *session_roles = NULL;
static const char *session_source_identity = NULL;
static const char *session_tags = NULL, *session_transitive = NULL;
static const char *session_keys_source = NULL; /* keys = ssm: of the login */

static void make_session_via(char session_key[32], const char *proxy)
{
    struct awssts_client_options o = {.struct_size = sizeof(o),
                                      .region = "us-east-1",
                                      .endpoint = peer_env("FAULT_CLOCK_URL"),
                                      .ca_file = peer_env("TEST_CA")};
    struct awssts_client *c = NULL;
    assert_int_equal(awssts_client_new(&o, &c, NULL), AWSSTS_OK);
    char serial[80], code[7];
    snprintf(serial, sizeof(serial), "arn:aws:iam::123456789012:mfa/hana%d", ++serial_n);
    totp_now(code);
    struct awssts_keys lt = {"AKIAOKHANA0000000001", "faultSTSsecretKEY/0123456789abcdefghijkl",
                             NULL};
    struct awssts_session_token_request sreq = {.struct_size = sizeof(sreq),
                                                .duration_seconds = 43200,
                                                .serial_number = serial,
                                                .token_code = code};
    struct awssts_state st = {
        .user = (char[]){"hana"},
        .region = (char[]){"us-east-1"},
        .endpoint = (char *)(uintptr_t)peer_env("FAULT_CLOCK_URL"),
        .ca_file = (char *)(uintptr_t)peer_env("TEST_CA"),
        .connect_timeout = 3,
        .timeout = 10,
        .profile = (char[]){"default"},
        .duration = 43200,
        .role_arn = (char[]){"arn:aws:iam::123456789012:role/mfa-admin"},
        .role_session_name = (char[]){"hana"},
        .role_duration = 3600,
        .mfa_serial = serial,
        .proxy = (char *)(uintptr_t)proxy,
        .export_region = session_exports_region,
        .roles = (char *)(uintptr_t)session_roles,
        .source_identity = (char *)(uintptr_t)session_source_identity,
        .tags = (char *)(uintptr_t)session_tags,
        .transitive_tags = (char *)(uintptr_t)session_transitive,
        .keys_source = (char *)(uintptr_t)session_keys_source,
    };
    if (session_direct) {
        struct awssts_assume_role_request rreq = {.struct_size = sizeof(rreq),
                                                  .role_arn = st.role_arn,
                                                  .role_session_name = "hana",
                                                  .duration_seconds = 3600,
                                                  .serial_number = serial,
                                                  .token_code = code};
        assert_int_equal(awssts_assume_role(c, &lt, &rreq, &st.role, NULL), AWSSTS_OK);
        st.flow_direct = true;
        snprintf(session_key, 32, "%s", st.role.access_key_id);
    } else {
        assert_int_equal(awssts_get_session_token(c, &lt, &sreq, &st.mfa_session, NULL), AWSSTS_OK);
        st.has_mfa_session = true;
        struct awssts_keys sk = {st.mfa_session.access_key_id, st.mfa_session.secret_access_key,
                                 st.mfa_session.session_token};
        struct awssts_assume_role_request rreq = {.struct_size = sizeof(rreq),
                                                  .role_arn = st.role_arn,
                                                  .role_session_name = "hana",
                                                  .duration_seconds = 3600,
                                                  .source_identity = session_source_identity};
        struct awssts_session_tags tl;
        assert_int_equal(
            awssts_session_tags_parse(session_tags, session_transitive, NULL, &tl, NULL),
            AWSSTS_OK);
        rreq.tags = tl.tags;
        rreq.n_tags = tl.n_tags;
        rreq.transitive_tag_keys = (const char *const *)tl.transitive;
        rreq.n_transitive_tag_keys = tl.n_transitive;
        assert_int_equal(awssts_assume_role(c, &sk, &rreq, &st.role, NULL), AWSSTS_OK);
        awssts_session_tags_free(&tl);
        snprintf(session_key, 32, "%s", st.mfa_session.access_key_id);
    }
    st.has_role = true;

    mkdir("/run/aws-sts", 0755);
    mkdir(DIR, 0700);
    assert_int_equal(chown(DIR, UID, UID), 0);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(awssts_state_serialize(&st, &text, &len, NULL), AWSSTS_OK);
    write_user_file(DIR "/state", text, len, 0600);
    awssts_secret_free(text);
    struct awssts_credfile *cf = awssts_credfile_new();
    assert_int_equal(awssts_credfile_put_credentials(cf, "default", &st.role, st.role_arn, NULL),
                     AWSSTS_OK);
    assert_int_equal(awssts_credfile_serialize(cf, &text, &len), AWSSTS_OK);
    write_user_file(DIR "/credentials", text, len, 0600);
    awssts_secret_free(text);
    awssts_credfile_free(cf);
    awssts_credentials_clear(&st.mfa_session);
    awssts_credentials_clear(&st.role);
    awssts_client_free(c);
}

static void make_session(char session_key[32])
{
    make_session_via(session_key, NULL);
}

#define SESSION_ENV "AWS_SHARED_CREDENTIALS_FILE=" DIR "/credentials"

static void test_status_and_cached_credentials(void **state)
{
    (void)state;
    char skey[32];
    make_session(skey);
    int calls = clock_log_count("\"action\"", NULL);
    struct run r;
    run_as_user(&r, SESSION_ENV, "%s status", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "role:         arn:aws:iam::123456789012:role/mfa-admin"));
    assert_non_null(strstr(r.out, "renews the role without a code"));
    /* No empty brackets after the expiry. */
    if (strstr(r.out, "()") != NULL || strstr(r.out, "credentials:  valid, expire 20") == NULL)
        fail_msg("status:\n%s", r.out);
    run_as_user(&r, SESSION_ENV, "%s status --json", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "\"valid\": true"));
    run_as_user(&r, SESSION_ENV, "%s credential-process", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "\"Version\": 1,"));
    assert_non_null(strstr(r.out, "\"AccessKeyId\": \"ASIA"));
    assert_non_null(strstr(r.out, "\"Expiration\": \""));
    assert_int_equal(clock_log_count("\"action\"", NULL), calls); /* valid: no STS call */

    /* env output evaluates in a shell. */
    run_as_user(&r, SESSION_ENV,
                "eval \"$(%s env)\" && echo \"$AWS_REGION $AWS_STS_REGIONAL_ENDPOINTS "
                "${AWS_ACCESS_KEY_ID%%%%????????????????}\"",
                peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "us-east-1 regional ASIA\n");
}

/* The AWS CLI, an hour and a minute later: credential_process renews the
 * role once, signed with the MFA session, and the call goes through. */
static void test_aws_cli_past_role_expiry(void **state)
{
    (void)state;
    char skey[32], env[1024], frag[80];
    make_session(skey);
    snprintf(frag, sizeof(frag), "\"key\": \"%s\"", skey);
    struct run r;
    snprintf(env, sizeof(env), SESSION_ENV " AWS_CONFIG_FILE=%s/home/config", tdir);
    run_as_user(&r, env, "%s setup-config", peer_env("AWSSTS_BIN"));
    if (r.rc != 0)
        fail_msg("setup-config: %s", r.err);
    assert_non_null(strstr(r.out, "profile awssts in"));

    /* The set-up's own AssumeRole was signed with the session too. */
    int before = clock_log_count("\"action\": \"AssumeRole\"", frag);
    int signed_before = clock_log_count(frag, "\"token\": true");
    run_as_user(&r, env,
                "faketime -f +61m aws sts get-caller-identity --profile awssts --endpoint-url %s "
                "--output text",
                peer_env("FAULT_CLOCK_URL"));
    if (r.rc != 0)
        fail_msg("aws: %s", r.err);
    assert_non_null(strstr(r.out, "assumed-role/mfa-admin/hana"));
    assert_int_equal(clock_log_count("\"action\": \"AssumeRole\"", frag), before + 1);
    assert_int_equal(clock_log_count(frag, "\"token\": true"), signed_before + 1);

    /* Once renewed, the next calls reuse it. */
    run_as_user(&r, env,
                "faketime -f +62m aws sts get-caller-identity --profile awssts --endpoint-url %s "
                "--output text",
                peer_env("FAULT_CLOCK_URL"));
    assert_int_equal(r.rc, 0);
    assert_int_equal(clock_log_count("\"action\": \"AssumeRole\"", frag), before + 1);

    /* The static file was rewritten too, for tools that only read files. */
    run_as_user(&r, SESSION_ENV, "faketime -f +62m %s status", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "credentials:  valid"));
}

static void test_twenty_at_once_make_one_call(void **state)
{
    (void)state;
    char skey[32], frag[80];
    make_session(skey);
    snprintf(frag, sizeof(frag), "\"key\": \"%s\"", skey);
    int before = clock_log_count("\"action\": \"AssumeRole\"", frag);
    struct run r;
    /* Twenty processes started together, an hour later; each prints its JSON. */
    run_as_user(&r, SESSION_ENV,
                "for i in $(seq 1 20); do faketime -f +61m %s credential-process > %s/cp.$i 2>&1 & "
                "done; wait; "
                "cat %s/cp.*",
                peer_env("AWSSTS_BIN"), "$HOME", "$HOME");
    assert_int_equal(r.rc, 0);
    int jsons = 0;
    for (const char *p = r.out; (p = strstr(p, "\"Version\": 1,")) != NULL; p++)
        jsons++;
    assert_int_equal(jsons, 20);
    assert_int_equal(clock_log_count("\"action\": \"AssumeRole\"", frag), before + 1);
}

static void test_mfa_session_ended(void **state)
{
    (void)state;
    char skey[32];
    make_session(skey);
    int calls = clock_log_count("\"action\"", NULL);
    struct run r;
    run_as_user(&r, SESSION_ENV, "faketime -f +13h %s credential-process </dev/null",
                peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 3);
    assert_non_null(strstr(r.err, "log in again"));
    assert_int_equal(strlen(r.out), 0);
    /* One line on stderr, as the documentation says: the AWS CLI shows it. */
    if (strchr(r.err, '\n') != strrchr(r.err, '\n'))
        fail_msg("credential-process: more than one line on stderr:\n%s", r.err);
    run_as_user(&r, SESSION_ENV, "faketime -f +13h %s status", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 3);
    assert_non_null(strstr(r.out, "MFA session:  ENDED"));
    assert_int_equal(clock_log_count("\"action\"", NULL), calls);
}

/* After the MFA session has ended, status says what helps: a new login
 * (refresh cannot renew without it), in the past tense. */
static void test_status_after_mfa_session_ended(void **state)
{
    (void)state;
    char skey[32];
    make_session(skey);
    struct run r;
    run_as_user(&r, SESSION_ENV, "faketime -f +13h %s status", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 3);
    if (strstr(r.out, "MFA session:  ENDED at ") == NULL || strstr(r.out, "ends ") != NULL ||
        strstr(r.out, "awssts refresh") != NULL ||
        strstr(r.out, "(the MFA session has ended: log in again)") == NULL)
        fail_msg("status after the MFA session ended said:\n%s", r.out);
    /* While the MFA session lasts, refresh is what helps. */
    run_as_user(&r, SESSION_ENV, "faketime -f +62m %s status", peer_env("AWSSTS_BIN"));
    if (strstr(r.out, "MFA session:  valid, ends ") == NULL)
        fail_msg("status with a live MFA session said:\n%s", r.out);
}

/* A user the module gave no credentials because they have no keys: a new
 * login would not help, the administrator would. */
static void test_status_without_keys(void **state)
{
    (void)state;
    char conf[300], cmd[400];
    snprintf(conf, sizeof(conf), "%s/nokeys.conf", tdir);
    FILE *f = fopen(conf, "w");
    assert_non_null(f);
    fputs("[global]\nregion = us-east-1\n", f);
    fclose(f);
    assert_int_equal(chmod(conf, 0644), 0);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", DIR);
    assert_int_equal(system(cmd), 0);
    struct run r;
    char env[400];
    snprintf(env, sizeof(env), "AWSSTS_CONFIG=%s", conf);
    run_as_user(&r, env, "%s status", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 3);
    if (strstr(r.err, "log in again") != NULL || strstr(r.err, "no AWS keys") == NULL ||
        strstr(r.err, "ask the administrator") == NULL ||
        strchr(r.err, '\n') != strrchr(r.err, '\n'))
        fail_msg("status of a user without keys said:\n%s", r.err);
}

/* keys = ssm: the user cannot read SSM, so an ended MFA session is a new
 * login, said in one line that names the parameter's template, with no
 * look for keys the user does not have. */
static void test_mfa_session_ended_keys_in_ssm(void **state)
{
    (void)state;
    char skey[32];
    session_keys_source = "ssm:/pam-aws-sts/users/%u";
    make_session(skey);
    session_keys_source = NULL;
    struct run r;
    run_as_user(&r, SESSION_ENV, "faketime -f +13h %s credential-process </dev/null",
                peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 3);
    if (strstr(
            r.err,
            "the MFA session has ended, and the long-term keys are in SSM Parameter Store "
            "(ssm:/pam-aws-sts/users/%u), which only a login on the bastion reads: log in again") ==
            NULL ||
        strchr(r.err, '\n') != strrchr(r.err, '\n'))
        fail_msg("credential-process with keys in SSM said:\n%s", r.err);
}

/* flow = direct: there never was an MFA session, and renewing the role
 * needs a new code; the one line says so. */
static void test_direct_flow_renewal(void **state)
{
    (void)state;
    char skey[32];
    session_direct = true;
    make_session(skey);
    session_direct = false;
    struct run r;
    run_as_user(&r, SESSION_ENV, "%s refresh --min-remaining 7200 </dev/null",
                peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 3);
    if (strstr(r.err, "assumed directly with the MFA code (flow = direct)") == NULL ||
        strstr(r.err, "MFA session has") != NULL || strchr(r.err, '\n') != strrchr(r.err, '\n'))
        fail_msg("refresh of a direct role said:\n%s", r.err);
    run_as_user(&r, SESSION_ENV, "faketime -f +2h %s credential-process </dev/null",
                peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 3);
    if (strstr(r.err, "flow = direct") == NULL || strstr(r.err, "MFA session has") != NULL)
        fail_msg("credential-process of an expired direct role said:\n%s", r.err);
    run_as_user(&r, SESSION_ENV, "%s status", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 0);
    assert_non_null(
        strstr(r.out, "MFA session:  none (the role was assumed directly with the code)"));
}

/*
 * roles = (and tags =) from one MFA session: list, assume into a profile, exec, and the
 * per-role credential_process profiles of setup-config, with the AWS CLI
 * after the first role's hour is over. Every AssumeRole carries the login's
 * SourceIdentity and is signed with the MFA session; the one MFA code of the
 * login is the only one STS sees; a role not in the list never reaches STS.
 */
static void test_named_roles_from_one_code(void **state)
{
    (void)state;
    char skey[32], env[1024], frag[80], serial_frag[120];
    session_roles =
        "ops=arn:aws:iam::123456789012:role/ops readonly=arn:aws:iam::123456789012:role/readonly";
    session_source_identity = "hana";
    session_tags = "linux_user=hana team=ops";
    session_transitive = "linux_user";
    make_session(skey);
    session_roles = session_source_identity = session_tags = session_transitive = NULL;
    snprintf(frag, sizeof(frag), "\"key\": \"%s\"", skey);
    snprintf(serial_frag, sizeof(serial_frag),
             "\"serial\": \"arn:aws:iam::123456789012:mfa/hana%d\"", serial_n);
    const char *bin = peer_env("AWSSTS_BIN");
    struct run r;

    run_as_user(&r, SESSION_ENV, "%s roles", bin);
    if (r.rc != 0 || strstr(r.out, "ops ") == NULL || strstr(r.out, "role/readonly") == NULL)
        fail_msg("roles (%d):\n%s%s", r.rc, r.out, r.err);

    /* Not in the list: refused here, one line, nothing sent. */
    int calls = clock_log_count("\"action\"", NULL);
    run_as_user(&r, SESSION_ENV, "%s exec admin -- true", bin);
    assert_int_equal(r.rc, 2);
    if (strstr(r.err, "role 'admin' is not one of this login's") == NULL ||
        strchr(r.err, '\n') != strrchr(r.err, '\n'))
        fail_msg("exec of an unlisted role said:\n%s", r.err);
    assert_int_equal(clock_log_count("\"action\"", NULL), calls);

    /* exec, an hour and a minute on: the CLI sees ops and only ops. */
    run_as_user(&r, SESSION_ENV " AWS_PROFILE=nosuch",
                "faketime -f +61m %s exec ops -- aws sts get-caller-identity --endpoint-url %s "
                "--output text",
                bin, peer_env("FAULT_CLOCK_URL"));
    if (r.rc != 0 || strstr(r.out, "assumed-role/ops/hana") == NULL)
        fail_msg("exec ops (%d):\n%s%s", r.rc, r.out, r.err);
    assert_int_equal(clock_log_count("\"role_arn\": \"arn:aws:iam::123456789012:role/ops\"", frag),
                     1);
    assert_int_equal(clock_log_count("role/ops\"", "\"source_identity\": \"hana\""), 1);

    /* assume writes a profile beside the login's; the CLI reads it. */
    run_as_user(&r, SESSION_ENV, "faketime -f +61m %s assume readonly --profile ro", bin);
    if (r.rc != 0 || strstr(r.out, "[ro] in " DIR "/credentials: role readonly") == NULL)
        fail_msg("assume (%d):\n%s%s", r.rc, r.out, r.err);
    run_as_user(
        &r, SESSION_ENV " AWS_REGION=us-east-1",
        "faketime -f +61m aws sts get-caller-identity --profile ro --endpoint-url %s --output text",
        peer_env("FAULT_CLOCK_URL"));
    if (r.rc != 0 || strstr(r.out, "assumed-role/readonly/hana") == NULL)
        fail_msg("aws --profile ro (%d):\n%s%s", r.rc, r.out, r.err);
    run_as_user(&r, SESSION_ENV, "%s assume readonly --profile default", bin);
    assert_int_equal(r.rc, 2); /* the login's own profile is not overwritten */

    /* setup-config: one credential_process profile per role, renewing past
     * the hour of the ops credentials that exec got. */
    snprintf(env, sizeof(env), SESSION_ENV " AWS_CONFIG_FILE=%s/home/config", tdir);
    run_as_user(&r, env, "%s setup-config", bin);
    if (r.rc != 0 || strstr(r.out, "profile awssts-ops: role ops") == NULL)
        fail_msg("setup-config (%d):\n%s%s", r.rc, r.out, r.err);
    int ops_before = clock_log_count("role/ops\"", frag);
    run_as_user(&r, env,
                "faketime -f +125m aws sts get-caller-identity --profile awssts-ops --endpoint-url "
                "%s --output text",
                peer_env("FAULT_CLOCK_URL"));
    if (r.rc != 0 || strstr(r.out, "assumed-role/ops/hana") == NULL)
        fail_msg("aws --profile awssts-ops (%d):\n%s%s", r.rc, r.out, r.err);
    assert_int_equal(clock_log_count("role/ops\"", frag), ops_before + 1);
    run_as_user(&r, env,
                "faketime -f +126m aws sts get-caller-identity --profile awssts-ops --endpoint-url "
                "%s --output text",
                peer_env("FAULT_CLOCK_URL"));
    assert_int_equal(r.rc, 0);
    assert_int_equal(clock_log_count("role/ops\"", frag), ops_before + 1); /* reused */
    run_as_user(&r, env,
                "faketime -f +125m aws sts get-caller-identity --profile awssts-readonly "
                "--endpoint-url %s --output text",
                peer_env("FAULT_CLOCK_URL"));
    if (r.rc != 0 || strstr(r.out, "assumed-role/readonly/hana") == NULL)
        fail_msg("aws --profile awssts-readonly (%d):\n%s%s", r.rc, r.out, r.err);

    run_as_user(&r, SESSION_ENV, "faketime -f +125m %s roles", bin);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "credentials until"));

    /* In all: one MFA code (the login's), every renewal signed with the MFA
     * session and carrying the same SourceIdentity. */
    assert_int_equal(clock_log_count(serial_frag, "\"mfa\": true"), 1);
    int renewals = clock_log_count("\"action\": \"AssumeRole\"", frag);
    assert_true(renewals >= 4);
    assert_int_equal(clock_log_count(frag, "\"source_identity\": \"hana\""), renewals);
    assert_int_equal(
        clock_log_count(frag, "\"tags\": [[\"linux_user\", \"hana\"], [\"team\", \"ops\"]]"),
        renewals);
    assert_int_equal(clock_log_count(frag, "\"transitive_tag_keys\": [\"linux_user\"]"), renewals);
    assert_int_equal(clock_log_count(frag, "\"mfa\": true"), 0);
}

static void test_unsafe_state_refused(void **state)
{
    (void)state;
    char skey[32];
    make_session(skey);
    struct run r;
    assert_int_equal(chmod(DIR "/state", 0644), 0);
    run_as_user(&r, SESSION_ENV, "%s credential-process", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.err, "mode 0644 is too open"));
    assert_int_equal(chown(DIR "/state", 0, 0), 0); /* readable, but root's */
    run_as_user(&r, SESSION_ENV, "%s status", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.err, "owned by uid 0"));
    run_as_user(&r, NULL, "%s status --dir /run", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 1);
    assert_non_null(strstr(r.err, "refused"));
    run_as_user(&r, NULL, "%s bogus", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 2);
    run_as_user(&r, NULL, "%s refresh --min-remaining x", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 2);
}

/* ~/.aws for the login tests: several profiles, comments, a region per profile. */
static const char original_credentials[] =
    "# my AWS keys\n"
    "[default]\n"
    "aws_access_key_id = AKIAUNUSEDDEFAULT001\n"
    "aws_secret_access_key = unusedunusedunusedunused\n"
    "\n"
    "; work account, used through aws-mfa\n"
    "[work-long-term]\n"
    "aws_access_key_id = AKIAOKHANAWORK000001\n"
    "aws_secret_access_key = faultSTSsecretKEY/0123456789abcdefghijkl\n"
    "aws_mfa_device = arn:aws:iam::123456789012:mfa/hana-work\n"
    "\n"
    "[moto-long-term]\n"
    "aws_access_key_id = %s\n"
    "aws_secret_access_key = %s\n"
    "aws_mfa_device = %s\n"
    "\n"
    "[tmux-long-term]\n"
    "aws_access_key_id = AKIAOKHANATMUX000001\n"
    "aws_secret_access_key = faultSTSsecretKEY/0123456789abcdefghijkl\n"
    "aws_mfa_device = arn:aws:iam::123456789012:mfa/hana-tmux\n"
    "\n"
    "[other]\n"
    "aws_access_key_id = AKIAUNUSEDOTHER00001\n"
    "aws_secret_access_key = unusedunusedunusedunused\n";

static char home_creds[300];

static void setup_home(void)
{
    char path[300], text[4096];
    snprintf(path, sizeof(path), "%s/home/.aws", tdir);
    mkdir(path, 0700);
    assert_int_equal(chown(path, UID, UID), 0);
    snprintf(home_creds, sizeof(home_creds), "%s/credentials", path);
    int n = snprintf(text, sizeof(text), original_credentials, peer_env("MOTO_KEY_ID"),
                     peer_env("MOTO_SECRET"), peer_env("MOTO_MFA_SERIAL"));
    write_user_file(home_creds, text, (size_t)n, 0600);
    snprintf(path, sizeof(path), "%s/home/.aws/config", tdir);
    const char *cfg = "[profile work]\nregion = eu-west-1\n\n[profile tmux]\nregion = ap-east-1\n";
    write_user_file(path, cfg, strlen(cfg), 0600);
}

/* Everything of the original file is still there, line for line, in order. */
static void assert_rest_kept(const char *now)
{
    char text[4096];
    snprintf(text, sizeof(text), original_credentials, peer_env("MOTO_KEY_ID"),
             peer_env("MOTO_SECRET"), peer_env("MOTO_MFA_SERIAL"));
    assert_int_equal(strncmp(now, text, strlen(text)), 0);
}

static void test_login_drop_in(void **state)
{
    (void)state;
    setup_home();
    char code[7], wrong[7], before[8192], after[8192];
    struct run r;
    totp_now(code);
    int calls = fault_log_count("\"key\": \"AKIAOKHANAWORK", NULL);
    run_as_user(&r, NULL, "%s login --profile work --token %s --endpoint-url %s",
                peer_env("AWSSTS_BIN"), code, peer_env("FAULT_URL"));
    if (r.rc != 0)
        fail_msg("login: %s", r.err);
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKHANAWORK", "\"region\": \"eu-west-1\""),
                     calls + 1);
    slurp(home_creds, after, sizeof(after));
    assert_rest_kept(after);
    assert_non_null(strstr(after, "\n[work]\nassumed_role = False\naws_access_key_id = ASIA"));
    assert_non_null(strstr(after, "\nexpiration = 20"));
    struct stat st;
    assert_int_equal(stat(home_creds, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_uid, UID);

    /* Still valid: no call. */
    run_as_user(&r, NULL, "%s login --profile work --token %s --endpoint-url %s",
                peer_env("AWSSTS_BIN"), code, peer_env("FAULT_URL"));
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "still valid for"));
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKHANAWORK", NULL), calls + 1);

    /* A wrong code with --force: refused, file untouched. */
    slurp(home_creds, before, sizeof(before));
    totp_wrong(wrong);
    run_as_user(&r, NULL, "%s login --profile work --force --token %s --endpoint-url %s",
                peer_env("AWSSTS_BIN"), wrong, peer_env("FAULT_URL"));
    assert_int_equal(r.rc, 4);
    assert_non_null(strstr(r.err, "MFA code"));
    slurp(home_creds, after, sizeof(after));
    assert_string_equal(before, after);

    /* --force with a role (aws-mfa's direct AssumeRole): a new call. */
    totp_at(peer_env("TOTP_SECRET"), time(NULL) + 30, code);
    run_as_user(
        &r, NULL,
        "%s login --profile work --force --token %s --assume-role "
        "arn:aws:iam::123456789012:role/mfa-admin --role-session-name hana --endpoint-url %s",
        peer_env("AWSSTS_BIN"), code, peer_env("FAULT_URL"));
    if (r.rc != 0)
        fail_msg("login --assume-role: %s", r.err);
    assert_int_equal(fault_log_count("\"session_name\": \"hana\"", "\"duration\": \"3600\""), 1);
    slurp(home_creds, after, sizeof(after));
    assert_rest_kept(after);
    assert_non_null(strstr(after, "assumed_role = True"));
    assert_non_null(strstr(after, "assumed_role_arn = arn:aws:iam::123456789012:role/mfa-admin"));

    /* The code on standard input (--token -): out of the command line. */
    /* The window's last unused code for this device (STS takes -30 s..+30 s once each). */
    totp_at(peer_env("TOTP_SECRET"), time(NULL) - 30, code);
    int stdin_calls = fault_log_count("\"key\": \"AKIAOKHANAWORK", NULL);
    run_as_user(&r, NULL, "echo %s | %s login --profile work --force --token - --endpoint-url %s",
                code, peer_env("AWSSTS_BIN"), peer_env("FAULT_URL"));
    if (r.rc != 0)
        fail_msg("login --token -: %s", r.err);
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKHANAWORK", NULL), stdin_calls + 1);
    run_as_user(&r, NULL,
                "echo 12345x | %s login --profile work --force --token - --endpoint-url %s",
                peer_env("AWSSTS_BIN"), peer_env("FAULT_URL"));
    assert_int_equal(r.rc, 2);
    assert_non_null(strstr(r.err, "standard input did not hold a six-digit code"));
    /* The man page says where --token shows the code, and what does not. */
    char man[600];
    snprintf(man, sizeof(man),
             "LC_ALL=C.UTF-8 man -l %s/awssts-login.1 2>/dev/null | tr -s ' \\n' '  ' | "
             "grep -q 'read while the command runs (ps, /proc/PID/cmdline)'",
             peer_env("AWSSTS_MAN_DIR"));
    assert_int_equal(system(man), 0);

    /* No region anywhere: refused, never the global endpoint. */
    run_as_user(&r, NULL, "%s login --profile moto --token 123456", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 2);
    assert_non_null(strstr(r.err, "no region"));
}

/*
 * Every suffix combination names the sections as aws-mfa does
 * (awsmfa/__init__.py, validate()):
 *     long:  none given or ""  -> PROFILE-long-term;  "none" (any case) -> PROFILE;
 *            else PROFILE-SUFFIX
 *     short: none given, "" or "none" -> PROFILE;  else PROFILE-SUFFIX
 *     the two the same: refused.
 * Each long section has a key of its own, so the STS log shows which one
 * signed; the file is written afresh for each combination.
 */
static void test_login_suffixes(void **state)
{
    (void)state;
    setup_home();
    static const char *const longs[] = {NULL, "", "none", "NONE", "lt"};
    static const char *const shorts[] = {NULL, "", "none", "st"};
    static const char *const sections[] = {"sfx-long-term", "sfx", "sfx-lt", "sfx-st"};
    for (size_t i = 0; i < sizeof(longs) / sizeof(longs[0]); i++) {
        for (size_t j = 0; j < sizeof(shorts) / sizeof(shorts[0]); j++) {
            const char *ls = longs[i], *ss = shorts[j];
            char want_long[64], want_short[64];
            if (ls == NULL || *ls == '\0')
                snprintf(want_long, sizeof(want_long), "sfx-long-term");
            else if (strcasecmp(ls, "none") == 0)
                snprintf(want_long, sizeof(want_long), "sfx");
            else
                snprintf(want_long, sizeof(want_long), "sfx-%s", ls);
            if (ss == NULL || *ss == '\0' || strcasecmp(ss, "none") == 0)
                snprintf(want_short, sizeof(want_short), "sfx");
            else
                snprintf(want_short, sizeof(want_short), "sfx-%s", ss);

            /* Keys AKIALOAD9NN...: LOAD codes may be used again. */
            char text[4096] = "";
            size_t used = 0;
            for (size_t k = 0; k < sizeof(sections) / sizeof(sections[0]); k++)
                used += (size_t)snprintf(
                    text + used, sizeof(text) - used,
                    "[%s]\naws_access_key_id = AKIALOAD9%02zu00000000\n"
                    "aws_secret_access_key = faultSTSsecretKEY/0123456789abcdefghijkl\n"
                    "aws_mfa_device = arn:aws:iam::123456789012:mfa/sfx\n\n",
                    sections[k], k);
            write_user_file(home_creds, text, used, 0600);

            char args[200] = "", code[7];
            if (ls != NULL)
                snprintf(args + strlen(args), sizeof(args) - strlen(args),
                         " --long-term-suffix \"%s\"", ls);
            if (ss != NULL)
                snprintf(args + strlen(args), sizeof(args) - strlen(args),
                         " --short-term-suffix \"%s\"", ss);
            totp_now(code);
            struct run r;
            run_as_user(
                &r, NULL,
                "%s login --profile sfx --force --region us-east-1 --token %s --endpoint-url %s%s",
                peer_env("AWSSTS_BIN"), code, peer_env("FAULT_URL"), args);
            if (strcmp(want_long, want_short) == 0) {
                if (r.rc != 2 || strstr(r.err, "cannot equal") == NULL)
                    fail_msg("long '%s' short '%s': both [%s], want a refusal; exit %d: %s",
                             ls ? ls : "(none)", ss ? ss : "(none)", want_long, r.rc, r.err);
                continue;
            }
            if (r.rc != 0)
                fail_msg("long '%s' short '%s': exit %d: %s", ls ? ls : "(none)",
                         ss ? ss : "(none)", r.rc, r.err);
            size_t k = 0;
            while (strcmp(sections[k], want_long) != 0)
                k++;
            char key[32], after[8192], head[80];
            snprintf(key, sizeof(key), "\"key\": \"AKIALOAD9%02zu", k);
            assert_true(fault_log_count(key, NULL) > 0);
            slurp(home_creds, after, sizeof(after));
            /* The short section holds the new credentials (ASIA...), the long one its keys. */
            snprintf(head, sizeof(head), "[%s]\n", want_short);
            const char *sec = strstr(after, head);
            const char *end = sec != NULL ? strstr(sec + 1, "\n[") : NULL;
            size_t n = sec == NULL ? 0 : end != NULL ? (size_t)(end - sec) : strlen(sec);
            char body[2048];
            snprintf(body, sizeof(body), "%.*s", (int)n, sec != NULL ? sec : "");
            if (strstr(body, "aws_access_key_id = ASIA") == NULL ||
                strstr(body, "assumed_role = False") == NULL ||
                strstr(body, "aws_session_token = ") == NULL)
                fail_msg("long '%s' short '%s': no new [%s]:\n%s", ls ? ls : "(none)",
                         ss ? ss : "(none)", want_short, after);
            snprintf(head, sizeof(head), "[%s]\naws_access_key_id = AKIALOAD9%02zu", want_long, k);
            assert_non_null(strstr(after, head));
        }
    }
}

/* aws-mfa reads the code from standard input when it is not a terminal
 * (oathtool ... | aws-mfa): so does awssts login, without --token, with the
 * same six-digit check. setsid: no controlling terminal to fall back on. */
static void test_login_piped_code(void **state)
{
    (void)state;
    const char *keys = "[pipe-long-term]\naws_access_key_id = AKIALOAD930000000000\n"
                       "aws_secret_access_key = faultSTSsecretKEY/0123456789abcdefghijkl\n"
                       "aws_mfa_device = arn:aws:iam::123456789012:mfa/pipe\n";
    setup_home();
    write_user_file(home_creds, keys, strlen(keys), 0600);
    char code[7], after[4096];
    totp_now(code);
    struct run r;
    int calls = fault_log_count("\"key\": \"AKIALOAD93", NULL);
    run_as_user(&r, NULL,
                "echo %s | setsid -w %s login --profile pipe --region us-east-1 --force "
                "--endpoint-url %s",
                code, peer_env("AWSSTS_BIN"), peer_env("FAULT_URL"));
    if (r.rc != 0)
        fail_msg("piped code: exit %d: %s", r.rc, r.err);
    assert_int_equal(fault_log_count("\"key\": \"AKIALOAD93", NULL), calls + 1);
    slurp(home_creds, after, sizeof(after));
    assert_non_null(strstr(after, "\n[pipe]\nassumed_role = False\naws_access_key_id = ASIA"));

    /* Not six digits: one clear line, and STS is not called. */
    run_as_user(&r, NULL,
                "echo 12345x | setsid -w %s login --profile pipe --region us-east-1 --force "
                "--endpoint-url %s",
                peer_env("AWSSTS_BIN"), peer_env("FAULT_URL"));
    assert_int_equal(r.rc, 2);
    assert_non_null(strstr(r.err, "standard input did not hold a six-digit code"));
    assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);
    assert_int_equal(fault_log_count("\"key\": \"AKIALOAD93", NULL), calls + 1);
}

/* The role from the file (assume_role) makes 3600 the default, as aws-mfa;
 * an explicit --duration or MFA_STS_DURATION is sent as given, and one
 * above what STS allows a role is refused, not changed. */
static void test_login_duration_with_file_role(void **state)
{
    (void)state;
    const char *keys = "[dur-long-term]\naws_access_key_id = AKIALOAD940000000000\n"
                       "aws_secret_access_key = faultSTSsecretKEY/0123456789abcdefghijkl\n"
                       "aws_mfa_device = arn:aws:iam::123456789012:mfa/dur\n"
                       "assume_role = arn:aws:iam::123456789012:role/dropin-ops\n";
    static const struct {
        const char *env, *arg, *want;
    } cases[] = {
        {NULL, "", "3600"},
        {NULL, "--duration 43200", "43200"},
        {"MFA_STS_DURATION=43200", "", "43200"},
        {"MFA_STS_DURATION=7200", "", "7200"},
    };
    setup_home();
    struct run r;
    char code[7];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        write_user_file(home_creds, keys, strlen(keys), 0600);
        char want[80];
        snprintf(want, sizeof(want), "\"duration\": \"%s\"", cases[i].want);
        int calls = fault_log_count("\"key\": \"AKIALOAD94", want);
        totp_now(code);
        run_as_user(&r, cases[i].env,
                    "%s login --profile dur --region us-east-1 --force --token %s %s "
                    "--endpoint-url %s",
                    peer_env("AWSSTS_BIN"), code, cases[i].arg, peer_env("FAULT_URL"));
        if (r.rc != 0)
            fail_msg("%s %s: exit %d: %s", cases[i].env ? cases[i].env : "", cases[i].arg, r.rc,
                     r.err);
        if (fault_log_count("\"key\": \"AKIALOAD94", want) != calls + 1)
            fail_msg("%s %s: STS was not asked for %s seconds: %s",
                     cases[i].env ? cases[i].env : "", cases[i].arg, cases[i].want, r.err);
        char said[80];
        snprintf(said, sizeof(said), "role/dropin-ops for %s seconds", cases[i].want);
        assert_non_null(strstr(r.err, said));
    }
    /* Above a role's limit: refused before STS, whichever way it was given. */
    int calls = fault_log_count("\"key\": \"AKIALOAD94", NULL);
    static const char *const over[][2] = {{NULL, "--duration 50000"},
                                          {"MFA_STS_DURATION=50000", ""}};
    for (size_t i = 0; i < 2; i++) {
        run_as_user(&r, over[i][0],
                    "%s login --profile dur --region us-east-1 --force --token 123456 %s "
                    "--endpoint-url %s",
                    peer_env("AWSSTS_BIN"), over[i][1], peer_env("FAULT_URL"));
        if (r.rc != 2 || strstr(r.err, "43200") == NULL)
            fail_msg("%s %s: want a refusal naming 43200; exit %d: %s",
                     over[i][0] ? over[i][0] : "", over[i][1], r.rc, r.err);
    }
    assert_int_equal(fault_log_count("\"key\": \"AKIALOAD94", NULL), calls);
}

/* Inside a pam_aws_sts session AWS_SHARED_CREDENTIALS_FILE names the
 * module's tmpfs file; awssts login, as aws-mfa, reads and writes
 * ~/.aws/credentials all the same, and --credentials-file names another. */
static void test_login_uses_home_credentials(void **state)
{
    (void)state;
    setup_home();
    char session_file[300], other[300], before[4096], after[8192], code[7];
    snprintf(session_file, sizeof(session_file), "%s/home/session-credentials", tdir);
    const char *session_text = "[default]\naws_access_key_id = ASIASESSION000000001\n"
                               "aws_secret_access_key = sessionsecretsessionsecret\n";
    write_user_file(session_file, session_text, strlen(session_text), 0600);
    const char *home_text = "[ses-long-term]\naws_access_key_id = AKIALOAD960000000000\n"
                            "aws_secret_access_key = faultSTSsecretKEY/0123456789abcdefghijkl\n"
                            "aws_mfa_device = arn:aws:iam::123456789012:mfa/ses\n";
    write_user_file(home_creds, home_text, strlen(home_text), 0600);
    struct run r;
    char env[400];
    snprintf(env, sizeof(env), "AWS_SHARED_CREDENTIALS_FILE=%s", session_file);
    totp_now(code);
    run_as_user(
        &r, env,
        "%s login --profile ses --region us-east-1 --token %s --endpoint-url %s --log-level INFO",
        peer_env("AWSSTS_BIN"), code, peer_env("FAULT_URL"));
    if (r.rc != 0)
        fail_msg("login in a session: %s", r.err);
    assert_non_null(strstr(r.err, "AWS_SHARED_CREDENTIALS_FILE"));
    slurp(session_file, before, sizeof(before));
    assert_string_equal(before, session_text);
    slurp(home_creds, after, sizeof(after));
    assert_non_null(strstr(after, "\n[ses]\nassumed_role = False\naws_access_key_id = ASIA"));

    /* --credentials-file: that file instead. */
    snprintf(other, sizeof(other), "%s/home/other-credentials", tdir);
    const char *keys = "[x-long-term]\naws_access_key_id = AKIALOAD950000000000\n"
                       "aws_secret_access_key = faultSTSsecretKEY/0123456789abcdefghijkl\n"
                       "aws_mfa_device = arn:aws:iam::123456789012:mfa/x\n";
    write_user_file(other, keys, strlen(keys), 0600);
    totp_now(code);
    run_as_user(&r, NULL,
                "%s login --profile x --region us-east-1 --credentials-file %s --token %s "
                "--endpoint-url %s",
                peer_env("AWSSTS_BIN"), other, code, peer_env("FAULT_URL"));
    if (r.rc != 0)
        fail_msg("login --credentials-file: %s", r.err);
    slurp(other, after, sizeof(after));
    assert_non_null(strstr(after, "\n[x]\nassumed_role = False\naws_access_key_id = ASIA"));
}

static void test_login_against_moto(void **state)
{
    (void)state;
    setup_home();
    struct run r;
    run_as_user(&r, NULL,
                "%s login --profile moto --region us-east-1 --token 123456 --endpoint-url %s",
                peer_env("AWSSTS_BIN"), peer_env("MOTO_URL"));
    if (r.rc != 0)
        fail_msg("login: %s", r.err);
    char after[8192];
    slurp(home_creds, after, sizeof(after));
    assert_rest_kept(after);
    assert_non_null(strstr(after, "[moto]\nassumed_role = False\n"));
}

/* The code typed at a real terminal prompt (tmux). */
static void test_login_prompt_in_tmux(void **state)
{
    (void)state;
    setup_home();
    char code[7], cmd[4096], rcfile[300], pane[8192] = "";
    snprintf(rcfile, sizeof(rcfile), "%s/tmux.rc", tdir);
    unlink(rcfile);
    snprintf(cmd, sizeof(cmd),
             "tmux -L awssts-test new-session -d -x 200 -y 20 \"setpriv --reuid=%d --regid=%d "
             "--clear-groups "
             "env -i PATH=/usr/bin:/bin HOME=%s/home AWS_CA_BUNDLE=%s %s login --profile tmux "
             "--endpoint-url %s; echo \\$? > %s; sleep 30\"",
             UID, UID, tdir, peer_env("TEST_CA"), peer_env("AWSSTS_BIN"), peer_env("FAULT_URL"),
             rcfile);
    assert_int_equal(system(cmd), 0);
    for (int i = 0; i < 100 && strstr(pane, "Enter AWS MFA code for device") == NULL; i++) {
        usleep(100000);
        FILE *p = popen("tmux -L awssts-test capture-pane -p", "r");
        size_t n = fread(pane, 1, sizeof(pane) - 1, p);
        pane[n] = '\0';
        pclose(p);
    }
    assert_non_null(
        strstr(pane, "Enter AWS MFA code for device [arn:aws:iam::123456789012:mfa/hana-tmux]"));
    totp_now(code);
    snprintf(cmd, sizeof(cmd), "tmux -L awssts-test send-keys %s Enter", code);
    assert_int_equal(system(cmd), 0);
    char rc[16] = "";
    for (int i = 0; i < 100 && rc[0] == '\0'; i++) {
        usleep(100000);
        slurp(rcfile, rc, sizeof(rc));
    }
    assert_string_equal(rc, "0\n");
    if (system("tmux -L awssts-test kill-server") != 0) {
        /* already gone */
    }
    char after[8192];
    slurp(home_creds, after, sizeof(after));
    assert_non_null(strstr(after, "[tmux]\n"));
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKHANATMUX", "\"region\": \"ap-east-1\""), 1);
}

/* export_region = no holds for awssts env as for the login itself: one list
 * of what a session exports. */
static void test_env_follows_export_region(void **state)
{
    (void)state;
    char skey[32];
    session_exports_region = false;
    make_session(skey);
    session_exports_region = true;
    struct run r;
    run_as_user(&r, SESSION_ENV, "%s env", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "export AWS_SHARED_CREDENTIALS_FILE="));
    assert_non_null(strstr(r.out, "export AWS_STS_REGIONAL_ENDPOINTS='regional'"));
    if (strstr(r.out, "AWS_REGION") != NULL || strstr(r.out, "AWS_DEFAULT_REGION") != NULL)
        fail_msg("awssts env exports the region although the login does not:\n%s", r.out);
}

/* Renewals go through the login's proxy; its credentials are never in the
 * state, so a proxy that wants them gets the user's own (HTTPS_PROXY). */
static void test_renewal_through_a_proxy(void **state)
{
    (void)state;
    char skey[32], proxy[128], user_proxy[256], env[512];
    snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%s", peer_env("PROXY_PORT"));
    snprintf(user_proxy, sizeof(user_proxy), "http://%s:%s@127.0.0.1:%s", peer_env("PROXY_USER"),
             peer_env("PROXY_PASSWORD"), peer_env("PROXY_PORT"));
    make_session_via(skey, proxy);
    struct run r;
    int refused = proxy_log_count("\"result\": 407");
    run_as_user(&r, SESSION_ENV, "faketime -f +61m %s refresh", peer_env("AWSSTS_BIN"));
    print_message("refresh through a proxy that wants credentials, none given: %d: %s", r.rc,
                  r.err);
    assert_int_not_equal(r.rc, 0);
    assert_non_null(strstr(r.err, "proxy"));
    assert_int_equal(proxy_log_count("\"result\": 407"), refused + 1);

    int ok = proxy_log_count("\"auth\": \"ok\"");
    snprintf(env, sizeof(env), SESSION_ENV " HTTPS_PROXY=%s", user_proxy);
    run_as_user(&r, env, "faketime -f +61m %s refresh", peer_env("AWSSTS_BIN"));
    if (r.rc != 0)
        fail_msg("refresh through the proxy: %s", r.err);
    assert_int_equal(proxy_log_count("\"auth\": \"ok\""), ok + 1);
    char text[8192];
    slurp(DIR "/state", text, sizeof(text));
    assert_non_null(strstr(text, "proxy = http://127.0.0.1:"));
    assert_null(strstr(text, peer_env("PROXY_PASSWORD")));
}

/* awssts refresh waiting at its prompt (the MFA session has ended) holds
 * no lock: the module's logins and logouts of the user go on meanwhile. */
static void test_prompt_holds_no_lock(void **state)
{
    (void)state;
    char skey[32], cmd[4096], rcfile[300], pane[8192] = "", creds[300], text[1024];
    make_session(skey);
    snprintf(creds, sizeof(creds), "%s/home/.aws/credentials", tdir);
    int n = snprintf(text, sizeof(text),
                     "[default-long-term]\naws_access_key_id = AKIAOKHANAPROMPT0001\n"
                     "aws_secret_access_key = faultSTSsecretKEY/0123456789abcdefghijkl\n");
    char aws[300];
    snprintf(aws, sizeof(aws), "%s/home/.aws", tdir);
    mkdir(aws, 0700);
    assert_int_equal(chown(aws, UID, UID), 0);
    write_user_file(creds, text, (size_t)n, 0600);
    snprintf(rcfile, sizeof(rcfile), "%s/tmux-refresh.rc", tdir);
    unlink(rcfile);
    /* Sanitizer settings survive the clean environment (faketime preloads). */
    char san[512] = "";
    if (getenv("ASAN_OPTIONS") != NULL)
        snprintf(san, sizeof(san), "ASAN_OPTIONS=%s", getenv("ASAN_OPTIONS"));
    snprintf(cmd, sizeof(cmd),
             "tmux -L awssts-test new-session -d -x 200 -y 20 \"setpriv --reuid=%d --regid=%d "
             "--clear-groups "
             "env -i PATH=/usr/bin:/bin HOME=%s/home AWS_CA_BUNDLE=%s %s " SESSION_ENV
             " faketime -f +13h %s refresh; "
             "echo \\$? > %s; sleep 30\"",
             UID, UID, tdir, peer_env("TEST_CA"), san, peer_env("AWSSTS_BIN"), rcfile);
    assert_int_equal(system(cmd), 0);
    for (int i = 0; i < 100 && strstr(pane, "AWS MFA code for") == NULL; i++) {
        usleep(100000);
        FILE *p = popen("tmux -L awssts-test capture-pane -p", "r");
        size_t got = fread(pane, 1, sizeof(pane) - 1, p);
        pane[got] = '\0';
        pclose(p);
    }
    assert_non_null(strstr(pane, "AWS MFA code for arn:aws:iam::123456789012:mfa/hana"));
    /* What the module does at a login or logout of the user. */
    int fd = open(DIR, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    int locked = flock(fd, LOCK_EX | LOCK_NB);
    close(fd);
    /* The next window's code: make_session spent this one on the same device. */
    char code[7];
    totp_at(peer_env("TOTP_SECRET"), time(NULL) + 30, code);
    snprintf(cmd, sizeof(cmd), "tmux -L awssts-test send-keys %s Enter", code);
    assert_int_equal(system(cmd), 0);
    char rc[16] = "";
    for (int i = 0; i < 100 && rc[0] == '\0'; i++) {
        usleep(100000);
        slurp(rcfile, rc, sizeof(rc));
    }
    if (system("tmux -L awssts-test kill-server") != 0) {
        /* already gone */
    }
    if (locked != 0)
        fail_msg("the directory stayed locked while awssts waited at its prompt");
    assert_string_equal(rc, "0\n");
    assert_int_equal(clock_log_count("\"key\": \"AKIAOKHANAPROMPT", "GetSessionToken"), 1);
}

/* Every command awssts lists has a man page that renders without a warning. */
static void test_every_command_has_a_man_page(void **state)
{
    (void)state;
    struct run r;
    run_as_user(&r, NULL, "%s --help", peer_env("AWSSTS_BIN"));
    assert_int_equal(r.rc, 0);
    int pages = 0;
    char *save = NULL;
    for (char *line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[64];
        if (strncmp(line, "  ", 2) != 0 || sscanf(line, " %63s", name) != 1)
            continue;
        char cmd[600], warn[4096];
        snprintf(
            cmd, sizeof(cmd),
            "LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l %s/awssts-%s.1 2>%s/man.err >/dev/null",
            peer_env("AWSSTS_MAN_DIR"), name, tdir);
        if (system(cmd) != 0)
            fail_msg("no man page for %s", name);
        snprintf(cmd, sizeof(cmd), "%s/man.err", tdir);
        slurp(cmd, warn, sizeof(warn));
        if (warn[0] != '\0')
            fail_msg("awssts-%s.1: %s", name, warn);
        pages++;
    }
    assert_int_equal(pages, 10);
}

int main(void)
{
    snprintf(tdir, sizeof(tdir), "%s", peer_env("HELPER_TEST_DIR"));
    char home[300];
    snprintf(home, sizeof(home), "%s/home", tdir);
    mkdir(home, 0700);
    if (chown(home, UID, UID) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_and_cached_credentials),
        cmocka_unit_test(test_aws_cli_past_role_expiry),
        cmocka_unit_test(test_twenty_at_once_make_one_call),
        cmocka_unit_test(test_mfa_session_ended),
        cmocka_unit_test(test_status_after_mfa_session_ended),
        cmocka_unit_test(test_status_without_keys),
        cmocka_unit_test(test_direct_flow_renewal),
        cmocka_unit_test(test_mfa_session_ended_keys_in_ssm),
        cmocka_unit_test(test_named_roles_from_one_code),
        cmocka_unit_test(test_unsafe_state_refused),
        cmocka_unit_test(test_login_drop_in),
        cmocka_unit_test(test_login_suffixes),
        cmocka_unit_test(test_login_piped_code),
        cmocka_unit_test(test_login_duration_with_file_role),
        cmocka_unit_test(test_login_uses_home_credentials),
        cmocka_unit_test(test_login_against_moto),
        cmocka_unit_test(test_login_prompt_in_tmux),
        cmocka_unit_test(test_env_follows_export_region),
        cmocka_unit_test(test_renewal_through_a_proxy),
        cmocka_unit_test(test_prompt_holds_no_lock),
        cmocka_unit_test(test_every_command_has_a_man_page),
    };
    return cmocka_run_group_tests_name("awssts", tests, NULL, NULL);
}
