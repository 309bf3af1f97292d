/* The module's arguments. */
#include "settings.h"

#include <security/pam_ext.h>
#include <string.h>
#include <syslog.h>

void pas_args_parse(pam_handle_t *pamh, int argc, const char **argv, struct pas_args *a)
{
    memset(a, 0, sizeof(*a));
    a->config = AWSSTS_DEFAULT_CONFIG;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "config=", 7) == 0 && argv[i][7] == '/')
            a->config = argv[i] + 7;
        else if (strcmp(argv[i], "debug") == 0)
            a->debug = true;
        else if (strcmp(argv[i], "use_first_pass") == 0)
            a->use_first_pass = true;
        else
            pam_syslog(pamh, LOG_WARNING, "unknown module argument '%.60s' ignored", argv[i]);
    }
}
