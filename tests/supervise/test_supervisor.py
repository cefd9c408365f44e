"""``kiosk supervise`` around real processes: a real ``kiosk run`` child (offscreen Qt, the test
pack, a video as the camera) killed with SIGKILL and frozen with SIGSTOP, a real ``kiosk run``
that fails at start in a loop, and plain Python children for the clean exit.

Nothing is faked: the restarts land in the real SQCipher database (audit row + outbox event,
opened with the same ``KIOSK_DB_KEY`` key store as the kiosk). POSIX signals: Linux only.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from kiosk.events import outbox
from kiosk.flows.restart_policy import RestartPolicy
from kiosk.flows.supervisor import HEARTBEAT_FILE, LOG_FILE, RestartLog, Supervisor, kiosk_command
from kiosk.store import audit
from kiosk.store.db import DB_FILE, Database

T = TypeVar("T")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL / SIGSTOP are POSIX signals")


@pytest.fixture
def kiosk_env(data_dir, monkeypatch) -> dict[str, str]:
    monkeypatch.setenv("KIOSK_DB_KEY", secrets.token_hex(32))
    Database.open(data_dir / DB_FILE).close()  # the database the kiosk would create at its first start
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_RUNTIME_PROVIDERS": "CPUExecutionProvider"}


def supervise(data_dir: Path, models_dir: Path, env: dict[str, str], options: list[str], run_args: list[str]) -> subprocess.Popen[bytes]:
    """The supervisor and its children write to a file: a pipe nobody reads would fill and block them."""
    command = [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "--models", str(models_dir), "supervise", *options, "--", *run_args]
    with open(data_dir.parent / f"{data_dir.name}-output.txt", "ab") as output:
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)


def wait_for(what: str, check: Callable[[], T | None], timeout: float, process: subprocess.Popen[bytes]) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if process.poll() is not None:
            pytest.fail(f"the supervisor ended ({process.returncode}) while waiting for {what}")
        time.sleep(0.1)
    pytest.fail(f"no {what} within {timeout} s")


def beating_pid(data_dir: Path, other_than: set[int]) -> int | None:
    """The pid in the heartbeat file, once a child other than these beats."""
    try:
        pid = int((data_dir / HEARTBEAT_FILE).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if pid not in other_than else None


def restarts_recorded(data_dir: Path) -> tuple[list[audit.AuditEntry], list[dict]]:
    db = Database.open(data_dir / DB_FILE)
    try:
        rows = list(reversed(audit.entries(db, event="kiosk_restarted")))
        events = [e.document() for e in outbox.events(db.conn) if e.type == "kiosk.restarted"]
    finally:
        db.close()
    return rows, events


def stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(30)


def alive(pid: int) -> bool:
    """The supervisor reaps the children it ends, so an ended child's pid is gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
@posix_only
def test_a_killed_kiosk_is_restarted_and_a_frozen_one_is_killed_and_restarted(data_dir, models_dir, videos_dir, kiosk_env):
    run_args = ["--windowed", "--camera", str(videos_dir / "short_hamilton_clip.mp4")]
    sup = supervise(data_dir, models_dir, kiosk_env, ["--hang-after", "3", "--start-grace", "90"], run_args)
    try:
        first = wait_for("heartbeat from the first kiosk", lambda: beating_pid(data_dir, set()), 120, sup)
        os.kill(first, signal.SIGKILL)
        killed_at = time.monotonic()
        log = data_dir / LOG_FILE
        wait_for("a second start", lambda: log.read_text().count("kiosk started") == 2 or None, 10, sup)
        assert time.monotonic() - killed_at < 5  # the issue: restarted within 5 s of a crash
        second = wait_for("heartbeat from the restarted kiosk", lambda: beating_pid(data_dir, {first}), 120, sup)

        os.kill(second, signal.SIGSTOP)  # hung: alive, but its GUI thread beats no more
        third = wait_for("heartbeat after the hang", lambda: beating_pid(data_dir, {first, second}), 120, sup)
        assert not alive(second)  # killed, not left stopped beside the new one
    finally:
        code = stop(sup)
    assert code == 0
    assert not alive(third)  # a stopped supervisor takes its kiosk with it
    rows, events = restarts_recorded(data_dir)
    assert [(r.decision, r.detail.split(";")[0]) for r in rows] == [
        ("crash", "crash: killed by signal 9 (SIGKILL)"),
        ("hang", "hang: no heartbeat for 3 s"),
    ]
    assert [e["detail"] for e in events] == [r.detail for r in rows]
    assert all(e["kiosk"] and e["type"] == "kiosk.restarted" for e in events)


@pytest.mark.slow
@posix_only
def test_a_kiosk_that_fails_at_start_is_restarted_with_a_growing_wait(data_dir, models_dir, kiosk_env):
    (data_dir / "config.toml").write_text('[ui]\nidle_timeout_s = "soon"\n', encoding="utf-8")  # `kiosk run` exits 2 at once
    sup = supervise(data_dir, models_dir, kiosk_env, ["--first-delay", "0.1", "--max-delay", "0.4"], ["--windowed"])
    try:
        wait_for("five restarts", lambda: len(restarts_recorded(data_dir)[0]) >= 5 or None, 60, sup)
    finally:
        assert stop(sup) == 0
    rows, events = restarts_recorded(data_dir)
    waits = [float(re.search(r"restarted after ([0-9.]+) s", r.detail).group(1)) for r in rows]
    assert waits[:5] == [0.1, 0.2, 0.4, 0.4, 0.4]
    assert all(r.detail.startswith("crash: exit code 2") for r in rows)
    assert ["crash loop" in r.detail for r in rows[:5]] == [False, False, True, True, True]
    assert len(events) == len(rows)


@posix_only
def test_a_missing_executable_is_retried_like_a_crash(tmp_path):
    """A start that fails (the executable moved) is a crash with its reason, not the supervisor's end."""
    supervisor = Supervisor([str(tmp_path / "gone.exe")], tmp_path, RestartPolicy(first_delay_s=0.05), RestartLog(tmp_path), poll_s=0.05)
    ended = supervisor._run_once()  # noqa: SLF001 - one run, without the loop around it
    assert ended is not None and ended.reason() == f"crash: cannot start {tmp_path / 'gone.exe'}: No such file or directory"


@posix_only
def test_a_clean_exit_ends_the_supervisor_and_a_crash_without_a_database_is_logged(tmp_path):
    """Plain Python children (no kiosk): exit 3 once, then 0; no database in the folder."""
    marker = tmp_path / "ran-once"
    child = f"import pathlib, sys; m = pathlib.Path({str(marker)!r}); first = not m.exists(); m.touch(); sys.exit(3 if first else 0)"
    policy = RestartPolicy(first_delay_s=0.1)
    supervisor = Supervisor([sys.executable, "-c", child], tmp_path, policy, RestartLog(tmp_path), poll_s=0.05)
    assert supervisor.run() == 0
    assert supervisor.starts == 2
    text = (tmp_path / LOG_FILE).read_text()
    assert "restart: crash: exit code 3; restarted after 0.1 s (not in the audit log: no database at" in text
    assert "exited cleanly (code 0): not restarted" in text


def test_the_child_is_this_interpreter_or_the_frozen_executable():
    assert kiosk_command(["--windowed"], ["--data-dir", "D"], frozen=False, executable="/py") == ["/py", "-m", "kiosk", "--data-dir", "D", "run", "--windowed"]
    assert kiosk_command(["--windowed"], [], frozen=True, executable="C:/Kiosk/kiosk.exe") == ["C:/Kiosk/kiosk.exe", "run", "--windowed"]


@posix_only
def test_a_database_the_supervisor_cannot_open_still_gets_a_restart_and_a_log_line(tmp_path, monkeypatch):
    """The database was made under another key than the one this process has (a wrong
    ``KIOSK_DB_KEY``, a DPAPI blob of another machine): the restart happens, the log says why it is not audited."""
    monkeypatch.setenv("KIOSK_DB_KEY", secrets.token_hex(32))
    Database.open(tmp_path / DB_FILE).close()
    monkeypatch.setenv("KIOSK_DB_KEY", secrets.token_hex(32))
    marker = tmp_path / "ran-once"
    child = f"import pathlib, sys; m = pathlib.Path({str(marker)!r}); first = not m.exists(); m.touch(); sys.exit(5 if first else 0)"
    supervisor = Supervisor([sys.executable, "-c", child], tmp_path, RestartPolicy(first_delay_s=0.1), RestartLog(tmp_path), poll_s=0.05)
    assert supervisor.run() == 0 and supervisor.starts == 2
    line = next(x for x in (tmp_path / LOG_FILE).read_text().splitlines() if "restart: crash: exit code 5" in x)
    assert "(not in the audit log: " in line and str(tmp_path / DB_FILE) in line
