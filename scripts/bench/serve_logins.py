#!/usr/bin/env python3
"""Sends N logins with wrong passwords to a socctl board at once, each from a loopback
address of its own, and counts the answers' statuses.

Usage: serve_logins.py HOST:PORT [N]

The login form is fetched once (its double-submit token and cookie serve every login).
Login i is `name=flood-i&password=wrong-i` (an unknown name of its own, so neither the
lockout per name nor, with the source address 127.1.X.Y bound by the client, the limit
per address stops it before its Argon2id check). Every connection is opened first; all
threads then wait on one barrier and send together. Prints `status count` lines, how many
answers carried Retry-After, and the slowest answer. Every socket has a 120 s limit.
Independent of socctl's code.
"""
import collections
import re
import socket
import sys
import threading
import time


def request(host, port, raw, source=None):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(120)
    if source:
        sock.bind((source, 0))
    sock.connect((host, port))
    return sock


def read_all(sock):
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def main():
    address = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    host, port = address.rsplit(":", 1)
    port = int(port)
    sock = request(host, port, None)
    sock.sendall(f"GET /login HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n".encode())
    form = read_all(sock).decode("utf-8", "replace")
    sock.close()
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    cookie = re.search(r"Set-Cookie: socctl-login=([^;]+);", form, re.I).group(1)
    statuses = [None] * n
    retry = [False] * n
    took = [0.0] * n
    barrier = threading.Barrier(n)

    def login(i):
        body = f"name=flood-{i}&password=wrong-{i}&csrf={token}".encode()
        head = (f"POST /login HTTP/1.1\r\nHost: {address}\r\nOrigin: http://{address}\r\n"
                f"Cookie: socctl-login={cookie}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        source = f"127.1.{i // 250}.{i % 250 + 1}"
        try:
            sock = request(host, port, None, source)
        except OSError as e:
            barrier.wait()
            statuses[i] = f"connect-error:{e.__class__.__name__}"
            return
        barrier.wait()
        sent = time.monotonic()
        try:
            sock.sendall(head + body)
            data = read_all(sock)
            statuses[i] = data.split(b" ", 2)[1].decode() if data else "no-answer"
            retry[i] = b"\r\nretry-after:" in data.split(b"\r\n\r\n", 1)[0].lower()
        except OSError as e:
            statuses[i] = f"error:{e.__class__.__name__}"
        finally:
            took[i] = time.monotonic() - sent
            sock.close()

    threading.stack_size(256 * 1024)
    threads = [threading.Thread(target=login, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for status, count in sorted(collections.Counter(statuses).items()):
        print(f"{status} {count}")
    print(f"with Retry-After: {sum(retry)}")
    print(f"slowest answer: {max(took):.2f} s")


if __name__ == "__main__":
    main()
