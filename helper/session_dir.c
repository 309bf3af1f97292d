/* The login's runtime directory and its two files, as the user. */
#include "cli.h"
#include "awssts/credfile.h"
#include "awssts/safefile.h"
#include "awssts/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define STATE_FILE "state"
#define CREDENTIALS_FILE "credentials"

int cli_verbosity = 1; /* 0 debug, 1 info... see main.c */

static void message(const char *fmt, va_list ap)
{
    fputs("awssts: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message(fmt, ap);
    va_end(ap);
}

void cli_info(const char *fmt, ...)
{
    if (cli_verbosity > 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    message(fmt, ap);
    va_end(ap);
}

void cli_error_info(const char *what, const struct awssts_error_info *ei)
{
    char line[600];
    cli_error("%s: %s", what, awssts_error_format(ei, line, sizeof(line)));
}

int cli_exit_code(awssts_err err)
{
    switch (err) {
    case AWSSTS_OK:
        return EXIT_OK;
    case AWSSTS_E_MFA_CODE:
    case AWSSTS_E_INVALID_KEYS:
    case AWSSTS_E_ACCESS_DENIED:
    case AWSSTS_E_REGION_DISABLED:
    case AWSSTS_E_STS_REJECTED:
    case AWSSTS_E_CLOCK_SKEW:
        return EXIT_REFUSED;
    case AWSSTS_E_EXPIRED_TOKEN:
        return EXIT_LOGIN_NEEDED;
    case AWSSTS_E_TIMEOUT:
    case AWSSTS_E_NETWORK:
    case AWSSTS_E_TLS:
    case AWSSTS_E_THROTTLED:
    case AWSSTS_E_SERVER:
    case AWSSTS_E_BAD_RESPONSE:
        return EXIT_NETWORK;
    default:
        return EXIT_FAILURE_OTHER;
    }
}

static bool default_dir(char *out, size_t len)
{
    struct stat st;
    snprintf(out, len, "/run/user/%u/aws-sts", (unsigned)getuid());
    if (stat(out, &st) == 0)
        return true;
    snprintf(out, len, "/run/aws-sts/%u", (unsigned)getuid());
    return stat(out, &st) == 0;
}

int session_dir_open(const char *dir, int lock, struct session_dir *sd)
{
    memset(sd, 0, sizeof(*sd));
    sd->fd = -1;
    const char *env = getenv("AWS_SHARED_CREDENTIALS_FILE");
    if (dir != NULL) {
        snprintf(sd->path, sizeof(sd->path), "%s", dir);
    } else if (env != NULL && *env != '\0') {
        char copy[4096];
        snprintf(copy, sizeof(copy), "%s", env);
        snprintf(sd->path, sizeof(sd->path), "%s", dirname(copy));
    } else if (!default_dir(sd->path, sizeof(sd->path))) {
        cli_error("no pam_aws_sts session here (no /run/user/%u/aws-sts or /run/aws-sts/%u): log in again",
                  (unsigned)getuid(), (unsigned)getuid());
        return EXIT_LOGIN_NEEDED;
    }
    sd->fd = open(sd->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sd->fd < 0) {
        cli_error("%s: %s%s", sd->path, strerror(errno),
                  errno == ENOENT ? " (no session: log in again)" : "");
        return errno == ENOENT ? EXIT_LOGIN_NEEDED : EXIT_FAILURE_OTHER;
    }
    struct stat st;
    if (fstat(sd->fd, &st) != 0 || st.st_uid != getuid() || (st.st_mode & 0022) != 0) {
        cli_error("%s: refused: must be a directory of uid %u that others cannot write",
                  sd->path, (unsigned)getuid());
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
    char *text = NULL;
    size_t len = 0;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    struct awssts_file_policy pol = {.owner = getuid(), .forbidden = 0077};
    awssts_err rc = awssts_file_read(sd->fd, STATE_FILE, &pol, &text, &len, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_state_parse(text, len, st, &ei);
    awssts_secret_free(text);
    if (rc == AWSSTS_E_NOT_FOUND) {
        cli_error("%s/%s: no session state (log in again)", sd->path, STATE_FILE);
        return EXIT_LOGIN_NEEDED;
    }
    if (rc != AWSSTS_OK) {
        cli_error("%s/%s: refused: %s", sd->path, STATE_FILE, ei.detail);
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}

int session_state_write(const struct session_dir *sd, const struct awssts_state *st)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    char *state = NULL, *creds = NULL;
    size_t slen = 0, clen = 0;
    struct awssts_credfile *cf = awssts_credfile_new();
    awssts_err rc = cf ? AWSSTS_OK : AWSSTS_E_NOMEM;
    if (rc == AWSSTS_OK)
        rc = awssts_credfile_put_credentials(cf, st->profile, awssts_state_current(st),
                                             st->has_role ? st->role_arn : NULL, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_credfile_serialize(cf, &creds, &clen);
    if (rc == AWSSTS_OK)
        rc = awssts_state_serialize(st, &state, &slen, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_file_write_atomic(sd->fd, STATE_FILE, state, slen, 0600, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_file_write_atomic(sd->fd, CREDENTIALS_FILE, creds, clen, 0600, &ei);
    awssts_credfile_free(cf);
    awssts_secret_free(state);
    awssts_secret_free(creds);
    if (rc != AWSSTS_OK) {
        cli_error_info("cannot write the renewed credentials", &ei);
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}

int cli_save_file(const struct awssts_credfile *cf, const char *path, unsigned mode)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : dir;
    if (slash != NULL) {
        *slash = '\0';
        if (*dir == '\0')
            snprintf(dir, sizeof(dir), "/");
        mkdir(dir, 0700);
    }
    int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc = dfd < 0 ? AWSSTS_E_FILE_IO : awssts_credfile_save(cf, dfd, base, mode, &ei);
    int e = errno;
    if (dfd >= 0)
        close(dfd);
    if (rc != AWSSTS_OK) {
        cli_error("%s: cannot write: %s", path, ei.detail[0] ? ei.detail : strerror(e));
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}
