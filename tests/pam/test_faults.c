/*
 * The fault matrix, through the PAM module (docs/security.md): for every
 * row, the PAM result, the time taken (never beyond the timeout plus a small
 * margin), the syslog line, and that nothing was written or half-written.
 * Each row is a user whose key id or endpoint selects the fault; users and
 * configuration come from tests/pam/run-pam-tests.
 */
#include "pam_login.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <security/pam_appl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define TIMEOUT_MS 3000 /* the rows' configured timeout */

static long margin_ms = 1500;

struct row {
    const char *user;
    int pam;              /* expected pam_authenticate result */
    const char *sentence; /* part of the syslog line */
    const char *detail;   /* another part, or NULL */
};

static const struct row rows[] = {
    {"mxhang", PAM_AUTHINFO_UNAVAIL, "STS did not answer in time", NULL},
    {"mxslow", PAM_AUTHINFO_UNAVAIL, "STS did not answer in time", NULL},
    {"mxclose", PAM_AUTHINFO_UNAVAIL, "could not reach STS", NULL},
    {"mxtruncated", PAM_AUTHINFO_UNAVAIL, "could not reach STS", NULL},
    {"mxe500", PAM_AUTHINFO_UNAVAIL, "STS had an internal error", "InternalFailure"},
    {"mxe503", PAM_AUTHINFO_UNAVAIL, "STS had an internal error", "HTTP 503"},
    {"mxthrottle", PAM_SUCCESS, "outcome=success", NULL},
    {"mxgarbage", PAM_AUTHINFO_UNAVAIL, "malformed or unsafe", "XML"},
    {"mxhuge", PAM_AUTHINFO_UNAVAIL, "malformed or unsafe", "larger than 1048576"},
    {"mxbomb", PAM_AUTHINFO_UNAVAIL, "malformed or unsafe", "DOCTYPE"},
    {"mxextent", PAM_AUTHINFO_UNAVAIL, "malformed or unsafe", "DOCTYPE"},
    {"mxnewline", PAM_AUTHINFO_UNAVAIL, "malformed or unsafe", "SecretAccessKey"},
    {"mxmissing", PAM_AUTHINFO_UNAVAIL, "malformed or unsafe", "incomplete"},
    {"mxbadexp", PAM_AUTHINFO_UNAVAIL, "malformed or unsafe", "Expiration"},
    {"mxredirect", PAM_AUTHINFO_UNAVAIL, "malformed or unsafe", "redirect to http://"},
    {"mxskew", PAM_AUTHINFO_UNAVAIL, "synchronise this host's clock", "Signature expired"},
    {"mxotherca", PAM_AUTHINFO_UNAVAIL, "TLS with the STS endpoint failed", NULL},
    {"mxexpired", PAM_AUTHINFO_UNAVAIL, "TLS with the STS endpoint failed", "expired"},
    {"mxwronghost", PAM_AUTHINFO_UNAVAIL, "TLS with the STS endpoint failed", NULL},
    {"mxdns", PAM_AUTHINFO_UNAVAIL, "could not reach STS", "resolve"},
};

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_matrix(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct row *r = &rows[i];
        char code[7], line[200], dir[64];
        totp_now(code);
        struct passwd *pw = getpwnam(r->user);
        assert_non_null(pw);
        struct login l;
        login_start(&l, "awssts", r->user, code);
        pam_handle_t *ph = l.ph;
        long long t0 = now_ms();
        int rc = pam_authenticate(ph, 0);
        long long ms = now_ms() - t0;
        if (rc != r->pam)
            fail_msg("%s: got %s", r->user, pam_strerror(ph, rc));
        if (ms > TIMEOUT_MS + margin_ms)
            fail_msg("%s: took %lld ms, more than the %d ms timeout and margin", r->user, ms,
                     TIMEOUT_MS);
        snprintf(line, sizeof(line), "user=%s outcome=", r->user);
        if (pam_log_count(line, r->sentence) != 1 ||
            (r->detail != NULL && pam_log_count(line, r->detail) != 1))
            fail_msg("%s: no syslog line with '%s' and '%s'", r->user, r->sentence,
                     r->detail ? r->detail : "");
        snprintf(dir, sizeof(dir), "/run/aws-sts/%u", (unsigned)pw->pw_uid);
        if (rc == PAM_SUCCESS) {
            assert_int_equal(pam_setcred(ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
            assert_int_equal(pam_open_session(ph, 0), PAM_SUCCESS);
            assert_int_equal(pam_close_session(ph, 0), PAM_SUCCESS);
        } else {
            assert_int_equal(pam_setcred(ph, PAM_ESTABLISH_CRED), PAM_PERM_DENIED); /* ignored */
        }
        assert_int_equal(pam_end(ph, PAM_SUCCESS), PAM_SUCCESS);
        /* Nothing written, nothing left: no hand-off, no runtime directory. */
        assert_int_equal(entries("/run/aws-sts/staging"), 0);
        struct stat st;
        assert_true(stat(dir, &st) != 0);
        printf("row %-12s %-22s %5lld ms\n", r->user, pam_strerror(ph, rc), ms);
    }
}

/* A full tmpfs. Found before STS, the login is refused without spending
 * the code; filled between auth and the session, setcred fails and no file
 * is left half-written (no temp file, no partial credentials). */
static void fill_to_the_brim(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    char block[4096] = {0};
    while (write(fd, block, sizeof(block)) > 0)
        ;
    assert_int_equal(errno, ENOSPC);
    while (write(fd, block, 1) > 0)
        ;
    close(fd);
}

static void test_tmpfs_full(void **state)
{
    (void)state;
    assert_int_equal(mkdir("/run/full", 0755), 0);
    assert_int_equal(mount("tmpfs", "/run/full", "tmpfs", 0, "size=256k,mode=0755"), 0);
    struct passwd *pw = getpwnam("mxfull");
    assert_non_null(pw);
    char dir[64], filler[] = "/run/full/filler";
    snprintf(dir, sizeof(dir), "/run/full/%u", (unsigned)pw->pw_uid);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(chown(dir, pw->pw_uid, pw->pw_gid), 0);

    /* Full before the login: no prompt, no STS call. */
    fill_to_the_brim(filler);
    int before = fault_log_count("\"scenario\"", NULL);
    char code[7];
    totp_now(code);
    struct login l;
    login_start(&l, "awssts_full", "mxfull", code);
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_AUTHINFO_UNAVAIL);
    assert_int_equal(l.script.next, 0);
    login_finish(&l);
    assert_int_equal(fault_log_count("\"scenario\"", NULL), before);
    assert_int_equal(pam_log_count("user=mxfull outcome=local_error", "no room"), 1);
    unlink(filler);

    /* Filled after auth. */
    totp_at(peer_env("TOTP_SECRET"), time(NULL) + 30, code);
    login_start(&l, "awssts_full", "mxfull", code);
    assert_int_equal(pam_authenticate(l.ph, 0), PAM_SUCCESS);
    fill_to_the_brim(filler);
    assert_int_equal(pam_setcred(l.ph, PAM_ESTABLISH_CRED), PAM_CRED_ERR);
    assert_int_equal(pam_end(l.ph, PAM_SUCCESS), PAM_SUCCESS);
    assert_int_equal(entries(dir), 0);
    assert_int_equal(pam_log_count("user=mxfull: session:", "No space left on device"), 1);
    assert_int_equal(entries("/run/aws-sts/staging"), 0);
    unlink(filler);
}

int main(void)
{
    if (getenv("PAS_MATRIX_MARGIN_MS") != NULL)
        margin_ms = atol(getenv("PAS_MATRIX_MARGIN_MS"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_tmpfs_full),
    };
    return PAM_LOG_RUN("pam_fault_matrix", tests, "faults.log");
}
