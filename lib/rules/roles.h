/*
 * Internal: the named roles a user may take from one MFA session
 * (roles = NAME=ARN ...), as the configuration gives them and the state
 * file keeps them for awssts. The list is a convenience and a guard
 * against typos, not a security boundary: whoever holds the MFA session's
 * credentials can ask STS for any role, and IAM (the roles' trust
 * policies) decides.
 */
#ifndef AWSSTS_ROLES_H
#define AWSSTS_ROLES_H

#include <stdbool.h>
#include <stddef.h>

#include "awssts/error.h"

#define AWSSTS_ROLES_MAX     32
#define AWSSTS_ROLE_NAME_MAX 32

struct awssts_role {
    char name[AWSSTS_ROLE_NAME_MAX + 1]; /* [A-Za-z0-9_.-], 1-32 */
    char *arn;
};

struct awssts_roles {
    struct awssts_role *v;
    size_t n;
};

/* "NAME=ARN NAME=ARN ..." (spaces or tabs between); each name once, each
 * ARN a role's. An empty text is an empty list. */
awssts_err awssts_roles_parse(const char *text, struct awssts_roles *out,
                              struct awssts_error_info *ei);

/* The ARN of name, NULL when the list has no such role. */
const char *awssts_roles_find(const struct awssts_roles *r, const char *name);

/* A name as the list allows it (also for a profile or section named after it). */
bool awssts_role_name_valid(const char *name);

void awssts_roles_free(struct awssts_roles *r);

#endif
