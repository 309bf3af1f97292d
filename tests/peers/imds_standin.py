#!/usr/bin/env python3
"""A strict IMDSv2 on loopback, for keys = ssm:NAME.

As EC2's instance metadata service with IMDSv2 required: PUT
/latest/api/token needs X-aws-ec2-metadata-token-ttl-seconds (1..21600)
and returns a token that dies after that TTL; a PUT with X-Forwarded-For is
403; every GET needs X-aws-ec2-metadata-token with a live token, else 401
(an IMDSv1 GET, without one, included). It serves placement/region and
iam/security-credentials/ROLE, the credentials in IMDS's JSON shape, taken
from --creds (a JSON file with AccessKeyId, SecretAccessKey, Token and
Expiration: a role moto issued).

Faults, by --fault or POST /fault/NAME on the control port: ok, down (the
listener is closed: connection refused), slow (every answer waits
--hang-seconds), no-role (an empty listing), no-role-404, bad-json. GET
/state on the control port: counters as JSON (v1: GETs without a token).
Every request is one JSON line in --log: method, path, header names,
status; never a token or a credential.
"""
import argparse
import json
import os
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = ("ok", "down", "slow", "no-role", "no-role-404", "bad-json")
TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds"
TOKEN_HEADER = "X-aws-ec2-metadata-token"
CREDS_PREFIX = "/latest/meta-data/iam/security-credentials/"


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.fault = args.fault
        self.tokens = {}  # token -> expiry (monotonic)
        self.counts = {"put": 0, "get": 0, "v1": 0, "refused": 0}
        self.log = open(args.log, "a", buffering=1) if args.log else None
        with open(args.creds) as f:
            self.creds = json.load(f)

    def record(self, entry):
        if self.log:
            with self.lock:
                self.log.write(json.dumps(entry, sort_keys=True) + "\n")

    def count(self, what):
        with self.lock:
            self.counts[what] += 1


class Imds(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "EC2ws"

    def log_message(self, fmt, *args):  # the JSON log only
        pass

    def answer(self, status, body=b"", ctype="text/plain"):
        st = self.server.state
        st.record({"t": time.time(), "method": self.command, "path": self.path,
                   "headers": sorted(self.headers.keys()), "status": status, "fault": st.fault,
                   "v1": self.command == "GET" and TOKEN_HEADER not in self.headers})
        if status >= 400:
            st.count("refused")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def stall(self):
        st = self.server.state
        if st.fault == "slow":
            time.sleep(st.args.hang_seconds)

    def do_PUT(self):
        st = self.server.state
        st.count("put")
        self.stall()
        length = int(self.headers.get("Content-Length", "0") or 0)
        if length:
            self.rfile.read(length)
        if self.path != "/latest/api/token":
            return self.answer(404)
        # A request that came through a proxy or a forwarder never gets a token.
        if "X-Forwarded-For" in self.headers:
            return self.answer(403)
        ttl = self.headers.get(TTL_HEADER, "")
        if not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
            return self.answer(400)
        token = secrets.token_urlsafe(42)
        with st.lock:
            st.tokens[token] = time.monotonic() + int(ttl)
        self.answer(200, token.encode())

    def token_live(self):
        st = self.server.state
        token = self.headers.get(TOKEN_HEADER)
        if token is None:
            st.count("v1")
            return False
        with st.lock:
            exp = st.tokens.get(token)
        return exp is not None and exp > time.monotonic()

    def do_GET(self):
        st = self.server.state
        st.count("get")
        self.stall()
        if not self.token_live():
            return self.answer(401)
        if self.path == "/latest/meta-data/placement/region":
            return self.answer(200, st.args.region.encode())
        if self.path == CREDS_PREFIX:
            if st.fault == "no-role-404":
                return self.answer(404)
            return self.answer(200, b"" if st.fault == "no-role" else st.args.role.encode())
        if self.path == CREDS_PREFIX + st.args.role and st.fault not in ("no-role", "no-role-404"):
            if st.fault == "bad-json":
                return self.answer(200, b'{\n  "Code" : "Success",\n  "AccessKeyId" : "ASIA',
                                   "application/json")
            c = st.creds
            doc = {
                "Code": "Success",
                "LastUpdated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "Type": "AWS-HMAC",
                "AccessKeyId": c["AccessKeyId"],
                "SecretAccessKey": c["SecretAccessKey"],
                "Token": c["Token"],
                "Expiration": c["Expiration"],
            }
            return self.answer(200, json.dumps(doc, indent=2).encode(), "application/json")
        self.answer(404)

    def do_POST(self):
        self.answer(405)


class Control(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        st = self.server.state
        if self.path != "/state":
            return self.reply(404, b"{}")
        with st.lock:
            body = dict(st.counts, fault=st.fault, live_tokens=len(st.tokens))
        self.reply(200, json.dumps(body).encode())

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0") or 0)
        if length:
            self.rfile.read(length)
        name = self.path[len("/fault/"):] if self.path.startswith("/fault/") else ""
        if name not in FAULTS:
            return self.reply(400, b'{"error":"unknown fault"}')
        self.server.switch(name)
        self.reply(200, json.dumps({"fault": name}).encode())

    do_PUT = do_POST


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client that gives up on a slow answer is part of the tests


class Standin:
    """The IMDS listener, closed while the fault is down, on one port."""

    def __init__(self, state, host, port):
        self.state, self.host, self.port = state, host, port
        self.srv = None
        self.lock = threading.Lock()

    def up(self):
        if self.srv is None:
            self.srv = Server((self.host, self.port), Imds)
            self.srv.state = self.state
            self.port = self.srv.server_address[1]
            threading.Thread(target=self.srv.serve_forever, kwargs={"poll_interval": 0.1},
                             daemon=True).start()

    def down(self):
        if self.srv is not None:
            self.srv.shutdown()
            self.srv.server_close()
            self.srv = None

    def switch(self, name):
        with self.lock:
            self.state.fault = name
            if name == "down":
                self.down()
            else:
                self.up()


def write_port(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--creds", required=True, help="JSON: AccessKeyId, SecretAccessKey, Token, Expiration")
    ap.add_argument("--role", default="bastion-instance-role")
    ap.add_argument("--region", default="eu-west-1")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--control-port-file")
    ap.add_argument("--log")
    ap.add_argument("--fault", choices=FAULTS, default="ok")
    ap.add_argument("--hang-seconds", type=float, default=20)
    args = ap.parse_args()

    state = State(args)
    imds = Standin(state, args.host, args.port)
    # The port exists even when the first fault is down: bind, note, close.
    imds.up()
    imds.switch(args.fault)
    ctl = Server((args.host, 0), Control)
    ctl.state = state
    ctl.switch = imds.switch
    if args.port_file:
        write_port(args.port_file, imds.port)
    if args.control_port_file:
        write_port(args.control_port_file, ctl.server_address[1])
    sys.stdout.write("imds-standin on http://%s:%d/ (control %d), fault %s\n"
                     % (args.host, imds.port, ctl.server_address[1], args.fault))
    sys.stdout.flush()
    try:
        ctl.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
