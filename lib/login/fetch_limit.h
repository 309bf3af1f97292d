/*
 * Internal: how often a local user may make root fetch keys from SSM
 * (keys = ssm:) for logins through a setuid program (su, sudo), before any
 * factor of the target user has passed. Each such fetch costs an IMDS
 * token, the instance role's credentials and an SSM GetParameter with a KMS
 * decryption, from quotas the whole account shares.
 *
 * The count lives in AWSSTS_FETCH_LIMIT_DIR (root's, 0700, on /run: it
 * outlives the process, not the boot), one file per caller: CALLER_UID
 * holds a line "SECONDS TARGET_UID" per fetch of the last window, and
 * CALLER_UID.lock orders that caller's own logins. The state is keyed by
 * the caller alone: no file or lock of it is one that another user's
 * login, or the target's own, ever reads or waits for.
 */
#ifndef AWSSTS_FETCH_LIMIT_H
#define AWSSTS_FETCH_LIMIT_H

#include <stdbool.h>
#include <sys/types.h>

#include "awssts/error.h"

#define AWSSTS_FETCH_LIMIT_DIR  "/run/aws-sts/fetch"
#define AWSSTS_FETCH_WINDOW_S   60 /* the window the counts are over */
#define AWSSTS_FETCH_PER_TARGET 3  /* fetches per caller and target in a window */
#define AWSSTS_FETCH_PER_CALLER 10 /* fetches per caller, all targets, in a window */

/*
 * True when this login's keys come only after its code (six digits) and a
 * pass of awssts_fetch_limit_take: keys is an ssm: source and the process
 * runs for a caller who is not root (secure: AT_SECURE, as under su; or a
 * real uid that is neither root nor the target). sshd's logins (real uid
 * 0, not setuid) keep the keys before the prompt, so that a failing SSM
 * never has a user type a code.
 */
bool awssts_fetch_code_first(const char *keys, bool secure, uid_t ruid, uid_t target);

/*
 * Count one fetch of caller for target at now (seconds on a clock that
 * does not go back), in the open directory dirfd: AWSSTS_OK when within
 * the limits (and counted), AWSSTS_E_RATE_LIMITED when not (nothing
 * counted), AWSSTS_E_FILE_UNSAFE when a file is a link, not regular, not
 * the process's own or open to others.
 */
awssts_err awssts_fetch_limit_take(int dirfd, uid_t caller, uid_t target, long long now,
                                   struct awssts_error_info *ei);

/* awssts_fetch_limit_take in AWSSTS_FETCH_LIMIT_DIR (made when missing,
 * checked root's and 0700), on CLOCK_BOOTTIME. */
awssts_err awssts_fetch_limit_check(uid_t caller, uid_t target, struct awssts_error_info *ei);

#endif
