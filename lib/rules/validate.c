/* Value checks. Patterns follow the STS API reference; anything that could
 * break a file we write (newlines, brackets, '=') is outside them. */
#include "awssts/validate.h"
#include "awssts/sts.h"

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

/*
 * Session tags. STS takes [\p{L}\p{Z}\p{N}_.:/=+\-@], any Unicode letter,
 * separator or number; we take the ASCII ones only (letters, digits, the
 * plain space). Simpler to check without a Unicode table, and a tag goes
 * into our logs as it is: nothing there can then be a look-alike letter, a
 * right-to-left mark or a separator (U+2028) that breaks a log line.
 */
static bool tag_chars(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (c == '\0' || strchr(" _.:/=+-@", c) == NULL))
            return false;
    }
    return true;
}

AWSSTS_API bool awssts_valid_tag_key(const char *s)
{
    if (s == NULL)
        return false;
    size_t n = strlen(s);
    /* "aws:" is AWS's own prefix; keys are compared without case. */
    bool reserved = n >= 4 && (s[0] | 0x20) == 'a' && (s[1] | 0x20) == 'w' &&
                    (s[2] | 0x20) == 's' && s[3] == ':';
    return n >= 1 && n <= AWSSTS_TAG_KEY_MAX && !reserved && tag_chars(s, n);
}

AWSSTS_API bool awssts_valid_tag_value(const char *s)
{
    if (s == NULL)
        return false;
    size_t n = strlen(s);
    return n <= AWSSTS_TAG_VALUE_MAX && tag_chars(s, n);
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
