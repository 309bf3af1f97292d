/* The login's runtime directory and its two files, as the user. */
#include "cli.h"
#include "login/options.h"
#include "files/session_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>


/* The configuration the module reads, for its runtime_dir: $AWSSTS_CONFIG
 * (a test's, or another config=), else the default. */
static const char *config_path(void)
{
    const char *v = getenv("AWSSTS_CONFIG");
    return v != NULL && *v == '/' ? v : AWSSTS_DEFAULT_CONFIG;
}

int session_dir_open(const char *dir, int lock, struct session_dir *sd)
{
    memset(sd, 0, sizeof(*sd));
    sd->fd = -1;
    char where[4][4096];
    size_t n = 0;
    if (dir != NULL) {
        snprintf(where[n++], sizeof(where[0]), "%s", dir);
    } else {
        struct passwd *pw = getpwuid(getuid());
        n = awssts_session_candidates(getuid(), pw ? pw->pw_name : NULL,
                                      getenv("AWS_SHARED_CREDENTIALS_FILE"), config_path(), where,
                                      4);
    }
    int e = ENOENT;
    for (size_t i = 0; i < n && sd->fd < 0; i++) {
        snprintf(sd->path, sizeof(sd->path), "%s", where[i]);
        sd->fd = open(where[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sd->fd < 0 && errno != ENOENT)
            e = errno;
        /* The exported file's directory, or the one asked for, is the answer. */
        if (sd->fd < 0 && (dir != NULL || (i == 0 && getenv("AWS_SHARED_CREDENTIALS_FILE") != NULL)))
            break;
    }
    if (sd->fd < 0) {
        if (e == ENOENT)
            cli_error("no pam_aws_sts session here (%s does not exist): log in again", sd->path);
        else
            cli_error("%s: %s", sd->path, strerror(e));
        return e == ENOENT ? EXIT_LOGIN_NEEDED : EXIT_FAILURE_OTHER;
    }
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_session_dir_check(sd->fd, sd->path, getuid(), &ei) != AWSSTS_OK) {
        cli_error("%s: refused: %s", sd->path, ei.detail);
        session_dir_close(sd);
        return EXIT_FAILURE_OTHER;
    }
    if (flock(sd->fd, lock) != 0) {
        cli_error("%s: lock: %s", sd->path, strerror(errno));
        session_dir_close(sd);
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}

void session_dir_close(struct session_dir *sd)
{
    if (sd->fd >= 0)
        close(sd->fd);
    sd->fd = -1;
}

int session_state_read(const struct session_dir *sd, struct awssts_state *st)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc = awssts_session_read(sd->fd, getuid(), st, &ei);
    if (rc == AWSSTS_E_NOT_FOUND) {
        cli_error("%s/%s: no session state (log in again)", sd->path, AWSSTS_SESSION_STATE);
        return EXIT_LOGIN_NEEDED;
    }
    if (rc != AWSSTS_OK) {
        cli_error("%s/%s: refused: %s", sd->path, AWSSTS_SESSION_STATE, ei.detail);
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}

int session_state_write(const struct session_dir *sd, const struct awssts_state *st)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_session_write(sd->fd, st, &ei) != AWSSTS_OK) {
        cli_error_info("cannot write the renewed credentials", &ei);
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}
