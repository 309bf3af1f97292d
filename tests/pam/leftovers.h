/*
 * After a user's last logout, nothing under /run (in the test's namespace)
 * may be the user's or be named by their uid. Shared by the programs that
 * log users in and out (test_bastion.c, test_namespaces.c).
 */
#ifndef PAS_TEST_LEFTOVERS_H
#define PAS_TEST_LEFTOVERS_H

#include "pam_test.h"

#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static uid_t leftover_uid;
static char leftover_path[4096];

static inline int find_leftover(const char *path, const struct stat *st, int type, struct FTW *f)
{
    (void)type;
    (void)f;
    char uid_part[32];
    snprintf(uid_part, sizeof(uid_part), "/%u", (unsigned)leftover_uid);
    size_t n = strlen(uid_part);
    const char *hit = strstr(path, uid_part);
    bool names_uid = hit != NULL && (hit[n] == '\0' || hit[n] == '/');
    if (strncmp(path, "/run/logind-standin", 19) == 0)
        return 0; /* the stand-in's own count, as logind keeps /run/systemd/users */
    if (st->st_uid == leftover_uid || names_uid) {
        snprintf(leftover_path, sizeof(leftover_path), "%s", path);
        return 1;
    }
    return 0;
}

static inline void assert_nothing_left(const char *user)
{
    leftover_uid = uid_of(user);
    leftover_path[0] = '\0';
    if (nftw("/run", find_leftover, 16, FTW_PHYS) != 0)
        fail_msg("%s: %s is left under /run after the last logout", user, leftover_path);
}

#endif
