"""SIGKILL in the middle of enrollment, deletion, import and rekey: the database opens,
passes ``db check`` and holds either the old state or the new one.

Each case runs ``crash_helper.py`` with ``.venv/bin/python`` (a real separate process),
either paused at a named point (``KIOSK_PAUSE_AT``) or killed after a random delay.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.errors import StoreError
from kiosk.registry import Registry
from tests.store.conftest import random_vectors, template

# The whole module is in the full suite only: about 20 s of a 20-minute run on 2 loaded cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

HELPER = Path(__file__).with_name("crash_helper.py")
REPO = HELPER.parents[2]


def snapshot(settings, pack) -> dict[str, str]:
    """external id -> name, read through a fresh open that must pass ``db check`` (every seal opens)."""
    with Registry.open(settings, pack) as reg:
        report = reg.check()
        assert report.ok, report.problems
        assert not reg.tampered
        state = {}
        for summary in reg.people():
            assert summary.templates == 1, summary  # never a person without their template
            state[summary.external_id] = summary.name
        return state


def start(op: str, *args: str, pause_at: str | None = None, tmp_path: Path, extra_env: dict | None = None) -> tuple[subprocess.Popen, Path]:
    marker = tmp_path / f"paused-{time.monotonic_ns()}"
    env = dict(os.environ, KIOSK_PAUSE_FILE=str(marker), **(extra_env or {}))
    env.pop("KIOSK_PAUSE_AT", None)
    if pause_at:
        env["KIOSK_PAUSE_AT"] = pause_at
    proc = subprocess.Popen([sys.executable, str(HELPER), op, *args], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return proc, marker


def kill_at(op: str, *args: str, pause_at: str, tmp_path: Path, extra_env: dict | None = None) -> None:
    proc, marker = start(op, *args, pause_at=pause_at, tmp_path=tmp_path, extra_env=extra_env)
    deadline = time.monotonic() + 120
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"helper ended before {pause_at}: {proc.stderr.read().decode()}")
        assert time.monotonic() < deadline, f"helper never reached {pause_at}"
        time.sleep(0.05)
    assert marker.read_text() == pause_at
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture
def seeded(registry_settings, pack):
    vectors = random_vectors(3, pack.embedding_size, 5)
    with Registry.open(registry_settings, pack) as reg:
        for i, v in enumerate(vectors):
            reg.enroll(f"Person {i}", f"E{i}", template(v))
    return snapshot(registry_settings, pack)


def test_kill_during_enrollment_keeps_old_state(seeded, registry_settings, pack, tmp_path):
    kill_at("enroll", pause_at="enroll:person-added", tmp_path=tmp_path)
    assert snapshot(registry_settings, pack) == seeded  # the person row alone never survives


def _named_audit_rows(registry_settings, pack, external_id: str) -> int:
    with Registry.open(registry_settings, pack) as reg:
        person_id = reg.person(external_id).id
        return sum(e.person_id == person_id for e in reg.audit_log())


def test_kill_during_deletion_keeps_old_state(seeded, registry_settings, pack, tmp_path):
    kill_at("delete", "E1", pause_at="delete:templates-deleted", tmp_path=tmp_path)
    assert snapshot(registry_settings, pack) == seeded
    assert _named_audit_rows(registry_settings, pack, "E1") == 1  # pseudonymising went back with the rest
    subprocess.run([sys.executable, str(HELPER), "delete", "E1"], cwd=REPO, check=True)
    assert snapshot(registry_settings, pack) == {"E0": "Person 0", "E2": "Person 2"}


def test_kill_during_import_keeps_old_state(seeded, registry_settings, pack, tmp_path):
    bundle = tmp_path / "b.kbak"
    with Registry.open(registry_settings, pack) as reg:
        reg.export_backup(bundle, "passphrase!")
        reg.delete(reg.person("E0").id)
        reg.delete(reg.person("E2").id)
    before = snapshot(registry_settings, pack)
    env = {"BACKUP_PASSPHRASE": "passphrase!"}
    kill_at("import", str(bundle), pause_at="import:half", tmp_path=tmp_path, extra_env=env)
    assert snapshot(registry_settings, pack) == before == {"E1": "Person 1"}
    subprocess.run([sys.executable, str(HELPER), "import", str(bundle)], cwd=REPO, check=True, env=dict(os.environ, **env))
    assert snapshot(registry_settings, pack) == seeded


@pytest.mark.parametrize(("point", "key_changes"), [("rekey:staged", False), ("rekey:built", False), ("rekey:swapped", True)])
def test_kill_during_rekey_leaves_a_working_key(seeded, registry_settings, pack, tmp_path, db_path, point, key_changes):
    key_file = db_path.with_name("kiosk.db.key")
    old_key = key_file.read_text()
    kill_at("rekey", pause_at=point, tmp_path=tmp_path)
    assert snapshot(registry_settings, pack) == seeded
    assert (key_file.read_text() != old_key) is key_changes
    leftovers = sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith("kiosk.db"))
    assert leftovers == ["kiosk.db", "kiosk.db.key"]
    assert (key_file.stat().st_mode & 0o777) == 0o600


def test_rekey_completes_and_old_key_no_longer_opens(seeded, registry_settings, pack, db_path, monkeypatch):
    old_key = db_path.with_name("kiosk.db.key").read_text().strip()
    subprocess.run([sys.executable, str(HELPER), "rekey"], cwd=REPO, check=True)
    assert snapshot(registry_settings, pack) == seeded
    monkeypatch.setenv("KIOSK_DB_KEY", old_key)
    with pytest.raises(Exception, match="wrong database key"):
        Registry.open(registry_settings, pack)


@pytest.mark.parametrize("op", ["enroll-loop", "rekey-loop"])
def test_kill_at_random_points(seeded, registry_settings, pack, tmp_path, op):
    """Three kills at random moments of a busy writer; every time: opens, checks, consistent."""
    rng = random.Random(20261120)
    known = dict(seeded)
    for attempt in range(3):
        ready = tmp_path / f"ready-{attempt}"
        proc, _marker = start(op, tmp_path=tmp_path, extra_env={"CRASH_READY_FILE": str(ready)})
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "helper did not start"
            time.sleep(0.02)
        time.sleep(rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = snapshot(registry_settings, pack)
        for ext, name in known.items():
            assert state[ext] == name  # nothing committed is ever lost
        assert all(ext.startswith("L") for ext in set(state) - set(known))
        known = state
    if op == "enroll-loop":
        assert len(known) > len(seeded), "the writer never enrolled anyone before the kills"


def test_rekey_refuses_while_another_connection_has_the_database_open(seeded, registry_settings, pack, db_path):
    key_file = db_path.with_name("kiosk.db.key")
    old_key = key_file.read_text()
    with Registry.open(registry_settings, pack) as kiosk_app:  # keeps the WAL while it runs
        with Registry.open(registry_settings, pack) as cli:
            with pytest.raises(StoreError, match="open in another process"):
                cli.rekey()
            assert cli.check().ok  # still usable after the refusal
        assert kiosk_app.check().ok
    assert key_file.read_text() == old_key
    assert snapshot(registry_settings, pack) == seeded
