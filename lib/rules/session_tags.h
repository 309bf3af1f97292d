/*
 * Internal: the session tags of a login (tags = KEY=VALUE ...,
 * transitive_tags = all|KEY ...) as the configuration writes them, with %u
 * and %h in the values, and as the state keeps them for awssts: expanded,
 * the transitive keys listed. Checked by STS's rules when parsed, so a tag
 * that would break the call is a configuration error, never an STS error.
 */
#ifndef AWSSTS_SESSION_TAGS_H
#define AWSSTS_SESSION_TAGS_H

#include <stddef.h>

#include "awssts/error.h"
#include "awssts/sts.h"

struct awssts_session_tags {
    struct awssts_tag *tags; /* owned keys and values */
    size_t n_tags;
    char **transitive; /* owned; keys of tags, as the tags spell them */
    size_t n_transitive;
};

/*
 * tags: KEY=VALUE words, spaces or tabs between (a value may be empty, not
 * hold a space); user: expand %u/%h/%% in the values (NULL: taken as
 * written, for text already expanded). transitive: "all", or keys of tags
 * (in any case), or NULL/empty for none. AWSSTS_E_CONFIG with the reason.
 */
awssts_err awssts_session_tags_parse(const char *tags, const char *transitive, const char *user,
                                     struct awssts_session_tags *out, struct awssts_error_info *ei);

/* As the state keeps them: "KEY=VALUE ..." and "KEY ..." (NULL when none). */
awssts_err awssts_session_tags_format(const struct awssts_session_tags *t, char **tags,
                                      char **transitive);

void awssts_session_tags_free(struct awssts_session_tags *t);

#endif
