/* Parsing and looking up the named roles. */
#include "rules/roles.h"
#include "awssts/validate.h"
#include "util/error_set.h"

#include <stdlib.h>
#include <string.h>

bool awssts_role_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > AWSSTS_ROLE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

const char *awssts_roles_find(const struct awssts_roles *r, const char *name)
{
    for (size_t i = 0; r != NULL && i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0)
            return r->v[i].arn;
    return NULL;
}

void awssts_roles_free(struct awssts_roles *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i].arn);
    free(r->v);
    r->v = NULL;
    r->n = 0;
}

static awssts_err add(struct awssts_roles *r, const char *word, size_t len,
                      struct awssts_error_info *ei)
{
    const char *eq = memchr(word, '=', len);
    size_t nlen = eq != NULL ? (size_t)(eq - word) : 0;
    if (eq == NULL || nlen == 0 || nlen > AWSSTS_ROLE_NAME_MAX)
        return awssts_error_set(
            ei, AWSSTS_E_CONFIG,
            "roles: '%.*s' is not NAME=ARN (NAME 1-32 of letters, digits, _ . -)",
            (int)(len < 80 ? len : 80), word);
    struct awssts_role one = {0};
    memcpy(one.name, word, nlen);
    if (!awssts_role_name_valid(one.name))
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "roles: '%s' is not a role name (letters, digits, _ . -)",
                                one.name);
    if (awssts_roles_find(r, one.name) != NULL)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "roles: '%s' is named twice", one.name);
    if (r->n == AWSSTS_ROLES_MAX)
        return awssts_error_set(ei, AWSSTS_E_CONFIG, "roles: more than %d", AWSSTS_ROLES_MAX);
    one.arn = strndup(eq + 1, len - nlen - 1);
    if (one.arn == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    if (!awssts_valid_role_arn(one.arn)) {
        free(one.arn);
        return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                "roles: %s's ARN is not arn:aws:iam::ACCOUNT:role/NAME", one.name);
    }
    struct awssts_role *v = realloc(r->v, (r->n + 1) * sizeof(*v));
    if (v == NULL) {
        free(one.arn);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    r->v = v;
    r->v[r->n++] = one;
    return AWSSTS_OK;
}

awssts_err awssts_roles_parse(const char *text, struct awssts_roles *out,
                              struct awssts_error_info *ei)
{
    memset(out, 0, sizeof(*out));
    for (const char *p = text; p != NULL && *p != '\0';) {
        p += strspn(p, " \t");
        size_t n = strcspn(p, " \t");
        if (n == 0)
            break;
        awssts_err rc = add(out, p, n, ei);
        if (rc != AWSSTS_OK) {
            awssts_roles_free(out);
            return rc;
        }
        p += n;
    }
    return AWSSTS_OK;
}
