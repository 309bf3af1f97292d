/* The root-only staging directory of the hand-offs, checked on its descriptor. */
#include "login/staging.h"
#include "awssts/safefile.h"
#include "util/error_set.h"
#include "files/paths.h"
#include "files/runtime_files.h"

#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The staging directory: root's, 0700, on tmpfs. */
awssts_err awssts_staging_open(const struct awssts_settings *s, int *fd,
                               struct awssts_error_info *ei)
{
    awssts_err rc = awssts_open_dir(s->staging_dir, true, 0700, 0, fd, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct stat st;
    if (fstat(*fd, &st) != 0 || st.st_uid != 0 || (st.st_mode & 0077) != 0)
        rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE, "%s: must be root's with mode 0700",
                              s->staging_dir);
    else
        rc = awssts_dir_check_memory_fs(*fd, ei);
    if (rc != AWSSTS_OK) {
        if (rc == AWSSTS_E_FILE_UNSAFE && ei != NULL && strstr(ei->detail, "tmpfs") != NULL)
            awssts_error_prefix(ei, s->staging_dir);
        close(*fd);
        *fd = -1;
    }
    return rc;
}

/* A missing directory is not made here: the directory it would be made in
 * must then be root's, closed to others, in memory and with room. */
awssts_err awssts_staging_check(const struct awssts_settings *s, struct awssts_error_info *ei)
{
    int dfd = -1;
    char at[4096];
    awssts_err rc = awssts_open_existing_ancestor(s->staging_dir, &dfd, at, sizeof(at), ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct stat st;
    bool exists = strcmp(at, s->staging_dir) == 0;
    if (exists) {
        close(dfd);
        if ((rc = awssts_staging_open(s, &dfd, ei)) != AWSSTS_OK)
            return rc;
    } else if (fstat(dfd, &st) != 0 || st.st_uid != 0 || (st.st_mode & 0022) != 0) {
        rc = awssts_error_set(ei, AWSSTS_E_FILE_UNSAFE,
                              "%s would be made in %s, which must be root's and closed to others",
                              s->staging_dir, at);
    } else if ((rc = awssts_dir_check_memory_fs(dfd, ei)) != AWSSTS_OK) {
        awssts_error_prefix(ei, at);
    }
    if (rc == AWSSTS_OK &&
        (rc = awssts_dir_check_room(dfd, AWSSTS_STAGING_MIN_FREE, 4, ei)) != AWSSTS_OK)
        awssts_error_prefix(ei, at);
    close(dfd);
    return rc;
}
