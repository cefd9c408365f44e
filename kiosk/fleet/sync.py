"""One kiosk's side of fleet sync: push the journal, pull what changed, keep going.

Never holds the Registry's lock across the network: local state is read (or written)
under ``Registry.session()`` in short steps, so sign-in never waits for the server.
Every step is safe to cut at any point:

- push: the server transaction commits or not; the journal note is removed only after
  the commit, and a push repeated after a lost acknowledgement is recognised by the
  server (the record's writer is this kiosk) and not counted as a conflict;
- pull: each page is applied in one local transaction together with the new "last
  version seen", so a kill mid-pull repeats at most that page, which is idempotent.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from kiosk.clock import utc_now
from kiosk.errors import FleetError, KioskError, TamperError
from kiosk.fleet import central
from kiosk.fleet.keys import FleetKey, local_key_store
from kiosk.fleet.records import RecordSealer
from kiosk.registry import Registry
from kiosk.store import journal, people as people_store
from kiosk.store.backup import BackupPerson
from kiosk.store.db import Database
from kiosk.store.journal import KnownRecord
from kiosk.store.pause import pause_point

log = logging.getLogger(__name__)

PUSH_BATCH = 200
PULL_PAGE = 2000
BULK_PAGE = 16000  # the largest page of a catch-up (see pull)
LOCAL_CHECK_S = 1.0  # how often an idle loop looks at the local journal (a GUI enrollment)
POLL_INTERVAL_S = 60.0  # full pull even without a notification (missed NOTIFY, server restart)
EVENTS_BATCH = 5000


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: list[str] = field(default_factory=list)
    tampered: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"pushed": self.pushed, "pulled": self.pulled, "conflicts": self.conflicts, "tampered": self.tampered}


def local_person(db: Database, external_id: str) -> BackupPerson | None:
    row = db.conn.execute("SELECT id, name, status, created FROM people WHERE external_id = ?", (external_id,)).fetchone()
    if row is None:
        return None
    return BackupPerson(external_id, row[1], row[2], row[3], people_store.template_records(db, int(row[0])))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for a pull. A catch-up allocates a few objects per
    person (the record's dict, the person, the templates), none of them in a cycle, and the
    collector scanning them again and again took a fifth of a 50k pull's CPU (measured). Reference
    counting still frees each page; the collector is back as it was when the pull ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class FleetSync:
    """A joined kiosk: its registry, fleet key and server address."""

    def __init__(self, registry: Registry, data_dir: Path) -> None:
        self.registry = registry
        self.data_dir = Path(data_dir)
        with registry.session() as db:
            state = journal.all_state(db)
        if journal.JOINED_KEY not in state:
            raise FleetError("this kiosk is not in a fleet", hint="join one with `kiosk fleet join --server URL --key FILE`")
        record_key = local_key_store(data_dir).load()
        if record_key is None:
            raise FleetError(f"the fleet key of this kiosk is missing from {local_key_store(data_dir).description}", hint="join again with the fleet key file")
        self.key = FleetKey(state[journal.JOINED_KEY], int(state["generation"]), record_key, bytes.fromhex(state["id_key"]))
        self.sealer = RecordSealer(self.key)
        self.url = state["server"]
        self.name = state["kiosk"]

    def connect(self, *, autocommit: bool = False) -> psycopg.Connection:
        return central.connect(self.url, self.name, autocommit=autocommit)

    # --- one round ------------------------------------------------------------------
    def sync_once(self, conn: psycopg.Connection) -> SyncReport:
        """Push, pull, heartbeat on an open connection."""
        report = SyncReport()
        try:
            central.check_revoked(conn, self.name)
            self._finish_rotation(conn)
            self.push(conn, report)
            self.pull(conn, report)
            self.heartbeat(conn)
        except psycopg.Error as exc:
            raise central.refused(self.url, exc) from None
        self._set_state(last_sync=utc_now(), last_error=None)
        return report

    def _finish_rotation(self, conn: psycopg.Connection) -> None:
        """A ``rotate-key`` cut short left the new key staged: keep it if the server took it."""
        store = local_key_store(self.data_dir)
        staged = store.pending()
        if staged is None:
            return
        meta = central.meta(conn)
        candidate = RecordSealer(FleetKey(self.key.fleet_uuid, int(meta["generation"]), staged, self.key.id_key))
        try:
            candidate.verify(bytes.fromhex(meta["key_check"]), central.describe(self.url))
        except KioskError:
            store.discard()
            return
        store.commit()
        self.key, self.sealer = candidate.key, candidate
        self._set_state(generation=candidate.key.generation)

    def once(self) -> SyncReport:
        """Connect and run one round; a failure is kept as the last sync error (status, admin screen)."""
        try:
            with self.connect() as conn:
                return self.sync_once(conn)
        except KioskError as exc:
            self._record_error(exc.message)
            raise

    def push(self, conn: psycopg.Connection, report: SyncReport) -> None:
        while True:
            with self.registry.session() as db:
                notes = journal.pending(db, limit=PUSH_BATCH)
                if not notes:
                    return
                up_to = max(seq for seq, _ in notes)
                ids = list(dict.fromkeys(ext for _, ext in notes))
                states = {ext: (local_person(db, ext), journal.known(db, ext)) for ext in ids}
            changes = []
            for ext in ids:
                person, known = states[ext]
                changes.append(
                    central.Change(
                        self.sealer.fleet_id(ext),
                        known.rev if known else 0,
                        person is None,
                        functools.partial(self._seal, ext, person),
                    )
                )
            outcomes = central.push(conn, self.name, self.key.generation, self.registry.pack_id, changes, before_commit=lambda: pause_point("fleet:push-before-commit"))
            pause_point("fleet:pushed-not-settled")
            self._settle(ids, up_to, states, outcomes, report)

    def _seal(self, external_id: str, person: BackupPerson | None, rev: int, note: str | None) -> bytes:
        """A Change's seal: the person's record at the revision the server gives it."""
        return self.sealer.seal(self.sealer.fleet_id(external_id), rev, self.registry.pack_id, external_id, person, note)

    def _settle(self, ids: list[str], up_to: int, states: dict[str, tuple[BackupPerson | None, KnownRecord | None]], outcomes: list[central.Outcome], report: SyncReport) -> None:
        """Record what the server decided: accepted revisions, and the winners of lost conflicts applied here."""
        accepted: list[KnownRecord] = []
        winners: list[BackupPerson] = []
        gone: list[str] = []
        audits: list[tuple[str, str, str]] = []
        for ext, outcome in zip(ids, outcomes):
            person, _ = states[ext]
            if outcome.accepted:
                accepted.append(KnownRecord(ext, outcome.fleet_id, outcome.rev, person is None))
                if outcome.note:
                    audits.append(("won", ext, outcome.note))
                continue
            cur = outcome.current
            assert cur is not None  # central.push names the winner of every refusal
            _, winner, _ = self.sealer.open(cur.fleet_id, cur.rev, cur.pack_id, cur.sealed)
            (gone.append(ext) if winner is None else winners.append(winner))
            accepted.append(KnownRecord(ext, cur.fleet_id, cur.rev, winner is None))
            audits.append(("lost", ext, outcome.note or "conflict"))

        def bookkeeping(db: Database) -> None:
            journal.remember(db, accepted)
            journal.done(db, up_to, ids)

        self.registry.apply_remote(winners, gone, bookkeeping)
        for decision, ext, note in audits:
            line = f"{ext}: {note}" if decision == "won" else f"{ext}: this kiosk's change was not kept ({note}); the fleet's version is now here"
            self.registry.audit("fleet_conflict", decision=decision, detail=line)
            report.conflicts.append(line)
            log.warning("fleet conflict %s", line)
        report.pushed += len(ids)

    def pull(self, conn: psycopg.Connection, report: SyncReport) -> None:
        """Pages in version order until the server has no more. A full page means a catch-up (a new
        kiosk's first pull: 100k people), so the next page doubles, up to ``BULK_PAGE``: fewer local
        commits and server round trips, while one page's apply (the Registry lock a sign-in waits
        for) stays about a second (docs/benchmarks.md, fleet join). The next page is fetched on a helper thread while this one is
        applied, so the server's query and the transfer overlap the unsealing and the inserts."""
        with self.registry.session() as db:
            last = int(journal.get_state(db, "last_version") or 0)
        size = PULL_PAGE
        with _collector_paused(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="fleet-pull") as fetcher:
            # The connection is only ever used by the helper here; leaving the block waits for it.
            page = fetcher.submit(central.pull, conn, self.key.generation, last, size)
            while True:
                rows = page.result()
                full = len(rows) == size
                if full:
                    size = min(2 * size, BULK_PAGE)
                    page = fetcher.submit(central.pull, conn, self.key.generation, rows[-1].version, size)
                if rows:
                    self._apply_page(rows, report)
                if not full:
                    return

    def _apply_page(self, rows: list[central.ServerRecord], report: SyncReport) -> None:
        """Open one page and apply it in one local transaction with its last version: a kill repeats at most this page."""
        with self.registry.session() as db:
            skip = {self.sealer.fleet_id(ext) for ext in journal.pending_ids(db)}
            have: dict[str, int] = {}
            for start in range(0, len(rows), 500):  # SQLite's limit on bound values
                chunk = [r.fleet_id for r in rows[start : start + 500]]
                marks = ",".join("?" * len(chunk))
                have.update(db.conn.execute(f"SELECT fleet_id, rev FROM fleet_records WHERE fleet_id IN ({marks})", chunk).fetchall())
        changed: list[BackupPerson] = []
        deleted: list[str] = []
        known: list[KnownRecord] = []
        notes: list[str] = []
        for row in rows:
            # A local change not pushed yet is settled by its push (which returns the winner).
            if row.fleet_id in skip or have.get(row.fleet_id, 0) >= row.rev:
                continue
            try:
                ext, person, note = self.sealer.open(row.fleet_id, row.rev, row.pack_id, row.sealed)
            except TamperError as exc:
                report.tampered.append(exc.message)
                log.error("%s", exc.message)
                continue
            (deleted.append(ext) if person is None else changed.append(person))
            known.append(KnownRecord(ext, row.fleet_id, row.rev, person is None))
            if note:
                notes.append(f"{ext}: {note}")
        newest = rows[-1].version

        def bookkeeping(db: Database) -> None:
            journal.remember(db, known)
            journal.set_state(db, last_version=newest)
            pause_point("fleet:pull-page-applied")

        self.registry.apply_remote(changed, deleted, bookkeeping)
        for line in notes:
            self.registry.audit("fleet_conflict", decision="settled", detail=line)
        report.pulled += len(changed) + len(deleted)

    def heartbeat(self, conn: psycopg.Connection) -> None:
        with self.registry.session() as db:
            backlog = journal.backlog(db)
            last = int(journal.get_state(db, "last_version") or 0)
            sent = int(journal.get_state(db, "events_sent") or 0)
            events = db.conn.execute(
                "SELECT id, time, event, decision, score FROM audit WHERE id > ? ORDER BY id LIMIT ?", (sent, EVENTS_BATCH)
            ).fetchall()
        if events:
            central.upload_events(conn, self.name, [tuple(e) for e in events])
            self._set_state(events_sent=events[-1][0])
        central.heartbeat(conn, self.name, self.registry.pack_id, backlog, last)

    def _set_state(self, **values: str | int | None) -> None:
        with self.registry.session() as db, db.transaction():
            journal.set_state(db, **values)

    def backlog(self) -> int:
        with self.registry.session() as db:
            return journal.backlog(db)

    # --- the loop ---------------------------------------------------------------------
    def run(self, stop: threading.Event, *, poll_interval: float = POLL_INTERVAL_S, on_round: Callable[[SyncReport], None] | None = None) -> None:
        """Sync until ``stop`` is set: at start, on every NOTIFY from another kiosk, on a
        local change (checked every ``LOCAL_CHECK_S``), and every ``poll_interval``.
        A failure is recorded as the last sync error and retried with backoff (1 s .. 60 s)."""
        conn: psycopg.Connection | None = None
        listen: psycopg.Connection | None = None
        backoff = 1.0
        while not stop.is_set():
            try:
                if conn is None:
                    conn = self.connect()
                    listen = self.connect(autocommit=True)
                    listen.execute(f"LISTEN {central.CHANNEL}")
                report = self.sync_once(conn)
                if on_round is not None:
                    on_round(report)
                backoff = 1.0
                assert listen is not None  # opened with conn
                self._wait(listen, stop, poll_interval)
            except (KioskError, psycopg.Error) as exc:
                failure = exc if isinstance(exc, KioskError) else central.refused(self.url, exc)
                log.warning("fleet sync: %s", failure.message)
                self._record_error(failure.message)
                for c in (conn, listen):
                    if c is not None:
                        c.close()
                conn = listen = None
                stop.wait(backoff)
                backoff = min(backoff * 2, 60.0)
        for c in (conn, listen):
            if c is not None:
                c.close()

    def _wait(self, listen: psycopg.Connection, stop: threading.Event, poll_interval: float) -> None:
        deadline = time.monotonic() + poll_interval
        while not stop.is_set() and time.monotonic() < deadline:
            if any(True for _ in listen.notifies(timeout=LOCAL_CHECK_S, stop_after=1)):
                return
            if self.backlog():
                return

    def _record_error(self, message: str) -> None:
        try:
            self._set_state(last_error=f"{utc_now()} {message}")
        except KioskError:
            log.exception("cannot record the fleet sync error")
