#!/usr/bin/env python3
"""A syslog daemon for one test: receives datagrams on a Unix socket
(/dev/log in the test's private /dev) and appends each, as one line, to a
file. Writes READY-FILE once it listens."""
import os
import socket
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: syslog_sink.py SOCKET OUTPUT READY-FILE")
    path, out, ready = sys.argv[1:]
    if os.path.exists(path):
        os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    os.chmod(path, 0o666)  # every user's processes may log, as with a real daemon
    with open(ready, "w") as f:
        f.write("%d\n" % os.getpid())
    with open(out, "ab", buffering=0) as f:
        while True:
            msg = s.recv(65536)
            f.write(msg.rstrip(b"\n").replace(b"\n", b"\\n") + b"\n")


if __name__ == "__main__":
    main()
