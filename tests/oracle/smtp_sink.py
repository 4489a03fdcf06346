"""A real SMTP server on loopback that keeps what it receives, for tests/mail_smtp.rs.

Usage: python3 smtp_sink.py DIRECTORY [LIFETIME_SECONDS]

Listens on 127.0.0.1 on a free port chosen by the system, prints that port on the first
line of standard output, and writes each message it accepts to DIRECTORY as NNN.eml (the
message as received) with NNN.json beside it (the envelope: sender and recipients). Files
appear complete: each is written under a temporary name and renamed. The server is
aiosmtpd's, unchanged; it stops by itself after LIFETIME_SECONDS (default 120) in case
the test that started it could not.
"""

import asyncio
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    def _write(self, name, data):
        path = os.path.join(self.directory, name)
        with open(path + ".tmp", "wb") as file:
            file.write(data)
        os.rename(path + ".tmp", path)

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = f"{self.count:03}"
        self._write(stem + ".eml", envelope.original_content)
        meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}
        self._write(stem + ".json", json.dumps(meta).encode())
        return "250 Message accepted"


async def main(directory, lifetime):
    sink = Sink(directory)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(sink, hostname="sink.test"), host="127.0.0.1", port=0
    )
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    try:
        await asyncio.sleep(lifetime)
    finally:
        server.close()


if __name__ == "__main__":
    lifetime = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0
    asyncio.run(main(sys.argv[1], lifetime))
