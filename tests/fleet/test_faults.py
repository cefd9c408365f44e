"""Faults on a real server and real processes: the connection killed mid-transaction
(``pg_terminate_backend``), the server stopped mid-sync, a kiosk SIGKILLed mid-pull and
between the server's commit and its own. Afterwards ``kiosk db check`` passes on every
kiosk, nothing was lost or duplicated, and the fleet converges. Sign-in (identify) works
from the local database while the server is down."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.store.conftest import random_vectors, template

REPO = Path(__file__).resolve().parents[2]


class Paused:
    """A kiosk command (``fleet sync --once`` unless told) in its own process, stopped at a pause point."""

    def __init__(self, kiosk, point: str, tmp_path: Path, command: tuple[str, ...] = ("fleet", "sync", "--once")) -> None:
        self.marker = tmp_path / f"paused-{time.monotonic_ns()}"
        self.resume_file = tmp_path / f"resume-{time.monotonic_ns()}"
        env = dict(os.environ, **kiosk.env, KIOSK_PAUSE_AT=point, KIOSK_PAUSE_FILE=str(self.marker), KIOSK_PAUSE_RESUME=str(self.resume_file))
        self.proc = subprocess.Popen([sys.executable, "-m", "kiosk", *command], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not self.marker.exists():
            if self.proc.poll() is not None:
                raise AssertionError(f"sync ended before {point}: {self.proc.stderr.read()}")
            assert time.monotonic() < deadline, f"sync never reached {point}"
            time.sleep(0.05)

    def resume(self) -> tuple[int, str]:
        self.resume_file.write_text("go")
        _, err = self.proc.communicate(timeout=120)
        return self.proc.returncode, err

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.communicate(timeout=60)
        assert self.proc.returncode == -signal.SIGKILL


def enroll(kiosk, pack, people: dict[str, int]) -> None:
    with kiosk.registry(pack) as reg:
        for ext, seed in people.items():
            reg.enroll(f"Name of {ext}", ext, template(random_vectors(1, pack.embedding_size, seed)[0]))


def converged(kiosks, pack) -> dict[str, str]:
    states = []
    for k in [*kiosks, *kiosks]:  # two rounds: the first pushes everything, the second pulls it all
        k.sync(pack)
    for k in kiosks:
        with k.registry(pack) as reg:
            report = reg.check()
            assert report.ok, (k.name, report.problems)
            assert all(p.templates == 1 for p in reg.people()), k.name
            assert reg.db.conn.execute("SELECT count(*) FROM fleet_journal").fetchone()[0] == 0
        states.append(k.people(pack))
    assert all(s == states[0] for s in states), states
    return states[0]


def server_rows(pg, fleet) -> int:
    with pg.admin(fleet.dbname) as conn:
        return conn.execute("SELECT count(*) FROM fleet_people").fetchone()[0]


def test_connection_killed_mid_transaction(joined, fleet, pg, pack, tmp_path):
    a = joined["A"]
    enroll(a, pack, {"K1": 1, "K2": 2, "K3": 3})
    paused = Paused(a, "fleet:push-before-commit", tmp_path)
    with pg.admin(fleet.dbname) as conn:
        killed = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'kiosk-fleet:A' AND state = 'idle in transaction'"
        ).fetchall()
    assert killed == [(True,)]
    rc, err = paused.resume()
    assert rc == 12 and "cannot reach the fleet server" in err and "Traceback" not in err
    assert server_rows(pg, fleet) == 0
    assert a.cli("fleet", "sync", "--once") == 0
    assert server_rows(pg, fleet) == 3
    assert converged(joined.values(), pack) == {f"K{i}": f"Name of K{i}" for i in (1, 2, 3)}


def test_server_stopped_mid_sync_sign_in_keeps_working(joined, fleet, pg, pack, tmp_path):
    a, b = joined["A"], joined["B"]
    enroll(b, pack, {"S0": 9})
    converged(joined.values(), pack)
    enroll(a, pack, {"S1": 10, "S2": 11})
    paused = Paused(a, "fleet:push-before-commit", tmp_path)
    pg.stop()
    try:
        rc, err = paused.resume()
        assert rc == 12 and "cannot reach the fleet server" in err
        with b.registry(pack) as reg:  # sign-in from the local database, server down
            assert reg.identify(random_vectors(1, pack.embedding_size, 9)[0]).person.external_id == "S0"
        enroll(b, pack, {"S3": 12})
        assert b.cli("fleet", "sync", "--once") == 12
        with b.registry(pack) as reg:  # kept for `kiosk fleet status` and the admin screen
            assert "cannot reach the fleet server" in reg.db.conn.execute("SELECT value FROM fleet_state WHERE key = 'last_error'").fetchone()[0]
    finally:
        pg.start()
    assert converged(joined.values(), pack) == {f"S{i}": f"Name of S{i}" for i in range(4)}
    assert server_rows(pg, fleet) == 4


@pytest.mark.parametrize("point", ["fleet:pull-page-applied", "fleet:pushed-not-settled"])
def test_kiosk_killed_mid_sync(joined, fleet, pg, pack, tmp_path, point):
    a, b = joined["A"], joined["B"]
    enroll(a, pack, {f"M{i}": 20 + i for i in range(5)})
    if point == "fleet:pull-page-applied":
        a.sync(pack)
        victim = b  # killed inside the local transaction that applies the pulled page
    else:
        victim = a  # killed after the server committed its push, before its journal knew
    Paused(victim, point, tmp_path).kill()
    with victim.registry(pack) as reg:
        assert reg.check().ok
    report = victim.sync(pack)
    assert report.conflicts == []  # a repeated push is recognised as this kiosk's own
    assert converged(joined.values(), pack) == {f"M{i}": f"Name of M{i}" for i in range(5)}
    assert server_rows(pg, fleet) == 5
