/*
 * The login's audit line, through real libpam against the fault STS: the
 * role, the source identity sent on AssumeRole, the SSH client's address
 * and tty, and the temporary access key id, which joins the line to the
 * STS log (and so to CloudTrail), in both formats; a client-chosen value
 * cannot add a field. Run by tests/pam/run-pam-tests.
 */
#include "pam_login.h"

#include <json-c/json.h>
#include <security/pam_appl.h>
#include <unistd.h>

/* The last syslog line of the log holding a and b, as the module gave it
 * (pam_wrapper prints "... SYSLOG(N): " before it). */
static void last_line(const char *a, const char *b, char *out, size_t len)
{
    FILE *f = fopen(pam_log_path, "r");
    assert_non_null(f);
    char line[8192];
    out[0] = '\0';
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strstr(line, "SYSLOG(") == NULL || strstr(line, a) == NULL || (b && !strstr(line, b)))
            continue;
        const char *p = strstr(line, "SYSLOG(");
        p = p != NULL ? strstr(p, "): ") : NULL;
        assert_non_null(p);
        snprintf(out, len, "%s", p + 3);
        out[strcspn(out, "\n")] = '\0';
    }
    fclose(f);
    if (out[0] == '\0')
        fail_msg("no log line with '%s'", a);
}

/* The value of key in a key=value line (bare or quoted, quotes kept). */
static void field(const char *line, const char *key, char *out, size_t len)
{
    char pat[64];
    snprintf(pat, sizeof(pat), " %s=", key);
    const char *p = strstr(line, pat);
    assert_non_null(p);
    p += strlen(pat);
    size_t n = 0;
    if (*p == '"') {
        for (n = 1; p[n] && !(p[n] == '"' && p[n - 1] != '\\'); n++)
            ;
        n++;
    } else {
        n = strcspn(p, " ");
    }
    snprintf(out, len, "%.*s", (int)n, p);
}

/* The credentials file's key id for user (the session's, as written). */
static void written_key_id(struct login *l, char *out, size_t len)
{
    const char *path = pam_getenv(l->ph, "AWS_SHARED_CREDENTIALS_FILE");
    assert_non_null(path);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    out[0] = '\0';
    while (fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, "aws_access_key_id = ", 20) == 0) {
            snprintf(out, len, "%.*s", (int)strcspn(line + 20, "\n"), line + 20);
            break;
        }
    fclose(f);
    assert_true(strncmp(out, "ASIA", 4) == 0);
}

static void login_from(struct login *l, const char *service, const char *user, const char *rhost)
{
    login_start(l, service, user, code_at(0));
    assert_int_equal(pam_set_item(l->ph, PAM_RHOST, rhost), PAM_SUCCESS);
    assert_int_equal(pam_set_item(l->ph, PAM_TTY, "ssh"), PAM_SUCCESS);
    login_auth_ok(l, user);
    assert_int_equal(pam_setcred(l->ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
    assert_int_equal(pam_open_session(l->ph, 0), PAM_SUCCESS);
}

/* key=value: role, source identity, client, tty, and the key id STS issued. */
static void test_keyvalue_line_joins_the_sts_log(void **state)
{
    (void)state;
    struct login l;
    login_from(&l, "awssts", "ava", "203.0.113.7");
    char line[8192], key[128], logged[128], want[256];
    last_line("user=ava outcome=success", NULL, line, sizeof(line));
    assert_non_null(
        strstr(line, " role_arn=arn:aws:iam::123456789012:role/mfa-admin source_identity=ava "));
    assert_non_null(strstr(line, " rhost=203.0.113.7 tty=ssh "));
    written_key_id(&l, key, sizeof(key));
    field(line, "access_key_id", logged, sizeof(logged));
    assert_string_equal(logged, key);
    /* The STS log: that key was issued by the AssumeRole that carried the
     * source identity (CloudTrail's accessKeyId for every call with it). */
    snprintf(want, sizeof(want), "\"issued\": \"%s\"", key);
    assert_int_equal(fault_log_count(want, "\"source_identity\": \"ava\""), 1);
    assert_int_equal(fault_log_count(want, "\"action\": \"AssumeRole\""), 1);
    login_close(&l);
}

/* log_format = json: one JSON object, the same fields, the same key id. */
static void test_json_line(void **state)
{
    (void)state;
    struct login l;
    login_from(&l, "awssts_json", "jade", "2001:db8::7");
    char line[8192], key[128], want[256];
    last_line("\"user\":\"jade\"", "\"outcome\":\"success\"", line, sizeof(line));
    json_object *o = json_tokener_parse(line);
    if (o == NULL || !json_object_is_type(o, json_type_object))
        fail_msg("not one JSON object: %s", line);
    static const char *const names[] = {
        "user",  "outcome", "region",     "region_from",     "endpoint",
        "flow",  "call",    "role_arn",   "source_identity", "access_key_id",
        "rhost", "tty",     "request_id", "latency_ms",      "error"};
    size_t i = 0;
    json_object_object_foreach(o, k, member)
    {
        (void)member;
        assert_true(i < sizeof(names) / sizeof(names[0]));
        assert_string_equal(k, names[i]);
        i++;
    }
    assert_int_equal(i, sizeof(names) / sizeof(names[0]));
    json_object *v = NULL;
    assert_true(json_object_object_get_ex(o, "rhost", &v));
    assert_string_equal(json_object_get_string(v), "2001:db8::7");
    assert_true(json_object_object_get_ex(o, "error", &v));
    assert_true(json_object_is_type(v, json_type_null));
    assert_true(json_object_object_get_ex(o, "source_identity", &v));
    assert_string_equal(json_object_get_string(v), "jade");
    written_key_id(&l, key, sizeof(key));
    assert_true(json_object_object_get_ex(o, "access_key_id", &v));
    assert_string_equal(json_object_get_string(v), key);
    snprintf(want, sizeof(want), "\"issued\": \"%s\"", key);
    assert_int_equal(fault_log_count(want, "\"source_identity\": \"jade\""), 1);
    json_object_put(o);
    login_close(&l);
}

/* Templates: %u and %h in source_identity and role_session_name; none sends none. */
static void test_source_identity_templates(void **state)
{
    (void)state;
    char host[256] = "", want[400];
    assert_int_equal(gethostname(host, sizeof(host)), 0);
    host[strcspn(host, ".")] = '\0';
    struct login l;
    login_from(&l, "awssts", "hal", "192.0.2.1");
    snprintf(want, sizeof(want), "\"source_identity\": \"hal@%s\"", host);
    assert_int_equal(fault_log_count(want, "\"action\": \"AssumeRole\""), 1);
    snprintf(want, sizeof(want), "\"session_name\": \"hal-%s\"", host);
    assert_int_equal(fault_log_count(want, "\"action\": \"AssumeRole\""), 1);
    login_close(&l);

    login_from(&l, "awssts", "noel", "192.0.2.2");
    assert_int_equal(fault_log_count("\"session_name\": \"noel\"", "\"source_identity\": null"), 1);
    char line[8192];
    last_line("user=noel outcome=success", NULL, line, sizeof(line));
    assert_non_null(strstr(line, " source_identity=- "));
    login_close(&l);
}

/* tags = and transitive_tags =: sent with the AssumeRole that issued the
 * login's key, kept in the state for awssts's renewals; a tag STS would
 * refuse is the configuration's error, at its line, before any prompt. */
static void test_session_tags(void **state)
{
    (void)state;
    char host[256] = "", want[600], key[128];
    assert_int_equal(gethostname(host, sizeof(host)), 0);
    host[strcspn(host, ".")] = '\0';
    struct login l;
    login_from(&l, "awssts", "tess", "192.0.2.3");
    written_key_id(&l, key, sizeof(key));
    snprintf(want, sizeof(want),
             "\"tags\": [[\"linux_user\", \"tess\"], [\"bastion\", \"%s\"], [\"team\", \"ops\"]]",
             host);
    char issued[160];
    snprintf(issued, sizeof(issued), "\"issued\": \"%s\"", key);
    assert_int_equal(fault_log_count(want, issued), 1);
    assert_int_equal(fault_log_count(issued, "\"transitive_tag_keys\": [\"linux_user\"]"), 1);
    assert_int_equal(fault_log_count(issued, "\"source_identity\": \"tess\""), 1);
    char path[600];
    snprintf(path, sizeof(path), "%s", pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE"));
    snprintf(strrchr(path, '/'), sizeof(path) - (size_t)(strrchr(path, '/') - path), "/state");
    snprintf(want, sizeof(want), "tags = linux_user=tess bastion=%s team=ops", host);
    assert_int_equal(file_count_lines(path, want, NULL), 1);
    assert_int_equal(file_count_lines(path, "transitive_tags = linux_user", NULL), 1);
    login_close(&l);

    int calls = fault_log_count("AKIAOKTOBI", NULL);
    login_start(&l, "awssts", "tobi", code_at(0));
    assert_int_not_equal(pam_authenticate(l.ph, 0), PAM_SUCCESS);
    assert_int_equal(l.script.next, 0); /* no code asked */
    login_finish(&l);
    assert_int_equal(fault_log_count("AKIAOKTOBI", NULL), calls);
    char line[8192];
    last_line("user=tobi outcome=config_error", NULL, line, sizeof(line));
    if (strstr(line, "line ") == NULL || strstr(line, "[user:tobi] tags") == NULL ||
        strstr(line, "aws:") == NULL)
        fail_msg("the configuration error does not name the line and the tag: %s", line);
}

/* What a client chooses (PAM_RHOST) is quoted, so it cannot add a field. */
static void test_client_values_cannot_add_fields(void **state)
{
    (void)state;
    struct login l;
    login_from(&l, "awssts", "ivo", "x\" outcome=success user=root \"");
    char line[8192], value[512];
    last_line("user=ivo ", NULL, line, sizeof(line));
    field(line, "rhost", value, sizeof(value));
    assert_string_equal(value, "\"x\\\" outcome=success user=root \\\"\"");
    /* Read as a log parser would: the fields are the line's own, once each. */
    char keys[512] = "";
    for (const char *p = line; *p;) {
        p += strspn(p, " ");
        size_t k = strcspn(p, "=");
        snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys), "%s%.*s", keys[0] ? " " : "",
                 (int)k, p);
        p += k + 1;
        if (*p == '"') {
            for (p++; *p && !(*p == '"' && p[-1] != '\\'); p++)
                ;
            if (*p)
                p++;
        } else {
            p += strcspn(p, " ");
        }
    }
    assert_string_equal(
        keys, "user outcome region region_from endpoint flow call role_arn source_identity "
              "access_key_id rhost tty request_id latency_ms");
    login_close(&l);

    /* A newline (or any control character) cannot start a forged line:
     * a host that takes PAM_RHOST or PAM_TTY from its client. */
    int lines = pam_log_count("outcome=success user=root", NULL);
    login_from(&l, "awssts", "iris",
               "10.0.0.5\npam_aws_sts(sshd:auth): user=root outcome=success \r\x1b[2K");
    last_line("user=iris ", "rhost=\"10.0.0.5\\x0apam_aws_sts", line, sizeof(line));
    assert_non_null(strstr(line, "outcome=success \\x0d\\x1b[2K\""));
    assert_int_equal(pam_log_count("outcome=success user=root", NULL), lines);
    login_close(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyvalue_line_joins_the_sts_log),
        cmocka_unit_test(test_json_line),
        cmocka_unit_test(test_source_identity_templates),
        cmocka_unit_test(test_client_values_cannot_add_fields),
        cmocka_unit_test(test_session_tags),
    };
    return PAM_LOG_RUN("pam_audit", tests, "audit.log");
}
