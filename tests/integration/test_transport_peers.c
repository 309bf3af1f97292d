/* The transport under the STS client, against the peers: unsigned GET and
 * PUT over plain HTTP (plain_http.py), with their faults and limits; the
 * deadline they share with the client's signed calls; the proxy and the
 * environment; and signed requests for another service and with many
 * parameters (the fault STS checks every signature with botocore). */
#include "peer.h"

#include "aws/aws_request.h"
#include "aws/http.h"
#include "aws/sts_call.h"
#include "aws/sts_client.h"
#include "aws/transport.h"
#include "aws/unsigned_request.h"

#define MARGIN_MS  2000
#define TTL_HEADER "X-aws-ec2-metadata-token-ttl-seconds"

static int counter;

static char *plain_url(const char *path)
{
    static char url[256];
    snprintf(url, sizeof(url), "%s%s", peer_env("PLAIN_URL"), path);
    return url;
}

/* Lines of the plain server's log with both fragments. */
static int plain_log_count(const char *frag1, const char *frag2)
{
    return file_count_lines(peer_env("PLAIN_LOG"), frag1, frag2);
}

static struct transport *transport_with(long timeout_ms, const char *proxy)
{
    const struct transport_options o = {
        .ca_file = peer_env("TEST_CA"),
        .proxy = proxy,
        .connect_timeout_ms = 1000,
        .timeout_ms = timeout_ms,
        .user_agent = "pam_aws_sts/test transport",
    };
    struct transport *t = NULL;
    assert_int_equal(awssts_transport_new(&o, &t, NULL), AWSSTS_OK);
    return t;
}

static void expect(awssts_err got, awssts_err want, const struct awssts_error_info *ei,
                   const char *detail_part)
{
    char line[600];
    awssts_error_format(ei, line, sizeof(line));
    if (got != want)
        fail_msg("got %s, want %s: %s", awssts_errname(got), awssts_errname(want), line);
    if (detail_part != NULL && strstr(line, detail_part) == NULL)
        fail_msg("'%s' lacks '%s'", line, detail_part);
}

/* IMDSv2's exchange: PUT for a token, GET with it. */
static void test_put_token_then_get(void **state)
{
    (void)state;
    struct transport *t = transport_with(5000, NULL);
    struct http_response r;
    struct awssts_error_info ei;
    const char *ttl[] = {TTL_HEADER ": 21600"};
    awssts_err rc =
        awssts_unsigned_put(t, plain_url("/latest/api/token"), ttl, 1, NULL, 0, &r, &ei);
    expect(rc, AWSSTS_OK, &ei, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(ei.attempts, 1);
    char v[16];
    assert_true(awssts_http_response_header(&r, TTL_HEADER, v, sizeof(v)));
    assert_string_equal(v, "21600");
    assert_true(r.body.len > 20 && r.body.len < 100);
    char token_line[200];
    snprintf(token_line, sizeof(token_line), "X-aws-ec2-metadata-token: %s", r.body.data);
    awssts_http_response_free(&r);
    /* No signature, our User-Agent, no made-up Content-Type, no Expect. */
    assert_int_equal(plain_log_count("\"method\": \"PUT\"",
                                     "\"authorization\": false, "
                                     "\"body_len\": 0, \"content_type\": null, \"expect\": null"),
                     1);
    assert_int_equal(
        plain_log_count("\"ttl\": \"21600\"", "\"user_agent\": \"pam_aws_sts/test transport\""), 1);

    const char *with_token[] = {token_line};
    rc = awssts_unsigned_get(t, plain_url("/latest/meta-data/instance-id"), with_token, 1, &r, &ei);
    expect(rc, AWSSTS_OK, &ei, NULL);
    assert_string_equal(r.body.data, "i-0123456789abcdef0");
    awssts_http_response_free(&r);

    /* A PUT with a body: sent as given. */
    rc = awssts_unsigned_put(t, plain_url("/latest/api/token"), ttl, 1, "abc", 3, &r, &ei);
    expect(rc, AWSSTS_OK, &ei, NULL);
    awssts_http_response_free(&r);
    assert_int_equal(plain_log_count("\"method\": \"PUT\"", "\"body_len\": 3"), 1);
    awssts_transport_free(t);
}

static void test_401_is_access_denied_not_retried(void **state)
{
    (void)state;
    struct transport *t = transport_with(5000, NULL);
    struct http_response r;
    struct awssts_error_info ei;
    int before = plain_log_count("\"path\": \"/latest/meta-data/ami-id\"", NULL);
    awssts_err rc = awssts_unsigned_get(t, plain_url("/latest/meta-data/ami-id"), NULL, 0, &r, &ei);
    expect(rc, AWSSTS_E_ACCESS_DENIED, &ei, "HTTP 401");
    assert_int_equal(ei.http_status, 401);
    assert_int_equal(r.status, 401); /* the caller sees it: IMDS wants a new token */
    assert_int_equal(ei.attempts, 1);
    assert_int_equal(plain_log_count("\"path\": \"/latest/meta-data/ami-id\"", NULL), before + 1);
    awssts_http_response_free(&r);

    const struct {
        const char *path;
        awssts_err want;
        unsigned attempts;
    } cases[] = {
        {"/status/404/a", AWSSTS_E_NOT_FOUND, 1},
        {"/status/400/a", AWSSTS_E_STS_REJECTED, 1},
        {"/status/503/a", AWSSTS_E_SERVER, AWSSTS_DEFAULT_MAX_ATTEMPTS},
        {"/status/429/a", AWSSTS_E_THROTTLED, AWSSTS_DEFAULT_MAX_ATTEMPTS},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        rc = awssts_unsigned_get(t, plain_url(cases[i].path), NULL, 0, &r, &ei);
        expect(rc, cases[i].want, &ei, NULL);
        assert_int_equal(ei.attempts, cases[i].attempts);
        awssts_http_response_free(&r);
    }
    /* Idempotent: a 500 is retried, and the retry's answer counts. */
    char path[64];
    snprintf(path, sizeof(path), "/status/500once/t%d", ++counter);
    rc = awssts_unsigned_get(t, plain_url(path), NULL, 0, &r, &ei);
    expect(rc, AWSSTS_OK, &ei, NULL);
    assert_int_equal(ei.attempts, 2);
    assert_string_equal(r.body.data, "status 200");
    awssts_http_response_free(&r);
    awssts_transport_free(t);
}

static void test_timeout(void **state)
{
    (void)state;
    struct transport *t = transport_with(1500, NULL);
    struct http_response r;
    struct awssts_error_info ei;
    long long t0 = now_ms();
    awssts_err rc = awssts_unsigned_get(t, plain_url("/hang"), NULL, 0, &r, &ei);
    long long ms = now_ms() - t0;
    expect(rc, AWSSTS_E_TIMEOUT, &ei, NULL);
    assert_int_equal(ei.attempts, 1); /* the first attempt had all the time there was */
    assert_true(ms >= 1500 - 100);
    assert_true(ms < 1500 + MARGIN_MS);
    awssts_http_response_free(&r);

    /* Spent: the next request is refused at once. */
    t0 = now_ms();
    rc = awssts_unsigned_get(t, plain_url("/status/200/x"), NULL, 0, &r, &ei);
    expect(rc, AWSSTS_E_TIMEOUT, &ei, "no time left");
    assert_true(now_ms() - t0 < 100);
    awssts_http_response_free(&r);
    awssts_transport_free(t);
}

static void test_body_and_headers_bounded(void **state)
{
    (void)state;
    struct transport *t = transport_with(8000, NULL);
    struct http_response r;
    struct awssts_error_info ei;
    char path[64];
    /* Exactly the limit is fine. */
    snprintf(path, sizeof(path), "/size/%ld", AWSSTS_MAX_RESPONSE);
    expect(awssts_unsigned_get(t, plain_url(path), NULL, 0, &r, &ei), AWSSTS_OK, &ei, NULL);
    assert_int_equal(r.body.len, AWSSTS_MAX_RESPONSE);
    awssts_http_response_free(&r);
    /* One byte more, announced or chunked, is refused and not retried. */
    for (int chunked = 0; chunked < 2; chunked++) {
        snprintf(path, sizeof(path), "/%s/%ld", chunked ? "chunked" : "size",
                 AWSSTS_MAX_RESPONSE + 1);
        awssts_err rc = awssts_unsigned_get(t, plain_url(path), NULL, 0, &r, &ei);
        expect(rc, AWSSTS_E_BAD_RESPONSE, &ei, "larger than 1048576 bytes");
        assert_int_equal(ei.attempts, 1);
        assert_true(r.body.len <= (size_t)AWSSTS_MAX_RESPONSE);
        awssts_http_response_free(&r);
    }
    awssts_err rc = awssts_unsigned_get(t, plain_url("/headers/20000"), NULL, 0, &r, &ei);
    expect(rc, AWSSTS_E_BAD_RESPONSE, &ei, "response headers larger than 16384 bytes");
    awssts_http_response_free(&r);

    /* A redirect is reported, and its target never asked for. */
    rc = awssts_unsigned_get(t, plain_url("/redirect"), NULL, 0, &r, &ei);
    expect(rc, AWSSTS_E_BAD_RESPONSE, &ei, "HTTP 302 redirect to http://127.0.0.1:");
    assert_int_equal(plain_log_count("\"path\": \"/never\"", NULL), 0);
    awssts_http_response_free(&r);
    awssts_transport_free(t);
}

/* The client's one deadline covers its unsigned requests too, either way round. */
static void test_deadline_shared_with_signed_call(void **state)
{
    (void)state;
    for (int unsigned_first = 1; unsigned_first >= 0; unsigned_first--) {
        struct awssts_client_options o = {
            .struct_size = sizeof(o),
            .region = "us-east-1",
            .endpoint = peer_env("FAULT_URL"),
            .ca_file = peer_env("TEST_CA"),
            .timeout_ms = 3000,
            .connect_timeout_ms = 1000,
        };
        struct awssts_client *c = NULL;
        assert_int_equal(awssts_client_new(&o, &c, NULL), AWSSTS_OK);
        struct transport *t = awssts_client_transport(c);
        char kb[32], code[7];
        snprintf(kb, sizeof(kb), "AKIADELAYX%010d", ++counter);
        struct awssts_keys k = {kb, "faultSTSsecretKEY/0123456789abcdefghijkl", NULL};
        totp_now(code);
        char serial[64];
        snprintf(serial, sizeof(serial), "arn:aws:iam::123456789012:mfa/tr%d", counter);
        struct awssts_session_token_request req = {
            .struct_size = sizeof(req), .serial_number = serial, .token_code = code};
        struct awssts_credentials cr;
        struct http_response r;
        struct awssts_error_info ei, sei;

        long long t0 = now_ms();
        awssts_err urc = AWSSTS_OK, src = AWSSTS_OK;
        if (unsigned_first) {
            urc = awssts_unsigned_get(t, plain_url("/delay"), NULL, 0, &r, &ei); /* 1.8 s */
            expect(urc, AWSSTS_OK, &ei, NULL);
            src = awssts_get_session_token(c, &k, &req, &cr, &sei); /* 1.8 s more: too late */
            expect(src, AWSSTS_E_TIMEOUT, &sei, NULL);
            assert_int_equal(sei.attempts, 1); /* the code was sent: not replayed */
        } else {
            src = awssts_get_session_token(c, &k, &req, &cr, &sei);
            expect(src, AWSSTS_OK, &sei, NULL);
            urc = awssts_unsigned_get(t, plain_url("/delay"), NULL, 0, &r, &ei);
            expect(urc, AWSSTS_E_TIMEOUT, &ei, NULL);
        }
        long long total = now_ms() - t0;
        assert_true(total >= 3000 - 100);
        assert_true(total < 3000 + MARGIN_MS);
        awssts_credentials_clear(&cr);
        awssts_http_response_free(&r);
        awssts_client_free(c);
    }
}

/* The environment never steers libcurl: not http_proxy for plain http either. */
static void test_environment_ignored_proxy_honoured(void **state)
{
    (void)state;
    setenv("http_proxy", "http://127.0.0.1:1", 1);
    setenv("HTTP_PROXY", "http://127.0.0.1:1", 1);
    setenv("https_proxy", "http://127.0.0.1:1", 1);
    setenv("ALL_PROXY", "http://127.0.0.1:1", 1);
    struct transport *t = transport_with(5000, NULL);
    struct http_response r;
    struct awssts_error_info ei;
    expect(awssts_unsigned_get(t, plain_url("/status/200/env"), NULL, 0, &r, &ei), AWSSTS_OK, &ei,
           NULL);
    assert_int_equal(ei.attempts, 1);
    awssts_http_response_free(&r);
    awssts_transport_free(t);
    unsetenv("http_proxy");
    unsetenv("HTTP_PROXY");
    unsetenv("https_proxy");
    unsetenv("ALL_PROXY");

    /* The configured proxy carries unsigned https too, with the test CA;
     * the fault STS answers a GET with 405. */
    char proxy[160];
    snprintf(proxy, sizeof(proxy), "http://%s:%s@127.0.0.1:%s", peer_env("PROXY_USER"),
             peer_env("PROXY_PASSWORD"), peer_env("PROXY_PORT"));
    t = transport_with(5000, proxy);
    int before = proxy_log_count("\"auth\": \"ok\"");
    awssts_err rc = awssts_unsigned_get(t, peer_env("FAULT_URL"), NULL, 0, &r, &ei);
    expect(rc, AWSSTS_E_STS_REJECTED, &ei, "HTTP 405");
    assert_int_equal(r.status, 405);
    assert_int_equal(proxy_log_count("\"auth\": \"ok\""), before + 1);
    awssts_http_response_free(&r);
    awssts_transport_free(t);

    /* A proxy's refusal is final. */
    snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%s", peer_env("PROXY_PORT"));
    t = transport_with(5000, proxy);
    rc = awssts_unsigned_get(t, peer_env("FAULT_URL"), NULL, 0, &r, &ei);
    expect(rc, AWSSTS_E_NETWORK, &ei, "the proxy refused the tunnel (HTTP 407");
    assert_int_equal(ei.attempts, 1);
    awssts_http_response_free(&r);
    awssts_transport_free(t);
}

/* EC2's Query errors: <Response><Errors><Error><Code>; enough for this test. */
static bool ec2_read_error(const char *body, size_t len, const char *operation,
                           struct aws_error_doc *out)
{
    (void)len;
    (void)operation;
    const char *a = body != NULL ? strstr(body, "<Code>") : NULL;
    const char *b = a != NULL ? strstr(a, "</Code>") : NULL;
    if (b == NULL)
        return false;
    a += 6;
    snprintf(out->code, sizeof(out->code), "%.*s", (int)(b - a), a);
    return true;
}

static awssts_err ec2_map_error(const char *code, const char *message, long status)
{
    (void)message;
    if (code != NULL &&
        (strcmp(code, "AuthFailure") == 0 || strcmp(code, "SignatureDoesNotMatch") == 0))
        return AWSSTS_E_INVALID_KEYS;
    return status >= 500 ? AWSSTS_E_SERVER : AWSSTS_E_STS_REJECTED;
}

static const struct aws_protocol ec2_protocol = {ec2_read_error, ec2_map_error};

/* A signed request for a service other than STS, over the client's own
 * transport: the fault STS checks the signature for "ec2". */
static void test_signed_request_for_another_service(void **state)
{
    (void)state;
    char connect_to[128];
    snprintf(connect_to, sizeof(connect_to), "ec2.us-east-1.amazonaws.com:443:127.0.0.1:%s",
             peer_env("FAULT_PORT"));
    struct awssts_client_options o = {
        .struct_size = sizeof(o),
        .region = "us-east-1",
        .endpoint = peer_env("FAULT_URL"),
        .ca_file = peer_env("TEST_CA"),
        .connect_to = connect_to,
        .timeout_ms = 8000,
    };
    struct awssts_client *c = NULL;
    assert_int_equal(awssts_client_new(&o, &c, NULL), AWSSTS_OK);
    char kb[32];
    snprintf(kb, sizeof(kb), "AKIAOKX%013d", ++counter);
    struct awssts_keys k = {kb, "faultSTSsecretKEY/0123456789abcdefghijkl", NULL};
    struct awssts_session_token_request sreq = {.struct_size = sizeof(sreq)};
    struct awssts_credentials s;
    assert_int_equal(awssts_get_session_token(c, &k, &sreq, &s, NULL), AWSSTS_OK);

    const char *body = "Action=DescribeInstances&Version=2016-11-15";
    struct aws_request req = {
        .service = "ec2",
        .region = "us-east-1",
        .url = "https://ec2.us-east-1.amazonaws.com/",
        .host = "ec2.us-east-1.amazonaws.com",
        .content_type = "application/x-www-form-urlencoded; charset=utf-8",
        .body = body,
        .body_len = strlen(body),
        .operation = "DescribeInstances",
        .protocol = &ec2_protocol,
    };
    struct awssts_keys sk = {s.access_key_id, s.secret_access_key, s.session_token};
    struct http_response r;
    struct awssts_error_info ei;
    awssts_err rc = awssts_aws_request_send(awssts_client_transport(c), &sk, &req, &r, &ei);
    expect(rc, AWSSTS_OK, &ei, NULL);
    assert_non_null(strstr(r.body.data, "<DescribeInstancesResponse"));
    awssts_http_response_free(&r);

    /* Signed for the wrong service: the server's error, through the protocol. */
    req.service = "sts";
    rc = awssts_aws_request_send(awssts_client_transport(c), &sk, &req, &r, &ei);
    expect(rc, AWSSTS_E_INVALID_KEYS, &ei, "SignatureDoesNotMatch");
    assert_int_equal(ei.http_status, 403);
    assert_int_equal(ei.attempts, 1);
    awssts_http_response_free(&r);
    awssts_credentials_clear(&s);
    awssts_client_free(c);
}

/* Sixty parameters (and the two of every call) arrive, signed, at STS. */
static void test_sixty_parameters_reach_sts(void **state)
{
    (void)state;
    struct awssts_client_options o = {
        .struct_size = sizeof(o),
        .region = "us-east-1",
        .endpoint = peer_env("FAULT_URL"),
        .ca_file = peer_env("TEST_CA"),
    };
    struct awssts_client *c = NULL;
    assert_int_equal(awssts_client_new(&o, &c, NULL), AWSSTS_OK);
    char kb[32];
    snprintf(kb, sizeof(kb), "AKIAOKX%013d", ++counter);
    struct awssts_keys k = {kb, "faultSTSsecretKEY/0123456789abcdefghijkl", NULL};
    static char names[60][32], values[60][16];
    struct sts_call call;
    awssts_sts_call_init(&call, "GetCallerIdentity");
    for (int i = 0; i < 60; i++) {
        snprintf(names[i], sizeof(names[i]), "Tags.member.%d.%s", i / 2 + 1,
                 i % 2 ? "Value" : "Key");
        snprintf(values[i], sizeof(values[i]), "v %d", i);
        assert_int_equal(awssts_sts_call_add(&call, names[i], values[i], NULL), AWSSTS_OK);
    }
    struct sts_response out;
    struct awssts_error_info ei;
    awssts_err rc = awssts_sts_call(c, &k, &call, &out, &ei);
    expect(rc, AWSSTS_OK, &ei, NULL);
    assert_non_null(out.field[STS_F_ACCOUNT]);
    awssts_sts_response_free(&out);
    awssts_sts_call_free(&call);
    char key_frag[64];
    snprintf(key_frag, sizeof(key_frag), "\"key\": \"%s\"", kb);
    assert_int_equal(fault_log_count(key_frag, "\"n_form\": 62"), 1);
    awssts_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_token_then_get),
        cmocka_unit_test(test_401_is_access_denied_not_retried),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_body_and_headers_bounded),
        cmocka_unit_test(test_deadline_shared_with_signed_call),
        cmocka_unit_test(test_environment_ignored_proxy_honoured),
        cmocka_unit_test(test_signed_request_for_another_service),
        cmocka_unit_test(test_sixty_parameters_reach_sts),
    };
    return cmocka_run_group_tests_name("transport", tests, NULL, NULL);
}
