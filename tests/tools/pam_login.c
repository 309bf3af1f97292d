/*
 * pam-login: a minimal login through libpam, for the demo and end-to-end
 * tests. authenticate, acct_mgmt, setcred, open_session; print the PAM
 * environment; run COMMAND with it (as a login shell would get it); then
 * close_session. Prompts go to stderr, answers come from stdin.
 *   pam-login SERVICE USER [COMMAND ARGS...]
 * Built with -DPAM_LOGIN_AS_TARGET (a setuid-root copy standing in for su),
 * COMMAND runs as the user PAM logged in, as su runs it, never as root.
 */
#include <security/pam_appl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
    (void)data;
    struct pam_response *r = calloc((size_t)n, sizeof(*r));
    if (r == NULL)
        return PAM_BUF_ERR;
    for (int i = 0; i < n; i++) {
        char line[256];
        switch (msg[i]->msg_style) {
        case PAM_PROMPT_ECHO_OFF:
        case PAM_PROMPT_ECHO_ON:
            fprintf(stderr, "%s", msg[i]->msg);
            if (fgets(line, sizeof(line), stdin) == NULL) {
                free(r);
                return PAM_CONV_ERR;
            }
            line[strcspn(line, "\n")] = '\0';
            fprintf(stderr, "\n");
            r[i].resp = strdup(line);
            break;
        default:
            fprintf(stderr, "%s\n", msg[i]->msg);
        }
    }
    *resp = r;
    return PAM_SUCCESS;
}

static int step(pam_handle_t *ph, const char *what, int rc)
{
    fprintf(stderr, "pam-login: %-14s %s\n", what, pam_strerror(ph, rc));
    return rc;
}

#ifdef PAM_LOGIN_AS_TARGET
/* In the command's child: all of root's ids dropped for the target's. */
static int become_target(pam_handle_t *ph)
{
    const void *user = NULL;
    struct passwd *pw = NULL;
    if (pam_get_item(ph, PAM_USER, &user) != PAM_SUCCESS || user == NULL ||
        (pw = getpwnam(user)) == NULL) {
        fprintf(stderr, "pam-login: no such user to run the command as\n");
        return -1;
    }
    if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
        setuid(pw->pw_uid) != 0 || (pw->pw_uid != 0 && setuid(0) == 0)) {
        perror("pam-login: becoming the user");
        return -1;
    }
    return 0;
}
#endif

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: pam-login SERVICE USER [COMMAND ARGS...]\n");
        return 2;
    }
    struct pam_conv pc = {conv, NULL};
    pam_handle_t *ph = NULL;
    if (pam_start(argv[1], argv[2], &pc, &ph) != PAM_SUCCESS) {
        fprintf(stderr, "pam-login: pam_start failed\n");
        return 1;
    }
    int rc = step(ph, "authenticate", pam_authenticate(ph, 0));
    if (rc == PAM_SUCCESS)
        rc = step(ph, "acct_mgmt", pam_acct_mgmt(ph, 0));
    if (rc == PAM_SUCCESS)
        rc = step(ph, "setcred", pam_setcred(ph, PAM_ESTABLISH_CRED));
    if (rc == PAM_SUCCESS)
        rc = step(ph, "open_session", pam_open_session(ph, 0));
    if (rc != PAM_SUCCESS) {
        pam_end(ph, rc);
        return 1;
    }
    char **env = pam_getenvlist(ph);
    printf("PAM environment:\n");
    for (char **e = env; e && *e; e++)
        printf("  %s\n", *e);
    fflush(stdout);

    int status = 0;
    if (argc > 3) {
        pid_t pid = fork();
        if (pid == 0) {
#ifdef PAM_LOGIN_AS_TARGET
            if (become_target(ph) != 0)
                _exit(126);
#endif
            for (char **e = env; e && *e; e++)
                putenv(*e);
            execvp(argv[3], argv + 3);
            perror("pam-login: exec");
            _exit(127);
        }
        waitpid(pid, &status, 0);
    }
    for (char **e = env; e && *e; e++)
        free(*e);
    free(env);
    step(ph, "close_session", pam_close_session(ph, 0));
    pam_setcred(ph, PAM_DELETE_CRED);
    pam_end(ph, PAM_SUCCESS);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
