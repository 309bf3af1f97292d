/* Internal: running library code with the process environment hidden.
 * libcurl and OpenSSL read variables at their initialisation (SSLKEYLOGFILE,
 * OPENSSL_CONF, CURL_SSL_BACKEND ...) and glibc's resolver at every look-up
 * (HOSTALIASES, RES_OPTIONS ...). Inside a root process that a user started
 * (su, sudo), those are the user's. */
#ifndef AWSSTS_HIDDEN_ENV_H
#define AWSSTS_HIDDEN_ENV_H

#include <stdbool.h>

/* True when the process runs with privileges its caller did not have
 * (AT_SECURE: setuid, setgid, file capabilities). */
bool awssts_secure_mode(void);

/* Run fn(arg) with an empty environment, then put the environment back.
 * For one-time initialisation, and, in secure mode, for each network
 * exchange; the hosts of the module are single-threaded there. */
void awssts_without_environment(void (*fn)(void *arg), void *arg);

#endif
