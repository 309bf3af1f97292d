/* Configuration through iniparser. iniparser takes a path, so it is given
 * /proc/self/fd/N of the descriptor we checked: no window for a swap. */
#include "awssts/config.h"
#include "awssts/credfile.h"
#include "awssts/secret.h"
#include "error_set.h"
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <iniparser.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define INI_MAX_LINE 1000 /* iniparser's line buffer is 1024 */

struct awssts_config {
    dictionary *dict;
    char *path;
};

static pthread_once_t ini_once = PTHREAD_ONCE_INIT;

/* iniparser would print to stderr; we report errors ourselves. */
static int ini_quiet(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

static void ini_init(void)
{
    iniparser_set_error_callback(ini_quiet);
}

static awssts_err check_syntax(const char *path, const char *text, size_t len,
                               struct awssts_error_info *ei)
{
    size_t lineno = 1;
    for (const char *p = text, *end = text + len; p < end; lineno++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n > INI_MAX_LINE)
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: line %zu: longer than %d bytes",
                                    path, lineno, INI_MAX_LINE);
        p = nl ? nl + 1 : end;
    }
    struct awssts_credfile *cf = NULL;
    struct awssts_error_info pe;
    awssts_error_info_reset(&pe);
    awssts_err rc = awssts_credfile_parse(text, len, &cf, &pe);
    awssts_credfile_free(cf);
    if (rc != AWSSTS_OK)
        return awssts_error_set(ei, rc, "%s: %s", path, pe.detail);
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_config_load(const char *path,
                                         const struct awssts_file_policy *policy,
                                         struct awssts_config **out,
                                         struct awssts_error_info *ei)
{
    *out = NULL;
    pthread_once(&ini_once, ini_init);

    int fd;
    awssts_err rc = awssts_file_open(AT_FDCWD, path, &fd, ei);
    if (rc != AWSSTS_OK)
        return rc;
    char *text = NULL;
    size_t len = 0;
    rc = awssts_fd_read(fd, path, policy, &text, &len, ei);
    if (rc == AWSSTS_OK)
        rc = check_syntax(path, text, len, ei);
    awssts_secret_free(text);

    struct awssts_config *cfg = NULL;
    if (rc == AWSSTS_OK) {
        char fdpath[64];
        snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
        cfg = calloc(1, sizeof(*cfg));
        if (cfg == NULL || (cfg->path = strdup(path)) == NULL) {
            rc = awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
        } else if ((cfg->dict = iniparser_load(fdpath)) == NULL) {
            rc = awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: iniparser could not read it "
                                  "(is /proc mounted?)", path);
        }
    }
    close(fd);
    if (rc != AWSSTS_OK) {
        awssts_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return AWSSTS_OK;
}

AWSSTS_API void awssts_config_free(struct awssts_config *cfg)
{
    if (cfg == NULL)
        return;
    if (cfg->dict != NULL) {
        /* A keys file holds secrets: wipe the values before iniparser frees them. */
        for (ssize_t i = 0; i < cfg->dict->size; i++)
            if (cfg->dict->val[i] != NULL)
                awssts_memzero(cfg->dict->val[i], strlen(cfg->dict->val[i]));
        iniparser_freedict(cfg->dict);
    }
    free(cfg->path);
    free(cfg);
}

AWSSTS_API const char *awssts_config_path(const struct awssts_config *cfg)
{
    return cfg->path;
}

/* iniparser stores a section as an entry with no value. Its own section
 * functions skip names holding ':', which [user:NAME] sections need. */
static const char *section_at(const struct awssts_config *cfg, int wanted)
{
    int seen = 0;
    for (ssize_t i = 0; i < cfg->dict->size; i++) {
        if (cfg->dict->key[i] == NULL || cfg->dict->val[i] != NULL)
            continue;
        if (seen++ == wanted)
            return cfg->dict->key[i];
    }
    return NULL;
}

AWSSTS_API int awssts_config_section_count(const struct awssts_config *cfg)
{
    int n = 0;
    for (ssize_t i = 0; i < cfg->dict->size; i++)
        n += cfg->dict->key[i] != NULL && cfg->dict->val[i] == NULL;
    return n;
}

AWSSTS_API const char *awssts_config_section_name(const struct awssts_config *cfg, int i)
{
    return i < 0 ? NULL : section_at(cfg, i);
}

/* iniparser keys are "section:key" in lower case. */
static bool entry_name(char *buf, size_t len, const char *section, const char *key)
{
    int n = snprintf(buf, len, "%s%s%s", section, key ? ":" : "", key ? key : "");
    if (n < 0 || (size_t)n >= len)
        return false;
    for (char *p = buf; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return true;
}

AWSSTS_API bool awssts_config_has_section(const struct awssts_config *cfg, const char *section)
{
    char name[512];
    return entry_name(name, sizeof(name), section, NULL) &&
           iniparser_find_entry(cfg->dict, name);
}

AWSSTS_API const char *awssts_config_get(const struct awssts_config *cfg, const char *section,
                                         const char *key)
{
    char name[512];
    if (!entry_name(name, sizeof(name), section, key))
        return NULL;
    return iniparser_getstring(cfg->dict, name, NULL);
}

AWSSTS_API bool awssts_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

AWSSTS_API awssts_err awssts_config_get_bool(const struct awssts_config *cfg,
                                             const char *section, const char *key, bool *out,
                                             struct awssts_error_info *ei)
{
    const char *v = awssts_config_get(cfg, section, key);
    if (v == NULL)
        return AWSSTS_E_NOT_FOUND;
    if (!awssts_parse_bool(v, out))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: [%s] %s = '%.40s': expected yes or no",
                                cfg->path, section, key, v);
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_config_get_long(const struct awssts_config *cfg,
                                             const char *section, const char *key, long min,
                                             long max, long *out,
                                             struct awssts_error_info *ei)
{
    const char *v = awssts_config_get(cfg, section, key);
    if (v == NULL)
        return AWSSTS_E_NOT_FOUND;
    if (!awssts_text_parse_long(v, min, max, out))
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "%s: [%s] %s = '%.40s': expected a whole number from %ld to %ld",
                                cfg->path, section, key, v, min, max);
    return AWSSTS_OK;
}

AWSSTS_API void awssts_config_unknown_keys(const struct awssts_config *cfg, const char *section,
                                           const char *const *known,
                                           void (*warn)(void *ctx, const char *section,
                                                        const char *key),
                                           void *ctx)
{
    char sec[512];
    if (!entry_name(sec, sizeof(sec), section, NULL))
        return;
    size_t slen = strlen(sec);
    for (ssize_t i = 0; i < cfg->dict->size; i++) {
        const char *k = cfg->dict->key[i];
        if (k == NULL || strncmp(k, sec, slen) != 0 || k[slen] != ':')
            continue;
        const char *name = k + slen + 1;
        bool ok = false;
        for (size_t j = 0; known[j] != NULL && !ok; j++)
            ok = strcasecmp(name, known[j]) == 0;
        if (!ok)
            warn(ctx, section, name);
    }
}
