/*
 * Load through real libpam (pam_wrapper): 200 logins at once from 100 users,
 * some with several sessions, then 2,000 logins one after another in one
 * process. The fault STS's LOAD keys accept codes from a wider window and
 * again, since logins here outrun a TOTP device. Users, keys and the service
 * come from tests/pam/run-pam-tests.
 */
#include "pam_login.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <malloc.h>
#include <poll.h>
#include <pwd.h>
#include <security/pam_appl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* libasan's own count (gcc ships no header for it): malloc is ASan's here. */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

#define USERS         100
#define AT_ONCE       200
#define SERIAL_LOGINS 2000
#define WARM_UP       1000 /* logins before the baseline: caches fill (measured: flat from ~400 on) */
#define ROLE_FROM     50   /* load050..load099 assume a role (two STS calls) */
#define SERVICE       "awssts_load"

/* load000..load019 one session, load020..load079 two, load080..load099 three. */
static int sessions_of(int user)
{
    return user < 20 ? 1 : user < 80 ? 2 : 3;
}

static void user_name(int user, char out[16])
{
    snprintf(out, 16, "load%03d", user);
}

/* What a login reports: which step failed (0 none) and its PAM code. */
struct report {
    int slot;
    int failed_step;
    int pam_rc;
};

/* auth, account, setcred, open_session on a started handle. */
static int open_login(pam_handle_t **ph, int *pam_rc)
{
    if ((*pam_rc = pam_authenticate(*ph, 0)) != PAM_SUCCESS)
        return 2;
    if ((*pam_rc = pam_acct_mgmt(*ph, 0)) != PAM_SUCCESS)
        return 3;
    if ((*pam_rc = pam_setcred(*ph, PAM_ESTABLISH_CRED)) != PAM_SUCCESS)
        return 4;
    if ((*pam_rc = pam_open_session(*ph, 0)) != PAM_SUCCESS)
        return 5;
    return 0;
}

static int close_login(pam_handle_t *ph)
{
    int rc = pam_close_session(ph, 0);
    if (pam_setcred(ph, PAM_DELETE_CRED) != PAM_SUCCESS && rc == PAM_SUCCESS)
        rc = PAM_CRED_ERR;
    pam_end(ph, rc);
    return rc;
}

/*
 * A forked login on a handle the parent started: pam_wrapper's fork handler
 * forgets its set-up, and a pam_start in 200 children would make each build
 * its own /tmp/pam.X from 62 names, racing (and removing each other's).
 * Never returns, never uses cmocka (its longjmp would run the rest of the
 * suite in the child). Waits on `start` for EOF, logs in, reports, waits on
 * `go` for EOF, logs out, and exits 0 only if all went well.
 */
static void child(int slot, pam_handle_t *ph, int start_fd, int ready_fd, int go_fd)
{
    char c;
    if (read(start_fd, &c, 1) != 0)
        _exit(10);
    struct report rep = {.slot = slot};
    rep.failed_step = open_login(&ph, &rep.pam_rc);
    if (write(ready_fd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
        _exit(11);
    if (read(go_fd, &c, 1) != 0)
        _exit(12);
    if (rep.failed_step != 0) {
        pam_end(ph, rep.pam_rc);
        _exit(13);
    }
    _exit(close_login(ph) == PAM_SUCCESS ? 0 : 14);
}

static void read_text(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("%s: %s", path, strerror(errno));
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static int count_lines_starting(const char *text, const char *prefix)
{
    int n = 0;
    size_t plen = strlen(prefix);
    for (const char *p = text; p != NULL && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        n += strncmp(p, prefix, plen) == 0;
    return n;
}

static int entries_in(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* The user's files hold one profile with credentials STS issued to this very
 * user, and the registry counts exactly the user's open sessions. */
static void check_user_files(int user)
{
    char name[16], dir[64], path[96], text[16384], frag[64], who[64];
    user_name(user, name);
    uid_t uid = uid_of(name);
    snprintf(dir, sizeof(dir), "/run/aws-sts/%u", (unsigned)uid);

    snprintf(path, sizeof(path), "%s/credentials", dir);
    assert_user_file(path, uid, NULL);
    read_text(path, text, sizeof(text));
    if (count_lines_starting(text, "[default]") != 1 ||
        count_lines_starting(text, "aws_access_key_id = ASIA") != 1 ||
        count_lines_starting(text, "aws_secret_access_key = ") != 1 ||
        count_lines_starting(text, "aws_session_token = ") != 1)
        fail_msg("%s: not one whole profile:\n%s", path, text);
    const char *want_role = user >= ROLE_FROM ? "assumed_role = True" : "assumed_role = False";
    if (count_lines_starting(text, want_role) != 1)
        fail_msg("%s: lacks '%s'", path, want_role);
    const char *id = strstr(text, "aws_access_key_id = ") + strlen("aws_access_key_id = ");
    snprintf(frag, sizeof(frag), "\"issued\": \"%.20s\"", id);
    if (user >= ROLE_FROM)
        snprintf(who, sizeof(who), "\"session_name\": \"%s\"", name);
    else
        snprintf(who, sizeof(who), "\"key\": \"AKIALOAD%03d", user);
    if (fault_log_count(frag, who) != 1)
        fail_msg("%s: key %.20s was not issued to %s", path, id, name);

    snprintf(path, sizeof(path), "%s/state", dir);
    assert_user_file(path, uid, NULL);
    int n = registry_entries(name);
    if (n != sessions_of(user))
        fail_msg("%s: %d sessions registered, want %d", name, n, sessions_of(user));
}

/* Nothing left of any load user: every refcount went back to zero. */
static void assert_all_removed(void)
{
    for (int u = 0; u < USERS; u++) {
        char name[16], dir[64];
        user_name(u, name);
        snprintf(dir, sizeof(dir), "/run/aws-sts/%u", (unsigned)uid_of(name));
        if (entries_in(dir) != -1)
            fail_msg("%s still exists after every session closed", dir);
        if (registry_entries(name) != -1)
            fail_msg("%s's session registry still exists after every session closed", name);
    }
    assert_true(entries_in("/run/aws-sts/staging") <= 0);
}

static void kill_all(const pid_t *pids, int n)
{
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            kill(pids[i], SIGKILL);
    for (int i = 0; i < n; i++)
        if (pids[i] > 0)
            waitpid(pids[i], NULL, 0);
}

static void test_200_logins_at_once(void **state)
{
    (void)state;
    static pid_t pids[AT_ONCE];
    static char codes[AT_ONCE][7];
    static int slot_user[AT_ONCE];
    static pam_handle_t *handles[AT_ONCE];
    static struct pam_conv convs[AT_ONCE];
    static struct script scripts[AT_ONCE];
    int start[2], ready[2], go[2];
    assert_int_equal(pipe(start), 0);
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    int before = pam_log_count("outcome=success", NULL);

    /* Each session of a user gets its own code, as a person logging in again would. */
    time_t now = time(NULL);
    int slot = 0;
    for (int u = 0; u < USERS; u++)
        for (int k = 0; k < sessions_of(u); k++, slot++) {
            slot_user[slot] = u;
            totp_at(peer_env("TOTP_SECRET"), now + (k - 1) * 30, codes[slot]);
        }
    assert_int_equal(slot, AT_ONCE);
    for (int i = 0; i < AT_ONCE; i++) {
        char name[16];
        user_name(slot_user[i], name);
        scripts[i].answers[0] = codes[i];
        convs[i] = (struct pam_conv){script_conv, &scripts[i]};
        assert_int_equal(pam_start(SERVICE, name, &convs[i], &handles[i]), PAM_SUCCESS);
    }

    for (int i = 0; i < AT_ONCE; i++) {
        pids[i] = fork();
        if (pids[i] < 0) {
            kill_all(pids, i);
            fail_msg("fork %d: %s", i, strerror(errno));
        }
        if (pids[i] == 0) {
            /* Only the parent may hold the write ends, or EOF never comes. */
            close(start[1]);
            close(go[1]);
            close(ready[0]);
            child(i, handles[i], start[0], ready[1], go[0]);
        }
    }
    close(start[0]);
    close(ready[1]);
    close(go[0]);
    long long t0 = now_ms();
    close(start[1]); /* all 200 begin together */

    struct report reps[AT_ONCE];
    int got = 0;
    while (got < AT_ONCE) {
        struct pollfd pfd = {.fd = ready[0], .events = POLLIN};
        struct report r;
        if (poll(&pfd, 1, 120000) != 1 || read(ready[0], &r, sizeof(r)) != (ssize_t)sizeof(r) ||
            r.slot < 0 || r.slot >= AT_ONCE) {
            kill_all(pids, AT_ONCE);
            fail_msg("only %d of %d logins reported within 120 s", got, AT_ONCE);
        }
        reps[got++] = r;
    }
    long long took = now_ms() - t0;
    int failures = 0;
    for (int i = 0; i < AT_ONCE; i++)
        if (reps[i].failed_step != 0) {
            char name[16];
            user_name(slot_user[reps[i].slot], name);
            print_message("login %d (%s) failed at step %d: PAM code %d\n", reps[i].slot, name,
                          reps[i].failed_step, reps[i].pam_rc);
            failures++;
        }
    if (failures != 0) {
        kill_all(pids, AT_ONCE);
        fail_msg("%d of %d concurrent logins failed", failures, AT_ONCE);
    }
    print_message("%d logins at once: all open after %lld ms\n", AT_ONCE, took);

    /* Every session is open: check every user's files while they exist. */
    for (int u = 0; u < USERS; u++)
        check_user_files(u);
    assert_int_equal(pam_log_count("outcome=success", NULL), before + AT_ONCE);

    int closed_before = pam_log_count("session closed, 0 open, credentials removed", NULL);
    close(go[1]); /* all log out together */
    for (int i = 0; i < AT_ONCE; i++) {
        int status;
        pid_t w;
        while ((w = waitpid(pids[i], &status, 0)) < 0 && errno == EINTR)
            ;
        assert_int_equal(w, pids[i]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fail_msg("login %d: close failed (status %#x)", i, (unsigned)status);
    }
    close(ready[0]);
    for (int i = 0; i < AT_ONCE; i++)
        pam_end(handles[i], PAM_SUCCESS); /* the parent's copies never ran a module */
    assert_all_removed();
    assert_int_equal(pam_log_count("session closed, 0 open, credentials removed", NULL),
                     closed_before + USERS);
}

static int open_fds(void)
{
    int n = entries_in("/proc/self/fd");
    assert_true(n > 0);
    return n - 1; /* the directory stream's own descriptor */
}

/* Heap bytes in use now, from the allocator that is really in charge. */
static size_t heap_in_use(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return __sanitizer_get_current_allocated_bytes();
#else
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#endif
}

static void test_2000_logins_in_one_process(void **state)
{
    (void)state;
    char code[7];
    time_t code_time = 0;
    int fds_base = 0;
    size_t heap_base = 0;
    long long t0 = now_ms();
    for (int i = 0; i < SERIAL_LOGINS; i++) {
        if (time(NULL) - code_time >= 30) {
            code_time = time(NULL);
            totp_at(peer_env("TOTP_SECRET"), code_time, code);
        }
        char name[16];
        user_name(i % USERS, name);
        pam_handle_t *ph = NULL;
        struct script sc = {.answers = {code}};
        struct pam_conv pc = {script_conv, &sc};
        assert_int_equal(pam_start(SERVICE, name, &pc, &ph), PAM_SUCCESS);
        int pam_rc = 0;
        int step = open_login(&ph, &pam_rc);
        if (step != 0)
            fail_msg("login %d (%s) failed at step %d: %s", i, name, step,
                     pam_strerror(ph, pam_rc));
        assert_int_equal(close_login(ph), PAM_SUCCESS);
        if (i + 1 == WARM_UP) {
            fds_base = open_fds();
            heap_base = heap_in_use();
        }
    }
    int fds_end = open_fds();
    size_t heap_end = heap_in_use();
    long long growth = (long long)heap_end - (long long)heap_base;
    print_message("%d logins in one process: %lld ms; descriptors %d -> %d; heap in use %zu -> %zu "
                  "bytes (%+lld)\n",
                  SERIAL_LOGINS, now_ms() - t0, fds_base, fds_end, heap_base, heap_end, growth);
    assert_int_equal(fds_end, fds_base);
    /* A leak of even 4 bytes a login would show as 4,000 bytes here. */
    if (growth >= 4 * (SERIAL_LOGINS - WARM_UP))
        fail_msg("the heap grew by %lld bytes over %d logins", growth, SERIAL_LOGINS - WARM_UP);
    assert_all_removed();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_200_logins_at_once),
        cmocka_unit_test(test_2000_logins_in_one_process),
    };
    return PAM_LOG_RUN("pam_load", tests, "load.log");
}
