/*
 * The module as a real bastion runs it: pam_systemd (tests/tools/logind-standin)
 * making /run/user/UID in the session stack before us, sshd's call order
 * (setcred before open_session) and login's (the other way round), one user
 * filling what they can, a user holding their own lock, PID reuse, a hostile
 * STS error text, a proxy with a password, and one deadline for a login's
 * STS calls. Users and services come from tests/pam/run-pam-tests.
 */
#include "leftovers.h"
#include "pam_login.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define LOGIND       "awssts_logind"       /* stand-in removes /run/user/UID at its close */
#define LOGIND_LATER "awssts_logind_later" /* it stays; removed after the PAM stack */

static void logind_dir(const char *user, char *out, size_t len)
{
    snprintf(out, len, "/run/user/%u", (unsigned)uid_of(user));
}

/* What logind does some time after the user's last session: its tmpfs goes. */
static void logind_removes(const char *user)
{
    char dir[64];
    logind_dir(user, dir, sizeof(dir));
    assert_int_equal(umount2(dir, MNT_DETACH), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void assert_credentials_under_logind(struct login *l, const char *user)
{
    char want[128];
    logind_dir(user, want, sizeof(want));
    strcat(want, "/aws-sts/credentials");
    const char *got = pam_getenv(l->ph, "AWS_SHARED_CREDENTIALS_FILE");
    if (got == NULL || strcmp(got, want) != 0)
        fail_msg("%s: AWS_SHARED_CREDENTIALS_FILE is %s, want %s", user, got ? got : "unset", want);
    assert_user_file(want, uid_of(user), "aws_access_key_id = ASIA");
}

/* sshd: setcred runs before pam_systemd has made /run/user/UID. */
static void test_logind_sshd_order(void **state)
{
    (void)state;
    struct login l;
    login_full(&l, LOGIND, "lena", code_at(0));
    assert_credentials_under_logind(&l, "lena");
    login_close(&l);
    assert_nothing_left("lena");
}

/* login(1): open_session first, then setcred. */
static void test_logind_login_order(void **state)
{
    (void)state;
    struct login l;
    login_full_session_first(&l, LOGIND, "lola", code_at(0));
    assert_credentials_under_logind(&l, "lola");
    login_close(&l);
    assert_nothing_left("lola");
}

/* logind removes /run/user/UID only after the PAM stack has closed. */
static void test_logind_removes_later(void **state)
{
    (void)state;
    struct login l;
    login_full(&l, LOGIND_LATER, "lars", code_at(0));
    assert_credentials_under_logind(&l, "lars");
    login_close(&l);
    char creds[128];
    logind_dir("lars", creds, sizeof(creds));
    strcat(creds, "/aws-sts/credentials");
    assert_false(exists(creds));
    logind_removes("lars");
    assert_nothing_left("lars");
}

/* A second session while the first is open: the same directory, one count. */
static void test_logind_second_session(void **state)
{
    (void)state;
    struct login a, b;
    login_full(&a, LOGIND, "leon", code_at(0));
    login_full(&b, LOGIND, "leon", code_at(30));
    const char *fa = pam_getenv(a.ph, "AWS_SHARED_CREDENTIALS_FILE");
    const char *fb = pam_getenv(b.ph, "AWS_SHARED_CREDENTIALS_FILE");
    assert_non_null(fa);
    assert_non_null(fb);
    assert_string_equal(fa, fb);
    assert_credentials_under_logind(&a, "leon");
    login_close(&b);
    assert_user_file(fa, uid_of("leon"), "aws_access_key_id = ASIA"); /* a is still open */
    login_close(&a);
    assert_nothing_left("leon");
}

/* Run fn as the user in a child; returns its exit status. */
static int as_user(const char *user, int (*fn)(void *), void *arg)
{
    struct passwd *pw = getpwnam(user);
    assert_non_null(pw);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
            _exit(90);
        _exit(fn(arg));
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

/* Write into path until the filesystem is full: 0 when ENOSPC came. */
static int fill(void *arg)
{
    const char *path = arg;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return 1;
    static char block[65536];
    ssize_t w;
    while ((w = write(fd, block, sizeof(block))) > 0)
        ;
    int e = errno;
    /* Finish the last partial blocks too. */
    while (write(fd, block, 1) > 0)
        ;
    close(fd);
    return w < 0 && e == ENOSPC ? 0 : 2;
}

static long free_kib(const char *path)
{
    struct statvfs sv;
    assert_int_equal(statvfs(path, &sv), 0);
    return (long)(sv.f_bavail * sv.f_frsize / 1024);
}

/* One user filling everything the module lets them write cannot stop
 * another user's login. */
static void test_user_cannot_fill_run(void **state)
{
    (void)state;
    struct login m, v;
    login_full(&m, "awssts", "mallory", code_at(0));
    const char *file = pam_getenv(m.ph, "AWS_SHARED_CREDENTIALS_FILE");
    assert_non_null(file);
    char filler[4200];
    snprintf(filler, sizeof(filler), "%s", file);
    strcpy(strrchr(filler, '/') + 1, "filler");
    assert_int_equal(as_user("mallory", fill, filler), 0);
    long run_free = free_kib("/run");
    print_message("mallory filled her directory; /run has %ld KiB free\n", run_free);

    int before = fault_log_count("\"key\": \"AKIAOKALVA", NULL);
    login_start(&v, "awssts", "alva", code_at(0));
    int auth = pam_authenticate(v.ph, 0);
    int cred = auth == PAM_SUCCESS ? pam_setcred(v.ph, PAM_ESTABLISH_CRED) : auth;
    unlink(filler); /* whatever happened: the tests after this one need /run */
    if (auth != PAM_SUCCESS || cred != PAM_SUCCESS)
        fail_msg("alva's login with mallory's directory full: auth %s, setcred %s",
                 pam_strerror(v.ph, auth), pam_strerror(v.ph, cred));
    assert_true(run_free > 1024);
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKALVA", NULL), before + 1);
    assert_int_equal(pam_open_session(v.ph, 0), PAM_SUCCESS);
    char creds[64];
    snprintf(creds, sizeof(creds), "/run/aws-sts/%u/credentials", (unsigned)uid_of("alva"));
    assert_user_file(creds, uid_of("alva"), "aws_access_key_id = ASIA");
    login_close(&v);
    login_close(&m);
    assert_nothing_left("mallory");
    assert_nothing_left("alva");
}

/* /run full (here: root filled it): refused before the prompt and before
 * STS, so no code is spent; one clear line. */
static void test_local_fault_before_sts(void **state)
{
    (void)state;
    char root_filler[] = "/run/root-filler";
    assert_int_equal(fill(root_filler), 0);
    int before = fault_log_count("\"key\": \"AKIAOKFRED", NULL);
    struct login l;
    login_start(&l, "awssts", "fred", code_at(0));
    int rc = pam_authenticate(l.ph, 0);
    unlink("/run/root-filler");
    if (rc != PAM_AUTHINFO_UNAVAIL)
        fail_msg("authenticate with /run full: %s", pam_strerror(l.ph, rc));
    assert_int_equal(l.script.next, 0); /* not even prompted */
    login_finish(&l);
    assert_int_equal(fault_log_count("\"key\": \"AKIAOKFRED", NULL), before);
    assert_int_equal(pam_log_count("user=fred outcome=local_error", "STS not called"), 1);
    assert_nothing_left("fred");
}

static bool file_holds(const char *path, const char *what)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char text[16384];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    return strstr(text, what) != NULL;
}

/* The proxy's password is root's: the user's state file never holds it. */
static void test_proxy_password_stays_root_s(void **state)
{
    (void)state;
    struct login l;
    login_full(&l, "awssts_proxy", "pat", code_at(0));
    assert_true(proxy_log_count("\"auth\": \"ok\"") >= 1);
    const char *file = pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE");
    assert_non_null(file);
    char st[4200];
    snprintf(st, sizeof(st), "%s", file);
    strcpy(strrchr(st, '/') + 1, "state");
    assert_user_file(st, uid_of("pat"), "proxy = http://127.0.0.1:");
    if (file_holds(st, peer_env("PROXY_PASSWORD")) || file_holds(st, "proxyuser"))
        fail_msg("%s holds the proxy's credentials", st);
    login_close(&l);

    /* The same configuration readable by every user (0644) would hand
     * them the password: refused at its line, before any prompt. */
    struct login o;
    login_start(&o, "awssts_proxyopen", "pat", code_at(30));
    assert_int_not_equal(pam_authenticate(o.ph, 0), PAM_SUCCESS);
    assert_int_equal(o.script.next, 0);
    login_finish(&o);
    assert_int_equal(pam_log_count("user=pat outcome=config_error",
                                   "proxy carries a user name and password, but others may read"),
                     1);
    /* Whoever logs in: pat's section is readable by all of them. */
    login_start(&o, "awssts_proxyopen", "rita", code_at(30));
    assert_int_not_equal(pam_authenticate(o.ph, 0), PAM_SUCCESS);
    assert_int_equal(o.script.next, 0);
    login_finish(&o);
    assert_int_equal(pam_log_count("user=rita outcome=config_error",
                                   "[user:pat] proxy carries a user name and password"),
                     1);
}

struct holder {
    const char *dir;
    int ready_fd;
};

/* Hold the lock of the user's directory, as a helper stuck at a prompt would. */
static int hold_lock(void *arg)
{
    struct holder *h = arg;
    int fd = open(h->dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0 || flock(fd, LOCK_EX) != 0)
        return 1;
    if (write(h->ready_fd, "y", 1) != 1)
        return 2;
    pause();
    return 0;
}

/* A process of the user holding the directory's lock cannot make a root
 * login wait for ever: the wait is bounded and says so. */
static void test_lock_wait_is_bounded(void **state)
{
    (void)state;
    struct login a;
    login_full(&a, "awssts", "lox", code_at(0));
    const char *file = pam_getenv(a.ph, "AWS_SHARED_CREDENTIALS_FILE");
    assert_non_null(file);
    char dir[4200];
    snprintf(dir, sizeof(dir), "%s", file);
    *strrchr(dir, '/') = '\0';

    int ready[2];
    assert_int_equal(pipe(ready), 0);
    struct passwd *pw = getpwnam("lox");
    pid_t holder = fork();
    assert_true(holder >= 0);
    if (holder == 0) {
        close(ready[0]);
        if (setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
            _exit(90);
        struct holder h = {dir, ready[1]};
        _exit(hold_lock(&h));
    }
    close(ready[1]);
    char c = 0;
    struct pollfd pfd = {.fd = ready[0], .events = POLLIN};
    assert_int_equal(poll(&pfd, 1, 10000), 1);
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);

    /* A second login, in a child, so that a module that waits for ever
     * fails this test instead of hanging it. */
    struct login b;
    login_start(&b, "awssts", "lox", code_at(30));
    long long t0 = now_ms();
    pid_t kid = fork();
    assert_true(kid >= 0);
    if (kid == 0) {
        int ok = pam_authenticate(b.ph, 0) == PAM_SUCCESS;
        int sc = pam_setcred(b.ph, PAM_ESTABLISH_CRED);
        int os = pam_open_session(b.ph, 0);
        if (os == PAM_SUCCESS)
            pam_close_session(b.ph, 0);
        _exit(ok && sc == PAM_CRED_ERR ? 0 : 10 + (sc & 0x1f));
    }
    int status = 0;
    pid_t w = 0;
    while (now_ms() - t0 < 30000 && (w = waitpid(kid, &status, WNOHANG)) == 0)
        usleep(50000);
    long long took = now_ms() - t0;
    kill(holder, SIGKILL);
    waitpid(holder, NULL, 0);
    if (w == 0) {
        kill(kid, SIGKILL);
        waitpid(kid, NULL, 0);
        fail_msg("the second login still waits for the user's lock after %lld ms", took);
    }
    print_message("second login gave up on the held lock after %lld ms\n", took);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* The user's timeout (3 s) bounds the wait; the STS call comes first. */
    assert_true(took < 3000 + 6000);
    assert_int_equal(pam_log_count("user=lox", "gave up waiting for the lock"), 1);
    /* A lock held too long is said to be one, never blamed on STS. */
    assert_int_equal(pam_log_count("user=lox", "STS did not answer"), 0);
    login_finish(&b);
    login_close(&a);
    assert_nothing_left("lox");
}

/* Hold a lock on path (a directory) in a child until killed. */
static pid_t hold_lock_of(const char *path)
{
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        int fd = open(path, O_RDONLY | O_DIRECTORY);
        if (fd < 0 || flock(fd, LOCK_EX) != 0 || write(ready[1], "y", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    close(ready[1]);
    char c = 0;
    struct pollfd pfd = {.fd = ready[0], .events = POLLIN};
    assert_int_equal(poll(&pfd, 1, 10000), 1);
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    return pid;
}

/* Auth runs for any caller before the user is authenticated (su runs it for
 * another user, who may stop it at will): it must not hold, nor wait for,
 * a lock that the user's logins and logouts need. Here the user's registry
 * is locked for as long as the test likes; auth goes on to the prompt at
 * once (a malformed code: refused, STS not called). */
static void test_auth_holds_no_registry_lock(void **state)
{
    (void)state;
    char reg[64];
    snprintf(reg, sizeof(reg), "/run/aws-sts/sessions/%u", (unsigned)uid_of("fred"));
    /* As the module makes them, modes exact whatever the umask. */
    const struct {
        const char *path;
        mode_t mode;
    } dirs[] = {{"/run/aws-sts", 0755}, {"/run/aws-sts/sessions", 0700}, {reg, 0700}};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        if (mkdir(dirs[i].path, dirs[i].mode) == 0)
            assert_int_equal(chmod(dirs[i].path, dirs[i].mode), 0);
        else
            assert_true(errno == EEXIST && i < 2); /* the user's registry is this test's */
    }
    pid_t holder = hold_lock_of(reg);

    struct login l;
    login_start(&l, "awssts", "fred", "notacode");
    long long t0 = now_ms();
    int rc = pam_authenticate(l.ph, 0);
    long long took = now_ms() - t0;
    kill(holder, SIGKILL);
    waitpid(holder, NULL, 0);
    rmdir(reg);
    print_message("auth with fred's registry locked: %s after %lld ms\n", pam_strerror(l.ph, rc),
                  took);
    assert_int_equal(l.script.next, 1); /* prompted */
    assert_int_equal(rc, PAM_AUTH_ERR);
    assert_true(took < 2000);
    login_finish(&l);
    assert_int_equal(pam_log_count("user=fred outcome=bad_code_format", "STS not called"), 1);
    assert_nothing_left("fred");
}

/* One deadline for all of a login's STS calls: two answers of 1.8 s each
 * under timeout = 3 make a timeout, not a 3.6 s login. */
static void test_one_deadline_per_login(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts", "dora", code_at(0));
    long long t0 = now_ms();
    int rc = pam_authenticate(l.ph, 0);
    long long took = now_ms() - t0;
    print_message("session+role against a 1.8 s STS, timeout 3 s: %s after %lld ms\n",
                  pam_strerror(l.ph, rc), took);
    assert_int_equal(rc, PAM_AUTHINFO_UNAVAIL);
    const char *margin = getenv("PAS_MATRIX_MARGIN_MS");
    assert_true(took < 3000 + (margin ? atol(margin) : 700));
    assert_int_equal(pam_log_count("user=dora outcome=sts_error", "did not answer in time"), 1);
    login_finish(&l);
}

/* Another user's hand-off named in the PAM environment is refused and left
 * alone: only its own user's login may use or remove it. */
static void test_foreign_handoff_left_alone(void **state)
{
    (void)state;
    struct login owner, other;
    /* As in sshd, auth in a child: the hand-off exists only as the file. */
    login_start(&owner, "awssts", "hana", code_at(0));
    bool handoff = false;
    assert_true(login_auth_in_child(&owner, &handoff));
    assert_true(handoff);
    const char *token = pam_getenv(owner.ph, "PAM_AWS_STS_HANDOFF");
    assert_non_null(token);
    char path[128], env[128];
    snprintf(path, sizeof(path), "/run/aws-sts/staging/%s", token);
    snprintf(env, sizeof(env), "PAM_AWS_STS_HANDOFF=%s", token);
    assert_true(exists(path));

    login_start(&other, "awssts", "hugo", NULL);
    assert_int_equal(pam_putenv(other.ph, env), PAM_SUCCESS);
    assert_int_equal(pam_setcred(other.ph, PAM_ESTABLISH_CRED), PAM_CRED_ERR);
    login_finish(&other);
    assert_true(exists(path));
    assert_int_equal(pam_log_count("user=hugo", "hand-off belongs to hana"), 1);

    /* The owner's login still works. */
    pam_handle_t *ph = owner.ph;
    assert_int_equal(pam_setcred(ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
    assert_int_equal(pam_open_session(ph, 0), PAM_SUCCESS);
    assert_false(exists(path));
    login_close(&owner);
}

/* A login whose hand-off came through pam_set_data, while the PAM
 * environment names another login's file: that file is not the one read,
 * so it stays; this login's own file goes. */
static void test_named_handoff_not_read_left_alone(void **state)
{
    (void)state;
    struct login owner, other;
    login_start(&owner, "awssts", "hana", code_at(30));
    bool handoff = false;
    assert_true(login_auth_in_child(&owner, &handoff));
    assert_true(handoff);
    char owner_path[128], env[128], other_path[128];
    const char *token = pam_getenv(owner.ph, "PAM_AWS_STS_HANDOFF");
    assert_non_null(token);
    snprintf(owner_path, sizeof(owner_path), "/run/aws-sts/staging/%s", token);
    snprintf(env, sizeof(env), "PAM_AWS_STS_HANDOFF=%s", token);

    /* Auth in this process: the data is kept with pam_set_data as well. */
    login_start(&other, "awssts", "hugo", code_at(0));
    login_auth_ok(&other, "hugo");
    const char *own = pam_getenv(other.ph, "PAM_AWS_STS_HANDOFF");
    assert_non_null(own);
    snprintf(other_path, sizeof(other_path), "/run/aws-sts/staging/%s", own);
    assert_true(exists(other_path));
    assert_int_equal(pam_putenv(other.ph, env), PAM_SUCCESS);
    assert_int_equal(pam_setcred(other.ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
    bool owner_kept = exists(owner_path), own_left = exists(other_path);
    assert_int_equal(pam_open_session(other.ph, 0), PAM_SUCCESS);
    login_close(&other);

    /* The owner's login still works, and uses its file up. Both logins
     * end before any verdict, so that a failure leaves no session open. */
    int owner_rc = pam_setcred(owner.ph, PAM_ESTABLISH_CRED);
    if (owner_rc == PAM_SUCCESS) {
        assert_int_equal(pam_open_session(owner.ph, 0), PAM_SUCCESS);
        login_close(&owner);
    } else {
        login_finish(&owner);
    }
    if (!owner_kept)
        fail_msg("hugo's login removed hana's hand-off %s, which it did not read", owner_path);
    if (own_left)
        fail_msg("hugo's login left its own hand-off %s", other_path);
    assert_int_equal(owner_rc, PAM_SUCCESS);
    assert_false(exists(owner_path));
}

/* A whole file's text, NUL-ended, in buf. */
static void slurp(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("%s: %s", path, strerror(errno));
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* The hand-off is the login's state: auth stages the state the session
 * then writes, as is, with only the hand-off's own header beside it. */
static void test_handoff_is_the_state(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts", "stella", code_at(0));
    bool handoff = false;
    assert_true(login_auth_in_child(&l, &handoff));
    assert_true(handoff);
    const char *token = pam_getenv(l.ph, "PAM_AWS_STS_HANDOFF");
    assert_non_null(token);
    char staged_path[128], staged[16384], written_path[128], written[16384];
    snprintf(staged_path, sizeof(staged_path), "/run/aws-sts/staging/%s", token);
    slurp(staged_path, staged, sizeof(staged));
    /* The header is the last section, after the blank line that ends the state. */
    char *header = strstr(staged, "\n\n[handoff]\n");
    assert_non_null(header);
    assert_non_null(strstr(header, "\nuser = stella\n"));
    assert_non_null(strstr(header, "\nuid = "));
    assert_non_null(strstr(header, "\ncreated = "));
    header[1] = '\0';
    assert_non_null(strstr(staged, "[awssts]\nversion = 3\nuser = stella\n"));

    assert_int_equal(pam_setcred(l.ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
    assert_int_equal(pam_open_session(l.ph, 0), PAM_SUCCESS);
    assert_false(exists(staged_path));
    snprintf(written_path, sizeof(written_path), "/run/aws-sts/%u/state",
             (unsigned)uid_of("stella"));
    slurp(written_path, written, sizeof(written));
    /* Compared before the session closes, which removes the file. */
    bool same = strcmp(staged, written) == 0;
    login_close(&l);
    if (!same)
        fail_msg("staged state:\n%s\nwritten state:\n%s", staged, written);
}

/* An error text with quotes cannot forge fields of the log line. */
static void test_error_text_is_escaped(void **state)
{
    (void)state;
    struct login l;
    login_start(&l, "awssts", "mxquote", code_at(0));
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_AUTHINFO_UNAVAIL);
    login_finish(&l);
    assert_int_equal(pam_log_count("user=mxquote outcome=sts_error", "denied\\\" outcome=success"),
                     1);
    assert_int_equal(pam_log_count("denied\" outcome=success", NULL), 0);
}

/* A child that holds PID `want`, made by asking the kernel for that PID next. */
static pid_t fork_with_pid(pid_t want)
{
    for (int attempt = 0; attempt < 200; attempt++) {
        FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
        assert_non_null(f);
        fprintf(f, "%d", (int)want - 1);
        fclose(f);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            pause();
            _exit(0);
        }
        if (pid == want)
            return pid;
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    fail_msg("could not get PID %d again", (int)want);
    return -1;
}

/* A session whose process died without closing, its PID now another
 * process's, does not keep the files after the user's last logout. */
static void test_reused_pid_is_not_a_session(void **state)
{
    (void)state;
    struct login crashed, l;
    login_start(&crashed, "awssts", "remy", code_at(0));
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int ok = pam_authenticate(crashed.ph, 0) == PAM_SUCCESS &&
                 pam_setcred(crashed.ph, PAM_ESTABLISH_CRED) == PAM_SUCCESS &&
                 pam_open_session(crashed.ph, 0) == PAM_SUCCESS;
        _exit(ok ? 0 : 1); /* no close: a crash */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* Start times are in clock ticks (10 ms): the crashed login takes about
     * that long, and an impostor started within the same tick would be the
     * same process to anyone. A reused PID comes much later than that. */
    usleep(30000);
    pid_t impostor = fork_with_pid(pid);

    login_full(&l, "awssts", "remy", code_at(30));
    const char *file = pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE");
    assert_non_null(file);
    char creds[4200];
    snprintf(creds, sizeof(creds), "%s", file);
    login_close(&l);
    bool left = exists(creds);
    kill(impostor, SIGKILL);
    waitpid(impostor, NULL, 0);
    login_finish(&crashed); /* the parent's copy never ran a module */
    if (left)
        fail_msg("PID %d, reused by another process, kept the crashed session alive", (int)pid);
    assert_nothing_left("remy");
}

/* run-pam-tests hands every test program a hostile environment (a key log
 * file, an OpenSSL configuration that breaks TLS, other CAs, proxies):
 * every login above worked, and no key log was written. */
static void test_environment_steered_nothing(void **state)
{
    (void)state;
    const char *keylog = getenv("SSLKEYLOGFILE");
    assert_non_null(keylog);
    assert_non_null(getenv("OPENSSL_CONF"));
    if (exists(keylog))
        fail_msg("%s exists: libcurl took SSLKEYLOGFILE from the environment", keylog);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logind_sshd_order),
        cmocka_unit_test(test_logind_login_order),
        cmocka_unit_test(test_logind_removes_later),
        cmocka_unit_test(test_logind_second_session),
        cmocka_unit_test(test_user_cannot_fill_run),
        cmocka_unit_test(test_local_fault_before_sts),
        cmocka_unit_test(test_proxy_password_stays_root_s),
        cmocka_unit_test(test_lock_wait_is_bounded),
        cmocka_unit_test(test_auth_holds_no_registry_lock),
        cmocka_unit_test(test_one_deadline_per_login),
        cmocka_unit_test(test_foreign_handoff_left_alone),
        cmocka_unit_test(test_named_handoff_not_read_left_alone),
        cmocka_unit_test(test_handoff_is_the_state),
        cmocka_unit_test(test_error_text_is_escaped),
        cmocka_unit_test(test_reused_pid_is_not_a_session),
        cmocka_unit_test(test_environment_steered_nothing),
    };
    return PAM_LOG_RUN("pam_bastion", tests, "bastion.log");
}
