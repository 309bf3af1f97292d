/*
 * Internal: what a login needs on this host, checked before the prompt and
 * before STS, so that a local fault (a full /run, an unsafe or disk-backed
 * directory, no right to mount) never costs the user a code. The module
 * runs it at auth; awssts check runs the same and prints what it decided.
 */
#ifndef AWSSTS_PREFLIGHT_H
#define AWSSTS_PREFLIGHT_H

#include <pwd.h>
#include <stdbool.h>

#include "awssts/error.h"
#include "login/options.h"
#include "login/runtime_dir.h"

struct awssts_preflight {
    enum awssts_runtime_source source;
    char runtime_dir[4096]; /* empty with AWSSTS_RUNTIME_AT_SESSION */
    bool live_sessions;     /* the user has open sessions */
};

/* The staging directory, then the runtime directory the login would use.
 * out (may be NULL) says what was decided, also on failure. */
awssts_err awssts_preflight_run(const struct awssts_settings *s, const struct passwd *pw,
                                struct awssts_preflight *out, struct awssts_error_info *ei);

/* Its second half alone: the runtime directory (awssts check reports each
 * half's problem). */
awssts_err awssts_preflight_runtime(const struct awssts_settings *s, const struct passwd *pw,
                                    struct awssts_preflight *out, struct awssts_error_info *ei);

#endif
