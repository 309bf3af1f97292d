/* Opening directories one component at a time, never following a link. */
#ifndef AWSSTS_PATHS_H
#define AWSSTS_PATHS_H

#include <stdbool.h>
#include <sys/types.h>

#include "awssts/error.h"

/*
 * Open the absolute directory path, walking from "/" with O_NOFOLLOW.
 * Every component must be owned by root or by trusted_uid. With create,
 * missing components are made as root, mode 0755 (the last one: last_mode).
 */
awssts_err awssts_open_dir(const char *path, bool create, mode_t last_mode, uid_t trusted_uid,
                           int *fd, struct awssts_error_info *ei);

/*
 * mkdirat(dirfd, name, mode), with the mode set exactly whatever the umask,
 * as root or with a user's file-system rights (setfsuid).
 * 0 when made or already there; -1 with errno otherwise.
 */
int awssts_mkdirat(int dirfd, const char *name, mode_t mode);

/*
 * Can uid reach what is put in path: each directory above path's last
 * component that exists is searchable by it (root's by others, o+x; uid's
 * by uid, u+x). A missing one passes: it is made 0755. Its owners are
 * checked as awssts_open_dir checks them with trusted_uid uid.
 */
awssts_err awssts_path_reachable(const char *path, uid_t uid, struct awssts_error_info *ei);

/*
 * For a check that must not make anything: the deepest directory of path
 * that exists (opened as awssts_open_dir would, every component root's),
 * where the missing rest would be made, its path in at. AWSSTS_OK with
 * *fd open; an error when even that one is unsafe.
 */
awssts_err awssts_open_existing_ancestor(const char *path, int *fd, char *at, size_t len,
                                         struct awssts_error_info *ei);

/* Split "/a/b/c" into parent "/a/b" and leaf "c" (buffers of PATH_MAX). */
awssts_err awssts_split_path(const char *path, char *parent, size_t plen, char *leaf, size_t llen,
                             struct awssts_error_info *ei);

/* Replace %U with the uid and %u with the user name (user may be NULL when
 * the pattern has no %u). */
awssts_err awssts_expand_path(const char *pattern, uid_t uid, const char *user, char *out,
                              size_t len, struct awssts_error_info *ei);

#endif
