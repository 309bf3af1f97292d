/* Configuration files through the checked loader and iniparser. */
#include "awssts/config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/awssts-fuzz-config.%d", (int)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    close(fd);
    struct awssts_file_policy any = {.any_owner = true};
    struct awssts_config *cfg = NULL;
    if (awssts_config_load(path, &any, &cfg, NULL) == AWSSTS_OK) {
        for (int i = 0; i < awssts_config_section_count(cfg); i++) {
            const char *sec = awssts_config_section_name(cfg, i);
            bool b;
            long l;
            awssts_config_get(cfg, sec, "region");
            awssts_config_get_bool(cfg, sec, "fips", &b, NULL);
            awssts_config_get_long(cfg, sec, "timeout", 1, 300, &l, NULL);
        }
        awssts_config_free(cfg);
    }
    unlink(path);
    return 0;
}
