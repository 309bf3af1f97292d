/* The parameter that holds a user's keys: keys = ssm:NAME, with %u and %U,
 * checked against SSM's rules for names before anything is sent, so that a
 * user name can never reach another parameter (no "/", ".." or "%"). */
#include "aws/ssm.h"
#include "util/error_set.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *awssts_ssm_keys_template(const char *keys)
{
    return keys != NULL && strncmp(keys, "ssm:", 4) == 0 ? keys + 4 : NULL;
}

static bool name_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '.' || c == '-' || c == '/';
}

bool awssts_ssm_name_valid(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;
    if (n == 0 || n > AWSSTS_SSM_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!name_char((unsigned char)name[i]))
            return false;
    /* A hierarchy is a path from the root: "/a/b", never "a/b". */
    bool path = strchr(name, '/') != NULL;
    if (path && name[0] != '/')
        return false;
    const char *p = path ? name + 1 : name;
    /* AWS reserves names beginning with these, in any case. */
    if (strncasecmp(p, "aws", 3) == 0 || strncasecmp(p, "ssm", 3) == 0)
        return false;
    unsigned levels = 0;
    for (;;) {
        size_t len = strcspn(p, "/");
        if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        if (++levels > AWSSTS_SSM_LEVELS_MAX)
            return false;
        if (p[len] == '\0')
            return true;
        p += len + 1;
    }
}

/* A user name that can be one part of a name and nothing more. */
static bool user_fits(const char *u)
{
    size_t n = u != NULL ? strlen(u) : 0;
    if (n == 0 || n > 64 || u[0] == '.' || u[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)u[i];
        if (!(isalnum(c) || c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

/* tmpl with %u and %U replaced; false when out is too small. */
static bool expand(const char *tmpl, const char *user, const char *uid, char *out, size_t len)
{
    size_t at = 0;
    for (const char *p = tmpl; *p != '\0'; p++) {
        const char *piece = NULL;
        char one[2] = {*p, '\0'};
        if (p[0] == '%' && (p[1] == 'u' || p[1] == 'U'))
            piece = *++p == 'u' ? user : uid;
        else
            piece = one;
        size_t n = strlen(piece);
        if (at + n >= len)
            return false;
        memcpy(out + at, piece, n);
        at += n;
    }
    out[at] = '\0';
    return true;
}

/* Only %u and %U, and at least one of them. */
static awssts_err check_template(const char *tmpl, struct awssts_error_info *ei)
{
    if (tmpl == NULL || *tmpl == '\0')
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "keys = ssm:NAME needs a parameter name");
    bool per_user = false;
    for (const char *p = tmpl; *p != '\0'; p++) {
        if (*p != '%')
            continue;
        if (p[1] != 'u' && p[1] != 'U')
            return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                    "keys = ssm:%.200s: only %%u (user) and %%U (uid) may follow "
                                    "a %%",
                                    tmpl);
        per_user = true;
        p++;
    }
    if (!per_user)
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "keys = ssm:%.200s: the name needs %%u or %%U, or every user "
                                "would get the same keys",
                                tmpl);
    /* What the template adds must be a name with any user in it. */
    char probe[AWSSTS_SSM_NAME_MAX * 2];
    if (!expand(tmpl, "u", "0", probe, sizeof(probe)) || !awssts_ssm_name_valid(probe))
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "keys = ssm:%.200s: not a name SSM accepts (1-1011 of "
                                "[A-Za-z0-9_.-/], a path from /, no empty, . or .. level, at most "
                                "15 levels, not beginning with aws or ssm)",
                                tmpl);
    return AWSSTS_OK;
}

awssts_err awssts_ssm_name_expand(const char *tmpl, const char *user, uid_t uid, char *out,
                                  size_t len, struct awssts_error_info *ei)
{
    if (out == NULL || len == 0)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "SSM name: no room for it");
    out[0] = '\0';
    awssts_err rc = check_template(tmpl, ei);
    if (rc != AWSSTS_OK)
        return rc;
    if (!user_fits(user))
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "user name '%.64s' cannot be part of an SSM parameter name "
                                "(1-64 of [A-Za-z0-9_.-], not starting with . or -)",
                                user != NULL ? user : "");
    char uid_text[24];
    snprintf(uid_text, sizeof(uid_text), "%lu", (unsigned long)uid);
    if (!expand(tmpl, user, uid_text, out, len) || !awssts_ssm_name_valid(out)) {
        out[0] = '\0';
        return awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                                "keys = ssm:%.120s: no valid SSM parameter name for user %.64s",
                                tmpl, user);
    }
    return AWSSTS_OK;
}
