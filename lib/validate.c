/* Value checks. Patterns follow the STS API reference; anything that could
 * break a file we write (newlines, brackets, '=') is outside them. */
#include "awssts/validate.h"

#include <ctype.h>
#include <string.h>

static bool in_set(const char *s, size_t min, size_t max, const char *extra)
{
    if (s == NULL)
        return false;
    size_t n = strlen(s);
    if (n < min || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c == '_' || (c != '\0' && strchr(extra, c) != NULL)))
            return false;
    }
    return true;
}

AWSSTS_API bool awssts_valid_mfa_code(const char *s)
{
    if (s == NULL || strlen(s) != 6)
        return false;
    for (int i = 0; i < 6; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

AWSSTS_API bool awssts_valid_session_name(const char *s)
{
    return in_set(s, 2, 64, "+=,.@-");
}

AWSSTS_API bool awssts_valid_external_id(const char *s)
{
    return in_set(s, 2, 1224, "+=,.@:/-");
}

AWSSTS_API bool awssts_valid_source_identity(const char *s)
{
    return in_set(s, 2, 64, "+=,.@-");
}

/* POSIX portable user names, as useradd accepts them (a trailing '$' for
 * Samba's machine accounts). */
AWSSTS_API bool awssts_valid_user_name(const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;
    if (n == 0 || n > 32 || !(islower((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(islower(c) || isdigit(c) || c == '_' || c == '-' || c == '.' ||
              (c == '$' && i == n - 1)))
            return false;
    }
    return true;
}

AWSSTS_API bool awssts_valid_profile_name(const char *s)
{
    return in_set(s, 1, 64, "+=,.@:/-");
}

/* arn:PARTITION:iam::ACCOUNT:KIND/rest, rest in [\w+=,.@/-]. */
static bool valid_iam_arn(const char *s, const char *kind, size_t max_rest)
{
    static const char *const parts[] = {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"};
    if (s == NULL || strncmp(s, "arn:", 4) != 0)
        return false;
    s += 4;
    const char *colon = strchr(s, ':');
    if (colon == NULL)
        return false;
    bool known = false;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        if ((size_t)(colon - s) == strlen(parts[i]) && strncmp(s, parts[i], strlen(parts[i])) == 0)
            known = true;
    if (!known || strncmp(colon, ":iam::", 6) != 0)
        return false;
    s = colon + 6;
    for (int i = 0; i < 12; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    s += 12;
    size_t klen = strlen(kind);
    if (s[0] != ':' || strncmp(s + 1, kind, klen) != 0 || s[1 + klen] != '/')
        return false;
    s += 2 + klen;
    /* The name after the last '/' must not be empty. */
    if (s[0] == '\0' || s[strlen(s) - 1] == '/')
        return false;
    return in_set(s, 1, max_rest, "+=,.@/-");
}

AWSSTS_API bool awssts_valid_role_arn(const char *s)
{
    return s != NULL && strlen(s) <= 2048 && valid_iam_arn(s, "role", 512 + 64);
}

AWSSTS_API bool awssts_valid_mfa_serial(const char *s)
{
    if (s == NULL)
        return false;
    if (strncmp(s, "arn:", 4) == 0)
        return strlen(s) <= 256 && valid_iam_arn(s, "mfa", 256);
    return in_set(s, 9, 256, "+=,.@-"); /* hardware token serial */
}

AWSSTS_API bool awssts_valid_access_key_id(const char *s)
{
    if (s == NULL)
        return false;
    size_t n = strlen(s);
    if (n < 16 || n > 128)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool base64ish(const char *s, size_t min, size_t max)
{
    return in_set(s, min, max, "/+=");
}

AWSSTS_API bool awssts_valid_secret_key(const char *s)
{
    return base64ish(s, 16, 256);
}

AWSSTS_API bool awssts_valid_session_token(const char *s)
{
    return base64ish(s, 16, 16384);
}
