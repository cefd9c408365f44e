"""The JSON-lines sink: one event per line, appended and flushed to disk per event.

Each line is written with a single ``write`` on an ``O_APPEND`` descriptor and fsynced.
A kill can still cut the last line short, so opening the sink first cuts a partial
tail back to the last newline; the file therefore holds only whole lines. The last
line's id is remembered, so an event re-sent after a crash (written, but the cursor not
yet moved) is not written twice. Past ``max_bytes`` the file is rotated to ``.1``.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from kiosk.events.sink import DeliveryError

log = logging.getLogger(__name__)
TAIL_BYTES = 64 * 1024  # more than any event line


class JsonlSink:
    name = "jsonl"

    def __init__(self, path: Path, *, max_bytes: int = 10_000_000, keep: int = 5) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.keep = keep
        self._last_id: str | None = None
        self._ready = False

    def describe(self) -> str:
        return f"jsonl {self.path}"

    def _prepare(self) -> None:
        """Cut a partial last line (left by a kill mid-write) and read the last event id."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            self._ready = True
            return
        with open(self.path, "rb+") as fh:
            size = fh.seek(0, os.SEEK_END)
            start = max(0, size - TAIL_BYTES)
            fh.seek(start)
            tail = fh.read()
            cut = tail.rfind(b"\n") + 1
            if cut < len(tail):
                log.warning("%s: cutting a partial last line (%d bytes) left by an interrupted write", self.path, len(tail) - cut)
                fh.truncate(start + cut)
                os.fsync(fh.fileno())
            lines = tail[:cut].splitlines()
        if lines:
            try:
                self._last_id = json.loads(lines[-1]).get("id")
            except ValueError:
                self._last_id = None
        self._ready = True

    def _rotate(self) -> None:
        for i in range(self.keep - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{i}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{i + 1}"))
        if self.keep > 0:
            os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
        else:
            self.path.unlink()

    def send(self, event_id: str, body: bytes) -> None:
        try:
            if not self._ready:
                self._prepare()
            if event_id == self._last_id:
                return  # written before a crash, acknowledged now
            if self.path.exists() and self.path.stat().st_size + len(body) + 1 > self.max_bytes:
                self._rotate()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, body + b"\n")
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            self._ready = False  # look at the file afresh on the next attempt
            raise DeliveryError(f"cannot append to {self.path}: {exc.strerror or exc}") from None
        self._last_id = event_id
