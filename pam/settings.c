/* Module arguments, and the settings through lib/options.c with the
 * module's syslog for warnings. */
#include "settings.h"
#include "state.h"

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


void pas_settings_state(const struct awssts_settings *s, struct awssts_state *st)
{
    memset(st, 0, sizeof(*st));
    st->region = s->region;
    st->endpoint = s->endpoint;
    st->fips = s->fips;
    st->dualstack = s->dualstack;
    st->ca_file = s->ca_file;
    st->ca_path = s->ca_path;
    st->proxy = s->proxy;
    st->connect_timeout = s->connect_timeout;
    st->timeout = s->timeout;
    st->profile = s->profile;
    st->flow_direct = s->flow == AWSSTS_FLOW_DIRECT;
    st->duration = s->duration;
    st->role_session_name = s->role_session_name;
    st->role_duration = s->role_duration;
    st->external_id = s->external_id;
    st->export_region = s->export_region;
    st->export_endpoint = s->export_endpoint;
}
