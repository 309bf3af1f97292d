/*
 * docgen: the parts of the documentation that the code's tables decide.
 *   docgen options-md    the option table of docs/pam_aws_sts.md
 *   docgen options-man   the KEYS entries of pam_aws_sts.conf(5)
 *   docgen options       the option names, one a line
 *   docgen outcomes      every outcome label the log line can carry
 *   docgen audit-fields  the log line's fields, in order
 * scripts/update-docs puts them in place; tests/docs/run-docs-check fails
 * when the committed documentation differs.
 */
#include "awssts/config.h"
#include "login/options.h"
#include "login/audit.h"
#include "login/outcome.h"

#include <stdio.h>
#include <string.h>

/* Markdown's `code` and [text](#anchor), as man(7) wants them. */
static void man_text(const char *s)
{
    bool code = false;
    for (const char *p = s; *p; p++) {
        if (*p == '`') {
            fputs(code ? "\\fR" : "\\fB", stdout);
            code = !code;
        } else if (*p == '[' && strstr(p, "](") != NULL && strchr(p, ')') > strstr(p, "](")) {
            const char *end = strstr(p, "](");
            fwrite(p + 1, 1, (size_t)(end - p - 1), stdout);
            p = strchr(end, ')');
        } else if (*p == '\\') {
            fputs("\\e", stdout);
        } else if (*p == '-') {
            fputs("\\-", stdout);
        } else {
            putchar(*p);
        }
    }
}

static void options_md(void)
{
    size_t n;
    const struct awssts_option *o = awssts_options(&n);
    puts("| key | default | meaning |");
    puts("|---|---|---|");
    for (size_t i = 0; i < n; i++)
        printf("| `%s` | %s | %s%s |\n", o[i].name, o[i].shown, o[i].doc,
               o[i].global_only ? "; `[global]` only" : "");
}

static void options_man(void)
{
    size_t n;
    const struct awssts_option *o = awssts_options(&n);
    for (size_t i = 0; i < n; i++) {
        printf(".TP\n.B %s\n", o[i].name);
        man_text(o[i].doc);
        if (o[i].global_only)
            man_text("; `[global]` only");
        if (o[i].shown[0] == '(') {
            putchar(' ');
            man_text(o[i].shown);
        } else if (o[i].shown[0] != '\0') {
            fputs(" (default: ", stdout);
            man_text(o[i].shown);
            putchar(')');
        }
        putchar('.');
        putchar('\n');
    }
}

/* The example configuration: every name in it one the module accepts. */
static int check_config(const char *path)
{
    struct awssts_file_policy any = {.any_owner = true, .forbidden = 0};
    struct awssts_config *cfg = NULL;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    awssts_err rc = awssts_config_load(path, &any, &cfg, &ei);
    if (rc == AWSSTS_OK)
        rc = awssts_settings_check_names(cfg, &ei);
    awssts_config_free(cfg);
    if (rc != AWSSTS_OK) {
        fprintf(stderr, "docgen: %s\n", ei.detail);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "check-config") == 0)
        return check_config(argv[2]);
    if (argc != 2)
        goto usage;
    size_t n;
    const struct awssts_option *o = awssts_options(&n);
    if (strcmp(argv[1], "options-md") == 0) {
        options_md();
    } else if (strcmp(argv[1], "options-man") == 0) {
        options_man();
    } else if (strcmp(argv[1], "options") == 0) {
        for (size_t i = 0; i < n; i++)
            puts(o[i].name);
    } else if (strcmp(argv[1], "outcomes") == 0) {
        for (int i = 0; i < AWSSTS_OUT__COUNT; i++) {
            if (awssts_outcome(i)->label != NULL) /* not an auth outcome: never logged */
                puts(awssts_outcome(i)->label);
            if (awssts_outcome(i)->allowed_label != NULL)
                puts(awssts_outcome(i)->allowed_label);
        }
    } else if (strcmp(argv[1], "audit-fields") == 0) {
        for (size_t i = 0; awssts_audit_field_name(i) != NULL; i++)
            puts(awssts_audit_field_name(i));
    } else {
        goto usage;
    }
    return 0;
usage:
    fputs(
        "usage: docgen options-md|options-man|options|outcomes|audit-fields | check-config FILE\n",
        stderr);
    return 2;
}
