#!/usr/bin/env python3
"""Two HTTP proxies on loopback for tests/su/run-su-test.

trap:  records every connection it accepts (then its first request line)
       and closes it. Nothing should ever reach it: it stands where a
       caller's proxy variables point.
admin: records every request and tunnels CONNECT to loopback ports only,
       as a proxy the administrator configured (proxy = ... in the config).

Each line of --log is "<name> <what>", written and flushed at once, so the
test reads it as soon as the client is done.
"""
import argparse
import os
import select
import socket
import sys
import threading

LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}


class Log:
    def __init__(self, path):
        self.f = open(path, "a", buffering=1)
        self.lock = threading.Lock()

    def write(self, line):
        with self.lock:
            self.f.write(line.replace("\n", " ") + "\n")


def read_head(conn, limit=8192):
    conn.settimeout(5)
    data = b""
    try:
        while b"\r\n\r\n" not in data and len(data) < limit:
            chunk = conn.recv(1024)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    return data


def trap(conn, log):
    try:
        head = read_head(conn)
        log.write("trap request %s" % head.split(b"\r\n", 1)[0].decode("latin-1"))
    finally:
        conn.close()


def pump(a, b):
    socks = [a, b]
    while True:
        ready, _, _ = select.select(socks, [], [], 30)
        if not ready:
            return
        for s in ready:
            data = s.recv(65536)
            if not data:
                return
            (b if s is a else a).sendall(data)


def admin(conn, log):
    try:
        head = read_head(conn)
        first = head.split(b"\r\n", 1)[0].decode("latin-1")
        log.write("admin request %s" % first)
        parts = first.split()
        if len(parts) != 3 or parts[0] != "CONNECT":
            conn.sendall(b"HTTP/1.1 405 CONNECT only\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = parts[1].rpartition(":")
        if host not in LOOPBACK or not port.isdigit():
            conn.sendall(b"HTTP/1.1 403 loopback only\r\nContent-Length: 0\r\n\r\n")
            return
        up = socket.create_connection(("127.0.0.1", int(port)), timeout=5)
        try:
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            conn.settimeout(None)
            up.settimeout(None)
            pump(conn, up)
        finally:
            up.close()
    except OSError as e:
        log.write("admin error %s" % e)
    finally:
        conn.close()


def serve(name, handler, port_file, log):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(port_file + ".tmp", port_file)

    def loop():
        while True:
            conn, peer = s.accept()
            # Recorded before anything is read: a client that sends nothing counts too.
            log.write("%s accept %s:%d" % (name, peer[0], peer[1]))
            threading.Thread(target=handler, args=(conn, log), daemon=True).start()

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trap-port-file", required=True)
    ap.add_argument("--admin-port-file", required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    log = Log(args.log)
    threads = [serve("trap", trap, args.trap_port_file, log),
               serve("admin", admin, args.admin_port_file, log)]
    for t in threads:
        t.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
