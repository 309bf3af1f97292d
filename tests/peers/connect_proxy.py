#!/usr/bin/env python3
"""An HTTPS proxy (HTTP CONNECT) for the tests, on loopback only.

With --user/--password it demands Basic proxy credentials (407 otherwise),
as corporate proxies do. It tunnels only to loopback addresses: a request
for any other host is refused with 403, so no test traffic leaves the
machine through it. Every CONNECT is logged as one JSON line (target, and
whether the credentials were missing, wrong or right; never the
credentials themselves).
"""
import argparse
import base64
import json
import os
import select
import socket
import sys
import threading
import time
from socketserver import StreamRequestHandler, ThreadingTCPServer

LOOPBACK = {"127.0.0.1", "::1"}


class Handler(StreamRequestHandler):
    timeout = 30

    def log(self, **entry):
        srv = self.server
        entry["t"] = time.time()
        with srv.lock:
            if srv.log:
                srv.log.write(json.dumps(entry, sort_keys=True) + "\n")
                srv.log.flush()

    def reply(self, status, reason):
        self.wfile.write(("HTTP/1.1 %d %s\r\nContent-Length: 0\r\n\r\n" % (status, reason)).encode())

    def handle(self):
        line = self.rfile.readline(8192).decode("latin-1").strip()
        headers = {}
        while True:
            h = self.rfile.readline(8192).decode("latin-1")
            if h in ("\r\n", "\n", ""):
                break
            k, _, v = h.partition(":")
            headers[k.strip().lower()] = v.strip()
        parts = line.split()
        if len(parts) != 3 or parts[0] != "CONNECT":
            self.log(request=line[:80], result="not CONNECT")
            self.reply(405, "CONNECT only")
            return
        target = parts[1]
        auth = "none"
        srv = self.server
        if srv.user is not None:
            want = "Basic " + base64.b64encode(("%s:%s" % (srv.user, srv.password)).encode()).decode()
            got = headers.get("proxy-authorization")
            auth = "missing" if got is None else ("ok" if got == want else "wrong")
            if auth != "ok":
                self.log(target=target, auth=auth, result=407)
                self.wfile.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                                 b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
                return
        host, _, port = target.rpartition(":")
        host = host.strip("[]")
        try:
            addrs = {a[4][0] for a in socket.getaddrinfo(host, int(port), proto=socket.IPPROTO_TCP)}
        except (OSError, ValueError):
            addrs = set()
        if not addrs or not addrs <= LOOPBACK:
            self.log(target=target, auth=auth, result=403)
            self.reply(403, "loopback only")
            return
        try:
            up = socket.create_connection((host, int(port)), timeout=10)
        except OSError:
            self.log(target=target, auth=auth, result=502)
            self.reply(502, "Bad Gateway")
            return
        self.log(target=target, auth=auth, result=200)
        self.reply(200, "Connection established")
        self.wfile.flush()
        down = self.connection
        try:
            while True:
                ready, _, _ = select.select([down, up], [], [], 30)
                if not ready:
                    break
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (up if s is down else down).sendall(data)
        except OSError:
            pass
        finally:
            up.close()


class Server(ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--user")
    ap.add_argument("--password")
    args = ap.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    srv.lock = threading.Lock()
    srv.log = open(args.log, "a") if args.log else None
    srv.user, srv.password = args.user, args.password
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, args.port_file)
    sys.stdout.write("connect-proxy on 127.0.0.1:%d\n" % srv.server_address[1])
    sys.stdout.flush()
    srv.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
