/*
 * PAM conversations from scripts (the .json files of tests/pam/scripts,
 * whose README gives the format), in the manner of pam-krb5's
 * tests/fakepam: each script is one cmocka test, which makes the PAM calls
 * it lists and checks, exactly, each call's result, every message of the
 * conversation (style and text) and every syslog line of the stack, in
 * order: a line not matched, one too many or one missing fails. The syslog
 * lines are pam_wrapper's (pam_test.h: stderr is the test's log), with
 * their level. The scripts are read with json-c. Run by
 * tests/pam/run-pam-tests, with its users, services, peers, private /run
 * and hostile environment:
 *   pam_test_scripts --prepare DIR SERVICES   make the users, groups and keys
 *                                             the scripts declare, and the
 *                                             service files of their stacks
 *   pam_test_scripts --users FILE...          make those a C program's users
 *                                             file (tests/pam/users) declares
 *   pam_test_scripts DIR [NAME...]            run the scripts (or those named)
 */
#include "pam_login.h"

#include <json-c/json.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CALLS    24
#define MAX_LINES    128
#define LINE_MAX_LEN 4096

/* ---- names ------------------------------------------------------------- */

struct named {
    const char *name;
    int value;
};

#define N(x)                                                                                       \
    {                                                                                              \
#x, x                                                                                      \
    }
static const struct named pam_codes[] = {
    N(PAM_SUCCESS),           N(PAM_OPEN_ERR),         N(PAM_SYMBOL_ERR),     N(PAM_SERVICE_ERR),
    N(PAM_SYSTEM_ERR),        N(PAM_BUF_ERR),          N(PAM_PERM_DENIED),    N(PAM_AUTH_ERR),
    N(PAM_CRED_INSUFFICIENT), N(PAM_AUTHINFO_UNAVAIL), N(PAM_USER_UNKNOWN),   N(PAM_MAXTRIES),
    N(PAM_NEW_AUTHTOK_REQD),  N(PAM_ACCT_EXPIRED),     N(PAM_SESSION_ERR),    N(PAM_CRED_UNAVAIL),
    N(PAM_CRED_EXPIRED),      N(PAM_CRED_ERR),         N(PAM_NO_MODULE_DATA), N(PAM_CONV_ERR),
    N(PAM_AUTHTOK_ERR),       N(PAM_TRY_AGAIN),        N(PAM_IGNORE),         N(PAM_ABORT),
    N(PAM_AUTHTOK_EXPIRED),   N(PAM_MODULE_UNKNOWN),   N(PAM_BAD_ITEM),       N(PAM_CONV_AGAIN),
    N(PAM_INCOMPLETE),
};
static const struct named pam_flags[] = {
    N(PAM_SILENT),      N(PAM_DISALLOW_NULL_AUTHTOK), N(PAM_ESTABLISH_CRED),
    N(PAM_DELETE_CRED), N(PAM_REINITIALIZE_CRED),     N(PAM_REFRESH_CRED),
};
#undef N
static const struct named styles[] = {
    {"echo_off", PAM_PROMPT_ECHO_OFF},
    {"echo_on", PAM_PROMPT_ECHO_ON},
    {"error", PAM_ERROR_MSG},
    {"info", PAM_TEXT_INFO},
};
/* syslog's priorities, as pam_wrapper prints them: SYSLOG(N). */
static const char *const levels[] = {"EMERG",   "ALERT",  "CRIT", "ERR",
                                     "WARNING", "NOTICE", "INFO", "DEBUG"};

enum call_kind {
    CALL_AUTHENTICATE,
    CALL_ACCT_MGMT,
    CALL_SETCRED,
    CALL_OPEN_SESSION,
    CALL_CLOSE_SESSION,
    CALL_END
};
static const struct named calls[] = {
    {"authenticate", CALL_AUTHENTICATE},
    {"acct_mgmt", CALL_ACCT_MGMT},
    {"setcred", CALL_SETCRED},
    {"open_session", CALL_OPEN_SESSION},
    {"close_session", CALL_CLOSE_SESSION},
    {"end", CALL_END},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool value_of(const struct named *t, size_t n, const char *name, int *out)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0) {
            *out = t[i].value;
            return true;
        }
    return false;
}

static const char *name_of(const struct named *t, size_t n, int value)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].value == value)
            return t[i].name;
    return "?";
}

/* ---- placeholders -------------------------------------------------------- */

/*
 * Where each placeholder may stand (README: the table).
 *   EXPECT  syslog lines, conversation texts, environment values
 *   ANSWER  the answers to prompts, and authtok
 *   STACK   the lines of a script's own service file
 *   CONFIG  the lines of a script's own configuration
 */
enum where { EXPECT = 1, ANSWER = 2, STACK = 4, CONFIG = 8 };

struct placeholder {
    const char *name; /* "u" is %u; "CODE" also takes an offset: %CODE+30% */
    int where;
};
static const struct placeholder placeholders[] = {
    {"%", EXPECT | ANSWER | STACK | CONFIG},
    {"u", EXPECT | ANSWER | CONFIG},
    {"UID", EXPECT | CONFIG},
    {"DIR", EXPECT | STACK | CONFIG},
    {"NUM", EXPECT},
    {"PORT", EXPECT},
    {"LATENCY", EXPECT},
    {"REQUEST_ID", EXPECT},
    {"KEY_ID", EXPECT},
    {"ANY", EXPECT},
    {"CODE", ANSWER},
    {"WRONG", ANSWER},
    {"MODULE", STACK},
    {"CONFIG", STACK},
    {"ROOT", STACK},
    {"LIBDIR", STACK},
    {"GUIDE", STACK},
    {"FAULT_URL", CONFIG},
    {"TEST_CA", CONFIG},
    {"CLOSED_PORT", CONFIG},
};

/* At p (a '%'): the placeholder's name and offset; returns the characters
 * it takes, 0 when it is not one. */
static size_t placeholder_at(const char *p, char *name, size_t len, long *offset)
{
    *offset = 0;
    if (p[1] == '%' || p[1] == 'u') {
        snprintf(name, len, "%c", p[1]);
        return 2;
    }
    size_t n = 1;
    while (isupper((unsigned char)p[n]) || p[n] == '_')
        n++;
    if (n == 1 || n - 1 >= len)
        return 0;
    memcpy(name, p + 1, n - 1);
    name[n - 1] = '\0';
    if ((p[n] == '+' || p[n] == '-') && isdigit((unsigned char)p[n + 1])) {
        char *end;
        *offset = strtol(p + n, &end, 10);
        n = (size_t)(end - p);
    }
    return p[n] == '%' ? n + 1 : 0;
}

/* Every placeholder in s is one that may stand there; else a message in err. */
static bool placeholders_ok(const char *s, int where, char *err, size_t errlen)
{
    for (const char *p = strchr(s, '%'); p != NULL; p = strchr(p, '%')) {
        char name[32];
        long off;
        size_t n = placeholder_at(p, name, sizeof(name), &off);
        const struct placeholder *ph = NULL;
        for (size_t i = 0; n > 0 && i < COUNT(placeholders); i++)
            if (strcmp(placeholders[i].name, name) == 0)
                ph = &placeholders[i];
        if (ph == NULL || !(ph->where & where) || (off != 0 && strcmp(name, "CODE") != 0)) {
            snprintf(err, errlen,
                     "'%.40s': not a placeholder that may stand here (README; %%%% is a %%)", p);
            return false;
        }
        p += n;
    }
    return true;
}

/* What the placeholders stand for in one run. */
struct vars {
    const char *user, *dir, *module, *config, *root, *libdir, *fault_url, *test_ca;
    char uid[16];
    char closed_port[8];
};

static const char *literal_of(const char *name, const struct vars *v)
{
    if (strcmp(name, "%") == 0)
        return "%";
    if (strcmp(name, "u") == 0)
        return v->user;
    if (strcmp(name, "UID") == 0)
        return v->uid;
    if (strcmp(name, "DIR") == 0)
        return v->dir;
    if (strcmp(name, "MODULE") == 0)
        return v->module;
    if (strcmp(name, "CONFIG") == 0)
        return v->config;
    if (strcmp(name, "ROOT") == 0)
        return v->root;
    if (strcmp(name, "LIBDIR") == 0)
        return v->libdir;
    if (strcmp(name, "FAULT_URL") == 0)
        return v->fault_url;
    if (strcmp(name, "TEST_CA") == 0)
        return v->test_ca;
    if (strcmp(name, "CLOSED_PORT") == 0)
        return v->closed_port;
    return NULL;
}

/* s with its placeholders replaced (checked already); %CODE% and %WRONG%
 * ask oathtool, so only where answers are made. */
static void expand(const char *s, const struct vars *v, char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    while (*s && o + 1 < len) {
        if (*s != '%') {
            out[o++] = *s++;
            continue;
        }
        char name[32], code[7];
        long off;
        s += placeholder_at(s, name, sizeof(name), &off);
        const char *lit = literal_of(name, v);
        if (strcmp(name, "CODE") == 0)
            lit = code_at((int)off);
        else if (strcmp(name, "WRONG") == 0) {
            totp_wrong(code);
            lit = code;
        }
        assert_non_null(lit);
        int k = snprintf(out + o, len - o, "%s", lit);
        o = k < 0 ? o : o + (size_t)k >= len ? len - 1 : o + (size_t)k;
    }
    out[o] = '\0';
}

enum span { DIGITS, ID, KEY, ANYTHING };

static size_t span_of(const char *t, enum span c)
{
    size_t n = 0;
    if (c == ANYTHING)
        return strlen(t);
    while (t[n] && (isdigit((unsigned char)t[n]) ||
                    (c == ID && (isalpha((unsigned char)t[n]) || t[n] == '-')) ||
                    (c == KEY && isupper((unsigned char)t[n]))))
        n++;
    return n;
}

/* Whether text t is what pattern p (EXPECT placeholders) describes. */
static bool matches(const char *p, const char *t, const struct vars *v)
{
    while (*p) {
        if (*p != '%') {
            if (*p++ != *t++)
                return false;
            continue;
        }
        char name[32];
        long off;
        p += placeholder_at(p, name, sizeof(name), &off);
        const char *lit = literal_of(name, v);
        if (lit != NULL) {
            size_t k = strlen(lit);
            if (strncmp(t, lit, k) != 0)
                return false;
            t += k;
            continue;
        }
        enum span c = strcmp(name, "ANY") == 0          ? ANYTHING
                      : strcmp(name, "REQUEST_ID") == 0 ? ID
                      : strcmp(name, "KEY_ID") == 0     ? KEY
                                                        : DIGITS;
        size_t min = c == ANYTHING ? 0 : 1;
        for (size_t k = span_of(t, c) + 1; k-- > min;)
            if (matches(p, t + k, v))
                return true;
        return false;
    }
    return *t == '\0';
}

/* ---- scripts ----------------------------------------------------------- */

struct call {
    int kind, flags, result;
    json_object *env; /* NAME: pattern or null, checked after the call */
};

struct turn {
    int style;
    const char *text;
    const char *answer; /* prompts: NULL fails the prompt */
};

struct script_def {
    char name[128];
    json_object *root; /* holds every string below */
    const char *about, *service, *user, *authtok;
    json_object *stack, *config, *users, *groups;
    struct call calls[MAX_CALLS];
    int n_calls;
    struct turn conv[SCRIPT_EVENTS];
    int n_conv;
    const char *syslog[MAX_LINES];
    int n_syslog;
};

static bool bad(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool bad(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return false;
}

/* The members of o are among allowed (NULL-terminated). */
static bool members_ok(json_object *o, const char *what, const char *const *allowed, char *err,
                       size_t len)
{
    struct json_object_iterator it = json_object_iter_begin(o), end = json_object_iter_end(o);
    for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
        const char *k = json_object_iter_peek_name(&it);
        bool ok = false;
        for (const char *const *a = allowed; *a != NULL; a++)
            ok |= strcmp(*a, k) == 0;
        if (!ok)
            return bad(err, len, "%s: unknown member \"%s\"", what, k);
    }
    return true;
}

static bool get_string(json_object *o, const char *key, bool required, const char **out, char *err,
                       size_t len)
{
    json_object *v;
    *out = NULL;
    if (!json_object_object_get_ex(o, key, &v))
        return required ? bad(err, len, "\"%s\" missing", key) : true;
    if (!json_object_is_type(v, json_type_string))
        return bad(err, len, "\"%s\" is not a string", key);
    *out = json_object_get_string(v);
    return true;
}

static bool get_array(json_object *o, const char *key, bool required, json_object **out, char *err,
                      size_t len)
{
    *out = NULL;
    if (!json_object_object_get_ex(o, key, out))
        return required ? bad(err, len, "\"%s\" missing", key) : true;
    if (!json_object_is_type(*out, json_type_array))
        return bad(err, len, "\"%s\" is not an array", key);
    return true;
}

/* An array of strings, each with the placeholders of where. */
static bool lines_ok(json_object *a, const char *what, int where, char *err, size_t len)
{
    for (size_t i = 0; a != NULL && i < json_object_array_length(a); i++) {
        json_object *s = json_object_array_get_idx(a, i);
        char e[200];
        if (!json_object_is_type(s, json_type_string))
            return bad(err, len, "%s[%zu] is not a string", what, i);
        if (!placeholders_ok(json_object_get_string(s), where, e, sizeof(e)))
            return bad(err, len, "%s[%zu]: %s", what, i, e);
        if (strstr(json_object_get_string(s), "%GUIDE%") != NULL &&
            strcmp(json_object_get_string(s), "%GUIDE%") != 0)
            return bad(err, len, "%s[%zu]: %%GUIDE%% stands on a line of its own", what, i);
    }
    return true;
}

/* "PAM_ESTABLISH_CRED" or "PAM_SILENT|PAM_DELETE_CRED". */
static bool flags_of(const char *s, int *out)
{
    char buf[200];
    snprintf(buf, sizeof(buf), "%s", s);
    *out = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, "|", &save); t != NULL; t = strtok_r(NULL, "|", &save)) {
        int f;
        if (!value_of(pam_flags, COUNT(pam_flags), t, &f))
            return false;
        *out |= f;
    }
    return true;
}

static bool parse_call(json_object *o, size_t i, struct call *c, char *err, size_t len)
{
    static const char *const allowed[] = {"call", "flag", "result", "env", NULL};
    char what[32];
    snprintf(what, sizeof(what), "calls[%zu]", i);
    const char *name, *flag, *result;
    if (!json_object_is_type(o, json_type_object))
        return bad(err, len, "%s is not an object", what);
    if (!members_ok(o, what, allowed, err, len) || !get_string(o, "call", true, &name, err, len) ||
        !get_string(o, "flag", false, &flag, err, len) ||
        !get_string(o, "result", true, &result, err, len))
        return false;
    if (!value_of(calls, COUNT(calls), name, &c->kind))
        return bad(err, len, "%s: no call \"%s\"", what, name);
    if (!value_of(pam_codes, COUNT(pam_codes), result, &c->result))
        return bad(err, len, "%s: no PAM code \"%s\"", what, result);
    if (flag != NULL && !flags_of(flag, &c->flags))
        return bad(err, len, "%s: no PAM flag \"%s\"", what, flag);
    if (c->kind == CALL_SETCRED && flag == NULL)
        return bad(err, len, "%s: setcred needs its \"flag\"", what);
    if (c->kind == CALL_END && flag != NULL)
        return bad(err, len, "%s: end takes no flag", what);
    c->env = NULL;
    if (json_object_object_get_ex(o, "env", &c->env)) {
        if (!json_object_is_type(c->env, json_type_object))
            return bad(err, len, "%s: \"env\" is not an object", what);
        struct json_object_iterator it = json_object_iter_begin(c->env),
                                    end = json_object_iter_end(c->env);
        for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
            json_object *v = json_object_iter_peek_value(&it);
            char e[200];
            if (v != NULL && !json_object_is_type(v, json_type_string))
                return bad(err, len, "%s: env %s is neither a string nor null", what,
                           json_object_iter_peek_name(&it));
            if (v != NULL && !placeholders_ok(json_object_get_string(v), EXPECT, e, sizeof(e)))
                return bad(err, len, "%s: env %s: %s", what, json_object_iter_peek_name(&it), e);
        }
    }
    return true;
}

static bool parse_turn(json_object *o, size_t i, struct turn *t, char *err, size_t len)
{
    static const char *const allowed[] = {"style", "text", "answer", NULL};
    char what[40], e[200];
    snprintf(what, sizeof(what), "conversation[%zu]", i);
    const char *style;
    if (!json_object_is_type(o, json_type_object))
        return bad(err, len, "%s is not an object", what);
    if (!members_ok(o, what, allowed, err, len) ||
        !get_string(o, "style", true, &style, err, len) ||
        !get_string(o, "text", true, &t->text, err, len))
        return false;
    if (!value_of(styles, COUNT(styles), style, &t->style))
        return bad(err, len, "%s: no style \"%s\" (echo_off, echo_on, error, info)", what, style);
    if (!placeholders_ok(t->text, EXPECT, e, sizeof(e)))
        return bad(err, len, "%s: text: %s", what, e);
    bool prompt = t->style == PAM_PROMPT_ECHO_OFF || t->style == PAM_PROMPT_ECHO_ON;
    json_object *a;
    bool has = json_object_object_get_ex(o, "answer", &a);
    t->answer = NULL;
    if (!prompt)
        return has ? bad(err, len, "%s: a message takes no answer", what) : true;
    if (!has)
        return bad(err, len, "%s: a prompt needs an \"answer\" (null: the conversation fails it)",
                   what);
    if (a == NULL)
        return true;
    if (!json_object_is_type(a, json_type_string))
        return bad(err, len, "%s: answer is neither a string nor null", what);
    t->answer = json_object_get_string(a);
    if (!placeholders_ok(t->answer, ANSWER, e, sizeof(e)))
        return bad(err, len, "%s: answer: %s", what, e);
    return true;
}

/* The whole file as JSON, strictly (json-c's strict mode: no comments, no
 * trailing commas, nothing after the value); errors with their line. */
static json_object *read_json(const char *path, char *err, size_t len)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        bad(err, len, "%s", strerror(errno));
        return NULL;
    }
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    bool big = !feof(f);
    fclose(f);
    text[n] = '\0';
    if (big) {
        bad(err, len, "larger than %zu bytes", sizeof(text) - 1);
        return NULL;
    }
    json_tokener *tok = json_tokener_new();
    assert_non_null(tok);
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *o = json_tokener_parse_ex(tok, text, (int)n);
    enum json_tokener_error je = json_tokener_get_error(tok);
    size_t at = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (o == NULL || je != json_tokener_success) {
        int line = 1;
        for (size_t i = 0; i < at && i < n; i++)
            line += text[i] == '\n';
        bad(err, len, "line %d: %s", line,
            o == NULL && je == json_tokener_continue ? "the JSON ends too soon"
                                                     : json_tokener_error_desc(je));
        json_object_put(o);
        return NULL;
    }
    while (at < n && isspace((unsigned char)text[at]))
        at++;
    if (at < n) {
        bad(err, len, "something after the JSON value");
        json_object_put(o);
        return NULL;
    }
    return o;
}

/* ---- users, groups and keys a file declares ------------------------------ */

/* A name for passwd, group and a keys section: no ':', ',', ']' or space. */
static bool name_ok(const char *s)
{
    if (s == NULL || !islower((unsigned char)s[0]) || strlen(s) > 31)
        return false;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

/* "users": [{"name": N, "keys": [LINE...], "shell": PATH}] (no "keys": a
 * user without keys; no "shell": /bin/sh); "groups": {GROUP: [MEMBER...]}. Checked here, made by make_people. */
static bool people_ok(json_object *o, json_object **users, json_object **groups, char *err,
                      size_t len)
{
    static const char *const allowed[] = {"name", "keys", "shell", NULL};
    *groups = NULL;
    if (!get_array(o, "users", false, users, err, len))
        return false;
    for (size_t i = 0; *users != NULL && i < json_object_array_length(*users); i++) {
        json_object *u = json_object_array_get_idx(*users, i), *keys;
        const char *name, *shell = NULL;
        char what[32];
        snprintf(what, sizeof(what), "users[%zu]", i);
        if (!json_object_is_type(u, json_type_object))
            return bad(err, len, "%s is not an object", what);
        if (!members_ok(u, what, allowed, err, len) ||
            !get_string(u, "name", true, &name, err, len) ||
            !get_array(u, "keys", false, &keys, err, len) ||
            !get_string(u, "shell", false, &shell, err, len))
            return false;
        if (shell != NULL && (shell[0] != '/' || strpbrk(shell, ":\n") != NULL))
            return bad(err, len, "%s: \"shell\" must be an absolute path without ':'", what);
        if (!name_ok(name))
            return bad(err, len, "%s: \"%s\" is not a user name ([a-z][a-z0-9_-]*)", what, name);
        for (size_t k = 0; keys != NULL && k < json_object_array_length(keys); k++) {
            json_object *l = json_object_array_get_idx(keys, k);
            const char *t = json_object_get_string(l);
            if (!json_object_is_type(l, json_type_string) || strchr(t, '\n') || t[0] == '[' ||
                strchr(t, '%'))
                return bad(err, len, "%s: keys[%zu]: one \"key = value\" line, no placeholder",
                           what, k);
        }
    }
    if (!json_object_object_get_ex(o, "groups", groups))
        return true;
    if (!json_object_is_type(*groups, json_type_object))
        return bad(err, len, "\"groups\" is not an object");
    json_object_object_foreach(*groups, g, members)
    {
        if (!name_ok(g) || !json_object_is_type(members, json_type_array))
            return bad(err, len, "groups: \"%s\": a group name and the array of its members", g);
        for (size_t k = 0; k < json_object_array_length(members); k++)
            if (!name_ok(json_object_get_string(json_object_array_get_idx(members, k))))
                return bad(err, len, "groups: \"%s\": member %zu is not a user name", g, k);
    }
    return true;
}

/* The highest id of the file's entries in [lo, hi), or lo - 1; whether name
 * is one of them already (any id). passwd: the uid; group: the gid. */
static long highest_id(const char *path, bool passwd, const char *name, long lo, long hi,
                       bool *taken)
{
    FILE *f = fopen(path, "r");
    long top = lo - 1;
    *taken = false;
    if (f == NULL)
        return top;
    for (;;) {
        struct passwd *pw = passwd ? fgetpwent(f) : NULL;
        struct group *gr = passwd ? NULL : fgetgrent(f);
        if (pw == NULL && gr == NULL)
            break;
        long id = pw ? (long)pw->pw_uid : (long)gr->gr_gid;
        *taken |= strcmp(pw ? pw->pw_name : gr->gr_name, name) == 0;
        if (id >= lo && id < hi && id > top)
            top = id;
    }
    fclose(f);
    return top;
}

/* One line at the end of dir/file, which exists already (run-pam-tests'). */
static bool append(const char *dir, const char *file, const char *text)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "pam_test_scripts: %s: %s\n", path, strerror(errno));
        return false;
    }
    size_t n = strlen(text);
    bool ok = write(fd, text, n) == (ssize_t)n;
    return close(fd) == 0 && ok;
}

/* A user: passwd and group lines (the next uid below the load users'
 * 8000), a home of their own (0700), and their keys section in dir/keys. */
static bool make_user(const char *dir, json_object *u, const char *from)
{
    char path[PATH_MAX], line[LINE_MAX_LEN];
    const char *name = json_object_get_string(json_object_object_get(u, "name"));
    bool taken;
    snprintf(path, sizeof(path), "%s/passwd", dir);
    long uid = highest_id(path, true, name, 5001, 8000, &taken) + 1;
    if (taken) {
        fprintf(stderr, "pam_test_scripts: %s: user %s exists already: declare one of its own\n",
                from, name);
        return false;
    }
    /* "shell": an account that cannot log in (nologin, false); /bin/sh else. */
    json_object *sh = json_object_object_get(u, "shell");
    snprintf(line, sizeof(line), "%s:x:%ld:%ld:%s:%s/home/%s:%s\n", name, uid, uid, name, dir, name,
             sh != NULL ? json_object_get_string(sh) : "/bin/sh");
    bool ok = append(dir, "passwd", line);
    snprintf(line, sizeof(line), "%s:x:%ld:\n", name, uid);
    ok = ok && append(dir, "group", line);
    snprintf(path, sizeof(path), "%s/home/%s", dir, name);
    ok = ok && mkdir(path, 0700) == 0 && chown(path, (uid_t)uid, (gid_t)uid) == 0 &&
         chmod(path, 0700) == 0;
    json_object *keys;
    if (ok && json_object_object_get_ex(u, "keys", &keys)) {
        snprintf(line, sizeof(line), "[%s]\n", name);
        ok = append(dir, "keys", line);
        for (size_t k = 0; ok && k < json_object_array_length(keys); k++) {
            snprintf(line, sizeof(line), "%s\n",
                     json_object_get_string(json_object_array_get_idx(keys, k)));
            ok = append(dir, "keys", line);
        }
        ok = ok && append(dir, "keys", "\n");
    }
    if (!ok)
        fprintf(stderr, "pam_test_scripts: %s: user %s: %s\n", from, name, strerror(errno));
    return ok;
}

/* A group of its own (gids 6100 to 6999: run-pam-tests' are below). */
static bool make_group(const char *dir, const char *g, json_object *members, const char *from)
{
    char path[PATH_MAX], line[LINE_MAX_LEN];
    bool taken;
    snprintf(path, sizeof(path), "%s/group", dir);
    long gid = highest_id(path, false, g, 6100, 7000, &taken) + 1;
    if (taken) {
        fprintf(stderr, "pam_test_scripts: %s: group %s exists already\n", from, g);
        return false;
    }
    snprintf(line, sizeof(line), "%s:x:%ld:", g, gid);
    bool ok = append(dir, "group", line);
    for (size_t k = 0; ok && k < json_object_array_length(members); k++)
        ok = append(dir, "group", k ? "," : "") &&
             append(dir, "group", json_object_get_string(json_object_array_get_idx(members, k)));
    return append(dir, "group", "\n") && ok;
}

/* What a script or a program's users file declares, made in dir (the run's). */
static bool make_people(const char *dir, json_object *users, json_object *groups, const char *from)
{
    bool ok = true;
    for (size_t i = 0; users != NULL && i < json_object_array_length(users); i++)
        ok = make_user(dir, json_object_array_get_idx(users, i), from) && ok;
    if (groups != NULL) {
        json_object_object_foreach(groups, g, members) ok = make_group(dir, g, members, from) && ok;
    }
    return ok;
}

/* Whether users (a checked "users" array) has one named name. */
static bool declares(json_object *users, const char *name)
{
    for (size_t i = 0; users != NULL && i < json_object_array_length(users); i++)
        if (strcmp(json_object_get_string(
                       json_object_object_get(json_object_array_get_idx(users, i), "name")),
                   name) == 0)
            return true;
    return false;
}

/* --users FILE...: tests/pam/users/PROGRAM.json, the users of a C program
 * ({"about": ..., "users": [...], "groups": {...}} as in a script). */
static int users_files(int n, char **files)
{
    static const char *const allowed[] = {"about", "users", "groups", NULL};
    const char *dir = peer_env("PAS_TEST_DIR");
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char err[400] = "not a JSON object";
        const char *about;
        json_object *users, *groups, *o = read_json(files[i], err, sizeof(err));
        bool ok = o != NULL && json_object_is_type(o, json_type_object) &&
                  members_ok(o, "the file", allowed, err, sizeof(err)) &&
                  get_string(o, "about", true, &about, err, sizeof(err)) &&
                  people_ok(o, &users, &groups, err, sizeof(err));
        if (!ok) {
            fprintf(stderr, "pam_test_scripts: %s: %s\n", files[i], err);
            rc = 1;
        } else if (!make_people(dir, users, groups, files[i])) {
            rc = 1;
        }
        json_object_put(o);
    }
    return rc;
}

static bool parse_script(const char *path, struct script_def *d, char *err, size_t len)
{
    static const char *const allowed[] = {"about",  "service",      "user",   "users",
                                          "groups", "stack",        "config", "authtok",
                                          "calls",  "conversation", "syslog", NULL};
    memset(d, 0, sizeof(*d));
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    snprintf(d->name, sizeof(d->name), "%.*s", (int)(strlen(base) - 5), base); /* without .json */
    if ((d->root = read_json(path, err, len)) == NULL)
        return false;
    json_object *o = d->root, *a;
    char e[200];
    if (!json_object_is_type(o, json_type_object))
        return bad(err, len, "not a JSON object");
    if (!members_ok(o, "the script", allowed, err, len) ||
        !get_string(o, "about", true, &d->about, err, len) ||
        !get_string(o, "service", true, &d->service, err, len) ||
        !get_string(o, "user", true, &d->user, err, len) ||
        !get_string(o, "authtok", false, &d->authtok, err, len) ||
        !get_array(o, "stack", false, &d->stack, err, len) ||
        !get_array(o, "config", false, &d->config, err, len) ||
        !people_ok(o, &d->users, &d->groups, err, len))
        return false;
    if (strchr(d->service, '/') != NULL || d->service[0] == '.' || d->service[0] == '\0')
        return bad(err, len, "service \"%s\": not a file name", d->service);
    if (d->authtok != NULL && !placeholders_ok(d->authtok, ANSWER, e, sizeof(e)))
        return bad(err, len, "authtok: %s", e);
    if (!lines_ok(d->stack, "stack", STACK, err, len) ||
        !lines_ok(d->config, "config", CONFIG, err, len))
        return false;
    if (d->config != NULL && d->stack == NULL)
        return bad(err, len, "\"config\" without a \"stack\" that reads it (config=%%CONFIG%%)");
    /* Self-contained: the script's user and stack are its own, so a new case
     * is one new file and no other program's users or services move it. */
    if (d->stack == NULL)
        return bad(err, len, "\"stack\" missing: a script brings its own service");
    if (!declares(d->users, d->user))
        return bad(err, len, "user \"%s\" is not one of the script's \"users\"", d->user);

    if (!get_array(o, "calls", true, &a, err, len))
        return false;
    size_t n = json_object_array_length(a);
    if (n == 0 || n > MAX_CALLS)
        return bad(err, len, "calls: 1 to %d of them", MAX_CALLS);
    for (size_t i = 0; i < n; i++) {
        if (!parse_call(json_object_array_get_idx(a, i), i, &d->calls[i], err, len))
            return false;
        if ((d->calls[i].kind == CALL_END) != (i == n - 1))
            return bad(err, len, "calls: \"end\" comes last, and once");
    }
    d->n_calls = (int)n;

    if (!get_array(o, "conversation", true, &a, err, len))
        return false;
    n = json_object_array_length(a);
    if (n > SCRIPT_EVENTS)
        return bad(err, len, "conversation: %d messages at the most", SCRIPT_EVENTS);
    for (size_t i = 0; i < n; i++)
        if (!parse_turn(json_object_array_get_idx(a, i), i, &d->conv[i], err, len))
            return false;
    d->n_conv = (int)n;

    if (!get_array(o, "syslog", true, &a, err, len) || !lines_ok(a, "syslog", EXPECT, err, len))
        return false;
    n = json_object_array_length(a);
    if (n > MAX_LINES)
        return bad(err, len, "syslog: %d lines at the most", MAX_LINES);
    for (size_t i = 0; i < n; i++) {
        const char *line = json_object_get_string(json_object_array_get_idx(a, i));
        const char *sp = strchr(line, ' ');
        bool level = false;
        for (size_t k = 0; sp != NULL && k < COUNT(levels); k++)
            level |= strlen(levels[k]) == (size_t)(sp - line) &&
                     strncmp(levels[k], line, (size_t)(sp - line)) == 0;
        if (!level)
            return bad(err, len,
                       "syslog[%zu]: \"LEVEL message\", LEVEL one of EMERG ALERT CRIT ERR WARNING "
                       "NOTICE INFO DEBUG",
                       i);
        d->syslog[i] = line;
    }
    d->n_syslog = (int)n;
    return true;
}

/* The scripts of dir, sorted: paths in *out; returns how many. */
static int list_scripts(const char *dir, char ***out)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort), k = 0;
    if (n < 0)
        return -1;
    *out = calloc((size_t)n + 1, sizeof(char *));
    for (int i = 0; i < n; i++) {
        size_t l = strlen(ents[i]->d_name);
        if (l > 5 && strcmp(ents[i]->d_name + l - 5, ".json") == 0 && ents[i]->d_name[0] != '.') {
            char *p = malloc(strlen(dir) + l + 2);
            sprintf(p, "%s/%s", dir, ents[i]->d_name);
            (*out)[k++] = p;
        }
        free(ents[i]);
    }
    free(ents);
    return k;
}

static void vars_for(const struct script_def *d, struct vars *v)
{
    memset(v, 0, sizeof(*v));
    static char config[PATH_MAX], root[PATH_MAX];
    v->user = d->user;
    v->dir = peer_env("PAS_TEST_DIR");
    snprintf(config, sizeof(config), "%s/script-%s.conf", v->dir, d->name);
    v->config = config;
    v->root = getcwd(root, sizeof(root)) ? root : ".";
    v->module = getenv("PAS_MODULE") ? getenv("PAS_MODULE") : "";
    v->libdir = getenv("PAS_LIBDIR") ? getenv("PAS_LIBDIR") : "";
    v->fault_url = getenv("FAULT_URL") ? getenv("FAULT_URL") : "";
    v->test_ca = getenv("TEST_CA") ? getenv("TEST_CA") : "";
    struct passwd *pw = getpwnam(d->user); /* %UID% of no such user: never matches */
    snprintf(v->uid, sizeof(v->uid), "%s", "?");
    if (pw != NULL)
        snprintf(v->uid, sizeof(v->uid), "%u", (unsigned)pw->pw_uid);
}

/* ---- --prepare: the scripts' own service files ---------------------------- */

/* %GUIDE%: the lines of conf/pam.d-sshd.snippet, which docs/bastion.md
 * prints, as they are but for the module's path and its config=: the
 * scripts test the stack an administrator copies. */
static bool write_guide(FILE *out, const struct vars *v)
{
    char path[PATH_MAX], line[LINE_MAX_LEN];
    snprintf(path, sizeof(path), "%s/conf/pam.d-sshd.snippet", v->root);
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        fprintf(stderr, "pam_test_scripts: %s: %s\n", path, strerror(errno));
        return false;
    }
    int lines = 0;
    while (fgets(line, sizeof(line), in) != NULL) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *m = strstr(line, "pam_aws_sts.so");
        if (m == NULL) {
            fputs(line, out);
        } else {
            line[strcspn(line, "\n")] = '\0';
            fprintf(out, "%.*s%s config=%s%s\n", (int)(m - line), line, v->module, v->config,
                    m + strlen("pam_aws_sts.so"));
        }
        lines++;
    }
    fclose(in);
    return lines > 0;
}

static int prepare(const char *dir, const char *services)
{
    char **paths;
    int n = list_scripts(dir, &paths), rc = 0;
    if (n < 0) {
        fprintf(stderr, "pam_test_scripts: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    for (int i = 0; i < n; i++) {
        struct script_def d;
        char err[400];
        /* A script that does not parse fails as its own test, not here. */
        bool parsed = parse_script(paths[i], &d, err, sizeof(err));
        if (parsed && !make_people(peer_env("PAS_TEST_DIR"), d.users, d.groups, paths[i]))
            rc = 1;
        if (parsed && d.stack != NULL) {
            struct vars v;
            vars_for(&d, &v);
            char file[PATH_MAX];
            snprintf(file, sizeof(file), "%s/%s", services, d.service);
            /* Never over a service of run-pam-tests' or another script's. */
            int fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0644);
            FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
            if (f == NULL) {
                fprintf(stderr, "pam_test_scripts: %s: service %s: %s\n", paths[i], file,
                        strerror(errno));
                rc = 1;
            } else {
                for (size_t k = 0; k < json_object_array_length(d.stack); k++) {
                    char line[LINE_MAX_LEN];
                    const char *src = json_object_get_string(json_object_array_get_idx(d.stack, k));
                    if (strcmp(src, "%GUIDE%") == 0) {
                        if (!write_guide(f, &v))
                            rc = 1;
                        continue;
                    }
                    expand(src, &v, line, sizeof(line));
                    fprintf(f, "%s\n", line);
                }
                if (fclose(f) != 0)
                    rc = 1;
            }
        }
        json_object_put(d.root);
        free(paths[i]);
    }
    free(paths);
    return rc;
}

/* ---- running a script ---------------------------------------------------- */

/* A loopback port where nothing listens: bound on 127.0.0.1 and ::1 (both
 * names of localhost) by this process for as long as the script runs, never
 * listening, so a connection is refused and nobody else can take it. */
static void hold_closed_port(int fds[2], char out[8])
{
    for (int attempt = 0; attempt < 20; attempt++) {
        struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        socklen_t sl = sizeof(a4);
        fds[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(fds[0] >= 0);
        assert_int_equal(bind(fds[0], (struct sockaddr *)&a4, sizeof(a4)), 0);
        assert_int_equal(getsockname(fds[0], (struct sockaddr *)&a4, &sl), 0);
        struct sockaddr_in6 a6 = {
            .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT, .sin6_port = a4.sin_port};
        fds[1] = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fds[1] >= 0 && bind(fds[1], (struct sockaddr *)&a6, sizeof(a6)) == 0) {
            snprintf(out, 8, "%u", (unsigned)ntohs(a4.sin_port));
            return;
        }
        close(fds[0]);
        if (fds[1] >= 0)
            close(fds[1]);
    }
    fail_msg("no loopback port free on both 127.0.0.1 and ::1");
}

static void write_config(const struct script_def *d, struct vars *v, int held[2])
{
    char line[LINE_MAX_LEN];
    bool closed = false;
    for (size_t k = 0; k < json_object_array_length(d->config); k++)
        closed |= strstr(json_object_get_string(json_object_array_get_idx(d->config, k)),
                         "%CLOSED_PORT%") != NULL;
    if (closed)
        hold_closed_port(held, v->closed_port);
    /* Root's, 0644, as the module wants its configuration. */
    int fd = open(v->config, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(fchmod(fd, 0644), 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    for (size_t k = 0; k < json_object_array_length(d->config); k++) {
        expand(json_object_get_string(json_object_array_get_idx(d->config, k)), v, line,
               sizeof(line));
        fprintf(f, "%s\n", line);
    }
    assert_int_equal(fclose(f), 0);
}

/* What went wrong, all of it, for one message at the end. */
struct report {
    char text[32768];
    size_t used;
};

static void note(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct report *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(r->text + r->used, sizeof(r->text) - r->used, fmt, ap);
    va_end(ap);
    if (k > 0)
        r->used =
            r->used + (size_t)k >= sizeof(r->text) ? sizeof(r->text) - 1 : r->used + (size_t)k;
}

/* The syslog lines written to the log since offset, as "LEVEL message". */
static int syslog_since(long offset, char **lines, int max)
{
    FILE *f = fopen(pam_log_path, "r");
    assert_non_null(f);
    assert_int_equal(fseek(f, offset, SEEK_SET), 0);
    char *buf = NULL;
    size_t cap = 0;
    int n = 0;
    while (getline(&buf, &cap, f) > 0) {
        /* PWRAP_LEVEL[program (pid)] - SYSLOG(N): message */
        char *s = strstr(buf, "] - SYSLOG(");
        if (strncmp(buf, "PWRAP_", 6) != 0 || s == NULL)
            continue;
        char *end;
        long prio = strtol(s + 11, &end, 10);
        if (strncmp(end, "): ", 3) != 0 || prio < 0 || prio > 7)
            continue;
        end[strcspn(end, "\n")] = '\0';
        if (n < max) {
            size_t l = strlen(levels[prio]) + strlen(end + 3) + 2;
            lines[n] = malloc(l);
            snprintf(lines[n], l, "%s %s", levels[prio], end + 3);
        }
        n++;
    }
    free(buf);
    fclose(f);
    return n;
}

static long log_size(void)
{
    fflush(stderr);
    struct stat st;
    assert_int_equal(fstat(2, &st), 0);
    return (long)st.st_size;
}

static void check_env(pam_handle_t *ph, const struct call *c, int i, const struct vars *v,
                      struct report *r)
{
    if (c->env == NULL || ph == NULL)
        return;
    struct json_object_iterator it = json_object_iter_begin(c->env),
                                end = json_object_iter_end(c->env);
    for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
        const char *name = json_object_iter_peek_name(&it);
        json_object *want = json_object_iter_peek_value(&it);
        const char *got = pam_getenv(ph, name);
        if (want == NULL && got != NULL)
            note(r, "calls[%d]: %s is \"%s\", want it unset\n", i, name, got);
        else if (want != NULL && (got == NULL || !matches(json_object_get_string(want), got, v)))
            note(r, "calls[%d]: %s is %s%s%s, want \"%s\"\n", i, name, got ? "\"" : "unset",
                 got ? got : "", got ? "\"" : "", json_object_get_string(want));
    }
}

static void compare_conversation(const struct script_def *d, const struct script *s,
                                 const struct vars *v, struct report *r)
{
    int got = s->n_events < SCRIPT_EVENTS ? s->n_events : SCRIPT_EVENTS;
    bool same = s->n_events == d->n_conv;
    for (int i = 0; same && i < got; i++)
        same = s->events[i].style == d->conv[i].style &&
               matches(d->conv[i].text, s->events[i].text, v);
    if (same)
        return;
    note(r, "conversation: want %d message(s):\n", d->n_conv);
    for (int i = 0; i < d->n_conv; i++)
        note(r, "    %-8s \"%s\"\n", name_of(styles, COUNT(styles), d->conv[i].style),
             d->conv[i].text);
    note(r, "  the module sent %d:\n", s->n_events);
    for (int i = 0; i < got; i++) {
        bool ok = i < d->n_conv && s->events[i].style == d->conv[i].style &&
                  matches(d->conv[i].text, s->events[i].text, v);
        note(r, "  %c %-8s \"%s\"\n", ok ? ' ' : '!',
             name_of(styles, COUNT(styles), s->events[i].style), s->events[i].text);
    }
}

static void compare_syslog(const struct script_def *d, char **lines, int n, const struct vars *v,
                           struct report *r)
{
    int kept = n < MAX_LINES ? n : MAX_LINES;
    int first = -1;
    for (int i = 0; first < 0 && i < (kept > d->n_syslog ? kept : d->n_syslog); i++)
        if (i >= kept || i >= d->n_syslog || !matches(d->syslog[i], lines[i], v))
            first = i;
    if (first < 0 && n == d->n_syslog)
        return;
    note(r, "syslog: line %d differs; want %d line(s):\n", first + 1, d->n_syslog);
    for (int i = 0; i < d->n_syslog; i++)
        note(r, "    %s\n", d->syslog[i]);
    note(r, "  the stack wrote %d:\n", n);
    for (int i = 0; i < kept; i++)
        note(r, "  %c %s\n", i < d->n_syslog && matches(d->syslog[i], lines[i], v) ? ' ' : '!',
             lines[i]);
}

static void test_script(void **state)
{
    const char *path = *state;
    struct script_def d;
    char err[400];
    unsetenv("PAM_AUTHTOK");
    if (!parse_script(path, &d, err, sizeof(err)))
        fail_msg("%s: %s", path, err);
    struct vars v;
    vars_for(&d, &v);
    int held[2] = {-1, -1};
    if (d.config != NULL)
        write_config(&d, &v, held);

    /* The answers, made now (a code is good for its 30 s). */
    static char answers[SCRIPT_EVENTS][256];
    struct login l;
    memset(&l, 0, sizeof(l));
    int prompts = 0;
    for (int i = 0; i < d.n_conv; i++) {
        if (d.conv[i].style != PAM_PROMPT_ECHO_OFF && d.conv[i].style != PAM_PROMPT_ECHO_ON)
            continue;
        if (prompts >= SCRIPT_ANSWERS)
            fail_msg("%s: %d prompts at the most", path, SCRIPT_ANSWERS);
        if (d.conv[i].answer != NULL) {
            expand(d.conv[i].answer, &v, answers[prompts], sizeof(answers[0]));
            l.script.answers[prompts] = answers[prompts];
        }
        prompts++;
    }
    if (d.authtok != NULL) {
        char tok[256];
        expand(d.authtok, &v, tok, sizeof(tok));
        setenv("PAM_AUTHTOK", tok, 1); /* pam_wrapper's pam_set_items.so */
    }
    l.pc.conv = script_conv;
    l.pc.appdata_ptr = &l.script;

    struct report *r = calloc(1, sizeof(*r));
    assert_non_null(r);
    long offset = log_size();
    int rc = pam_start(d.service, d.user, &l.pc, &l.ph);
    if (rc != PAM_SUCCESS)
        fail_msg("%s: pam_start(%s, %s): %s", path, d.service, d.user, pam_strerror(NULL, rc));
    int last = PAM_SUCCESS;
    for (int i = 0; i < d.n_calls; i++) {
        const struct call *c = &d.calls[i];
        switch (c->kind) {
        case CALL_AUTHENTICATE:
            rc = pam_authenticate(l.ph, c->flags);
            break;
        case CALL_ACCT_MGMT:
            rc = pam_acct_mgmt(l.ph, c->flags);
            break;
        case CALL_SETCRED:
            rc = pam_setcred(l.ph, c->flags);
            break;
        case CALL_OPEN_SESSION:
            rc = pam_open_session(l.ph, c->flags);
            break;
        case CALL_CLOSE_SESSION:
            rc = pam_close_session(l.ph, c->flags);
            break;
        default:
            rc = pam_end(l.ph, last);
            l.ph = NULL;
        }
        if (rc != c->result)
            note(r, "calls[%d]: %s returned %s, want %s\n", i,
                 name_of(calls, COUNT(calls), c->kind), name_of(pam_codes, COUNT(pam_codes), rc),
                 name_of(pam_codes, COUNT(pam_codes), c->result));
        check_env(l.ph, c, i, &v, r);
        last = rc;
    }
    unsetenv("PAM_AUTHTOK");
    for (int k = 0; k < 2; k++)
        if (held[k] >= 0)
            close(held[k]);

    char *lines[MAX_LINES];
    int n = syslog_since(offset, lines, MAX_LINES);
    compare_conversation(&d, &l.script, &v, r);
    compare_syslog(&d, lines, n, &v, r);
    for (int i = 0; i < n && i < MAX_LINES; i++)
        free(lines[i]);
    json_object_put(d.root);
    /* Into the log, which pam_log_run copies back to stderr: cmocka keeps
     * only the first 1024 bytes of a failure's message. */
    bool failed = r->used > 0;
    if (failed)
        fprintf(stderr, "%s:\n%s", path, r->text);
    free(r);
    if (failed)
        fail_msg("%s: not as the script says (above)", path);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--prepare") == 0)
        return prepare(argv[2], argv[3]);
    if (argc >= 2 && strcmp(argv[1], "--users") == 0)
        return users_files(argc - 2, argv + 2);
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(
            stderr,
            "usage: pam_test_scripts --prepare DIR SERVICES | --users FILE... | DIR [NAME...]\n");
        return 2;
    }
    char **paths;
    int n = list_scripts(argv[1], &paths);
    if (n <= 0) {
        fprintf(stderr, "pam_test_scripts: no scripts in %s\n", argv[1]);
        if (n == 0)
            free(paths);
        return 1;
    }
    struct CMUnitTest *tests = calloc((size_t)n, sizeof(*tests));
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        const char *base = strrchr(paths[i], '/') + 1;
        bool wanted = argc == 2;
        for (int a = 2; a < argc; a++)
            wanted |= strncmp(base, argv[a], strlen(argv[a])) == 0 &&
                      strcmp(base + strlen(argv[a]), ".json") == 0;
        if (!wanted)
            continue;
        tests[k].name = base;
        tests[k].test_func = test_script;
        tests[k].initial_state = paths[i];
        k++;
    }
    int rc = 1;
    if (k == 0)
        fprintf(stderr, "pam_test_scripts: none of the scripts named is in %s\n", argv[1]);
    else
        rc = pam_log_run("pam_scripts", tests, k, "scripts.log");
    for (int i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(tests);
    return rc;
}
