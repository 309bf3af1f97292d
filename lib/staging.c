/* The root-only staging directory of the hand-offs, checked on its descriptor. */
#include "staging.h"
#include "awssts/safefile.h"
#include "error_set.h"
#include "paths.h"
#include "session_dir.h"

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

awssts_err awssts_staging_check(const struct awssts_settings *s, struct awssts_error_info *ei)
{
    int dfd = -1;
    awssts_err rc = awssts_staging_open(s, &dfd, ei);
    if (rc != AWSSTS_OK)
        return rc;
    rc = awssts_dir_check_room(dfd, AWSSTS_STAGING_MIN_FREE, 4, ei);
    if (rc != AWSSTS_OK)
        awssts_error_prefix(ei, s->staging_dir);
    close(dfd);
    return rc;
}
