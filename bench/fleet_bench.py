"""Fleet sync on a real PostgreSQL (a throwaway loopback cluster, as in the tests).

* join: a fleet of N synthetic people (templates sealed with the fleet key, written
  straight into the server table) and a fresh kiosk: time from ``join`` to its matcher
  holding all N (sign-in ready: the last pulled page applied, before the round's
  heartbeat), split into join / pull+apply, with the kiosk process's CPU seconds, the
  local transactions (pages) and the longest one (the Registry lock a sign-in waits
  for); beside it, a plain restart of the same kiosk (``Registry.open``, the start-up
  load) for the ratio;
* change: with that kiosk's sync loop running (LISTEN/NOTIFY, periodic pull set to an
  hour so only the notification counts), another kiosk enrolls or deletes one person
  and pushes; time from the start of its push to the change being in the first
  kiosk's matcher;
* idle: CPU seconds the idle sync loop spends per minute (process CPU time over an
  idle window, against the same window with the loop stopped).

Targets: 100k people ready on a new kiosk in under 60 s (issue 14), then 15 s (issue 24);
a change visible on another kiosk in under 2 s.
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
from typing import Any, NamedTuple

import numpy as np

from kiosk.config import load_settings
from kiosk.engine.pack import ModelPack, resolve_pack
from kiosk.engine.types import AggregatedTemplate
from kiosk.fleet import central, membership
from kiosk.fleet.keys import read_key_file
from kiosk.fleet.records import RecordSealer
from kiosk.fleet.sync import FleetSync, SyncReport
from kiosk.registry import Registry
from kiosk.store.backup import BackupPerson
from kiosk.store.keys import EnvKeyStore
from kiosk.store.people import TemplateRecord
from tests.fleet.pg import Cluster
from tests.fleet.seed import seed_records

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


def seed_server(url: str, key_file: Path, pack: ModelPack, n: int) -> float:
    """N sealed records written straight into the server, as if pushed by kiosk 'seed'."""
    sealer = RecordSealer(read_key_file(key_file, PASSPHRASE))
    created = "2026-01-01T00:00:00+00:00"
    started = time.perf_counter()
    vectors = unit_rows(n, pack.embedding_size, 7)
    seed_records(url, sealer, pack.id, (BackupPerson(f"S{i:06d}", f"Synthetic {i}", "active", created, [TemplateRecord(pack.id, vectors[i], 0.8, 5, created)]) for i in range(n)))
    return time.perf_counter() - started


class Join(NamedTuple):
    """A new kiosk's first sync: when its matcher held everyone, the longest page applied (the
    Registry lock a sign-in would wait for) and the kiosk process's CPU seconds."""

    ready_s: float
    longest_page_s: float
    cpu_s: float
    pages: int


def first_sync(reg: Registry, fleet: FleetSync, n: int) -> Join:
    """``fleet.once()`` with each ``apply_remote`` timed (the bench wraps the method; nothing else changes)."""
    pages: list[float] = []
    ready: list[float] = []
    apply = reg.apply_remote

    def timed(*args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        apply(*args, **kwargs)
        pages.append(time.perf_counter() - started)
        if len(reg.matcher) == n and not ready:
            ready.append(time.perf_counter())

    reg.apply_remote = timed  # type: ignore[method-assign]
    cpu, t0 = time.process_time(), time.perf_counter()
    report = fleet.once()
    cpu = time.process_time() - cpu
    reg.apply_remote = apply  # type: ignore[method-assign]
    assert report.pulled == n and len(reg.matcher) == n and ready, (report.pulled, len(reg.matcher))
    return Join(ready[0] - t0, max(pages), cpu, len(pages))


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
    first = first_sync(reg, fleet, n)
    t_ready = t_join + first.ready_s
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
        f"| {n:,} | {seed_s:.1f} | {t_join - t0:.2f} | {t_ready - t_join:.1f} | **{t_ready - t0:.1f}** | {first.cpu_s:.1f} | {first.pages} / {first.longest_page_s:.2f} | {restart_s:.2f} | "
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
        "| people | seed server (s) | join (s) | pull + apply (s) | sign-in ready (s) | kiosk CPU (s) | pages / longest (s) | plain restart (s) | ready / restart | change visible, median / max (ms) | idle loop CPU s/min |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            lines += run_size(cluster, root, pack, size, args.changes, args.idle)
    finally:
        cluster.close()
        shutil.rmtree(root, ignore_errors=True)
    return "## Fleet sync (issues 14, 24)\n\n" + "\n".join(lines)
