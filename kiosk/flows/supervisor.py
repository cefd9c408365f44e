"""``kiosk supervise``: run ``kiosk run`` as a child process and keep it running.

The decisions (restart or not, how long to wait, when a child counts as hung) are
``restart_policy.py``'s; this module only starts, watches, kills and records.

The heartbeat is a file, not a socket: the supervisor names it in ``KIOSK_HEARTBEAT_FILE``
and the kiosk's GUI thread rewrites it every second (``kiosk/ui/heartbeat.py``: a ``QTimer``,
so a blocked event loop stops the beats, which is the hang this watches for). A file needs no
port (the kiosk opens none, docs/events.md), works the same on Windows and Linux, survives
neither side being ready first, and its content (the child's pid) lets anyone see which
process beats. The supervisor compares the file's modification stamp between polls and times
the gaps on its own monotonic clock, so the two processes' clocks never need to agree.

Each restart is recorded as an audit row ``kiosk_restarted`` with its outbox event
``kiosk.restarted`` in one transaction, opened with the kiosk's own key store
(``Database.open`` picks it exactly as the kiosk does), and always as a line in
``<data>/supervisor.log``: when the database cannot be opened (no key, damaged, not created
yet) the line says why, and the kiosk is restarted all the same.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.clock import utc_now
from kiosk.events.types import EventSource, kiosk_name
from kiosk.flows.restart_policy import ChildEnd, RestartPolicy, Restarts, Verdict
from kiosk.store import audit
from kiosk.store.db import DB_FILE, Database

log = logging.getLogger(__name__)

HEARTBEAT_ENV = "KIOSK_HEARTBEAT_FILE"
HEARTBEAT_FILE = "kiosk.heartbeat"
LOG_FILE = "supervisor.log"
LOG_MAX_BYTES = 1_000_000  # then moved to supervisor.log.1 (one old file kept)
RESTARTED = "kiosk_restarted"  # the audit row; its event is ``kiosk.restarted``
STOP_GRACE_S = 10.0  # a stopping supervisor gives the kiosk this long to end before killing it
POLL_S = 0.25


def kiosk_command(
    run_args: Sequence[str], global_args: Sequence[str] = (), *, frozen: bool | None = None, executable: str | None = None
) -> list[str]:
    """The child's command line: ``kiosk [global options] run [run_args]`` with this same
    interpreter (``python -m kiosk``), or this same executable in a PyInstaller bundle
    (``sys.frozen``: there ``sys.executable`` is ``kiosk.exe`` itself and takes no ``-m``)."""
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    executable = executable or sys.executable
    head = [executable] if frozen else [executable, "-m", "kiosk"]
    return [*head, *global_args, "run", *run_args]


def beat_stamp(path: Path) -> int | None:
    """The heartbeat file's modification stamp (ns), or None while there is none."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


class RestartLog:
    """Where restarts are written: ``supervisor.log`` always, the database when it opens."""

    def __init__(self, data_dir: Path, kiosk: str = "") -> None:
        self.data_dir = Path(data_dir)
        self.kiosk = kiosk
        self.path = self.data_dir / LOG_FILE

    def line(self, text: str) -> None:
        """One dated line in the log file (and the process log); a file that cannot be written is only logged."""
        log.warning("%s", text)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and self.path.stat().st_size > LOG_MAX_BYTES:
                os.replace(self.path, self.path.with_name(LOG_FILE + ".1"))
            with self.path.open("a", encoding="utf-8") as f:
                f.write(f"{utc_now()} {text}\n")
        except OSError as exc:
            log.error("cannot write %s: %s", self.path, exc)

    def restarted(self, verdict: Verdict) -> bool:
        """Audit row + event for one restart; False (and the reason in the log file) when the database would not take it."""
        detail = verdict.detail()
        problem = self._record(detail, verdict.reason.split(":", 1)[0])
        self.line(f"restart: {detail}" + (f" (not in the audit log: {problem})" if problem else ""))
        return problem is None

    def _record(self, detail: str, decision: str) -> str | None:
        path = self.data_dir / DB_FILE
        if not path.exists():
            return f"no database at {path} yet"
        try:
            db = Database.open(path)
        except Exception as exc:  # noqa: BLE001 - whatever stops the record must not stop the restart
            return str(exc)
        try:
            db.event_source = EventSource(kiosk_name(self.kiosk))
            with db.transaction():
                audit.record(db, RESTARTED, decision=decision, detail=detail)
        except Exception as exc:  # noqa: BLE001 - as above
            return str(exc)
        finally:
            db.close()
        return None


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    started: float


class Supervisor:
    """Start the kiosk, watch it, restart it by the policy, until a clean exit or ``stop()``."""

    def __init__(
        self,
        command: Sequence[str],
        data_dir: Path,
        policy: RestartPolicy,
        restart_log: RestartLog,
        *,
        clock: Callable[[], float] = time.monotonic,
        poll_s: float = POLL_S,
    ) -> None:
        self.command = list(command)
        self.heartbeat = Path(data_dir) / HEARTBEAT_FILE
        self.restarts = Restarts(policy)
        self.policy = policy
        self.restart_log = restart_log
        self.clock = clock
        self.poll_s = poll_s
        self._stop = threading.Event()
        self.starts = 0

    def stop(self) -> None:
        """Ask ``run`` to end the child (gently, then by force) and return; safe from a signal handler."""
        self._stop.set()

    def run(self) -> int:
        """0 after the kiosk exited cleanly or the supervisor was stopped."""
        while not self._stop.is_set():
            end = self._run_once()
            if end is None:
                break
            verdict = self.restarts.after(end)
            if not verdict.restart:
                self.restart_log.line("the kiosk exited cleanly (code 0): not restarted")
                return 0
            self.restart_log.restarted(verdict)
            if self._stop.wait(verdict.delay_s):
                break
        self.restart_log.line("supervisor stopped")
        return 0

    def _spawn(self) -> Child:
        """Start the child (an ``OSError`` when it cannot); a stale heartbeat file goes first."""
        self.heartbeat.parent.mkdir(parents=True, exist_ok=True)
        self.heartbeat.unlink(missing_ok=True)
        env = {**os.environ, HEARTBEAT_ENV: str(self.heartbeat)}
        process = subprocess.Popen(self.command, env=env)  # noqa: S603 - our own executable, no shell
        self.starts += 1
        self.restart_log.line(f"kiosk started (pid {process.pid})")
        return Child(process, self.clock())

    def _run_once(self) -> ChildEnd | None:
        """One run of the child: how it ended, or None when the supervisor was stopped."""
        try:
            child = self._spawn()
        except OSError as exc:
            return ChildEnd.not_started(f"cannot start {self.command[0]}: {exc.strerror or exc}")
        last_stamp: int | None = None
        last_beat: float | None = None
        while True:
            code = child.process.poll()
            if code is not None:
                return ChildEnd.exited(code, self.clock() - child.started)
            if self._stop.wait(self.poll_s):
                self._end(child.process)
                return None
            now = self.clock()
            stamp = beat_stamp(self.heartbeat)
            if stamp is not None and stamp != last_stamp:
                last_stamp, last_beat = stamp, now
            why = self.policy.hang(now=now, started=child.started, last_beat=last_beat)
            if why is not None and child.process.poll() is None:
                child.process.kill()  # SIGKILL / TerminateProcess: a stopped or hung process cannot refuse it
                child.process.wait()
                return ChildEnd.hung(now - child.started, why)

    def _end(self, process: subprocess.Popen[bytes]) -> None:
        """The supervisor is stopping: the kiosk gets ``STOP_GRACE_S`` to end, then is killed."""
        if process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
