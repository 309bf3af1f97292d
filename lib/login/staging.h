/*
 * Internal: the staging directory (staging_dir), where the module's auth
 * phase leaves a login's credentials for its session phase: root's, mode
 * 0700, on tmpfs or ramfs, with room for a hand-off.
 */
#ifndef AWSSTS_STAGING_H
#define AWSSTS_STAGING_H

#include "awssts/error.h"
#include "login/options.h"

/* What one hand-off needs, with room to spare. */
#define AWSSTS_STAGING_MIN_FREE (32L * 1024L)

/* Open (making it when missing) and check the directory; *fd is closed on failure. */
awssts_err awssts_staging_open(const struct awssts_settings *s, int *fd,
                               struct awssts_error_info *ei);

/* Usable and with room for a hand-off: checked before STS, so that a full
 * /run never spends a code. */
awssts_err awssts_staging_check(const struct awssts_settings *s, struct awssts_error_info *ei);

#endif
