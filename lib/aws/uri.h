/* Internal: RFC 3986 encoding as SigV4 and the Query protocol want it. */
#ifndef AWSSTS_URI_H
#define AWSSTS_URI_H

#include <stdbool.h>
#include <stddef.h>
#include "util/buf.h"

/* Percent-encode every byte but A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash). */
bool awssts_uri_encode(struct awssts_buf *out, const char *s, size_t len, bool keep_slash);

/* Decode %XX escapes (invalid escapes are kept literally). */
bool awssts_uri_decode(struct awssts_buf *out, const char *s, size_t len);

/* SigV4 canonical URI: remove dot segments and empty segments, then encode. */
bool awssts_uri_canonical_path(struct awssts_buf *out, const char *path);

/* SigV4 canonical query: decode, re-encode, sort by key then value. */
bool awssts_uri_canonical_query(struct awssts_buf *out, const char *query);

/* url without "user:password@" in its authority (a proxy URL as it may be
 * shown or stored where its password must not go). False when it does not fit. */
bool awssts_uri_without_userinfo(const char *url, char *out, size_t len);

#endif
