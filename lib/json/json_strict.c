/*
 * What json-c's strict mode lets through but these documents must not hold:
 * a member name twice in one object (json-c keeps the last, silently),
 * single-quoted names, unescaped control characters, \u0000 and unpaired
 * surrogate escapes in strings, NaN and Infinity, numbers outside JSON's form
 * or out of range. Run before json-c, with what makes a text end early
 * (cut off, nested too deep, not an object, text after it): json-c frees a
 * tree it refused, or a value it replaced, without zeroing the strings in
 * it. This is a scan of tokens, not a parser: json-c checks the grammar.
 */
#include "json/json_priv.h"
#include "util/error_set.h"

#include <errno.h>
#include <json-c/json_tokener.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define NUMBER_MAX 64 /* longest number token read */

struct level {
    bool object;
    bool want_name;            /* the next string is a member name */
    struct json_object *names; /* the names seen so far, as a set */
};

struct scan {
    const char *s;
    size_t len;
    size_t i;
    bool ended; /* the outermost object closed */
    int depth;
    struct level lv[AWSSTS_JSON_MAX_DEPTH];
    struct json_tokener *names_tok; /* decodes names */
    struct awssts_error_info *ei;
};

static awssts_err bad(struct scan *sc, const char *what)
{
    return awssts_error_set(sc->ei, AWSSTS_E_BAD_RESPONSE, "JSON %s at byte %zu", what, sc->i);
}

static awssts_err truncated(const struct scan *sc)
{
    return awssts_error_set(sc->ei, AWSSTS_E_BAD_RESPONSE,
                            "JSON text ends before its value does (%zu bytes)", sc->len);
}

static int hex4(const char *p)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* The \uXXXX escape at s[i]: in range, and returns its value, or -1. */
static int escape_u(const struct scan *sc, size_t i)
{
    if (i + 6 > sc->len || sc->s[i] != '\\' || sc->s[i + 1] != 'u')
        return -1;
    return hex4(sc->s + i + 2);
}

/* The string starting at sc->i (a double quote); leaves sc->i past it. */
static awssts_err string(struct scan *sc)
{
    sc->i++;
    while (sc->i < sc->len) {
        unsigned char c = (unsigned char)sc->s[sc->i];
        if (c == '"') {
            sc->i++;
            return AWSSTS_OK;
        }
        if (c < 0x20)
            return bad(sc, "string holds an unescaped control character");
        if (c != '\\') {
            sc->i++;
            continue;
        }
        if (sc->i + 1 < sc->len && sc->s[sc->i + 1] != 'u') {
            sc->i += 2;
            continue;
        }
        int u = escape_u(sc, sc->i);
        if (u < 0)
            return bad(sc, "string holds a bad escape");
        if (u == 0)
            return bad(sc, "string holds \\u0000");
        if (u >= 0xdc00 && u <= 0xdfff)
            return bad(sc, "string holds an unpaired surrogate");
        if (u >= 0xd800 && u <= 0xdbff) {
            int lo = escape_u(sc, sc->i + 6);
            if (lo < 0xdc00 || lo > 0xdfff)
                return bad(sc, "string holds an unpaired surrogate");
            sc->i += 6;
        }
        sc->i += 6;
    }
    return truncated(sc);
}

/* The member name s[start..sc->i), decoded by json-c: new in its object. */
static awssts_err name(struct scan *sc, size_t start)
{
    struct level *l = &sc->lv[sc->depth - 1];
    json_tokener_reset(sc->names_tok);
    struct json_object *n =
        json_tokener_parse_ex(sc->names_tok, sc->s + start, (int)(sc->i - start));
    const char *text = json_object_get_string(n);
    awssts_err rc = AWSSTS_OK;
    if (json_object_get_type(n) != json_type_string || text == NULL)
        rc = awssts_error_set(sc->ei, AWSSTS_E_BAD_RESPONSE, "JSON member name at byte %zu is bad",
                              start);
    else if (json_object_object_get_ex(l->names, text, NULL))
        rc = awssts_error_set(sc->ei, AWSSTS_E_BAD_RESPONSE,
                              "JSON member \"%.*s\" appears twice in one object",
                              awssts_json_name_width(text), text);
    else if (json_object_object_add(l->names, text, NULL) != 0)
        rc = awssts_error_set(sc->ei, AWSSTS_E_NOMEM, "JSON member names");
    json_object_put(n);
    return rc;
}

static size_t digits(const char *s, size_t i, size_t end)
{
    while (i < end && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

static bool number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* The number starting at sc->i: RFC 8259's form, an integer in int64, a
 * fraction or exponent that stays finite. */
static awssts_err number(struct scan *sc)
{
    const char *s = sc->s;
    size_t start = sc->i, end = sc->i;
    while (end < sc->len && number_char(s[end]))
        end++;
    size_t p = start + (s[start] == '-');
    size_t q = digits(s, p, end);
    bool ok = q > p && (s[p] != '0' || q == p + 1); /* no leading zero */
    bool integer = true;
    if (ok && q < end && s[q] == '.') {
        size_t r = digits(s, q + 1, end);
        ok = r > q + 1;
        q = r;
        integer = false;
    }
    if (ok && q < end && (s[q] == 'e' || s[q] == 'E')) {
        q++;
        if (q < end && (s[q] == '+' || s[q] == '-'))
            q++;
        size_t r = digits(s, q, end);
        ok = r > q;
        q = r;
        integer = false;
    }
    if (!ok || q != end)
        return bad(sc, "number malformed");
    if (end - start >= NUMBER_MAX)
        return bad(sc, "number longer than 63 characters");
    char buf[NUMBER_MAX];
    memcpy(buf, s + start, end - start);
    buf[end - start] = '\0';
    if (integer) {
        errno = 0;
        (void)strtoll(buf, NULL, 10);
        if (errno == ERANGE)
            return bad(sc, "integer out of range");
    } else if (!isfinite(strtod(buf, NULL))) {
        return bad(sc, "number out of range");
    }
    sc->i = end;
    return AWSSTS_OK;
}

/* true, false or null; json-c also takes NaN and Infinity. */
static awssts_err literal(struct scan *sc)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
        size_t n = strlen(words[k]);
        if (sc->len - sc->i >= n && memcmp(sc->s + sc->i, words[k], n) == 0) {
            sc->i += n;
            return AWSSTS_OK;
        }
    }
    return bad(sc, "word other than true, false or null");
}

static awssts_err open_level(struct scan *sc, bool object)
{
    if (sc->depth >= AWSSTS_JSON_MAX_DEPTH)
        return awssts_error_set(sc->ei, AWSSTS_E_BAD_RESPONSE,
                                "JSON nested deeper than %d levels (at byte %zu)",
                                AWSSTS_JSON_MAX_DEPTH, sc->i);
    struct level *l = &sc->lv[sc->depth];
    l->object = object;
    l->want_name = object;
    l->names = object ? json_object_new_object() : NULL;
    if (object && l->names == NULL)
        return awssts_error_set(sc->ei, AWSSTS_E_NOMEM, "JSON member names");
    sc->depth++;
    sc->i++;
    return AWSSTS_OK;
}

static void close_level(struct scan *sc)
{
    if (sc->depth > 0) {
        sc->depth--;
        json_object_put(sc->lv[sc->depth].names);
        sc->lv[sc->depth].names = NULL;
    }
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One token, or white space, inside the outermost object. */
static awssts_err step(struct scan *sc)
{
    struct level *l = &sc->lv[sc->depth - 1];
    char c = sc->s[sc->i];
    switch (c) {
    case '{':
        return open_level(sc, true);
    case '[':
        return open_level(sc, false);
    case '}':
    case ']':
        if (l->object != (c == '}'))
            return bad(sc, "bracket does not match");
        close_level(sc);
        sc->ended = sc->depth == 0;
        sc->i++;
        return AWSSTS_OK;
    case ',':
        l->want_name = l->object;
        sc->i++;
        return AWSSTS_OK;
    case ':':
        sc->i++;
        return AWSSTS_OK;
    case '\'':
        return bad(sc, "string in single quotes");
    case '"': {
        size_t start = sc->i;
        awssts_err rc = string(sc);
        if (rc != AWSSTS_OK || !l->want_name)
            return rc;
        l->want_name = false;
        return name(sc, start);
    }
    default:
        if (blank(c)) {
            sc->i++;
            return AWSSTS_OK;
        }
        if (c == '-' || (c >= '0' && c <= '9'))
            return number(sc);
        return literal(sc);
    }
}

/* White space, then one object, then white space. */
static awssts_err scan(struct scan *sc)
{
    while (sc->i < sc->len) {
        if (sc->depth > 0) {
            awssts_err rc = step(sc);
            if (rc != AWSSTS_OK)
                return rc;
        } else if (blank(sc->s[sc->i])) {
            sc->i++;
        } else if (sc->ended) {
            return bad(sc, "text goes on after its object");
        } else if (sc->s[sc->i] != '{') {
            return bad(sc, "text is not an object");
        } else {
            awssts_err rc = open_level(sc, true);
            if (rc != AWSSTS_OK)
                return rc;
        }
    }
    return sc->ended ? AWSSTS_OK : truncated(sc);
}

awssts_err awssts_json_strict_check(const char *text, size_t len, struct awssts_error_info *ei)
{
    struct scan sc = {.s = text, .len = len, .ei = ei};
    sc.names_tok = json_tokener_new_ex(1);
    if (sc.names_tok == NULL)
        return awssts_error_set(ei, AWSSTS_E_NOMEM, "JSON member names");
    json_tokener_set_flags(sc.names_tok, JSON_TOKENER_STRICT);
    awssts_err rc = scan(&sc);
    while (sc.depth > 0)
        close_level(&sc);
    json_tokener_free(sc.names_tok);
    return rc;
}
