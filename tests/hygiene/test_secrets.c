/*
 * Secret hygiene, checked over what tests/hygiene/run-secret-hygiene kept:
 * the syslog, every stderr and stdout, and every file the run wrote while
 * the session was open and after it closed (in its own directories: $T and
 * the private /run, /dev/shm, /tmp and /var/tmp of its namespace). No secret key, session token or
 * MFA code may be in any of them, but for the credentials files that exist
 * to hold them; the secrets of keys = ssm: (the parameter's long-term
 * secret, the instance role's) may be in none at all, the peers' own files
 * included. Each search is first shown able to find what it looks for.
 * Last, the helper cannot dump core, next to a process that can.
 */
#include "../integration/peer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_NEEDLES 512
/* Places kept after a file's lines: the long-term secrets and the instance role's. */
#define FIXED_NEEDLES 3
#define MAX_FILE      (64L << 20)

static const char *env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') {
        fprintf(stderr, "FAIL: %s is not set: run through tests/hygiene/run-secret-hygiene\n",
                name);
        abort();
    }
    return v;
}

static char *read_all(const char *path, size_t *len)
{
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE) {
        close(fd);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    ssize_t n;
    while (buf != NULL && got < (size_t)st.st_size &&
           (n = read(fd, buf + got, (size_t)st.st_size - got)) > 0)
        got += (size_t)n;
    close(fd);
    if (buf != NULL)
        buf[got] = '\0';
    *len = got;
    return buf;
}

/* The lines of a file, each at least min_len long. */
struct needles {
    char *v[MAX_NEEDLES];
    int n;
};

/* Adds the file's lines; a file that is not there adds none when it may be missing. */
static void add_needles(const char *path, size_t min_len, struct needles *nd, bool may_be_missing)
{
    size_t len;
    char *text = read_all(path, &len);
    if (text == NULL) {
        if (may_be_missing && errno == ENOENT)
            return;
        fail_msg("%s: %s", path, strerror(errno));
    }
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if (strlen(line) < min_len)
            continue;
        if (nd->n == MAX_NEEDLES - FIXED_NEEDLES)
            fail_msg("%s: more than %d lines: raise MAX_NEEDLES", path,
                     MAX_NEEDLES - FIXED_NEEDLES);
        nd->v[nd->n++] = strdup(line);
    }
    free(text);
}

static void load_needles(const char *path, size_t min_len, struct needles *nd)
{
    nd->n = 0;
    add_needles(path, min_len, nd, false);
}

static void free_needles(struct needles *nd)
{
    for (int i = 0; i < nd->n; i++)
        free(nd->v[i]);
    nd->n = 0;
}

/* The first needle the file holds, or NULL. A secret cut in two is still a
 * leak: its first 16 characters count. */
static const char *found_in(const char *path, const struct needles *nd, size_t prefix)
{
    size_t len;
    char *text = read_all(path, &len);
    if (text == NULL)
        return NULL;
    const char *hit = NULL;
    for (int i = 0; i < nd->n && hit == NULL; i++) {
        size_t n = strlen(nd->v[i]);
        if (prefix != 0 && n > prefix)
            n = prefix;
        if (memmem(text, len, nd->v[i], n) != NULL)
            hit = nd->v[i];
    }
    free(text);
    return hit;
}

static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static bool peers_file(const char *path)
{
    char peers[512];
    snprintf(peers, sizeof(peers), "%s/peers", env("HYG_DIR"));
    return under(path, peers);
}

/* The harness's own files (our lists, the codes, what moto issued at the
 * keys = ssm: login) and the captures, which the capture tests search
 * themselves. The peers' files written in the run are not searched for
 * what the fault STS issued or the codes (its records of them are there),
 * but are for the secrets of keys = ssm:, which no peer records. */
static bool harness_file(const char *path)
{
    return under(path, env("HYG_HARNESS")) || under(path, env("HYG_CAPTURES"));
}

static char runtime_dir[4096];

static void setup_paths(void)
{
    snprintf(runtime_dir, sizeof(runtime_dir), "%s", env("HYG_RUNTIME_FILE"));
    char *slash = strrchr(runtime_dir, '/');
    assert_non_null(slash);
    *slash = '\0';
}

/* keys = ssm:'s secrets, which no file may hold: the parameter's long-term
 * secret and the instance role's (the IMDS stand-in's). */
static void ssm_secrets(struct needles *nd)
{
    nd->n = 0;
    nd->v[nd->n++] = strdup(env("HYG_SSM_SECRET"));
    nd->v[nd->n++] = strdup(env("HYG_IMDS_ROLE_SECRET"));
}

/* Every secret key and token the STS has handed out so far, the secret
 * key moto issued at the keys = ssm: login (once it has been), and the
 * long-term secrets and the instance role's. */
static void secrets(struct needles *nd)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/peers/fault.issued", env("HYG_DIR"));
    load_needles(path, 20, nd);
    add_needles(env("HYG_SSM_ISSUED"), 20, nd, true);
    nd->v[nd->n++] = strdup(env("HYG_LONG_TERM_SECRET"));
    nd->v[nd->n++] = strdup(env("HYG_SSM_SECRET"));
    nd->v[nd->n++] = strdup(env("HYG_IMDS_ROLE_SECRET"));
}

/* Does the harness's list (of files written) name the file? */
static bool listed(const char *list_name, const char *want)
{
    char list[512], path[4096];
    snprintf(list, sizeof(list), "%s/%s", env("HYG_HARNESS"), list_name);
    FILE *f = fopen(list, "r");
    if (f == NULL)
        fail_msg("%s: %s", list, strerror(errno));
    bool found = false;
    while (!found && fgets(path, sizeof(path), f) != NULL) {
        path[strcspn(path, "\n")] = '\0';
        found = strcmp(path, want) == 0;
    }
    fclose(f);
    return found;
}

static void codes(struct needles *nd)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/codes", env("HYG_HARNESS"));
    load_needles(path, 6, nd);
}

/* The run issued what a day on the bastion issues, and the search finds it
 * where it belongs: else every "not found" below would prove nothing. */
static void test_the_search_finds_secrets(void **state)
{
    (void)state;
    struct needles s, c;
    secrets(&s);
    codes(&c);
    /* hyg1: session + role + refresh (3 pairs), hyg6 (2), the drop-in (1), the long-term secret */
    /* ...+ moto's at the keys = ssm: login, the SSM and instance role secrets */
    if (s.n < 16)
        fail_msg("only %d secrets issued: the run did not do what it should", s.n);
    assert_true(c.n >= 6);
    assert_non_null(found_in(env("HYG_DROPIN"), &s, 0));
    /* moto's secret key was kept: the login wrote it, and the search has it. */
    struct needles m = {.n = 0};
    add_needles(env("HYG_SSM_ISSUED"), 20, &m, false);
    assert_int_equal(m.n, 1);
    free_needles(&m);
    /* keys = ssm:'s secrets have no place to be, so a planted copy outside
     * the harness and $T (in /tmp), written in the run, shows each is found
     * there, as the search of the written files takes it (check_written
     * counts it). A copy in a file older than the run, outside the run's
     * directories, would not be found, and need not be: the run did not
     * write it. */
    struct needles one = {.n = 0}, all;
    ssm_secrets(&all);
    for (int i = 0; i < all.n; i++) {
        one.v[0] = all.v[i];
        one.n = 1;
        if (found_in(env("HYG_PLANTED"), &one, 16) == NULL)
            fail_msg("secret %d of keys = ssm: not found in the planted copy %s", i,
                     env("HYG_PLANTED"));
    }
    assert_true(listed("after.list", env("HYG_PLANTED")));
    assert_false(harness_file(env("HYG_PLANTED")));
    /* The peers' set-up records hold them by design, before the run began:
     * not in the lists of files written (else they would be searched, as
     * every peer file in the lists is, and fail). */
    const char *records[] = {"ssm-value.json", "imds-creds.json", "ssm.env", "env"};
    for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/peers/%s", env("HYG_DIR"), records[i]);
        assert_non_null(found_in(path, &all, 16));
        if (listed("during.list", path) || listed("after.list", path))
            fail_msg("%s was written during the run", path);
    }
    free_needles(&all);
    free_needles(&s);
    free_needles(&c);
}

static void check_captures(const struct needles *s, const struct needles *c, int *files)
{
    DIR *d = opendir(env("HYG_CAPTURES"));
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", env("HYG_CAPTURES"), e->d_name);
        const char *hit = found_in(path, s, 16);
        if (hit != NULL)
            fail_msg("%s holds a secret (%.6s...)", path, hit);
        if ((hit = found_in(path, c, 0)) != NULL)
            fail_msg("%s holds the MFA code %s", path, hit);
        (*files)++;
    }
    closedir(d);
}

static int syslog_lines(const char *a, const char *b)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/syslog.log", env("HYG_CAPTURES"));
    return file_count_lines(path, a, b);
}

/* Syslog (through /dev/log), every stderr and every stdout that is not
 * credentials by design: no secret, no code, and every failure said. */
static void test_logs_and_outputs_hold_no_secret(void **state)
{
    (void)state;
    struct needles s, c;
    secrets(&s);
    codes(&c);
    int files = 0;
    check_captures(&s, &c, &files);
    assert_true(files >= 20);
    /* The syslog really is the module's: one line per login, failures with their reason. */
    assert_int_equal(syslog_lines("user=hyg1 outcome=success", "flow=session+role"), 1);
    assert_int_equal(syslog_lines("user=hyg3 outcome=mfa_code_rejected", NULL), 1);
    assert_int_equal(syslog_lines("user=hyg4 outcome=sts_error", NULL), 1);
    assert_int_equal(syslog_lines("user=hyg5 outcome=sts_error", "SecretAccessKey"), 1);
    assert_int_equal(syslog_lines("user=hyg1: session closed, 0 open, credentials removed", NULL),
                     1);
    /* ...and in JSON, with the issued key id, the role and the source identity. */
    assert_int_equal(
        syslog_lines("{\"user\":\"hyg6\",\"outcome\":\"success\"", "\"access_key_id\":\"ASIA"), 1);
    assert_int_equal(
        syslog_lines("{\"user\":\"hyg6\",\"outcome\":\"success\"", "\"source_identity\":\"hyg6\""),
        1);
    assert_int_equal(syslog_lines("{\"user\":\"hyg3\",\"outcome\":\"mfa_code_rejected\"", NULL), 1);
    /* keys = ssm: the login, no region but the instance's; the refused values. */
    assert_int_equal(syslog_lines("user=alice outcome=success", "region_from=imds"), 1);
    assert_int_equal(syslog_lines("user=plain outcome=keys_error", "SecureString"), 1);
    assert_int_equal(syslog_lines("user=extra outcome=keys_error", NULL), 1);
    char path[1024];
    snprintf(path, sizeof(path), "%s/pam-ssm-alice.out", env("HYG_CAPTURES"));
    assert_int_equal(file_count_lines(path, "region eu-west-1", NULL), 1);
    free_needles(&s);
    free_needles(&c);
}

/* Each file of the harness's list (written since the run began) is searched;
 * a secret may be only in the files allowed, a code nowhere, keys = ssm:'s
 * secrets in none but the planted copy (the peers' files included). Returns
 * how many allowed files held one; *planted, whether the copy was found. */
static int check_written(const char *list_name, bool session_open, int *planted)
{
    char list[512];
    snprintf(list, sizeof(list), "%s/%s", env("HYG_HARNESS"), list_name);
    struct needles s, c, ssm;
    secrets(&s);
    codes(&c);
    ssm_secrets(&ssm);
    *planted = 0;
    FILE *f = fopen(list, "r");
    if (f == NULL)
        fail_msg("%s: %s", list, strerror(errno));
    char path[4096];
    int allowed_hits = 0, searched = 0;
    while (fgets(path, sizeof(path), f) != NULL) {
        path[strcspn(path, "\n")] = '\0';
        if (harness_file(path))
            continue;
        searched++;
        const char *hit = found_in(path, &ssm, 16);
        if (hit != NULL && strcmp(path, env("HYG_PLANTED")) == 0) {
            (*planted)++;
            continue;
        }
        if (hit != NULL)
            fail_msg("%s holds a secret of keys = ssm: (%.6s...)", path, hit);
        if (peers_file(path))
            continue;
        hit = found_in(path, &c, 0);
        if (hit != NULL)
            fail_msg("%s holds the MFA code %s", path, hit);
        hit = found_in(path, &s, 16);
        if (hit == NULL)
            continue;
        bool allowed =
            strcmp(path, env("HYG_DROPIN")) == 0 || (session_open && under(path, runtime_dir));
        if (!allowed)
            fail_msg("%s holds a secret (%.6s...) outside the runtime directory %s", path, hit,
                     runtime_dir);
        allowed_hits++;
    }
    fclose(f);
    print_message("%s: %d files written, searched\n", list, searched);
    free_needles(&s);
    free_needles(&c);
    free_needles(&ssm);
    return allowed_hits;
}

static void test_files_while_the_session_is_open(void **state)
{
    (void)state;
    /* The credentials and the state file are found, and are the only ones;
     * the planted copy is found too. */
    int planted;
    assert_int_equal(check_written("during.list", true, &planted), 2);
    assert_int_equal(planted, 1);
    struct needles s;
    secrets(&s);
    assert_non_null(found_in(env("HYG_RUNTIME_FILE"), &s, 0));
    free_needles(&s);
}

static void test_files_after_logout(void **state)
{
    (void)state;
    /* Only aws-mfa's own file, which the drop-in is asked to write; and
     * the planted copy. */
    int planted;
    assert_int_equal(check_written("after.list", false, &planted), 1);
    assert_int_equal(planted, 1);
    struct stat st;
    assert_int_equal(lstat(runtime_dir, &st), -1);
    assert_int_equal(errno, ENOENT);
}

/* A process on a new pty, as the user, allowed core files, in dir. */
static pid_t spawn_on_pty(char *const argv[], int *master)
{
    uid_t uid = (uid_t)atoi(env("HYG_CORE_UID"));
    char home[600], ld[600], nssp[600], nssg[600], ca[600], url[600];
    snprintf(home, sizeof(home), "HOME=%s", env("HYG_HOME"));
    snprintf(ld, sizeof(ld), "LD_PRELOAD=%s", env("LD_PRELOAD"));
    snprintf(nssp, sizeof(nssp), "NSS_WRAPPER_PASSWD=%s", env("NSS_WRAPPER_PASSWD"));
    snprintf(nssg, sizeof(nssg), "NSS_WRAPPER_GROUP=%s", env("NSS_WRAPPER_GROUP"));
    snprintf(ca, sizeof(ca), "AWS_CA_BUNDLE=%s", env("TEST_CA"));
    snprintf(url, sizeof(url), "AWS_ENDPOINT_URL_STS=%s", env("FAULT_URL"));
    /* Under ASan the runtime must not be the one refusing the core. */
    char path[] = "PATH=/usr/bin:/bin";
    char asan[] = "ASAN_OPTIONS=disable_coredump=0:verify_asan_link_order=0:detect_leaks=0";
    char *envp[] = {path, home, ld, nssp, nssg, ca, url, asan, NULL};
    pid_t pid = forkpty(master, NULL, NULL, NULL);
    if (pid == 0) {
        struct rlimit unlimited = {RLIM_INFINITY, RLIM_INFINITY};
        if (setrlimit(RLIMIT_CORE, &unlimited) != 0 || chdir(env("HYG_CORE_DIR")) != 0 ||
            setgroups(0, NULL) != 0 || setgid(uid) != 0 || setuid(uid) != 0)
            _exit(120);
        execve(argv[0], argv, envp);
        _exit(127);
    }
    return pid;
}

/* Read the pty until want shows (or 20 s pass). */
static bool wait_for(int master, const char *want)
{
    char buf[4096];
    size_t got = 0;
    time_t end = time(NULL) + 20;
    while (time(NULL) < end) {
        struct pollfd p = {.fd = master, .events = POLLIN};
        if (poll(&p, 1, 500) == 1) {
            ssize_t n = read(master, buf + got, sizeof(buf) - 1 - got);
            if (n <= 0)
                return false;
            got += (size_t)n;
            buf[got] = '\0';
            if (strstr(buf, want) != NULL)
                return true;
            if (got > sizeof(buf) / 2)
                memmove(buf, buf + got / 2, got - got / 2 + 1), got -= got / 2;
        }
    }
    return false;
}

/* Can the user open /proc/PID/environ? Only if the process is dumpable. */
static bool user_can_read_environ(pid_t pid)
{
    uid_t uid = (uid_t)atoi(env("HYG_CORE_UID"));
    pid_t k = fork();
    if (k == 0) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
        if (setgroups(0, NULL) != 0 || setgid(uid) != 0 || setuid(uid) != 0)
            _exit(2);
        _exit(open(path, O_RDONLY) >= 0 ? 0 : 1);
    }
    int st;
    assert_int_equal(waitpid(k, &st, 0), k);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) != 2);
    return WEXITSTATUS(st) == 0;
}

static bool core_file_for(pid_t pid)
{
    char path[1024];
    struct stat st;
    snprintf(path, sizeof(path), "%s/core", env("HYG_CORE_DIR"));
    if (lstat(path, &st) == 0) {
        unlink(path);
        return true;
    }
    snprintf(path, sizeof(path), "%s/core.%d", env("HYG_CORE_DIR"), (int)pid);
    if (lstat(path, &st) == 0) {
        unlink(path);
        return true;
    }
    return false;
}

/* SIGQUIT to a process waiting at its prompt: did it dump core? */
static bool quit_dumps_core(pid_t pid, int master)
{
    assert_int_equal(kill(pid, SIGQUIT), 0);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    close(master);
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGQUIT);
    bool dumped = WCOREDUMP(st);
    assert_int_equal(core_file_for(pid), dumped);
    return dumped;
}

static void test_helper_core_dump_refused(void **state)
{
    (void)state;
    FILE *f = fopen("/proc/sys/kernel/core_pattern", "r");
    char pattern[256] = "";
    assert_non_null(f);
    assert_non_null(fgets(pattern, sizeof(pattern), f));
    fclose(f);
    if (pattern[0] == '|')
        fail_msg("core_pattern pipes cores to %s: this test needs the kernel's own core files",
                 pattern);

    /* The control: a plain process of the same user, in the same place, dumps. */
    int master;
    char sh[] = "/bin/sh", dash_c[] = "-c", script[] = "echo READY; exec sleep 60";
    char *sleeper[] = {sh, dash_c, script, NULL};
    pid_t pid = spawn_on_pty(sleeper, &master);
    assert_true(pid > 0);
    assert_true(wait_for(master, "READY"));
    usleep(100 * 1000); /* the exec of sleep */
    assert_true(user_can_read_environ(pid));
    assert_true(quit_dumps_core(pid, master));

    /* awssts login waits at its MFA prompt, holding the long-term keys. */
    char *bin = strdup(env("AWSSTS_BIN"));
    char login[] = "login", force[] = "--force", region[] = "--region", eu[] = "eu-west-1";
    char *helper[] = {bin, login, force, region, eu, NULL};
    pid = spawn_on_pty(helper, &master);
    assert_true(pid > 0);
    if (!wait_for(master, "Enter AWS MFA code")) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        fail_msg("awssts login never prompted for the code");
    }
    assert_false(user_can_read_environ(pid)); /* not dumpable: not even by its own user */
    assert_false(quit_dumps_core(pid, master));
    free(bin);
}

/* --while-open: run inside the open session, where the runtime files still are. */
int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    setup_paths();
    if (argc > 1 && strcmp(argv[1], "--while-open") == 0) {
        const struct CMUnitTest open_tests[] = {
            cmocka_unit_test(test_files_while_the_session_is_open),
        };
        return cmocka_run_group_tests_name("secret_hygiene_open", open_tests, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_search_finds_secrets),
        cmocka_unit_test(test_logs_and_outputs_hold_no_secret),
        cmocka_unit_test(test_files_after_logout),
        cmocka_unit_test(test_helper_core_dump_refused),
    };
    return cmocka_run_group_tests_name("secret_hygiene", tests, NULL, NULL);
}
