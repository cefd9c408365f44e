"""A real webhook receiver on 127.0.0.1 (standard-library ``http.server``) for the event tests.

In-process (``Receiver``, a thread) or as its own process (``python receiver.py PORT LOG``)
so a test can SIGKILL it mid-request. It refuses the first ``fail_first`` requests with a
500, and can hold request number ``hang_on`` without answering (the test kills it then).
Every request is logged on arrival, before the answer, so a re-delivery shows as a repeat.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Receiver:
    def __init__(self, *, fail_first: int = 0, hang_on: int | None = None, log_path: Path | None = None, port: int = 0) -> None:
        self.fail_first = fail_first
        self.hang_on = hang_on
        self.log_path = log_path
        self.requests: list[dict] = []  # {"headers": {...}, "body": bytes, "status": int}
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    number = len(receiver.requests) + 1
                    status = 500 if number <= receiver.fail_first else 204
                    receiver.requests.append({"headers": dict(self.headers), "body": body, "status": status, "path": self.path})
                    if receiver.log_path is not None:
                        with open(receiver.log_path, "a", encoding="utf-8") as fh:
                            fh.write(json.dumps({"headers": dict(self.headers), "body": body.decode("utf-8"), "status": status}) + "\n")
                            fh.flush()
                if number == receiver.hang_on:
                    time.sleep(3600)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def accepted(self) -> list[dict]:
        with self._lock:
            return [r for r in self.requests if r["status"] < 300]


if __name__ == "__main__":
    port, log = int(sys.argv[1]), Path(sys.argv[2])
    hang = int(sys.argv[3]) if len(sys.argv) > 3 else None
    with Receiver(port=port, log_path=log, hang_on=hang) as r:
        Path(str(log) + ".ready").write_text(str(r.port))
        threading.Event().wait()
