/* awssts: the user-side helper. Runs as the user, never setuid: it refuses
 * to start with privileges it was not given by its own user. */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"status", cmd_status, "show the session's role, region and expiry times"},
    {"refresh", cmd_refresh, "renew the role with the MFA session (a new code when it has ended)"},
    {"credential-process", cmd_credential_process,
     "print credentials for the AWS CLI's credential_process"},
    {"env", cmd_env, "print export lines for eval"},
    {"setup-config", cmd_setup_config, "make an AWS CLI profile that uses credential-process"},
    {"login", cmd_login, "aws-mfa's workflow: session credentials into ~/.aws/credentials"},
    {"roles", cmd_roles, "the named roles this login may take from its MFA session"},
    {"assume", cmd_assume, "a named role's credentials as a profile of the session's file"},
    {"exec", cmd_exec, "run a command with a named role's credentials in its environment"},
    {"check", cmd_check, "as root: what pam_aws_sts would do for a user's login, and its problems"},
};

static void usage(FILE *f)
{
    fputs("usage: awssts COMMAND [OPTIONS]   (awssts COMMAND --help)\n\n", f);
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-20s %s\n", commands[i].name, commands[i].summary);
    fputs(
        "\nexit: 0 ok, 2 usage, 3 a new login is needed, 4 refused by STS, 5 network or timeout\n",
        f);
}

int main(int argc, char **argv)
{
    /* Secrets pass through this process: no core dumps, no ptrace by peers. */
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (getuid() != geteuid() || getgid() != getegid()) {
        fputs("awssts: refusing to run setuid or setgid\n", stderr);
        return EXIT_USAGE;
    }
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("awssts %s\n", AWSSTS_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "awssts: unknown command '%s' (see awssts --help)\n", argv[1]);
    return EXIT_USAGE;
}
