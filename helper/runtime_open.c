/* The login's runtime directory and its two files, as the user. */
#include "cli.h"
#include "login/options.h"
#include "files/paths.h"
#include "files/runtime_files.h"
#include "login/user_keys.h"

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
static const char *module_config_path(void)
{
    const char *v = getenv("AWSSTS_CONFIG");
    return v != NULL && *v == '/' ? v : AWSSTS_DEFAULT_CONFIG;
}

/* The runtime_dir the module gives this user, resolved as the module
 * resolves every option (the option table, [global], then the user's
 * group and user sections) and expanded; false when the configuration
 * cannot be read or sets none. A uid the password database does not name
 * (pw NULL) gets [global] and its primary group's sections: its uid stands
 * for the name, which no [user:] section has, and %u cannot be expanded. */
static bool configured_runtime_dir(const struct passwd *pw, char *out, size_t len)
{
    char uid_name[24];
    snprintf(uid_name, sizeof(uid_name), "%u", (unsigned)getuid());
    const char *name = pw != NULL ? pw->pw_name : uid_name;
    struct awssts_settings s;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    bool ok = awssts_settings_load(module_config_path(), name, pw ? pw->pw_gid : getgid(), &s,
                                   &ei) == AWSSTS_OK &&
              s.runtime_dir != NULL &&
              awssts_expand_path(s.runtime_dir, getuid(), pw ? pw->pw_name : NULL, out, len,
                                 NULL) == AWSSTS_OK;
    awssts_settings_free(&s);
    return ok;
}

/* Whether the module gives this user no credentials because they have no
 * keys, as far as the user can tell without the network: none configured
 * for them, or none in their own ~/.aws/credentials (keys = home). A keys
 * file only root reads, or keys in SSM, leave it unknown (false). */
static bool user_has_no_keys(const struct passwd *pw)
{
    struct awssts_settings s;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    char uid_name[24];
    snprintf(uid_name, sizeof(uid_name), "%u", (unsigned)getuid());
    if (awssts_settings_load(module_config_path(), pw ? pw->pw_name : uid_name,
                             pw ? pw->pw_gid : getgid(), &s, &ei) != AWSSTS_OK)
        return false;
    bool none = false;
    if (s.keys == NULL) {
        none = true;
    } else if (pw != NULL && strcmp(s.keys, "home") == 0) {
        /* The module's reading of them, with this process's own rights. */
        struct awssts_user_keys k = {0};
        none = awssts_home_keys_read(awssts_home_dir(pw, NULL), pw->pw_uid, s.profile, &k, &ei) ==
               AWSSTS_E_NO_KEYS;
        awssts_user_keys_free(&k);
    }
    awssts_settings_free(&s);
    return none;
}

int runtime_dir_open(const char *dir, int lock, struct cli_runtime_dir *sd)
{
    memset(sd, 0, sizeof(*sd));
    sd->fd = -1;
    char where[4][4096];
    size_t n = 0;
    if (dir != NULL) {
        snprintf(where[n++], sizeof(where[0]), "%s", dir);
    } else {
        char configured[4096];
        bool has = configured_runtime_dir(getpwuid(getuid()), configured, sizeof(configured));
        n = awssts_runtime_dir_candidates(getuid(), getenv("AWS_SHARED_CREDENTIALS_FILE"),
                                          has ? configured : NULL, where, 4);
    }
    int e = ENOENT;
    for (size_t i = 0; i < n && sd->fd < 0; i++) {
        snprintf(sd->path, sizeof(sd->path), "%s", where[i]);
        sd->fd = open(where[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sd->fd < 0 && errno != ENOENT)
            e = errno;
        /* The exported file's directory, or the one asked for, is the answer. */
        if (sd->fd < 0 &&
            (dir != NULL || (i == 0 && getenv("AWS_SHARED_CREDENTIALS_FILE") != NULL)))
            break;
    }
    if (sd->fd < 0) {
        if (e == ENOENT && dir == NULL && user_has_no_keys(getpwuid(getuid())))
            cli_error("no pam_aws_sts session: this bastion has no AWS keys for you, so logins "
                      "get no AWS credentials; ask the administrator for keys");
        else if (e == ENOENT)
            cli_error("no pam_aws_sts session here (%s does not exist): log in again", sd->path);
        else
            cli_error("%s: %s", sd->path, strerror(e));
        return e == ENOENT ? EXIT_LOGIN_NEEDED : EXIT_FAILURE_OTHER;
    }
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_runtime_dir_check(sd->fd, sd->path, getuid(), &ei) != AWSSTS_OK) {
        cli_error("%s: refused: %s", sd->path, ei.detail);
        runtime_dir_close(sd);
        return EXIT_FAILURE_OTHER;
    }
    if (flock(sd->fd, lock) != 0) {
        cli_error("%s: lock: %s", sd->path, strerror(errno));
        runtime_dir_close(sd);
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}

void runtime_dir_close(struct cli_runtime_dir *sd)
{
    if (sd->fd >= 0)
        close(sd->fd);
    sd->fd = -1;
}

int session_state_read(const struct cli_runtime_dir *sd, struct awssts_state *st)
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

int session_state_write(const struct cli_runtime_dir *sd, const struct awssts_state *st)
{
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_session_write(sd->fd, st, &ei) != AWSSTS_OK) {
        cli_error_info("cannot write the renewed credentials", &ei);
        return EXIT_FAILURE_OTHER;
    }
    return EXIT_OK;
}
