/* The PAM tests' login steps: the one conversation (conv.h), TOTP codes,
 * and the usual sequences of PAM calls. */
#ifndef TEST_PAM_LOGIN_H
#define TEST_PAM_LOGIN_H

#include "conv.h"
#include "pam_test.h"

#include <security/pam_appl.h>
#include <sys/wait.h>
#include <unistd.h>

/* libpam turns a stack whose modules all returned PAM_IGNORE into
 * PAM_PERM_DENIED; our module never returns PAM_PERM_DENIED itself, so in
 * one-module stacks this code means "the module ignored the call". */
#define MODULE_IGNORED PAM_PERM_DENIED

/* The TOTP code offset seconds from now (a ring of four buffers). */
static inline char *code_at(int offset)
{
    static char buf[4][7];
    static int k;
    char *c = buf[k++ % 4];
    totp_at(peer_env("TOTP_SECRET"), time(NULL) + offset, c);
    return c;
}

static inline bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

struct login {
    pam_handle_t *ph;
    struct script script;
    struct pam_conv pc;
    char code[64];
};

/* pam_start with code (may be NULL: no answer) as the answer to the first prompt. */
static inline void login_start(struct login *l, const char *service, const char *user,
                               const char *code)
{
    memset(l, 0, sizeof(*l));
    if (code != NULL) {
        snprintf(l->code, sizeof(l->code), "%s", code);
        l->script.answers[0] = l->code;
    }
    l->pc.conv = script_conv;
    l->pc.appdata_ptr = &l->script;
    assert_int_equal(pam_start(service, user, &l->pc, &l->ph), PAM_SUCCESS);
}

static inline void login_finish(struct login *l)
{
    assert_int_equal(pam_end(l->ph, PAM_SUCCESS), PAM_SUCCESS);
    l->ph = NULL;
}

static inline void login_auth_ok(struct login *l, const char *user)
{
    int rc = pam_authenticate(l->ph, 0);
    if (rc != PAM_SUCCESS)
        fail_msg("%s: authenticate: %s", user, pam_strerror(l->ph, rc));
    assert_int_equal(pam_acct_mgmt(l->ph, 0), PAM_SUCCESS);
}

/*
 * OpenSSH's split: pam_authenticate in a forked child that hands back only
 * the PAM environment, which is put into this process's handle. Returns
 * whether the child saw PAM_SUCCESS; *handoff tells whether the hand-off
 * variable came back.
 */
static inline bool login_auth_in_child(struct login *l, bool *handoff)
{
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(pipefd[0]);
        int rc = pam_authenticate(l->ph, 0);
        char **env = pam_getenvlist(l->ph);
        for (char **e = env; e && *e; e++) {
            if (write(pipefd[1], *e, strlen(*e) + 1) < 0)
                _exit(99);
            free(*e);
        }
        free(env);
        _exit(rc == PAM_SUCCESS ? 0 : 1);
    }
    close(pipefd[1]);
    char buf[4096];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof(buf) - 1 && (r = read(pipefd[0], buf + got, sizeof(buf) - 1 - got)) > 0)
        got += (size_t)r;
    close(pipefd[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    *handoff = false;
    for (size_t off = 0; off < got; off += strlen(buf + off) + 1) {
        *handoff |= strncmp(buf + off, "PAM_AWS_STS_HANDOFF=", 20) == 0;
        assert_int_equal(pam_putenv(l->ph, buf + off), PAM_SUCCESS);
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* auth, account, then setcred and open_session in sshd's order. */
static inline void login_full(struct login *l, const char *service, const char *user,
                              const char *code)
{
    login_start(l, service, user, code);
    login_auth_ok(l, user);
    assert_int_equal(pam_setcred(l->ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
    assert_int_equal(pam_open_session(l->ph, 0), PAM_SUCCESS);
}

/* The same in login(1)'s order: open_session, then setcred. */
static inline void login_full_session_first(struct login *l, const char *service, const char *user,
                                            const char *code)
{
    login_start(l, service, user, code);
    login_auth_ok(l, user);
    assert_int_equal(pam_open_session(l->ph, 0), PAM_SUCCESS);
    assert_int_equal(pam_setcred(l->ph, PAM_ESTABLISH_CRED), PAM_SUCCESS);
}

static inline void login_close(struct login *l)
{
    assert_int_equal(pam_close_session(l->ph, 0), PAM_SUCCESS);
    assert_int_equal(pam_setcred(l->ph, PAM_DELETE_CRED), PAM_SUCCESS);
    login_finish(l);
}

#endif
