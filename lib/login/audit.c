/* The login's audit line: one table of fields, two renderings. */
#include "login/audit.h"
#include "awssts/secret.h"
#include "util/buf.h"
#include "util/error_set.h"
#include "json/json.h"
#include "util/text.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for every field at its longest (an error's detail is bounded). */
#define AUDIT_LINE_MAX 8192

enum kind { TEXT, NUMBER };

static const struct field {
    const char *name;
    size_t offset;
    enum kind kind;
} fields[] = {
#define T(f)                                                                                       \
    {                                                                                              \
#f, offsetof(struct awssts_audit, f), TEXT                                                 \
    }
    T(user),
    T(outcome),
    T(region),
    T(region_from),
    T(endpoint),
    T(flow),
    T(call),
    T(role_arn),
    T(source_identity),
    T(access_key_id),
    T(rhost),
    T(tty),
    T(request_id),
    {"latency_ms", offsetof(struct awssts_audit, latency_ms), NUMBER},
    T(error),
#undef T
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static const char *text_of(const struct awssts_audit *a, const struct field *f)
{
    const char *v = *(const char *const *)(const void *)((const char *)a + f->offset);
    if (v == NULL && strcmp(f->name, "user") == 0)
        return "(invalid)";
    return v;
}

static long long number_of(const struct awssts_audit *a, const struct field *f)
{
    return *(const long long *)(const void *)((const char *)a + f->offset);
}

/* Printed bare when every character is one a field of ours can hold and
 * no reader could take for a separator; else quoted, with " and \ escaped
 * and control characters replaced, so no value can add a field. */
static bool bare(const char *v)
{
    if (*v == '\0')
        return false;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("._:/@+=,-()[]", *p) != NULL))
            return false;
    return true;
}

static awssts_err keyvalue(const struct awssts_audit *a, char **line, struct awssts_error_info *ei)
{
    struct awssts_buf b;
    awssts_buf_init(&b, AUDIT_LINE_MAX);
    for (size_t i = 0; i < N_FIELDS; i++) {
        const struct field *f = &fields[i];
        const char *sep = i == 0 ? "" : " ";
        if (f->kind == NUMBER) {
            awssts_buf_printf(&b, "%s%s=%lld", sep, f->name, number_of(a, f));
            continue;
        }
        const char *v = text_of(a, f);
        if (v == NULL && strcmp(f->name, "error") == 0)
            continue; /* a success has no error field at all */
        if (v == NULL || bare(v)) {
            awssts_buf_printf(&b, "%s%s=%s", sep, f->name, v != NULL ? v : "-");
        } else {
            char quoted[1200];
            awssts_text_escape_quoted(quoted, sizeof(quoted), v);
            awssts_buf_printf(&b, "%s%s=\"%s\"", sep, f->name, quoted);
        }
    }
    if (b.failed) {
        awssts_buf_free(&b);
        return awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
    }
    *line = awssts_buf_steal(&b);
    return AWSSTS_OK;
}

static awssts_err json(const struct awssts_audit *a, char **line, struct awssts_error_info *ei)
{
    struct awssts_json *doc = NULL;
    awssts_err rc = awssts_json_new(&doc, ei);
    for (size_t i = 0; rc == AWSSTS_OK && i < N_FIELDS; i++) {
        const struct field *f = &fields[i];
        const char *v = f->kind == TEXT ? text_of(a, f) : NULL;
        if (f->kind == NUMBER)
            rc = awssts_json_add_int(doc, f->name, number_of(a, f), ei);
        else if (v == NULL)
            rc = awssts_json_add_null(doc, f->name, ei);
        else
            rc = awssts_json_add_string(doc, f->name, v, ei);
    }
    char *text = NULL;
    size_t len = 0;
    if (rc == AWSSTS_OK)
        rc = awssts_json_serialize(doc, AWSSTS_JSON_LINE, &text, &len, ei);
    awssts_json_free(doc);
    if (rc != AWSSTS_OK)
        return rc;
    /* The text came from the secret-aware serializer; the line holds no secret. */
    *line = strdup(text);
    awssts_secret_free(text);
    return *line != NULL ? AWSSTS_OK : awssts_error_set(ei, AWSSTS_E_NOMEM, NULL);
}

awssts_err awssts_audit_format(const struct awssts_audit *a, enum awssts_log_format f, char **line,
                               struct awssts_error_info *ei)
{
    *line = NULL;
    return f == AWSSTS_LOG_JSON ? json(a, line, ei) : keyvalue(a, line, ei);
}

const char *awssts_audit_field_name(size_t i)
{
    return i < N_FIELDS ? fields[i].name : NULL;
}
