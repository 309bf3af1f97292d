/* %u, %h and %% in a configured value. */
#include "rules/template.h"
#include "util/error_set.h"

#include <string.h>
#include <unistd.h>

static void short_host_name(char *out, size_t len)
{
    if (gethostname(out, len) != 0)
        out[0] = '\0';
    out[len - 1] = '\0';
    out[strcspn(out, ".")] = '\0';
}

awssts_err awssts_template_expand(const char *pattern, const char *user, char *out, size_t len,
                                  struct awssts_error_info *ei)
{
    char host[256] = "";
    size_t o = 0;
    for (const char *p = pattern; *p != '\0'; p++) {
        const char *add = p;
        size_t n = 1;
        if (*p == '%') {
            if (p[1] == 'u') {
                add = user;
            } else if (p[1] == 'h') {
                if (host[0] == '\0')
                    short_host_name(host, sizeof(host));
                add = host;
            } else if (p[1] == '%') {
                add = "%";
            } else {
                return awssts_error_set(ei, AWSSTS_E_CONFIG,
                                        "'%.60s': only %%u, %%h and %%%% may follow %%", pattern);
            }
            n = strlen(add);
            p++;
        }
        if (o + n >= len)
            return awssts_error_set(ei, AWSSTS_E_CONFIG, "'%.60s': too long once expanded",
                                    pattern);
        memcpy(out + o, add, n);
        o += n;
    }
    out[o] = '\0';
    return AWSSTS_OK;
}
