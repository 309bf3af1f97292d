/* The one-time code. */
#include "prompt.h"
#include "awssts/secret.h"
#include "awssts/validate.h"
#include "util/error_set.h"
#include "util/text.h"

#include <security/pam_ext.h>
#include <string.h>

enum awssts_outcome pas_get_code(struct call *c, char code[8], bool *conv_failed,
                                 struct awssts_error_info *ei)
{
    const void *item = NULL;
    char *resp = NULL;
    const char *src;
    *conv_failed = false;
    awssts_error_info_reset(ei);
    if (c->args.use_first_pass) {
        if (pam_get_item(c->pamh, PAM_AUTHTOK, &item) != PAM_SUCCESS || item == NULL) {
            awssts_error_set(
                ei, AWSSTS_E_INVALID_ARGUMENT,
                "use_first_pass, but no earlier module collected a code; STS not called");
            return AWSSTS_OUT_NO_CODE;
        }
        src = item;
    } else {
        if (pam_prompt(c->pamh, PAM_PROMPT_ECHO_OFF, &resp, "%s", c->s.prompt) != PAM_SUCCESS ||
            resp == NULL) {
            *conv_failed = true;
            awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                             "the conversation gave no code; STS not called");
            return AWSSTS_OUT_NO_CODE;
        }
        src = resp;
    }
    size_t n = 0;
    const char *t = awssts_text_span_trim(src, strlen(src), &n);
    bool ok = n == 6;
    if (ok) {
        memcpy(code, t, 6);
        code[6] = '\0';
        ok = awssts_valid_mfa_code(code);
    }
    if (resp != NULL)
        awssts_secret_free(resp);
    if (!ok) {
        awssts_memzero(code, 8);
        awssts_error_set(ei, AWSSTS_E_INVALID_ARGUMENT,
                         "the code is not six digits; STS not called");
        return AWSSTS_OUT_BAD_CODE_FORMAT;
    }
    return AWSSTS_OUT_SUCCESS;
}
