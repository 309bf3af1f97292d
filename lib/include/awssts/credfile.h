/*
 * The shared credentials file AWS SDKs read (~/.aws/credentials format),
 * kept line by line so that rewriting one profile leaves every other
 * section, comment and blank line as it was.
 */
#ifndef AWSSTS_CREDFILE_H
#define AWSSTS_CREDFILE_H

#include <stddef.h>
#include <sys/types.h>
#include "awssts/error.h"
#include "awssts/safefile.h"
#include "awssts/sts.h"

#ifdef __cplusplus
extern "C" {
#endif

struct awssts_credfile;

AWSSTS_API struct awssts_credfile *awssts_credfile_new(void);

/*
 * Parse text. Refused, with the line number in ei->detail: a key outside a
 * section, a line that is neither comment, section nor key = value, a
 * repeated section or a repeated key in one section (as the AWS CLI does).
 */
AWSSTS_API awssts_err awssts_credfile_parse(const char *text, size_t len,
                                            struct awssts_credfile **out,
                                            struct awssts_error_info *ei);

/* awssts_file_read with policy, then parse. */
AWSSTS_API awssts_err awssts_credfile_load(int dirfd, const char *path,
                                           const struct awssts_file_policy *policy,
                                           struct awssts_credfile **out,
                                           struct awssts_error_info *ei);

AWSSTS_API void awssts_credfile_free(struct awssts_credfile *cf);

/* The value of key (case-insensitive) in section, or NULL. */
AWSSTS_API const char *awssts_credfile_get(const struct awssts_credfile *cf, const char *section,
                                           const char *key);
AWSSTS_API int awssts_credfile_has_section(const struct awssts_credfile *cf, const char *section);

/* Replace the value in place, or add the key at the end of the section,
 * creating the section at the end of the file when it is absent. */
AWSSTS_API awssts_err awssts_credfile_set(struct awssts_credfile *cf, const char *section,
                                          const char *key, const char *value,
                                          struct awssts_error_info *ei);
AWSSTS_API void awssts_credfile_unset(struct awssts_credfile *cf, const char *section,
                                      const char *key);
AWSSTS_API void awssts_credfile_remove_section(struct awssts_credfile *cf, const char *section);

/* The whole file as text, for awssts_secret_free. */
AWSSTS_API awssts_err awssts_credfile_serialize(const struct awssts_credfile *cf, char **out,
                                                size_t *len);

/* Serialize and awssts_file_write_atomic. */
AWSSTS_API awssts_err awssts_credfile_save(const struct awssts_credfile *cf, int dirfd,
                                           const char *name, mode_t mode,
                                           struct awssts_error_info *ei);

/*
 * Write temporary credentials into section in the format aws-mfa writes:
 * aws_access_key_id, aws_secret_access_key, aws_session_token,
 * aws_security_token, expiration ("YYYY-MM-DD HH:MM:SS" UTC), assumed_role
 * (True/False) and assumed_role_arn (removed when no role).
 */
AWSSTS_API awssts_err awssts_credfile_put_credentials(struct awssts_credfile *cf,
                                                      const char *section,
                                                      const struct awssts_credentials *cr,
                                                      const char *role_arn,
                                                      struct awssts_error_info *ei);

#ifdef __cplusplus
}
#endif
#endif
