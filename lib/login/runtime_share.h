/*
 * Internal: the user's own tmpfs (/run/aws-sts/UID) seen from another mount
 * namespace. The module mounts it in the namespace of the login that made
 * it, and a mount made in a slave namespace (a PrivateTmp sshd unit,
 * pam_namespace) never reaches the host's, so a login elsewhere finds a bare
 * root-owned mount point. A live session's namespace holds the tmpfs: when
 * the process that opened it is still root and its mount namespace is one
 * of our user namespace (not one the user made and rules), a child joins
 * it, takes a detached copy of that one mount (open_tree) through root's
 * directories and passes it back; the copy is made private (no mount
 * propagates between it and the holder's) and moved onto the mount point
 * here, so both namespaces see one tmpfs and one set of files.
 */
#ifndef AWSSTS_RUNTIME_SHARE_H
#define AWSSTS_RUNTIME_SHARE_H

#include <pwd.h>
#include <stdbool.h>

#include "awssts/error.h"

/*
 * Share the tmpfs that a live session of the user holds in another mount
 * namespace onto leaf (a bare mount point) in the directory pfd, which is
 * root's and closed to others; path names it for messages. With probe,
 * only find out whether that would work (the check before the prompt).
 * AWSSTS_E_NOT_FOUND (no message): no live session is in another namespace,
 * so a fresh mount is right. Any other error: one is, and its tmpfs could
 * not be shared; the message says what to do.
 */
awssts_err awssts_runtime_share(const struct passwd *pw, const char *path, int pfd,
                                const char *leaf, bool probe, struct awssts_error_info *ei);

#endif
