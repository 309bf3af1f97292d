/* The one-time code: PAM_AUTHTOK with use_first_pass, else the module's
 * own prompt. */
#ifndef PAS_PROMPT_H
#define PAS_PROMPT_H

#include "call.h"
#include "login/outcome.h"

/* AWSSTS_OUT_NO_CODE (*conv_failed: the conversation itself failed) or
 * AWSSTS_OUT_BAD_CODE_FORMAT, with the detail in ei; AWSSTS_OUT_SUCCESS
 * with six digits in code. */
enum awssts_outcome pas_get_code(struct call *c, char code[8], bool *conv_failed,
                                 struct awssts_error_info *ei);

#endif
