/* awssts check as a process, as an administrator runs it: shared by the
 * PAM programs that compare its output with the module's logins. */
#ifndef TEST_PAM_CHECK_RUN_H
#define TEST_PAM_CHECK_RUN_H

#include "pam_test.h"

#include <stdint.h>
#include <sys/wait.h>

/* The nss_wrapper part of the test's LD_PRELOAD, for awssts to see the test's users. */
static char nss_preload[1024];

struct checked {
    int status;       /* exit code, or -1 */
    char out[131072]; /* check --all: a line for each of the test's accounts */
};

/* awssts check with args, as root with an admin's clean environment (sudo's
 * env_reset): PATH, HOME and the test's user database only. */
static void run_check(struct checked *c, const char *const *args)
{
    char *argv[16];
    int n = 0;
    argv[n++] = (char *)(uintptr_t)peer_env("AWSSTS_BIN");
    argv[n++] = (char *)(uintptr_t) "check";
    for (; args[n - 2] != NULL && n < 15; n++)
        argv[n] = (char *)(uintptr_t)args[n - 2];
    argv[n] = NULL;
    char passwd[600], group[600], hosts[600], preload[1100];
    snprintf(passwd, sizeof(passwd), "NSS_WRAPPER_PASSWD=%s", peer_env("NSS_WRAPPER_PASSWD"));
    snprintf(group, sizeof(group), "NSS_WRAPPER_GROUP=%s", peer_env("NSS_WRAPPER_GROUP"));
    snprintf(hosts, sizeof(hosts), "NSS_WRAPPER_HOSTS=%s", peer_env("NSS_WRAPPER_HOSTS"));
    snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", nss_preload);
    char *envp[12] = {(char *)(uintptr_t) "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                      (char *)(uintptr_t) "HOME=/root",
                      passwd,
                      group,
                      hosts,
                      preload};
    /* Under SANITIZE=1 the sanitizers' settings (run-pam-tests says why). */
    static const char *const keep[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS",
                                       "NSS_WRAPPER_DISABLE_DEEPBIND"};
    char kept[3][512];
    size_t e = 6;
    for (size_t i = 0; i < 3; i++)
        if (getenv(keep[i]) != NULL) {
            snprintf(kept[i], sizeof(kept[i]), "%s=%s", keep[i], getenv(keep[i]));
            envp[e++] = kept[i];
        }
    envp[e] = NULL;
    int st = spawn_capture(argv, envp, c->out, sizeof(c->out));
    c->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A configuration file of the test: $PAS_TEST_DIR/name. */
static const char *conf(const char *name, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", peer_env("PAS_TEST_DIR"), name);
    return buf;
}

/* Before pam_log_run unsets LD_PRELOAD: keep its nss_wrapper part. */
static void check_run_init(void)
{
    const char *pre = getenv("LD_PRELOAD");
    if (pre != NULL) {
        const char *nss = strstr(pre, "libnss_wrapper");
        const char *start = nss;
        while (start != NULL && start > pre && start[-1] != ':')
            start--;
        if (start != NULL)
            snprintf(nss_preload, sizeof(nss_preload), "%.*s", (int)strcspn(start, ":"), start);
    }
}

#endif
