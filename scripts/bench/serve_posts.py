#!/usr/bin/env python3
"""Sends N POSTs to a socctl board at once and counts the answers' statuses.

Usage: serve_posts.py HOST:PORT TOKEN (same|distinct) [N]

Every request has its own connection, opened first; all threads then wait on one barrier
and send together, so the server has N requests in flight. `same` posts one occurrence
N times ({"task": "track-mdvm-remediation", "team": "monitoring", "occurrence":
"2027-01-01"}); `distinct` posts N different occurrences of that daily task, one per day
from 2028-01-01 (the server must run with SOCCTL_TODAY past the last one). Prints
`status count` lines, and the body of the first answer of any status but 201 and 409. Every socket has a 120 s limit. Independent of socctl's code.
"""
import collections
import datetime
import json
import socket
import sys
import threading


def main():
    address, token, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    host, port = address.rsplit(":", 1)
    start = datetime.date(2027, 1, 1) if mode == "same" else datetime.date(2028, 1, 1)
    bodies = []
    for i in range(n):
        day = start if mode == "same" else start + datetime.timedelta(days=i)
        bodies.append(json.dumps({"task": "track-mdvm-remediation", "team": "monitoring",
                                  "occurrence": day.isoformat(), "date": day.isoformat()}))
    barrier = threading.Barrier(n)
    statuses = [None] * n
    answers = [b""] * n

    def post(i):
        body = bodies[i].encode()
        head = (f"POST /api/record/done HTTP/1.1\r\nHost: {address}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        try:
            sock = socket.create_connection((host, int(port)), timeout=120)
        except OSError as e:
            barrier.wait()
            statuses[i] = f"connect-error:{e.__class__.__name__}"
            return
        barrier.wait()
        try:
            sock.sendall(head + body)
            data = b""
            while b"\r\n" not in data:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
            answers[i] = data
            statuses[i] = data.split(b" ", 2)[1].decode() if data else "no-answer"
        except OSError as e:
            statuses[i] = f"error:{e.__class__.__name__}"
        finally:
            sock.close()

    threading.stack_size(256 * 1024)
    threads = [threading.Thread(target=post, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for status, count in sorted(collections.Counter(statuses).items()):
        print(status, count)
        if status not in ("201", "409"):
            first = answers[statuses.index(status)].split(b"\r\n\r\n", 1)[-1]
            print("  first answer:", first[:300].decode(errors="replace"))


if __name__ == "__main__":
    main()
