/*
 * Internal: the user's own tmpfs, which the module mounts on
 * /run/aws-sts/UID where logind gives the user none: its size, written once
 * for the mount (runtime_dir.c) and for recognising a copy of it shared
 * from another mount namespace (runtime_share.c).
 */
#ifndef AWSSTS_OWN_TMPFS_H
#define AWSSTS_OWN_TMPFS_H

#define AWSSTS_OWN_TMPFS_BYTES  (1024L * 1024L)
#define AWSSTS_OWN_TMPFS_INODES 256L

#endif
