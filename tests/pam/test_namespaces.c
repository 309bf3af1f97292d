/*
 * Logins of one user from several mount namespaces, as a PrivateTmp sshd
 * unit, pam_namespace, or su beside sshd make them: each child unshares
 * its mount namespace as a slave of this one, so mounts reach it from here
 * but never go back. The module's tmpfs for the user (/run/aws-sts/UID) is
 * mounted in one namespace; every login must still work, or be refused
 * before the prompt with no STS call. Users (LOAD keys, whose codes may be
 * used again) and the service come from tests/pam/run-pam-tests.
 */
#include "leftovers.h"
#include "pam_login.h"

#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
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
    int command; /* write end: 'c' close, 'x' die with the session open, 'u' unmount the dir,
                  * 'e' become the user in a user namespace of its own with a fake tmpfs,
                  * 'U' become the user, 'R' stay root in a user namespace of its own,
                  * 's' share the dir, 'm' mount a tmpfs on dir/sub */
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

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? write(fd, text, strlen(text)) : -1;
    if (fd >= 0)
        close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* What a systemd-style session does (user@, run0, machinectl): the process
 * that ran open_session becomes the user's program. */
static int become_user(uid_t uid)
{
    if (setgroups(0, NULL) != 0 || setresgid(uid, uid, uid) != 0 || setresuid(uid, uid, uid) != 0)
        return 1;
    return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0 ? 1 : 0;
}

/* A user and mount namespace of its own (unshare -Urm), inside mapped to
 * outside (the uid this process has). */
static int own_userns(uid_t outside)
{
    char map[64];
    snprintf(map, sizeof(map), "0 %u 1", (unsigned)outside);
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
        return 2;
    if (write_text("/proc/self/setgroups", "deny") != 0 ||
        write_text("/proc/self/uid_map", map) != 0 || write_text("/proc/self/gid_map", map) != 0)
        return 3;
    return 0;
}

/* Then the user: a namespace of its own, where a tmpfs of its making looks
 * just like the module's, shared so that what the user mounts under it
 * would reach every copy of it. */
static int become_hostile(const char *dir, uid_t uid)
{
    char planted[160];
    snprintf(planted, sizeof(planted), "%s/planted", dir);
    int rc = become_user(uid);
    if (rc == 0)
        rc = own_userns(uid);
    if (rc != 0)
        return rc;
    if (mount("fake", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
              "mode=0700,size=1048576,nr_inodes=256") != 0 ||
        mount(NULL, dir, NULL, MS_SHARED, NULL) != 0)
        return 4;
    int fd = open(planted, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return 5;
    close(fd);
    return 0;
}

/* A tmpfs on dir/sub, mounted in the child's namespace. */
static int mount_sub(const char *dir)
{
    char sub[160];
    snprintf(sub, sizeof(sub), "%s/sub", dir);
    if (mkdir(sub, 0700) != 0 && errno != EEXIST)
        return 1;
    return mount("sub", sub, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k") != 0 ? 2 : 0;
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
        if (strchr("uesmUR", c) != NULL) {
            r.rc = c == 'u'   ? umount2(r.dir, MNT_DETACH)
                   : c == 'e' ? become_hostile(r.dir, uid)
                   : c == 'U' ? become_user(uid)
                   : c == 'R' ? own_userns(0)
                   : c == 's' ? mount(NULL, r.dir, NULL, MS_SHARED, NULL)
                              : mount_sub(r.dir);
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

/* Send c; for every command but 'x' the child's answer lands in r. */
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
                         pam_strerror(NULL, auth), pam_strerror(NULL, cred),
                         pam_strerror(NULL, open));
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
        assert_int_equal(pam_log_count("user=ned outcome=local_error", "another mount namespace"),
                         1);
    }
    assert_int_equal(registry_entries("ned"), -1);
    assert_nothing_left("ned");
}

/* Mounts of this namespace at or below path. */
static int mounts_at(const char *path)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[4096];
    int n = 0;
    size_t len = strlen(path);
    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL) {
        const char *at = line;
        for (int field = 0; field < 4 && at != NULL; field++)
            at = (at = strchr(at, ' ')) != NULL ? at + 1 : NULL;
        if (at != NULL && strncmp(at, path, len) == 0 && (at[len] == ' ' || at[len] == '/'))
            n++;
    }
    fclose(f);
    return n;
}

/* A full login of user here, in the test's (the host's) namespace; its
 * return code, and l is open on success. */
static int login_here(struct login *l, const char *user)
{
    login_start(l, "awssts", user, code_at(0));
    int rc = pam_authenticate(l->ph, 0);
    if (rc == PAM_SUCCESS)
        rc = pam_setcred(l->ph, PAM_ESTABLISH_CRED);
    if (rc == PAM_SUCCESS)
        rc = pam_open_session(l->ph, 0);
    if (rc != PAM_SUCCESS) {
        pam_end(l->ph, rc);
        l->ph = NULL;
    }
    return rc;
}

/* The process registered for a live session became the user and made a
 * user and mount namespace of its own, with a tmpfs that looks like the
 * module's: a login here must not take anything from it (root would join a
 * namespace the user rules, and take the user's mount into its own), and
 * no mount the user makes there may reach this namespace. */
static void test_hostile_holder_not_shared(void **state)
{
    (void)state;
    struct nslogin a;
    struct report r;
    char dir[64], planted[96], sub[96];
    uid_t uid = uid_of("nina");
    snprintf(dir, sizeof(dir), "/run/aws-sts/%u", (unsigned)uid);
    snprintf(planted, sizeof(planted), "%s/planted", dir);
    snprintf(sub, sizeof(sub), "%s/sub", dir);
    ns_start(&a, "nina");
    ns_read(&a, &r);
    assert_opened("nina", 0, &r);
    ns_command(&a, 'e', &r);
    if (r.rc != 0)
        fail_msg("the holder could not become the user in a namespace of its own: step %d", r.rc);
    struct login l;
    int rc = login_here(&l, "nina");
    bool taken = exists(planted);
    ns_command(&a, 'm', &r); /* the user mounts under the tmpfs, in its namespace */
    int pushed = mounts_at(sub);
    ns_command(&a, 'x', &r);
    ns_end(&a);
    if (taken || pushed > 0)
        fail_msg("nina's login (PAM %d) took the tmpfs of a namespace she owns: her file %s, %d "
                 "mount(s) of hers at %s in root's namespace",
                 rc, taken ? "is there" : "is not there", pushed, sub);
    assert_int_equal(rc, PAM_SUCCESS); /* her own tmpfs, mounted afresh here */
    char creds[96];
    snprintf(creds, sizeof(creds), "%s/credentials", dir);
    assert_user_file(creds, uid, "aws_access_key_id = ASIA");
    login_close(&l);
    assert_nothing_left("nina");
}

/* The same checks one at a time: a holder that is now the user (in a
 * namespace root made), and one that is root in a user namespace of its
 * own. Neither's tmpfs is taken: the login here mounts one of its own. */
static void test_holder_user_or_foreign_userns(void **state)
{
    (void)state;
    const char *what[] = {"became the user", "is root in a user namespace of its own"};
    const char cmd[] = {'U', 'R'};
    char dir[64];
    uid_t uid = uid_of("ned");
    snprintf(dir, sizeof(dir), "/run/aws-sts/%u", (unsigned)uid);
    for (int i = 0; i < 2; i++) {
        struct nslogin a;
        struct report r;
        ns_start(&a, "ned");
        ns_read(&a, &r);
        assert_opened("ned", 0, &r);
        dev_t theirs = r.dev;
        ns_command(&a, cmd[i], &r);
        assert_int_equal(r.rc, 0);
        struct login l;
        int rc = login_here(&l, "ned");
        struct stat st;
        bool taken = rc == PAM_SUCCESS && stat(dir, &st) == 0 && st.st_dev == theirs;
        ns_command(&a, 'x', &r);
        ns_end(&a);
        if (rc == PAM_SUCCESS)
            login_close(&l);
        if (taken)
            fail_msg("ned's login took the tmpfs of a holder that %s", what[i]);
        assert_int_equal(rc, PAM_SUCCESS);
        assert_nothing_left("ned");
    }
}

/* A live session's tmpfs that is shared in its namespace (a peer group
 * there): the copy taken here must be private, or whatever is mounted under
 * it there would reach this namespace too. */
static void test_shared_copy_private(void **state)
{
    (void)state;
    struct nslogin a;
    struct report r;
    char sub[96];
    snprintf(sub, sizeof(sub), "/run/aws-sts/%u/sub", (unsigned)uid_of("noah"));
    ns_start(&a, "noah");
    ns_read(&a, &r);
    assert_opened("noah", 0, &r);
    ns_command(&a, 's', &r);
    assert_int_equal(r.rc, 0);
    struct login l;
    int rc = login_here(&l, "noah");
    ns_command(&a, 'm', &r);
    int pushed = mounts_at(sub);
    if (rc == PAM_SUCCESS)
        login_close(&l);
    ns_command(&a, 'c', &r);
    ns_end(&a);
    assert_int_equal(rc, PAM_SUCCESS);
    if (pushed > 0)
        fail_msg("a mount under noah's tmpfs in the other namespace reached this one (%d at %s)",
                 pushed, sub);
    assert_nothing_left("noah");
}

/* However many layers are mounted on the user's mount point, the last
 * logout takes them all and the mount point with them. */
static void test_logout_unmounts_every_layer(void **state)
{
    (void)state;
    char dir[64], opts[96];
    uid_t uid = uid_of("nell");
    snprintf(dir, sizeof(dir), "/run/aws-sts/%u", (unsigned)uid);
    snprintf(opts, sizeof(opts), "mode=0700,uid=%u,gid=%u,size=64k", (unsigned)uid, (unsigned)uid);
    struct login l;
    login_full(&l, "awssts", "nell", code_at(0));
    for (int i = 0; i < 12; i++)
        assert_int_equal(mount("layer", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts), 0);
    login_close(&l);
    int left = mounts_at(dir);
    if (left > 0)
        fail_msg("%d layer(s) still mounted on %s after nell's last logout", left, dir);
    assert_nothing_left("nell");
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
        cmocka_unit_test(test_hostile_holder_not_shared),
        cmocka_unit_test(test_holder_user_or_foreign_userns),
        cmocka_unit_test(test_shared_copy_private),
        cmocka_unit_test(test_logout_unmounts_every_layer),
    };
    return PAM_LOG_RUN("pam_namespaces", tests, "namespaces.log");
}
