/* Internal: one STS call over the Query protocol: a form body signed for
 * "sts", an XML response, XML error documents. */
#ifndef AWSSTS_STS_CALL_H
#define AWSSTS_STS_CALL_H

#include <stdbool.h>
#include "awssts/sts.h"
#include "aws/aws_request.h"
#include "aws/form.h"
#include "aws/sts_client.h"
#include "aws/sts_response.h"

struct sts_call {
    const char *action;
    struct form params; /* any number, in order; borrowed values */
    bool carries_mfa;   /* a TokenCode is in the request: no blind replay */
    char duration[16];  /* DurationSeconds' text, borrowed by params */
};

/* The Query protocol's error documents (<ErrorResponse><Error>) and the
 * common codes' meaning: STS's, and IAM's (aws/iam.h). */
extern const struct aws_protocol awssts_query_protocol;

void awssts_sts_call_init(struct sts_call *call, const char *action);
/* A NULL value adds nothing; see awssts_form_add. */
awssts_err awssts_sts_call_add(struct sts_call *call, const char *name, const char *value,
                               struct awssts_error_info *ei);
void awssts_sts_call_free(struct sts_call *call);

/* "Action=...&Version=...&" then the parameters; free with awssts_secret_free. */
awssts_err awssts_sts_form_body(const struct sts_call *call, char **out,
                                struct awssts_error_info *ei);

/* Sign and send call, retrying where safe; parse the success document. */
awssts_err awssts_sts_call(struct awssts_client *c, const struct awssts_keys *keys,
                           const struct sts_call *call, struct sts_response *out,
                           struct awssts_error_info *ei);

#endif
