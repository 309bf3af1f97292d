/* Prompting on the terminal, never on stdin/stdout (credential_process owns those). */
#include "cli.h"
#include "awssts/secret.h"

#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* One line from fd, byte by byte: no stdio buffer keeps a copy of it. */
static void read_line(int fd, char *out, size_t len)
{
    size_t n = 0;
    char c;
    while (n + 1 < len && read(fd, &c, 1) == 1 && c != '\n')
        out[n++] = c;
    if (n > 0 && out[n - 1] == '\r')
        n--;
    out[n] = '\0';
    awssts_memzero(&c, sizeof(c));
}

void stdin_line(char *out, size_t len)
{
    read_line(STDIN_FILENO, out, len);
}

int tty_prompt(const char *prompt, bool echo, char *out, size_t len)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return EXIT_LOGIN_NEEDED;
    struct termios old, quiet;
    bool restore = false;
    if (!echo && tcgetattr(fd, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
        restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
    }
    if (write(fd, prompt, strlen(prompt)) < 0) {
        /* nothing to do: the read below still works */
    }
    read_line(fd, out, len);
    if (restore) {
        tcsetattr(fd, TCSAFLUSH, &old);
        if (write(fd, "\n", 1) < 0) {
            /* best effort */
        }
    }
    close(fd);
    return EXIT_OK;
}
