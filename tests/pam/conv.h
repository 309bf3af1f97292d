/* The one PAM conversation of the tests and the bench: it answers the
 * prompts from a list, in order, and keeps what the module sent (the last
 * prompt, the info and error messages, and every message with its style in
 * order, for tests/pam/test_scripts.c). Plain C and libpam only, no cmocka:
 * bench/login_rate.c includes it too. */
#ifndef TEST_PAM_CONV_H
#define TEST_PAM_CONV_H

#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCRIPT_ANSWERS 8
#define SCRIPT_EVENTS  16

/* One message the module sent, as it sent it. */
struct script_event {
    int style;      /* PAM_PROMPT_ECHO_OFF, PAM_PROMPT_ECHO_ON, PAM_ERROR_MSG, PAM_TEXT_INFO */
    char text[512]; /* cut at 511 bytes */
};

struct script {
    const char *answers[SCRIPT_ANSWERS];       /* one per prompt, in order; NULL: fail the prompt */
    int next;                                  /* prompts answered */
    char prompt[128];                          /* the last prompt */
    char messages[1024];                       /* info and error messages, one per line */
    struct script_event events[SCRIPT_EVENTS]; /* every message, in order */
    int n_events; /* messages sent; beyond SCRIPT_EVENTS they are counted, not kept */
};

static inline int script_conv(int n, const struct pam_message **msg, struct pam_response **resp,
                              void *data)
{
    struct script *s = data;
    if (n <= 0)
        return PAM_CONV_ERR;
    struct pam_response *r = calloc((size_t)n, sizeof(*r));
    if (r == NULL)
        return PAM_BUF_ERR;
    for (int i = 0; i < n; i++) {
        if (s->n_events < SCRIPT_EVENTS) {
            struct script_event *e = &s->events[s->n_events];
            e->style = msg[i]->msg_style;
            snprintf(e->text, sizeof(e->text), "%s", msg[i]->msg ? msg[i]->msg : "");
        }
        s->n_events++;
        switch (msg[i]->msg_style) {
        case PAM_PROMPT_ECHO_OFF:
        case PAM_PROMPT_ECHO_ON:
            snprintf(s->prompt, sizeof(s->prompt), "%s", msg[i]->msg);
            if (s->next >= SCRIPT_ANSWERS || s->answers[s->next] == NULL ||
                (r[i].resp = strdup(s->answers[s->next])) == NULL) {
                for (int j = 0; j < i; j++)
                    free(r[j].resp);
                free(r);
                return PAM_CONV_ERR;
            }
            s->next++;
            break;
        default: {
            size_t used = strlen(s->messages);
            snprintf(s->messages + used, sizeof(s->messages) - used, "%s\n", msg[i]->msg);
        }
        }
    }
    *resp = r;
    return PAM_SUCCESS;
}

#endif
