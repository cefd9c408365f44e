"""Fleet sync on a real PostgreSQL (a throwaway loopback cluster, as in the tests).

* join: a fleet of N synthetic people (templates sealed with the fleet key, written
  straight into the server table) and a fresh kiosk: time from ``join`` to its matcher
  holding all N (sign-in ready), split into join / pull+apply; beside it, a plain
  restart of the same kiosk (``Registry.open``, the start-up load) for the ratio;
* change: with that kiosk's sync loop running (LISTEN/NOTIFY, periodic pull set to an
  hour so only the notification counts), another kiosk enrolls or deletes one person
  and pushes; time from the start of its push to the change being in the first
  kiosk's matcher;
* idle: CPU seconds the idle sync loop spends per minute (process CPU time over an
  idle window, against the same window with the loop stopped).

Targets (issue 14): 100k people ready on a new kiosk in under 60 s; a change visible
on another kiosk in under 2 s.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from kiosk.config import load_settings
from kiosk.engine.pack import resolve_pack
from kiosk.engine.types import AggregatedTemplate
from kiosk.fleet import membership, central
from kiosk.fleet.keys import read_key_file
from kiosk.fleet.records import RecordSealer
from kiosk.fleet.sync import FleetSync, SyncReport
from kiosk.registry import Registry
from kiosk.store.backup import BackupPerson
from kiosk.store.keys import EnvKeyStore
from kiosk.store.people import TemplateRecord
from tests.fleet.pg import Cluster

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KIOSK_SHARED", REPO.parent / "shared"))
MODELS = Path(os.environ.get("KIOSK_MODELS", SHARED / "models" / "test-pack"))
PASSPHRASE = "benchmark passphrase"


class Kiosk:
    def __init__(self, root: Path, name: str, pack) -> None:
        self.name, self.pack = name, pack
        self.data = root / name
        self.key = EnvKeyStore(secrets.token_hex(32))
        self.settings = load_settings(data_dir=self.data, overrides={"models": str(MODELS)})

    def open(self) -> Registry:
        return Registry.open(self.settings, self.pack, key_store=self.key)


def unit_rows(n: int, dim: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def seed_server(url: str, key_file: Path, pack, n: int) -> float:
    """N sealed records written straight into the server, as if pushed by kiosk 'seed'."""
    sealer = RecordSealer(read_key_file(key_file, PASSPHRASE))
    created = "2026-01-01T00:00:00+00:00"
    started = time.perf_counter()
    vectors = unit_rows(n, pack.embedding_size, 7)
    with central.connect(url, "seed") as conn, conn.cursor() as cur:
        with cur.copy("COPY fleet_people(fleet_id, version, rev, tombstone, pack_id, sealed, key_generation, written_by) FROM STDIN") as copy:
            for i in range(n):
                ext = f"S{i:06d}"
                fid = sealer.fleet_id(ext)
                person = BackupPerson(ext, f"Synthetic {i}", "active", created, [TemplateRecord(pack.id, vectors[i], 0.8, 5, created)])
                copy.write_row((fid, i + 1, 1, False, pack.id, sealer.seal(fid, 1, pack.id, ext, person), 1, "seed"))
        cur.execute("UPDATE fleet_clock SET version = %s", (n,))
        conn.commit()
    return time.perf_counter() - started


def wait_until(condition, timeout: float = 60.0) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise SystemExit("timed out waiting for a change to arrive")
        time.sleep(0.002)
    return time.perf_counter()


def run_size(cluster: Cluster, root: Path, pack, n: int, changes: int, idle_s: float) -> list[str]:
    dbname = cluster.new_database()
    key_file = root / f"fleet-{n}.key"
    membership.create(cluster.url(dbname, "fleet_owner"), key_file, PASSPHRASE)
    url = cluster.url(dbname)
    seed_s = seed_server(url, key_file, pack, n)

    fresh = Kiosk(root, f"fresh-{n}", pack)
    t0 = time.perf_counter()
    reg = fresh.open()
    membership.join(reg, fresh.data, url, key_file, PASSPHRASE, fresh.name)
    t_join = time.perf_counter()
    fleet = FleetSync(reg, fresh.data)
    report = fleet.once()
    t_ready = time.perf_counter()
    assert report.pulled == n and len(reg.matcher) == n, (report.pulled, len(reg.matcher))
    reg.close()
    started = time.perf_counter()
    with fresh.open() as again:
        assert len(again.matcher) == n
    restart_s = time.perf_counter() - started

    # One change among n reaching the running kiosk's matcher.
    writer = Kiosk(root, f"writer-{n}", pack)
    wreg = writer.open()
    membership.join(wreg, writer.data, url, key_file, PASSPHRASE, writer.name)
    wfleet = FleetSync(wreg, writer.data)
    running = fresh.open()
    stop = threading.Event()
    loop = threading.Thread(target=FleetSync(running, fresh.data).run, args=(stop,), kwargs={"poll_interval": 3600.0})
    loop.start()
    time.sleep(2.0)  # the loop's first round and LISTEN
    delays = []
    probes = unit_rows(changes, pack.embedding_size, 99)
    with central.connect(url, writer.name) as wconn:
        for i, v in enumerate(probes):
            wreg.enroll(f"Change {i}", f"C{i}", AggregatedTemplate(v, 5, 0, 0.8))
            start = time.perf_counter()
            wfleet.push(wconn, SyncReport())
            arrived = wait_until(lambda: len(running.matcher) == n + i + 1)
            delays.append(arrived - start)
        for i in range(changes):
            wreg.delete(wreg.person(f"C{i}").id)
            start = time.perf_counter()
            wfleet.push(wconn, SyncReport())
            arrived = wait_until(lambda: len(running.matcher) == n + changes - i - 1)
            delays.append(arrived - start)

    # Idle loop cost: process CPU over a window with the loop running, then without.
    cpu0, wall0 = time.process_time(), time.perf_counter()
    time.sleep(idle_s)
    loop_cpu = (time.process_time() - cpu0) / (time.perf_counter() - wall0) * 60
    stop.set()
    loop.join()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    time.sleep(idle_s)
    base_cpu = (time.process_time() - cpu0) / (time.perf_counter() - wall0) * 60
    running.close()
    wreg.close()

    return [
        f"| {n:,} | {seed_s:.1f} | {t_join - t0:.2f} | {t_ready - t_join:.1f} | **{t_ready - t0:.1f}** | {restart_s:.2f} | "
        f"{(t_ready - t0) / restart_s:.0f}x | {statistics.median(delays) * 1000:.0f} / {max(delays) * 1000:.0f} | {loop_cpu:.2f} (without: {base_cpu:.2f}) |"
    ]


def main(argv: list[str]) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench fleet")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--changes", type=int, default=5, help="enrollments (then as many deletions) timed per size")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds of idle loop measured")
    args = parser.parse_args(argv)
    pack = resolve_pack(load_settings(overrides={"models": str(MODELS)}))
    root = Path(tempfile.mkdtemp(prefix="fleet-bench-"))
    cluster = Cluster()
    lines = [
        "| people | seed server (s) | join (s) | pull + apply (s) | sign-in ready (s) | plain restart (s) | ready / restart | change visible, median / max (ms) | idle loop CPU s/min |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            lines += run_size(cluster, root, pack, size, args.changes, args.idle)
    finally:
        cluster.close()
        shutil.rmtree(root, ignore_errors=True)
    return "## Fleet sync (issue 14)\n\n" + "\n".join(lines)
