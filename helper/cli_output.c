/* awssts's messages, exit codes, and saving a file of the user's. */
#include "cli.h"
#include "awssts/credfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_verbosity =
    2; /* 0 debug, 1 info, 2 warnings, 3 errors: quiet unless asked (login: aws-mfa's level) */

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
