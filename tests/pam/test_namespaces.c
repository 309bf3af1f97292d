/*
 * Logins of one user from several mount namespaces, as a PrivateTmp sshd
 * unit, pam_namespace, or su beside sshd make them: each child unshares
 * its mount namespace as a slave of this one, so mounts reach it from here
 * but never go back. The module's tmpfs for the user (/run/aws-sts/UID) is
 * mounted in one namespace; every login must still work, or be refused
 * before the prompt with no STS call. Users (LOAD keys, whose codes may be
 * used again) and the service come from tests/pam/run-pam-tests.
 */
#include "pam_login.h"

#include <ftw.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define AT_ONCE 10

/* What a login in a child namespace reports. */
struct report {
    int step;      /* 0: open; 1 auth, 2 account, 3 setcred, 4 open_session, 5 files; 9 setup */
    int rc;        /* PAM code of the step that failed */
    int prompted;  /* prompts answered */
    dev_t dev;     /* the filesystem of its credentials file */
    char dir[128]; /* the directory of its credentials file */
};

struct nslogin {
    struct login l;
    pid_t pid;
    int report;  /* read end */
    int command; /* write end: 'c' close, 'x' die with the session open, 'u' unmount the dir */
};

/* The credentials file is the user's, 0600, and holds a key. */
static int files_ok(const char *path, uid_t uid, struct report *r)
{
    struct stat st;
    char text[4096] = "";
    FILE *f = NULL;
    if (path == NULL || lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != uid ||
        (st.st_mode & 07777) != 0600 || (f = fopen(path, "r")) == NULL)
        return 0;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    r->dev = st.st_dev;
    snprintf(r->dir, sizeof(r->dir), "%s", path);
    *strrchr(r->dir, '/') = '\0';
    return strstr(text, "aws_access_key_id = ASIA") != NULL;
}

static void send_report(int fd, const struct report *r)
{
    if (write(fd, r, sizeof(*r)) != (ssize_t)sizeof(*r))
        _exit(11);
}

/* The child: never returns, never uses cmocka (its longjmp would run the
 * rest of the suite here). */
static void child(struct nslogin *n, int report_fd, int command_fd, uid_t uid)
{
    struct report r = {.step = 9};
    pam_handle_t *ph = n->l.ph;
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) != 0) {
        send_report(report_fd, &r);
        _exit(10);
    }
    r.step = 1;
    if ((r.rc = pam_authenticate(ph, 0)) == PAM_SUCCESS && ++r.step &&
        (r.rc = pam_acct_mgmt(ph, 0)) == PAM_SUCCESS && ++r.step &&
        (r.rc = pam_setcred(ph, PAM_ESTABLISH_CRED)) == PAM_SUCCESS && ++r.step &&
        (r.rc = pam_open_session(ph, 0)) == PAM_SUCCESS && ++r.step)
        r.step = files_ok(pam_getenv(ph, "AWS_SHARED_CREDENTIALS_FILE"), uid, &r) ? 0 : 5;
    r.prompted = n->l.script.next;
    send_report(report_fd, &r);
    char c;
    while (read(command_fd, &c, 1) == 1) {
        if (c == 'x')
            _exit(0); /* a crash: the session stays registered, its namespace goes */
        if (c == 'u') {
            r.rc = umount2(r.dir, MNT_DETACH);
            send_report(report_fd, &r);
            continue;
        }
        r.rc = pam_close_session(ph, 0);
        if (pam_setcred(ph, PAM_DELETE_CRED) != PAM_SUCCESS && r.rc == PAM_SUCCESS)
            r.rc = PAM_CRED_ERR;
        pam_end(ph, r.rc);
        send_report(report_fd, &r);
        _exit(0);
    }
    _exit(12);
}

/* A login of user in a namespace of its own; the handle is started here,
 * before the fork (pam_wrapper forgets its set-up in a forked child). */
static void ns_start(struct nslogin *n, const char *user)
{
    login_start(&n->l, "awssts", user, code_at(0));
    int rep[2], cmd[2];
    assert_int_equal(pipe(rep), 0);
    assert_int_equal(pipe(cmd), 0);
    uid_t uid = uid_of(user);
    n->pid = fork();
    assert_true(n->pid >= 0);
    if (n->pid == 0) {
        close(rep[0]);
        close(cmd[1]);
        child(n, rep[1], cmd[0], uid);
    }
    close(rep[1]);
    close(cmd[0]);
    n->report = rep[0];
    n->command = cmd[1];
}

static void ns_read(struct nslogin *n, struct report *r)
{
    struct pollfd p = {.fd = n->report, .events = POLLIN};
    if (poll(&p, 1, 60000) != 1 || read(n->report, r, sizeof(*r)) != (ssize_t)sizeof(*r))
        fail_msg("login in child %d did not report", (int)n->pid);
}

/* Send c; for 'c' and 'u' the child's answer lands in r. */
static void ns_command(struct nslogin *n, char c, struct report *r)
{
    assert_int_equal(write(n->command, &c, 1), 1);
    if (c != 'x')
        ns_read(n, r);
}

/* Reap the child; the parent's copy of the handle never ran a module. */
static void ns_end(struct nslogin *n)
{
    int status = 0;
    assert_int_equal(waitpid(n->pid, &status, 0), n->pid);
    close(n->report);
    close(n->command);
    login_finish(&n->l);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int sts_calls(const char *user)
{
    char key[64];
    snprintf(key, sizeof(key), "\"key\": \"AKIALOADNS%s", user);
    return fault_log_count(key, NULL);
}

static uid_t leftover_uid;
static char leftover_path[4096];

static int find_leftover(const char *path, const struct stat *st, int type, struct FTW *f)
{
    (void)type;
    (void)f;
    char uid_part[32];
    snprintf(uid_part, sizeof(uid_part), "/%u", (unsigned)leftover_uid);
    size_t n = strlen(uid_part);
    const char *hit = strstr(path, uid_part);
    if (st->st_uid == leftover_uid || (hit != NULL && (hit[n] == '\0' || hit[n] == '/'))) {
        snprintf(leftover_path, sizeof(leftover_path), "%s", path);
        return 1;
    }
    return 0;
}

/* Nothing under /run (in this namespace) is the user's or named by the uid. */
static void assert_nothing_left(const char *user)
{
    leftover_uid = uid_of(user);
    leftover_path[0] = '\0';
    if (nftw("/run", find_leftover, 16, FTW_PHYS) != 0)
        fail_msg("%s: %s is left under /run after the last logout", user, leftover_path);
}

static void assert_opened(const char *user, int i, const struct report *r)
{
    if (r->step != 0)
        fail_msg("%s, login %d: failed at step %d (1 auth, 3 setcred, 4 open_session, 5 files) "
                 "with %d, after %d prompt(s)",
                 user, i, r->step, r->rc, r->prompted);
}

/* Ten logins of one user at once, each in its own namespace: each works
 * (and all share one tmpfs), or is refused before the prompt and STS. */
static void test_ten_namespaces_at_once(void **state)
{
    (void)state;
    static struct nslogin n[AT_ONCE];
    struct report r[AT_ONCE];
    int before = sts_calls("NINA");
    for (int i = 0; i < AT_ONCE; i++)
        ns_start(&n[i], "nina");
    int ok = 0, refused = 0, late = 0;
    for (int i = 0; i < AT_ONCE; i++) {
        ns_read(&n[i], &r[i]);
        if (r[i].step == 0)
            ok++;
        else if (r[i].step == 1 && r[i].prompted == 0)
            refused++;
        else
            late++;
    }
    int calls = sts_calls("NINA") - before;
    print_message("nina, %d namespaces: %d logged in, %d refused before the prompt, %d failed "
                  "later; %d STS calls\n",
                  AT_ONCE, ok, refused, late, calls);
    for (int i = 0; i < AT_ONCE && late > 0; i++)
        if (r[i].step != 0 && !(r[i].step == 1 && r[i].prompted == 0))
            print_message("  login %d: failed at step %d with PAM code %d after %d prompt(s)\n", i,
                          r[i].step, r[i].rc, r[i].prompted);
    for (int i = 0; i < AT_ONCE; i++) {
        struct report c;
        ns_command(&n[i], 'c', &c);
        if (r[i].step == 0)
            assert_int_equal(c.rc, PAM_SUCCESS);
        ns_end(&n[i]);
    }
    assert_int_equal(late, 0);
    assert_int_equal(calls, ok); /* one GetSessionToken per login that got in, none for a refusal */
    for (int i = 1; i < AT_ONCE; i++)
        if (r[i].step == 0 && r[0].step == 0 && r[i].dev != r[0].dev)
            fail_msg("nina: logins 0 and %d saw their files on two filesystems", i);
    assert_true(ok >= 1);
    assert_int_equal(registry_entries("nina"), -1);
    assert_nothing_left("nina");
}

/* A namespace died with its session open: here the mount point is a bare,
 * root-owned directory, and the next login must still work. */
static void test_login_after_namespace_died(void **state)
{
    (void)state;
    struct nslogin a;
    struct report r;
    ns_start(&a, "nell");
    ns_read(&a, &r);
    assert_opened("nell", 0, &r);
    ns_command(&a, 'x', &r);
    ns_end(&a);

    int before = sts_calls("NELL");
    struct login l;
    login_start(&l, "awssts", "nell", code_at(0));
    int auth = pam_authenticate(l.ph, 0);
    int cred = auth == PAM_SUCCESS ? pam_setcred(l.ph, PAM_ESTABLISH_CRED) : auth;
    int open = cred == PAM_SUCCESS ? pam_open_session(l.ph, 0) : cred;
    if (open != PAM_SUCCESS) {
        int calls = sts_calls("NELL") - before;
        pam_end(l.ph, open);
        fail_msg("nell after her namespace died: auth %s, setcred %s, open_session %s; %d STS "
                 "call(s), %d prompt(s)",
                 pam_strerror(NULL, auth), pam_strerror(NULL, cred), pam_strerror(NULL, open),
                 calls, l.script.next);
    }
    char creds[64];
    snprintf(creds, sizeof(creds), "/run/aws-sts/%u/credentials", (unsigned)uid_of("nell"));
    assert_user_file(creds, uid_of("nell"), "aws_access_key_id = ASIA");

    /* The same, bare with her session live in this very namespace (the
     * tmpfs unmounted by hand): mounted afresh, no code wasted. */
    char dir[64];
    snprintf(dir, sizeof(dir), "/run/aws-sts/%u", (unsigned)uid_of("nell"));
    assert_int_equal(umount2(dir, MNT_DETACH), 0);
    struct login m;
    login_start(&m, "awssts", "nell", code_at(0));
    auth = pam_authenticate(m.ph, 0);
    cred = auth == PAM_SUCCESS ? pam_setcred(m.ph, PAM_ESTABLISH_CRED) : auth;
    open = cred == PAM_SUCCESS ? pam_open_session(m.ph, 0) : cred;
    if (open != PAM_SUCCESS) {
        pam_end(m.ph, open);
        login_close(&l);
        fail_msg("nell on a bare mount point beside her live session: auth %s, setcred %s, "
                 "open_session %s",
                 pam_strerror(NULL, auth), pam_strerror(NULL, cred), pam_strerror(NULL, open));
    }
    assert_user_file(creds, uid_of("nell"), "aws_access_key_id = ASIA");
    login_close(&m);
    login_close(&l);
    assert_nothing_left("nell");
}

/* A session in another namespace and one here: whichever closes last, from
 * whichever namespace, nothing is left. */
static void test_last_close_from_either_namespace(void **state)
{
    (void)state;
    for (int here_first = 0; here_first < 2; here_first++) {
        struct nslogin a;
        struct login l;
        struct report r;
        if (here_first)
            login_full(&l, "awssts", "noah", code_at(0));
        ns_start(&a, "noah");
        ns_read(&a, &r);
        assert_opened("noah", 0, &r);
        if (!here_first) {
            login_start(&l, "awssts", "noah", code_at(0));
            int auth = pam_authenticate(l.ph, 0);
            int cred = auth == PAM_SUCCESS ? pam_setcred(l.ph, PAM_ESTABLISH_CRED) : auth;
            int open = cred == PAM_SUCCESS ? pam_open_session(l.ph, 0) : cred;
            if (open != PAM_SUCCESS) {
                ns_command(&a, 'c', &r);
                ns_end(&a);
                pam_end(l.ph, open);
                fail_msg("noah beside a session in another namespace: auth %s, setcred %s, "
                         "open_session %s",
                         pam_strerror(NULL, auth), pam_strerror(NULL, cred), pam_strerror(NULL, open));
            }
        }
        const char *file = pam_getenv(l.ph, "AWS_SHARED_CREDENTIALS_FILE");
        assert_non_null(file);
        struct stat st;
        assert_int_equal(stat(file, &st), 0);
        /* One tmpfs, seen from both namespaces (each login rewrote the file). */
        assert_true(st.st_dev == r.dev);
        login_close(&l); /* not the last */
        ns_command(&a, 'c', &r);
        assert_int_equal(r.rc, PAM_SUCCESS);
        ns_end(&a);
        assert_int_equal(registry_entries("noah"), -1);
        assert_nothing_left("noah");
    }
}

/* A live session in another namespace whose files cannot be shared here
 * (they were unmounted there): refused before the prompt, no STS call. */
static void test_unshareable_refused_before_sts(void **state)
{
    (void)state;
    struct nslogin a;
    struct report r;
    ns_start(&a, "ned");
    ns_read(&a, &r);
    assert_opened("ned", 0, &r);
    ns_command(&a, 'u', &r);
    assert_int_equal(r.rc, 0);

    int before = sts_calls("NED");
    struct login l;
    login_start(&l, "awssts", "ned", code_at(0));
    int auth = pam_authenticate(l.ph, 0);
    int cred = auth == PAM_SUCCESS ? pam_setcred(l.ph, PAM_ESTABLISH_CRED) : auth;
    int open = cred == PAM_SUCCESS ? pam_open_session(l.ph, 0) : cred;
    int calls = sts_calls("NED") - before;
    int prompted = l.script.next;
    if (open == PAM_SUCCESS)
        login_close(&l); /* it worked: as good as a refusal */
    else
        pam_end(l.ph, open);
    ns_command(&a, 'c', &r);
    ns_end(&a);
    if (auth == PAM_SUCCESS && open != PAM_SUCCESS)
        fail_msg("ned: a code was spent (%d STS call(s)), then setcred %s, open_session %s", calls,
                 pam_strerror(NULL, cred), pam_strerror(NULL, open));
    if (auth != PAM_SUCCESS) {
        assert_int_equal(auth, PAM_AUTHINFO_UNAVAIL);
        assert_int_equal(prompted, 0);
        assert_int_equal(calls, 0);
        assert_int_equal(pam_log_count("user=ned outcome=local_error", "STS not called"), 1);
        assert_int_equal(pam_log_count("user=ned outcome=local_error", "another mount namespace"), 1);
    }
    assert_int_equal(registry_entries("ned"), -1);
    assert_nothing_left("ned");
}

int main(void)
{
    /* As on a host: mounts made here reach the namespaces below. */
    if (mount(NULL, "/run", NULL, MS_SHARED, NULL) != 0) {
        perror("make /run shared");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ten_namespaces_at_once),
        cmocka_unit_test(test_login_after_namespace_died),
        cmocka_unit_test(test_last_close_from_either_namespace),
        cmocka_unit_test(test_unshareable_refused_before_sts),
    };
    return PAM_LOG_RUN("pam_namespaces", tests, "namespaces.log");
}
