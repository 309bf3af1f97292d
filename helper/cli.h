/* awssts: shared declarations of the commands. */
#ifndef AWSSTS_CLI_H
#define AWSSTS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "awssts/error.h"
#include "files/state.h"

/* Exit codes (documented in awssts(1)). */
enum {
    EXIT_OK = 0,
    EXIT_FAILURE_OTHER = 1, /* files, configuration */
    EXIT_USAGE = 2,
    EXIT_LOGIN_NEEDED = 3,
    EXIT_REFUSED = 4, /* STS said no */
    EXIT_NETWORK = 5, /* network, TLS, timeout, STS unavailable */
};

/* The exit code for a library error. */
int cli_exit_code(awssts_err err);

/* One line on stderr: "awssts: " + the message; never a secret. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_error_info(const char *what, const struct awssts_error_info *ei);

/* Messages at --log-level INFO and below (default: WARN, so quiet). */
extern int cli_verbosity;
void cli_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The runtime directory of a login, opened and locked. */
struct cli_runtime_dir {
    int fd;
    char path[4096];
};

/*
 * Find the directory: --dir, else the directory of AWS_SHARED_CREDENTIALS_FILE,
 * else /run/user/UID/aws-sts, else /run/aws-sts/UID. It must be ours and
 * not writable by others. lock: LOCK_SH or LOCK_EX.
 */
int runtime_dir_open(const char *dir, int lock, struct cli_runtime_dir *sd);
void runtime_dir_close(struct cli_runtime_dir *sd);

/* Read the state; refused when another user owns it or others may read or write it. */
int session_state_read(const struct cli_runtime_dir *sd, struct awssts_state *st);

/* Write state and credentials atomically. */
int session_state_write(const struct cli_runtime_dir *sd, const struct awssts_state *st);

/* Seconds of credentials awssts wants left before it hands them out (the
 * AWS CLI's own refresh margin is shorter): below that, it renews first. */
#define CLI_MIN_REMAINING 300

/*
 * Make sure the current credentials have at least min_remaining seconds
 * left: assume the role again with the MFA session, or (with prompt) start a
 * new MFA session with a code from /dev/tty when the user's long-term keys
 * are readable. Returns an exit code; *called tells whether STS was called.
 */
int session_renew(const struct cli_runtime_dir *sd, struct awssts_state *st, long min_remaining,
                  bool prompt, bool *called);

/*
 * The credentials of the named role NAME (roles =), at least min_remaining
 * seconds from their end: the state's, or assumed again with the MFA
 * session, with the login's source identity, and kept in the state. A
 * name not in the login's list is refused here. *out points into st.
 */
int session_renew_named(const struct cli_runtime_dir *sd, struct awssts_state *st, const char *name,
                        long min_remaining, const struct awssts_credentials **out, bool *called);

struct awssts_credfile;
/* Save an INI file (credentials or config) atomically at path, keeping mode;
 * the directory is created (0700) when missing. */
int cli_save_file(const struct awssts_credfile *cf, const char *path, unsigned mode);

/* Read a code (or secret) from /dev/tty with echo off. */
int tty_prompt(const char *prompt, bool echo, char *out, size_t len);
/* One line of standard input, unbuffered (a code given with --token -). */
void stdin_line(char *out, size_t len);

int cmd_status(int argc, char **argv);
int cmd_refresh(int argc, char **argv);
int cmd_credential_process(int argc, char **argv);
int cmd_env(int argc, char **argv);
int cmd_setup_config(int argc, char **argv);
int cmd_login(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_roles(int argc, char **argv);
int cmd_assume(int argc, char **argv);
int cmd_exec(int argc, char **argv);

#endif
