/* A scratch directory per test binary, removed at the end. */
#ifndef TEST_TMPDIR_H
#define TEST_TMPDIR_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char test_dir[256];

static int tmpdir_setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(test_dir, sizeof(test_dir), "%s/awssts-unit-XXXXXX", base);
    return mkdtemp(test_dir) == NULL ? -1 : 0;
}

static int tmpdir_teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", test_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* test_dir/name as a new string in buf. */
static const char *tmp_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", test_dir, name);
    return buf;
}

static void write_file(const char *name, const char *text, mode_t mode)
{
    char p[512];
    tmp_path(p, sizeof(p), name);
    unlink(p);
    int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || fchmod(fd, mode) != 0)
        abort();
    close(fd);
}

#endif
