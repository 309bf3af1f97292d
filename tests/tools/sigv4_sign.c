/*
 * sigv4-sign: sign a raw HTTP request in the AWS test-suite's .req format.
 * Prints the canonical request, a blank line, the string to sign, a blank
 * line and the Authorization value.
 */
#include "awssts/secret.h"
#include "awssts/sigv4.h"
#include "util/buf.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_HEADERS 64
#define MAX_REQUEST (1024 * 1024)

struct raw_request {
    char *text; /* owns every string below */
    char *method;
    char *path;
    char *query;
    struct awssts_header headers[MAX_HEADERS + 2];
    size_t n_headers;
    char *body;
    size_t body_len;
};

static void usage(FILE *f)
{
    fputs("usage: sigv4-sign --access-key ID --secret-key KEY --region R --service S\n"
          "                  [--token TOKEN [--token-after]] [--date YYYYMMDDTHHMMSSZ] [FILE]\n",
          f);
}

static char *read_all(FILE *f)
{
    struct awssts_buf b;
    awssts_buf_init(&b, MAX_REQUEST);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (!awssts_buf_append(&b, chunk, n))
            break;
    if (ferror(f))
        b.failed = true;
    return awssts_buf_steal(&b);
}

/* Split the text in place; continuation lines were joined beforehand. */
static int parse_request(struct raw_request *r)
{
    char *p = r->text;
    char *eol = strchr(p, '\n');
    if (eol == NULL)
        eol = p + strlen(p);
    char *next = *eol ? eol + 1 : eol;
    *eol = '\0';
    if (eol > p && eol[-1] == '\r')
        eol[-1] = '\0';

    char *sp1 = strchr(p, ' ');
    char *sp2 = strrchr(p, ' ');
    if (sp1 == NULL || sp2 == sp1)
        return -1;
    *sp1 = '\0';
    *sp2 = '\0';
    r->method = p;
    r->path = sp1 + 1;
    char *q = strchr(r->path, '?');
    if (q != NULL) {
        *q = '\0';
        r->query = q + 1;
    }

    p = next;
    while (*p != '\0') {
        eol = strchr(p, '\n');
        char *line_end = eol ? eol : p + strlen(p);
        next = eol ? eol + 1 : line_end;
        if (line_end > p && line_end[-1] == '\r')
            line_end--;
        bool blank = line_end == p;
        *line_end = '\0';
        if (blank) { /* blank line: body follows */
            r->body = next;
            r->body_len = strlen(next);
            return 0;
        }
        char *colon = strchr(p, ':');
        if (colon == NULL || r->n_headers >= MAX_HEADERS)
            return -1;
        *colon = '\0';
        r->headers[r->n_headers].name = p;
        r->headers[r->n_headers].value = colon + 1;
        r->n_headers++;
        p = next;
    }
    return 0;
}

/* Join folded header lines (a line starting with white space continues the
 * previous value), then split. */
static int parse_request_copy(struct raw_request *r, const char *input)
{
    struct awssts_buf b;
    awssts_buf_init(&b, MAX_REQUEST);
    const char *p = input;
    bool in_headers = true;
    bool first = true;
    while (*p != '\0') {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (in_headers && !first && n > 0 && (*p == ' ' || *p == '\t')) {
            if (b.len > 0 && b.data[b.len - 1] == '\n')
                b.len--; /* join with previous line */
            awssts_buf_putc(&b, ' ');
        } else if (in_headers && (n == 0 || (n == 1 && *p == '\r'))) {
            in_headers = false;
        }
        awssts_buf_append(&b, p, n);
        if (eol != NULL)
            awssts_buf_putc(&b, '\n');
        first = false;
        if (!in_headers && eol != NULL) {
            awssts_buf_puts(&b, eol + 1);
            break;
        }
        p = eol ? eol + 1 : p + n;
    }
    r->text = awssts_buf_steal(&b);
    if (r->text == NULL)
        return -1;
    return parse_request(r);
}

static const char *find_header(const struct raw_request *r, const char *name)
{
    for (size_t i = 0; i < r->n_headers; i++)
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

static void set_header(struct raw_request *r, const char *name, const char *value)
{
    for (size_t i = 0; i < r->n_headers; i++)
        if (strcasecmp(r->headers[i].name, name) == 0) {
            r->headers[i].value = value;
            return;
        }
    r->headers[r->n_headers].name = name;
    r->headers[r->n_headers].value = value;
    r->n_headers++;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"access-key", required_argument, NULL, 'a'},
        {"secret-key", required_argument, NULL, 's'},
        {"token", required_argument, NULL, 't'},
        {"token-after", no_argument, NULL, 'A'},
        {"region", required_argument, NULL, 'r'},
        {"service", required_argument, NULL, 'S'},
        {"date", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct awssts_sigv4_params params = {0};
    const char *token = NULL;
    const char *date = NULL;
    int token_after = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            params.access_key_id = optarg;
            break;
        case 's':
            params.secret_access_key = optarg;
            break;
        case 't':
            token = optarg;
            break;
        case 'A':
            token_after = 1;
            break;
        case 'r':
            params.region = optarg;
            break;
        case 'S':
            params.service = optarg;
            break;
        case 'd':
            date = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (params.access_key_id == NULL || params.secret_access_key == NULL || params.region == NULL ||
        params.service == NULL || argc - optind > 1 || (token_after && token == NULL)) {
        usage(stderr);
        return 2;
    }

    FILE *in = stdin;
    if (optind < argc && (in = fopen(argv[optind], "r")) == NULL) {
        fprintf(stderr, "sigv4-sign: cannot open %s\n", argv[optind]);
        return 1;
    }
    char *input = read_all(in);
    if (in != stdin)
        fclose(in);
    if (input == NULL) {
        fprintf(stderr, "sigv4-sign: cannot read the request (over 1 MiB?)\n");
        return 1;
    }

    struct raw_request r = {0};
    int rc = parse_request_copy(&r, input);
    free(input);
    if (rc != 0) {
        fprintf(stderr, "sigv4-sign: malformed request: expected 'METHOD PATH HTTP/x' and "
                        "'Name:value' lines\n");
        free(r.text);
        return 1;
    }

    char now[17];
    if (date == NULL)
        date = find_header(&r, "X-Amz-Date");
    if (date == NULL) {
        awssts_sigv4_amz_date((long long)time(NULL), now);
        date = now;
    }
    set_header(&r, "X-Amz-Date", date);
    if (token != NULL && !token_after)
        set_header(&r, "X-Amz-Security-Token", token);
    params.amz_date = date;

    struct awssts_sigv4_request req = {
        .method = r.method,
        .path = r.path,
        .query = r.query,
        .headers = r.headers,
        .n_headers = r.n_headers,
        .body = r.body,
        .body_len = r.body_len,
    };
    struct awssts_sigv4_result res;
    struct awssts_error_info ei;
    awssts_error_info_reset(&ei);
    if (awssts_sigv4_sign(&req, &params, &res, &ei) != AWSSTS_OK) {
        char line[512];
        fprintf(stderr, "sigv4-sign: %s\n", awssts_error_format(&ei, line, sizeof(line)));
        free(r.text);
        return 1;
    }
    printf("%s\n\n%s\n\n%s\n", res.canonical_request, res.string_to_sign, res.authorization);
    awssts_sigv4_result_free(&res);
    free(r.text);
    return 0;
}
