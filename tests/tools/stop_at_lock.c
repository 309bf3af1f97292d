/*
 * stop-at-lock: what a local user can do to a setuid PAM client (su, or
 * tests/tools/pam_login.c) of another user's login: it keeps its real uid,
 * so it may stop and continue it at will, and /proc/locks, which anyone may
 * read, shows when it holds a lock. Each try runs the client with a
 * standard input that never answers, watches /proc/locks, and stops the
 * client the moment it holds a lock of any kind. A try that reaches the
 * prompt (PROMPT on its standard error) without one is killed and run
 * again; the last is kept stopped at the prompt.
 *   stop-at-lock TRIES PROMPT CLIENT ARGS...
 * Prints "lock held by PID: LINE" or "at the prompt, PID, no lock seen in N
 * tries", then waits until its own standard input closes and kills the client.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 */
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The client's state letter from /proc/PID/stat, '?' when it is gone. */
static char state_of(pid_t pid)
{
    char path[64], line[512];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return '?';
    char *got = fgets(line, sizeof(line), f);
    fclose(f);
    const char *p = got ? strrchr(line, ')') : NULL;
    return p != NULL && p[1] == ' ' ? p[2] : '?';
}

/* A /proc/locks line of a lock that pid holds (flock or POSIX), into out. */
static bool lock_of(pid_t pid, char *out, size_t len)
{
    FILE *f = fopen("/proc/locks", "r");
    if (f == NULL)
        return false;
    char line[256], kind[16], mode[16], rw[16], owner[16];
    bool found = false;
    while (!found && fgets(line, sizeof(line), f) != NULL) {
        /* "1: FLOCK  ADVISORY  WRITE 1234 00:1a:5678 0 EOF"; "->" marks a waiter */
        if (strstr(line, "->") == NULL &&
            sscanf(line, "%*s %15s %15s %15s %15s", kind, mode, rw, owner) == 4 &&
            strtol(owner, NULL, 10) == (long)pid) { /* FLOCK, POSIX: any lock it holds */
            line[strcspn(line, "\n")] = '\0';
            snprintf(out, len, "%s", line);
            found = true;
        }
    }
    fclose(f);
    return found;
}

static pid_t start(char **argv, int *in_w, int *err_r)
{
    int in[2], err[2];
    if (pipe(in) != 0 || pipe2(err, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(err[1], 2);
        close(in[0]);
        close(in[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(in[0]);
    close(err[1]);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    *in_w = in[1];
    *err_r = err[0];
    return pid;
}

/* Stop the client; true once it is stopped, false when it is gone. */
static bool stop(pid_t pid)
{
    if (kill(pid, SIGSTOP) != 0)
        return false;
    for (int i = 0; i < 100000; i++) {
        char s = state_of(pid);
        if (s == 'T' || s == 't')
            return true;
        if (s == 'Z' || s == 'X' || s == '?')
            return false;
    }
    return false;
}

enum step { HELD, PROMPT, GONE };

/* Watch one client until it holds a lock (then stop it there), stops at
 * the prompt or ends. /proc/locks is read as fast as it can be: a lock held
 * for some tens of microseconds is seen, and the stop lands within a few. */
static enum step watch_client(pid_t pid, int err_r, const char *prompt, char *lock, size_t len)
{
    char seen[4096] = "";
    size_t have = 0;
    for (;;) {
        if (lock_of(pid, lock, len) && stop(pid)) {
            if (lock_of(pid, lock, len))
                return HELD;
            kill(pid, SIGCONT); /* let go before the stop landed */
        }
        ssize_t n = read(err_r, seen + have, sizeof(seen) - 1 - have);
        if (n > 0) {
            have += (size_t)n;
            seen[have] = '\0';
        }
        if (strstr(seen, prompt) != NULL)
            return stop(pid) ? PROMPT : GONE;
        if (waitpid(pid, NULL, WNOHANG) != 0)
            return GONE;
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: stop-at-lock TRIES PROMPT CLIENT ARGS...\n");
        return 2;
    }
    int tries = (int)strtol(argv[1], NULL, 10);
    const char *prompt = argv[2];
    pid_t pid = -1;
    char lock[256] = "";
    enum step got = GONE;
    int in_w = -1, err_r = -1, t = 0;
    for (t = 1; t <= tries; t++) {
        if ((pid = start(argv + 3, &in_w, &err_r)) < 0)
            return 1;
        got = watch_client(pid, err_r, prompt, lock, sizeof(lock));
        if (got == HELD || (got == PROMPT && t == tries))
            break;
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(in_w);
        close(err_r);
    }
    if (got == HELD)
        printf("lock held by %d: %s (try %d)\n", (int)pid, lock, t);
    else if (got == PROMPT)
        printf("at the prompt, %d, no lock seen in %d tries\n", (int)pid, tries);
    else
        printf("the client ended before its prompt in every try\n");
    fflush(stdout);
    if (got == GONE)
        return 1;
    char c;
    ssize_t n;
    while ((n = read(0, &c, 1)) > 0 || (n < 0 && errno == EINTR))
        ;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return 0;
}
