/* INI configuration files (read with iniparser) with ownership and mode
 * checks on the open file, and errors that name the file and line. */
#ifndef AWSSTS_CONFIG_H
#define AWSSTS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "awssts/error.h"
#include "awssts/safefile.h"

#ifdef __cplusplus
extern "C" {
#endif

struct awssts_config;

/*
 * Load path. The file is opened once with O_NOFOLLOW and checked against
 * policy on that descriptor; its lines are checked one by one (clear message
 * with the line number) before iniparser reads the same descriptor, and
 * every value is iniparser's. The rules (docs/pam_aws_sts.md, "File
 * syntax"): '#' or ';' starts a comment line; "[name]" a section; every
 * other line is "key = value". A value ends at ';' or '#' unless it is in
 * double or single quotes, which are removed (they keep spaces). Section
 * and key names are case-insensitive; a key is letters, digits, '_', '.'
 * and '-'. A key before any section, a section
 * or a key given twice, and a line continued with '\' are refused.
 */
AWSSTS_API awssts_err awssts_config_load(const char *path, const struct awssts_file_policy *policy,
                                         struct awssts_config **out, struct awssts_error_info *ei);
AWSSTS_API void awssts_config_free(struct awssts_config *cfg);

AWSSTS_API const char *awssts_config_path(const struct awssts_config *cfg);
AWSSTS_API int awssts_config_section_count(const struct awssts_config *cfg);
AWSSTS_API const char *awssts_config_section_name(const struct awssts_config *cfg, int i);
AWSSTS_API bool awssts_config_has_section(const struct awssts_config *cfg, const char *section);

/* The value, or NULL when absent. */
AWSSTS_API const char *awssts_config_get(const struct awssts_config *cfg, const char *section,
                                         const char *key);

/* yes/no, true/false, on/off, 1/0. Absent: AWSSTS_E_NOT_FOUND, *out untouched. */
AWSSTS_API awssts_err awssts_config_get_bool(const struct awssts_config *cfg, const char *section,
                                             const char *key, bool *out,
                                             struct awssts_error_info *ei);

/* A decimal in [min, max]. Absent: AWSSTS_E_NOT_FOUND, *out untouched. */
AWSSTS_API awssts_err awssts_config_get_long(const struct awssts_config *cfg, const char *section,
                                             const char *key, long min, long max, long *out,
                                             struct awssts_error_info *ei);

/* The line of key in section (both case-insensitive; key NULL: the section's
 * own line), 0 when absent. */
AWSSTS_API size_t awssts_config_line(const struct awssts_config *cfg, const char *section,
                                     const char *key);

/* Call warn once for each key of section that is not in known (NULL-terminated). */
AWSSTS_API void awssts_config_unknown_keys(
    const struct awssts_config *cfg, const char *section, const char *const *known,
    void (*warn)(void *ctx, const char *section, const char *key), void *ctx);

/* Parse a boolean word as the config does. */
AWSSTS_API bool awssts_parse_bool(const char *s, bool *out);

#ifdef __cplusplus
}
#endif
#endif
