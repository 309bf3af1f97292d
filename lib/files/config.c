/* Configuration through iniparser. iniparser takes a path, so it is given
 * /proc/self/fd/N of the descriptor we checked: no window for a swap. */
#include "awssts/config.h"
#include "awssts/secret.h"
#include "util/error_set.h"
#include "util/text.h"

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

struct entry;

struct awssts_config {
    dictionary *dict;
    char *path;
    struct entry *entries;
    size_t n_entries;
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

/* Where each key stands: section and key as iniparser keeps them (lower
 * case), and the line. Values are iniparser's alone. */
struct entry {
    char *section;
    char *key;
    size_t line;
};

static void free_entries(struct awssts_config *cfg)
{
    for (size_t i = 0; i < cfg->n_entries; i++) {
        free(cfg->entries[i].section);
        free(cfg->entries[i].key);
    }
    free(cfg->entries);
    cfg->entries = NULL;
    cfg->n_entries = 0;
}

static char *lower_trimmed(const char *s, size_t n)
{
    size_t tn = 0;
    const char *t = awssts_text_span_trim(s, n, &tn);
    char *d = malloc(tn + 1);
    if (d == NULL)
        return NULL;
    for (size_t i = 0; i < tn; i++)
        d[i] = (char)tolower((unsigned char)t[i]);
    d[tn] = '\0';
    return d;
}

static bool add_entry(struct awssts_config *cfg, const char *section, char *key, size_t line)
{
    struct entry *e = realloc(cfg->entries, (cfg->n_entries + 1) * sizeof(*e));
    char *sec = strdup(section);
    if (e == NULL || sec == NULL) {
        if (e != NULL)
            cfg->entries = e;
        free(sec);
        free(key);
        return false;
    }
    cfg->entries = e;
    struct entry *added = &e[cfg->n_entries++];
    added->section = sec;
    added->key = key;
    added->line = line;
    return true;
}

static const struct entry *find_entry(const struct awssts_config *cfg, const char *section,
                                      const char *key)
{
    for (size_t i = 0; i < cfg->n_entries; i++)
        if (strcmp(cfg->entries[i].section, section) == 0 &&
            (key == NULL ? cfg->entries[i].key == NULL
                         : cfg->entries[i].key != NULL && strcmp(cfg->entries[i].key, key) == 0))
            return &cfg->entries[i];
    return NULL;
}

/*
 * The lines of the file as iniparser reads them (a comment starts with '#'
 * or ';', a section is "[name]", anything else must be "key = value"), each
 * key's line recorded. What iniparser would take silently, or read
 * otherwise than it looks, is refused with the line: a key before any
 * section, a section or key given twice, a line continued with '\'.
 */
static awssts_err locate_lines(struct awssts_config *cfg, const char *text, size_t len,
                               struct awssts_error_info *ei)
{
    char section[300] = "";
    size_t lineno = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *line = p;
        p = nl ? nl + 1 : end;
        lineno++;
        if (n > INI_MAX_LINE)
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: line %zu: longer than %d bytes",
                                    cfg->path, lineno, INI_MAX_LINE);
        size_t tn = 0;
        const char *t = awssts_text_span_trim(line, n, &tn);
        if (tn == 0 || *t == '#' || *t == ';')
            continue;
        if (awssts_text_has_ctl(t, tn))
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: line %zu: control character",
                                    cfg->path, lineno);
        if (t[tn - 1] == '\\')
            return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                    "%s: line %zu: a line continued with '\\' is not read",
                                    cfg->path, lineno);
        if (*t == '[') {
            char *name = NULL;
            if (t[tn - 1] != ']' || tn < 3 || memchr(t + 1, ']', tn - 2) != NULL ||
                (name = lower_trimmed(t + 1, tn - 2)) == NULL || strlen(name) >= sizeof(section) ||
                name[0] == '\0') {
                free(name);
                return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: line %zu: bad section header",
                                        cfg->path, lineno);
            }
            if (find_entry(cfg, name, NULL) != NULL) {
                awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: line %zu: section [%s] given twice",
                                 cfg->path, lineno, name);
                free(name);
                return AWSSTS_E_CONFIG;
            }
            snprintf(section, sizeof(section), "%s", name);
            free(name);
            if (!add_entry(cfg, section, NULL, lineno))
                return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
            continue;
        }
        const char *eq = memchr(t, '=', tn);
        if (eq == NULL)
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: line %zu: expected 'key = value'",
                                    cfg->path, lineno);
        if (section[0] == '\0')
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: line %zu: key before any [section]",
                                    cfg->path, lineno);
        char *key = lower_trimmed(t, (size_t)(eq - t));
        if (key == NULL)
            return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
        if (key[0] == '\0' ||
            strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_.-") != strlen(key)) {
            free(key);
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "%s: line %zu: bad key name", cfg->path,
                                    lineno);
        }
        const struct entry *twice = find_entry(cfg, section, key);
        if (twice != NULL) {
            awssts_error_set(ei, AWSSTS_E_CONFIG,
                             "%s: line %zu: %s given twice in [%s] (also line %zu)", cfg->path,
                             lineno, key, section, twice->line);
            free(key);
            return AWSSTS_E_CONFIG;
        }
        if (!add_entry(cfg, section, key, lineno))
            return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    return AWSSTS_OK;
}

AWSSTS_API awssts_err awssts_config_load(const char *path, const struct awssts_file_policy *policy,
                                         struct awssts_config **out, struct awssts_error_info *ei)
{
    *out = NULL;
    pthread_once(&ini_once, ini_init);

    int fd;
    awssts_err rc = awssts_file_open(AT_FDCWD, path, &fd, ei);
    if (rc != AWSSTS_OK)
        return rc;
    struct awssts_config *cfg = calloc(1, sizeof(*cfg));
    if (cfg == NULL || (cfg->path = strdup(path)) == NULL) {
        free(cfg);
        close(fd);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    char *text = NULL;
    size_t len = 0;
    rc = awssts_fd_read(fd, path, policy, &text, &len, ei);
    if (rc == AWSSTS_OK)
        rc = locate_lines(cfg, text, len, ei);
    awssts_secret_free(text);
    if (rc == AWSSTS_OK) {
        char fdpath[64];
        snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
        if ((cfg->dict = iniparser_load(fdpath)) == NULL)
            rc = awssts_error_set(ei, AWSSTS_E_CONFIG,
                                  "%s: iniparser could not read it "
                                  "(is /proc mounted?)",
                                  path);
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
    free_entries(cfg);
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
    return entry_name(name, sizeof(name), section, NULL) && iniparser_find_entry(cfg->dict, name);
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

AWSSTS_API awssts_err awssts_config_get_bool(const struct awssts_config *cfg, const char *section,
                                             const char *key, bool *out,
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

AWSSTS_API awssts_err awssts_config_get_long(const struct awssts_config *cfg, const char *section,
                                             const char *key, long min, long max, long *out,
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

AWSSTS_API void
awssts_config_unknown_keys(const struct awssts_config *cfg, const char *section,
                           const char *const *known,
                           void (*warn)(void *ctx, const char *section, const char *key), void *ctx)
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

AWSSTS_API size_t awssts_config_line(const struct awssts_config *cfg, const char *section,
                                     const char *key)
{
    char sec[512], k[256];
    if (!entry_name(sec, sizeof(sec), section, NULL) ||
        (key != NULL && !entry_name(k, sizeof(k), key, NULL)))
        return 0;
    const struct entry *e = find_entry(cfg, sec, key != NULL ? k : NULL);
    return e != NULL ? e->line : 0;
}
