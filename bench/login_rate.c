/*
 * Logins through libpam at a given concurrency: WORKERS processes, each
 * doing LOGINS full logins (authenticate, setcred, open_session,
 * close_session) one after another, all starting together. Prints the rate
 * and the latency spread. With --open K (K >= 1), first opens K sessions of
 * the first user and keeps them open, then times only the session step
 * (open_session and close_session again on one authenticated handle, no STS
 * call), to show what the sessions already open cost the next.
 * The service file is read from CONFDIR with pam_start_confdir, so no
 * wrapper stands between the workers and libpam.
 *   login-rate [--open K] CONFDIR SERVICE CODE WORKERS LOGINS USER-PREFIX USERS
 */
#include "conv.h" /* tests/pam/conv.h: the tests' one conversation */

#include <security/pam_appl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *code;

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static const char *confdir, *service;

/* Open a session; the handle is returned for close. */
static pam_handle_t *open_one(const char *user)
{
    /* One script per process, made afresh for each login: only
     * pam_authenticate, here, prompts (for the code). */
    static struct script sc;
    memset(&sc, 0, sizeof(sc));
    sc.answers[0] = code;
    struct pam_conv pc = {script_conv, &sc};
    pam_handle_t *ph = NULL;
    if (pam_start_confdir(service, user, &pc, confdir, &ph) != PAM_SUCCESS)
        return NULL;
    if (pam_authenticate(ph, 0) != PAM_SUCCESS ||
        pam_setcred(ph, PAM_ESTABLISH_CRED) != PAM_SUCCESS ||
        pam_open_session(ph, 0) != PAM_SUCCESS) {
        pam_end(ph, PAM_AUTH_ERR);
        return NULL;
    }
    return ph;
}

static int close_one(pam_handle_t *ph)
{
    int rc = pam_close_session(ph, 0);
    pam_end(ph, rc);
    return rc;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int keep_open = 0;
    bool session_only = false;
    if (argc > 2 && strcmp(argv[1], "--open") == 0) {
        session_only = true;
        keep_open = atoi(argv[2]);
        argv += 2;
        argc -= 2;
        if (keep_open < 1) {
            fprintf(
                stderr,
                "login-rate: --open needs at least 1: the handle's close must not be the last\n");
            return 2;
        }
    }
    if (argc != 8) {
        fprintf(
            stderr,
            "usage: login-rate [--open K] CONFDIR SERVICE CODE WORKERS LOGINS USER-PREFIX USERS\n");
        return 2;
    }
    confdir = argv[1];
    service = argv[2];
    code = argv[3];
    int workers = atoi(argv[4]), logins = atoi(argv[5]), users = atoi(argv[7]);
    const char *prefix = argv[6];
    if (workers < 1 || logins < 1 || users < 1)
        return 2;
    size_t total = (size_t)workers * (size_t)logins;
    uint32_t *lat =
        mmap(NULL, total * sizeof(*lat), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (lat == MAP_FAILED)
        return 1;

    pam_handle_t **held = calloc((size_t)keep_open + 1, sizeof(*held));
    char first[64];
    snprintf(first, sizeof(first), "%s%03d", prefix, 0);
    for (int i = 0; i < keep_open; i++)
        if ((held[i] = open_one(first)) == NULL) {
            fprintf(stderr, "login-rate: could not open session %d to keep\n", i);
            return 1;
        }

    int start[2];
    if (pipe(start) != 0)
        return 1;
    pid_t *pids = calloc((size_t)workers, sizeof(*pids));
    for (int w = 0; w < workers; w++) {
        if ((pids[w] = fork()) == 0) {
            close(start[1]);
            char c;
            if (read(start[0], &c, 1) != 0)
                _exit(3);
            if (session_only) {
                /* The session step alone, on a handle authenticated once. */
                pam_handle_t *ph = open_one(first);
                if (ph == NULL || pam_close_session(ph, 0) != PAM_SUCCESS)
                    _exit(4);
                for (int i = 0; i < logins; i++) {
                    long long t0 = now_us();
                    if (pam_open_session(ph, 0) != PAM_SUCCESS ||
                        pam_close_session(ph, 0) != PAM_SUCCESS)
                        _exit(5);
                    lat[(size_t)w * (size_t)logins + (size_t)i] = (uint32_t)(now_us() - t0);
                }
                pam_end(ph, PAM_SUCCESS);
                _exit(0);
            }
            for (int i = 0; i < logins; i++) {
                char user[64];
                snprintf(user, sizeof(user), "%s%03d", prefix, (w * logins + i) % users);
                long long t0 = now_us();
                pam_handle_t *ph = open_one(user);
                if (ph == NULL || close_one(ph) != PAM_SUCCESS)
                    _exit(4);
                lat[(size_t)w * (size_t)logins + (size_t)i] = (uint32_t)(now_us() - t0);
            }
            _exit(0);
        }
    }
    close(start[0]);
    long long t0 = now_us();
    close(start[1]);
    int failed = 0;
    for (int w = 0; w < workers; w++) {
        int st;
        waitpid(pids[w], &st, 0);
        failed += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    double secs = (double)(now_us() - t0) / 1e6;
    for (int i = 0; i < keep_open; i++)
        close_one(held[i]);
    if (failed) {
        fprintf(stderr, "login-rate: %d of %d workers failed\n", failed, workers);
        return 1;
    }
    qsort(lat, total, sizeof(*lat), cmp_u32);
#define PCT(p) (lat[(size_t)((double)(total - 1) * (p))] / 1000.0)
    printf("open=%d workers=%d logins=%zu seconds=%.3f rate=%.1f p50_ms=%.2f p90_ms=%.2f "
           "p99_ms=%.2f max_ms=%.2f\n",
           keep_open, workers, total, secs, (double)total / secs, PCT(0.50), PCT(0.90), PCT(0.99),
           lat[total - 1] / 1000.0);
    free(pids);
    free(held);
    munmap(lat, total * sizeof(*lat));
    return 0;
}
