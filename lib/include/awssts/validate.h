/* Checks on every value before it reaches STS or a file, with AWS's own limits. */
#ifndef AWSSTS_VALIDATE_H
#define AWSSTS_VALIDATE_H

#include <stdbool.h>
#include "awssts/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AWSSTS_SESSION_DURATION_MIN 900
#define AWSSTS_SESSION_DURATION_MAX 129600
#define AWSSTS_ROLE_DURATION_MIN    900
#define AWSSTS_ROLE_DURATION_MAX    43200
/* STS's limit for a role assumed with temporary credentials (role chaining). */
#define AWSSTS_CHAINED_ROLE_DURATION_MAX 3600

AWSSTS_API bool awssts_valid_mfa_code(const char *s);     /* six digits */
AWSSTS_API bool awssts_valid_session_name(const char *s); /* [\w+=,.@-]{2,64} */
AWSSTS_API bool
awssts_valid_role_arn(const char *s); /* arn:PART:iam::123456789012:role/[path/]name */
AWSSTS_API bool awssts_valid_mfa_serial(const char *s);  /* arn:...:mfa/name or a hardware serial */
AWSSTS_API bool awssts_valid_external_id(const char *s); /* [\w+=,.@:/-]{2,1224} */
AWSSTS_API bool awssts_valid_source_identity(const char *s); /* [\w+=,.@-]{2,64} */
AWSSTS_API bool awssts_valid_access_key_id(const char *s);   /* [A-Z0-9]{16,128} */
AWSSTS_API bool awssts_valid_secret_key(const char *s);      /* base64 alphabet, 16..256 */
AWSSTS_API bool awssts_valid_session_token(const char *s);   /* base64 alphabet, 16..16384 */
AWSSTS_API bool awssts_valid_profile_name(const char *s);    /* [\w+=,.@:/-]{1,64}, no brackets */
AWSSTS_API bool awssts_valid_user_name(const char *s);       /* [a-z_][a-z0-9_.-]{0,31}, '$' last */
/* Session tags (AssumeRole's Tags): ASCII letters, digits, space and _.:/=+-@;
 * a key 1..128 not beginning with "aws:" (in any case), a value 0..256. */
AWSSTS_API bool awssts_valid_tag_key(const char *s);
AWSSTS_API bool awssts_valid_tag_value(const char *s);

#ifdef __cplusplus
}
#endif
#endif
