/* The module's arguments, and its view of the user's settings (lib/settings.h:
 * the option table and the configuration file, shared with awssts check). */
#ifndef PAS_SETTINGS_H
#define PAS_SETTINGS_H

#include <security/pam_modules.h>
#include <stdbool.h>
#include <sys/types.h>

#include "awssts/error.h"
#include "login/options.h"

struct pas_args {
    const char *config; /* config= */
    bool debug;
    bool use_first_pass;
};

/* Parse argv; unknown arguments are logged and ignored. */
void pas_args_parse(pam_handle_t *pamh, int argc, const char **argv, struct pas_args *a);

#endif
