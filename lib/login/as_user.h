/*
 * Internal: running a step with a user's file-system rights and back. The
 * module does it with pam_modutil_drop_priv, awssts check with setfsuid;
 * the library only calls what it is given, so root never opens a path the
 * user controls with root's rights.
 */
#ifndef AWSSTS_AS_USER_H
#define AWSSTS_AS_USER_H

#include "awssts/error.h"

/* Each returns 0 on success. */
struct awssts_as_user {
    int (*enter)(void *ctx);
    int (*leave)(void *ctx);
    void *ctx;
};

/* Take the user's rights; an error names what failed. */
awssts_err awssts_as_user_enter(const struct awssts_as_user *u, struct awssts_error_info *ei);

/* Back to the caller's rights; rc is the step's result, kept unless this
 * fails (a process that cannot get its rights back must not go on). */
awssts_err awssts_as_user_leave(const struct awssts_as_user *u, awssts_err rc,
                                struct awssts_error_info *ei);

#endif
