#!/usr/bin/env python3
"""Sends N POSTs to a socctl board at once and counts the answers' statuses.

Usage: serve_posts.py HOST:PORT TOKEN (same|distinct) [N]

Every request has its own connection, opened first; all threads then wait on one barrier
and send together, so the server has N requests in flight. `same` posts one occurrence
N times ({"task": "track-mdvm-remediation", "team": "monitoring", "occurrence":
"2027-01-01"}); `distinct` posts N different occurrences of that daily task, one per day
from 2028-01-01 (the server must run with SOCCTL_TODAY past the last one). Prints
`status count` lines, and the body of the first answer of any status but 201 and 409; then
how long opening the connections took (the server closes a connection whose request has
not come within its header time-out, 10 s, counted from when it accepted it: a round whose
connections took longer than that to open measures this client, not the server) and the
slowest answer. Every socket has a 120 s limit. Independent of socctl's code.
"""
import collections
import datetime
import json
import socket
import sys
import threading
import time


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
    released = []
    barrier = threading.Barrier(n, action=lambda: released.append(time.monotonic()))
    statuses = [None] * n
    answers = [b""] * n
    opened = [None] * n
    took = [0.0] * n

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
        opened[i] = time.monotonic()
        barrier.wait()
        sent = time.monotonic()
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
            took[i] = time.monotonic() - sent
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
    times = [t for t in opened if t is not None]
    if times:
        print(f"connections opened over {released[0] - min(times):.1f} s before the send"
              + (" (longer than the server's 10 s header time-out: the first ones were"
                 " closed before their request came)" if released[0] - min(times) > 10 else ""))
    print(f"slowest answer: {max(took):.2f} s")


if __name__ == "__main__":
    main()
