/* Entering and leaving a user's rights, with one error text for each. */
#include "login/as_user.h"
#include "util/error_set.h"

awssts_err awssts_as_user_enter(const struct awssts_as_user *u, struct awssts_error_info *ei)
{
    return u->enter(u->ctx) == 0
               ? AWSSTS_OK
               : awssts_error_set(ei, AWSSTS_E_INTERNAL, "cannot take the user's rights");
}

awssts_err awssts_as_user_leave(const struct awssts_as_user *u, awssts_err rc,
                                struct awssts_error_info *ei)
{
    if (u->leave(u->ctx) != 0)
        return awssts_error_set(ei, AWSSTS_E_INTERNAL, "cannot regain the caller's rights");
    return rc;
}
