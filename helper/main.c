/* awssts: the user-side helper. Never setuid; refuses to run with elevated
 * privileges it did not ask for. */
#include "awssts/error.h"

#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define EXIT_USAGE 2

static void usage(FILE *f)
{
    fputs("usage: awssts [--help] [--version]\n"
          "\n"
          "Keeps the AWS credentials of a pam_aws_sts login fresh.\n",
          f);
}

int main(int argc, char **argv)
{
    /* Secrets pass through this process: no core dumps, no ptrace by peers. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (getuid() != geteuid() || getgid() != getegid()) {
        fputs("awssts: refusing to run setuid or setgid\n", stderr);
        return EXIT_USAGE;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("awssts %s\n", AWSSTS_VERSION);
        return 0;
    }
    fprintf(stderr, "awssts: unknown command '%s' (see awssts --help)\n", argv[1]);
    return EXIT_USAGE;
}
