"""SIGKILL the kiosk between the audit write and the delivery, and the receiver mid-request.

Both sides are real processes: ``crash_helper.py`` (registry + sender) and ``receiver.py``
(http.server on 127.0.0.1), which logs each request on arrival. After the restart every
event is delivered; the only repeat allowed is the one event that was in flight, and it
carries the same id.
"""

from __future__ import annotations

import collections
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from kiosk.store.db import Database
from tests.events.conftest import SECRET

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
WAIT_S = 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + WAIT_S
    while not check():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"process ended while waiting for {what}: {proc.stderr.read().decode() if proc.stderr else ''}")
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class ReceiverProcess:
    def __init__(self, port: int, log: Path, hang_on: int | None = None) -> None:
        self.log = log
        ready = Path(str(log) + ".ready")
        ready.unlink(missing_ok=True)
        args = [sys.executable, str(HERE / "receiver.py"), str(port), str(log)] + ([str(hang_on)] if hang_on else [])
        self.proc = subprocess.Popen(args, stderr=subprocess.PIPE)
        wait_for(ready.exists, "the receiver", self.proc)

    def ids(self) -> list[str]:
        if not self.log.exists():
            return []
        return [json.loads(json.loads(line)["body"])["id"] for line in self.log.read_text().splitlines() if line.strip()]

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def kiosk_env(tmp_path: Path, port: int, **extra: str) -> dict:
    return dict(
        os.environ,
        KIOSK_EVENTS_WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
        KIOSK_EVENTS_WEBHOOK_SECRET=SECRET,
        KIOSK_EVENTS_RETRY_BASE_S="0.05",
        KIOSK_EVENTS_RETRY_MAX_S="0.5",
        KIOSK_PAUSE_FILE=str(tmp_path / "paused"),
        CRASH_READY_FILE=str(tmp_path / "ready"),
        **extra,
    )


def start_kiosk(env: dict, count: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HERE / "crash_helper.py"), str(count)], cwd=REPO, env=env, stderr=subprocess.PIPE)


def outbox_ids(data_dir: Path) -> list[str]:
    db = Database.open(data_dir / "kiosk.db")
    try:
        return [r[0] for r in db.conn.execute("SELECT id FROM outbox ORDER BY seq")]
    finally:
        db.close()


def assert_all_once_but_in_flight(received: list[str], expected: list[str], in_flight: str) -> None:
    counts = collections.Counter(received)
    assert set(counts) == set(expected), "every event arrives, nothing else does"
    assert {i for i, n in counts.items() if n > 1} <= {in_flight}
    assert counts[in_flight] <= 2
    assert list(dict.fromkeys(received)) == expected  # first arrivals in outbox order


def test_kiosk_killed_between_audit_write_and_delivery(tmp_path, data_dir):
    port = free_port()
    env = kiosk_env(tmp_path, port, KIOSK_PAUSE_AT="events:sent")
    kiosk = start_kiosk(env, 5)
    wait_for((tmp_path / "ready").exists, "the audit writes", kiosk)
    rx = ReceiverProcess(port, tmp_path / "received.jsonl")
    try:
        wait_for((tmp_path / "paused").exists, "the first delivery", kiosk)  # received, not yet recorded
        kiosk.send_signal(signal.SIGKILL)
        kiosk.wait()
        assert len(rx.ids()) == 1
        env.pop("KIOSK_PAUSE_AT")
        restart = subprocess.run([sys.executable, "-m", "kiosk", "events", "deliver", "--timeout", "60"], cwd=REPO, env=env, capture_output=True, text=True, timeout=WAIT_S)
        assert restart.returncode == 0, restart.stderr + restart.stdout
        assert "all delivered" in restart.stdout
    finally:
        rx.kill()
    expected = outbox_ids(data_dir)
    assert len(expected) == 5
    received = rx.ids()
    assert_all_once_but_in_flight(received, expected, in_flight=expected[0])
    assert received.count(expected[0]) == 2  # killed after the send: re-delivered, same id


def test_receiver_killed_mid_request(tmp_path, data_dir):
    port = free_port()
    log = tmp_path / "received.jsonl"
    rx = ReceiverProcess(port, log, hang_on=2)  # logs the second event, then never answers
    kiosk = start_kiosk(kiosk_env(tmp_path, port, KIOSK_EVENTS_WEBHOOK_TIMEOUT_S="60"), 4)
    try:
        wait_for(lambda: len(rx.ids()) >= 2, "the second request", kiosk)
        rx.kill()  # mid-request: the kiosk's POST gets a reset, not an answer
        time.sleep(0.5)
        rx = ReceiverProcess(port, log)
        wait_for(lambda: len(set(rx.ids())) >= 4, "every event after the restart", kiosk)
    finally:
        kiosk.send_signal(signal.SIGKILL)
        kiosk.wait()
        rx.kill()
    expected = outbox_ids(data_dir)
    received = rx.ids()
    assert_all_once_but_in_flight(received, expected, in_flight=expected[1])
    assert received.count(expected[1]) == 2
