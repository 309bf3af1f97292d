#!/usr/bin/env python3
"""A plain-HTTP server for the unsigned requests' tests, on loopback only.

It speaks a sliver of the instance metadata service's IMDSv2 (PUT
/latest/api/token with a TTL header gives a token; GET /latest/meta-data/...
wants it, 401 otherwise) and has paths that misbehave on purpose:

  GET /delay          answers after --delay-seconds
  GET /hang           says nothing for --hang-seconds, then hangs up
  GET /size/N         N bytes with Content-Length; /chunked/N the same, chunked
  GET /headers/N      about N bytes of response headers
  GET /status/C/TAG   status C; C = 500once: 500 the first time per TAG, then 200
  GET /redirect       302 to a place that must never be asked for

Bounded: it binds 127.0.0.1, reads at most 64 KiB of request body, sends at
most 4 MiB, and every connection times out after 30 s. Every request is
logged as one JSON line (method, path, count for that path, a few headers;
never a token's value).
"""
import argparse
import json
import os
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY_IN = 64 * 1024
MAX_BODY_OUT = 4 * 1024 * 1024
TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds"
TOKEN_HEADER = "X-aws-ec2-metadata-token"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "plain-http"
    timeout = 30
    # Small answers go out at once, not after the client's delayed ACK.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):  # quiet
        pass

    def record(self, body_len):
        srv = self.server
        with srv.lock:
            srv.counts[self.path] = srv.counts.get(self.path, 0) + 1
            entry = {
                "t": time.time(), "method": self.command, "path": self.path,
                "n": srv.counts[self.path], "body_len": body_len,
                "authorization": "Authorization" in self.headers,
                "user_agent": self.headers.get("User-Agent", ""),
                "content_type": self.headers.get("Content-Type"),
                "expect": self.headers.get("Expect"),
                "ttl": self.headers.get(TTL_HEADER),
                "token": TOKEN_HEADER in self.headers,
            }
            if srv.log:
                srv.log.write(json.dumps(entry, sort_keys=True) + "\n")
                srv.log.flush()
            return entry["n"]

    def reply(self, status, body=b"", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_IN:
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def do_PUT(self):
        body = self.read_body()
        self.record(-1 if body is None else len(body))
        if body is None:
            self.reply(413)
            return
        if self.path != "/latest/api/token":
            self.reply(404)
            return
        try:
            ttl = int(self.headers.get(TTL_HEADER, ""))
        except ValueError:
            ttl = 0
        if not 1 <= ttl <= 21600:
            self.reply(400, b"bad TTL")
            return
        token = secrets.token_urlsafe(32)
        with self.server.lock:
            self.server.tokens[token] = time.time() + ttl
        self.reply(200, token.encode(), {TTL_HEADER: str(ttl)})

    def do_POST(self):
        body = self.read_body()
        self.record(-1 if body is None else len(body))
        self.reply(405, b"GET and PUT only")

    def do_GET(self):
        n = self.record(0)
        a = self.server.args
        parts = self.path.strip("/").split("/")
        if self.path.startswith("/latest/meta-data/"):
            token = self.headers.get(TOKEN_HEADER, "")
            with self.server.lock:
                expires = self.server.tokens.get(token, 0)
            if expires < time.time():
                self.reply(401)
                return
            self.reply(200, b"i-0123456789abcdef0" if parts[-1] == "instance-id" else b"ok")
        elif self.path == "/delay":
            time.sleep(a.delay_seconds)
            self.reply(200, b"late")
        elif self.path == "/hang":
            time.sleep(a.hang_seconds)
            self.close_connection = True
        elif parts[0] in ("size", "chunked") and len(parts) == 2 and parts[1].isdigit():
            self.send_sized(int(parts[1]), parts[0] == "chunked")
        elif parts[0] == "headers" and len(parts) == 2 and parts[1].isdigit():
            size = min(int(parts[1]), MAX_BODY_OUT)
            self.send_response(200)
            for i in range(size // 100 + 1):
                self.send_header("X-Filler-%d" % i, "f" * 80)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        elif parts[0] == "status" and len(parts) == 3:
            code = 500 if parts[1] == "500once" and n == 1 else 200 if parts[1] == "500once" else int(parts[1])
            self.reply(code, b"status %d" % code)
        elif self.path == "/redirect":
            self.reply(302, b"", {"Location": "http://127.0.0.1:%d/never" % self.server.server_address[1]})
        else:
            self.reply(404)

    def send_sized(self, size, chunked):
        size = min(size, MAX_BODY_OUT)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        left = size
        try:
            while left > 0:
                chunk = b"x" * min(left, 65536)
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                left -= len(chunk)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        pass  # a client that hangs up is part of the tests


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--delay-seconds", type=float, default=1.8)
    ap.add_argument("--hang-seconds", type=float, default=20)
    args = ap.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    srv.args = args
    srv.lock = threading.Lock()
    srv.counts = {}
    srv.tokens = {}
    srv.log = open(args.log, "a") if args.log else None
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, args.port_file)
    sys.stdout.write("plain-http on 127.0.0.1:%d\n" % srv.server_address[1])
    sys.stdout.flush()
    srv.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
