/* Long-term keys. aws-mfa's key names and the AWS CLI's are both read. */
#include "login/user_keys.h"
#include "aws/sts_client.h"
#include "aws/ssm.h"
#include "login/ssm_keys.h"
#include "login/settings_login.h"
#include "awssts/config.h"
#include "awssts/credfile.h"
#include "awssts/secret.h"
#include "awssts/validate.h"
#include "util/error_set.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *either(const char *a, const char *b)
{
    return a != NULL ? a : b;
}

/* A value of a section, from either kind of file. */
typedef const char *(*value_fn)(const void *file, const char *section, const char *key);

static const char *config_value(const void *file, const char *section, const char *key)
{
    return awssts_config_get(file, section, key);
}

static const char *credfile_value(const void *file, const char *section, const char *key)
{
    return awssts_credfile_get(file, section, key);
}

/* The four values under aws-mfa's names or the AWS CLI's. */
static struct awssts_key_values found_in(value_fn get, const void *file, const char *section)
{
    return (struct awssts_key_values){
        get(file, section, "aws_access_key_id"),
        get(file, section, "aws_secret_access_key"),
        either(get(file, section, "aws_mfa_device"), get(file, section, "mfa_serial")),
        either(get(file, section, "assume_role"), get(file, section, "role_arn")),
    };
}

/* Root's file: root-owned, 0600 or 0400, read with the configuration's rules. */
static awssts_err from_root_file(const char *path, const char *user, struct awssts_user_keys *k,
                                 struct awssts_error_info *ei)
{
    struct awssts_config *cfg = NULL;
    struct awssts_file_policy pol = {.owner = 0, .forbidden = 0177};
    awssts_err rc = awssts_config_load(path, &pol, &cfg, ei);
    if (rc == AWSSTS_E_NOT_FOUND)
        return awssts_error_set(ei, AWSSTS_E_NOT_FOUND, "keys = %s: no such file", path);
    if (rc != AWSSTS_OK)
        return rc;
    if (!awssts_config_has_section(cfg, user)) {
        rc = awssts_error_set(ei, AWSSTS_E_NO_KEYS, "%s: no [%s] section", path, user);
    } else {
        struct awssts_key_values f = found_in(config_value, cfg, user);
        rc = awssts_user_keys_take(&f, path, user, k, ei);
    }
    awssts_config_free(cfg); /* wipes the values */
    return rc;
}

const char *awssts_home_dir(const struct passwd *pw, const char *env_home)
{
    if (env_home != NULL && *env_home != '\0')
        return env_home;
    return pw != NULL ? pw->pw_dir : NULL;
}

awssts_err awssts_home_keys_read(const char *home, uid_t owner, const char *profile,
                                 struct awssts_user_keys *k, struct awssts_error_info *ei)
{
    char path[4096], section[128];
    memset(k, 0, sizeof(*k));
    if (home == NULL)
        return awssts_error_set(ei, AWSSTS_E_NO_KEYS, "no home directory");
    if (snprintf(path, sizeof(path), "%s/.aws/credentials", home) >= (int)sizeof(path))
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "home directory path too long");
    snprintf(section, sizeof(section), "%s-long-term", profile);
    struct awssts_file_policy pol = {.owner = owner, .forbidden = 0077};
    struct awssts_credfile *cf = NULL;
    awssts_err rc = awssts_credfile_load(AT_FDCWD, path, &pol, &cf, ei);
    if (rc == AWSSTS_E_NOT_FOUND)
        return awssts_error_set(ei, AWSSTS_E_NO_KEYS, "%s: no such file", path);
    if (rc == AWSSTS_OK && !awssts_credfile_has_section(cf, section)) {
        rc = awssts_error_set(ei, AWSSTS_E_NO_KEYS, "%s: no [%s] section", path, section);
    } else if (rc == AWSSTS_OK) {
        struct awssts_key_values f = found_in(credfile_value, cf, section);
        rc = awssts_user_keys_take(&f, path, section, k, ei);
    }
    awssts_credfile_free(cf); /* wipes the values */
    return rc;
}

/* The user's ~/.aws/credentials, read as the user (the password database's
 * home: the module never trusts the caller's environment). */
static awssts_err from_home(const struct awssts_settings *s, const struct passwd *pw,
                            const struct awssts_as_user *as_user, struct awssts_user_keys *k,
                            struct awssts_error_info *ei)
{
    awssts_err rc = awssts_as_user_enter(as_user, ei);
    if (rc != AWSSTS_OK)
        return rc;
    rc = awssts_home_keys_read(awssts_home_dir(pw, NULL), pw->pw_uid, s->profile, k, ei);
    awssts_err lrc = awssts_as_user_leave(as_user, AWSSTS_OK, ei);
    if (lrc != AWSSTS_OK) {
        awssts_user_keys_free(k);
        return lrc;
    }
    return rc;
}

/* keys = ssm:NAME: a client of its own, so that its deadline ends before the
 * prompt and the STS calls after it get theirs whole. */
static awssts_err from_ssm(const struct awssts_settings *s, const struct passwd *pw,
                           struct awssts_user_keys *k, struct awssts_error_info *ei)
{
    struct awssts_client_options o;
    awssts_settings_client_options(s, "pam", &o);
    /* The client's STS endpoint is not used here; a region is needed to
     * make one, and IMDS may be about to give the real one. */
    if (o.region == NULL)
        o.region = "us-east-1";
    o.endpoint = NULL;
    struct awssts_client *c = NULL;
    awssts_err rc = awssts_client_new(&o, &c, ei);
    if (rc != AWSSTS_OK)
        return rc;
    const struct ssm_keys_request r = {
        .name_template = awssts_ssm_keys_template(s->keys),
        .user = pw->pw_name,
        .uid = pw->pw_uid,
        .imds_endpoint = s->imds_endpoint,
        .region = s->region,
        .ssm_endpoint = s->ssm_endpoint,
        .fips = s->fips,
        .dualstack = s->dualstack,
        .account = s->ssm_account,
    };
    rc = awssts_ssm_user_keys(awssts_client_transport(c), &r, k, ei);
    awssts_client_free(c);
    return rc;
}

awssts_err awssts_keys_load(const struct awssts_settings *s, const struct passwd *pw,
                            const struct awssts_as_user *as_user, struct awssts_user_keys *k,
                            struct awssts_error_info *ei)
{
    memset(k, 0, sizeof(*k));
    if (s->keys == NULL)
        return awssts_error_set(ei, AWSSTS_E_NO_KEYS, "no keys configured");
    if (strcmp(s->keys, "home") == 0)
        return from_home(s, pw, as_user, k, ei);
    if (awssts_ssm_keys_template(s->keys) != NULL)
        return from_ssm(s, pw, k, ei);
    return from_root_file(s->keys, pw->pw_name, k, ei);
}
