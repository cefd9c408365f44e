"""Delivery: the outbox worked through by one thread per sink, outside the GUI and the camera worker.

``Outbox`` owns its own database connection (not the registry's, so a sign-in never
waits on a delivery) and does one step at a time: try the head event of a sink, then
record the result in a short transaction. The network call runs outside every lock.
A kill between ``send`` and that record re-sends the same event (same id) after a
restart: at-least-once, in order per sink. ``Sender`` runs the steps on threads.
"""

from __future__ import annotations

import datetime as _dt
import enum
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, TypeVarTuple

from kiosk.config import EventsSettings, Settings
from kiosk.events import outbox
from kiosk.events.backoff import delay
from kiosk.events.config import outbox_problems, setup
from kiosk.events.sink import DeliveryError, Sink
from kiosk.events.types import EventSource, kiosk_name, utc_time
from kiosk.store import audit
from kiosk.store.db import DB_FILE, Database
from kiosk.store.pause import pause_point

if TYPE_CHECKING:
    from sqlcipher3 import Connection

T = TypeVar("T")
Ts = TypeVarTuple("Ts")  # the arguments an outbox function takes after the connection

log = logging.getLogger(__name__)

MAINTENANCE_S = 60.0  # how often retention is applied while the kiosk runs


class Step(enum.Enum):
    DELIVERED = "delivered"
    FAILED = "failed"
    WAITING = "waiting"  # the head event's back-off has not passed
    IDLE = "idle"  # nothing pending for this sink


@dataclass(frozen=True)
class Policy:
    retry_base_s: float = 1.0
    retry_max_s: float = 300.0
    max_age_days: float = 30.0
    max_count: int = 100_000

    @classmethod
    def from_settings(cls, e: EventsSettings) -> Policy:
        """The configured values, or the defaults when one is invalid (reported by ``config.setup``)."""
        if outbox_problems(e):
            return cls()
        return cls(e.retry_base_s, e.retry_max_s, e.max_age_days, e.max_count)


@dataclass(frozen=True)
class SinkStatus:
    name: str
    description: str
    backlog: int
    attempts: int  # consecutive failures of the event at the head
    last_error: str | None
    last_error_time: str | None
    last_delivered_time: str | None


@dataclass(frozen=True)
class OutboxStatus:
    sinks: tuple[SinkStatus, ...]
    problems: tuple[str, ...] = field(default=())

    @property
    def backlog(self) -> int:
        return max((s.backlog for s in self.sinks), default=0)

    @property
    def last_error(self) -> str | None:
        """The newest delivery error still unresolved, else the first configuration problem."""
        failing = sorted((s for s in self.sinks if s.attempts and s.last_error), key=lambda s: s.last_error_time or "")
        if failing:
            return f"{failing[-1].name}: {failing[-1].last_error}"
        return self.problems[0] if self.problems else None


class Outbox:
    def __init__(self, db: Database, sinks: list[Sink], policy: Policy = Policy(), *, problems: list[str] | None = None, clock: Callable[[], float] = time.time, rng: random.Random | None = None) -> None:
        self.db = db
        self.sinks = list(sinks)
        self.policy = policy
        self.problems = list(problems or [])
        self.clock = clock
        self.rng = rng or random.Random()
        self._lock = threading.Lock()
        self._write(outbox.ensure_cursors, self.names)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.sinks]

    def _write(self, fn: Callable[[Connection, *Ts], T], *args: *Ts) -> T:
        with self._lock, self.db.transaction():
            return fn(self.db.conn, *args)

    def _read(self, fn: Callable[[Connection, *Ts], T], *args: *Ts) -> T:
        """Outside a write transaction: WAL readers never wait for, nor hold up, a sign-in's commit."""
        with self._lock, self.db.guard():
            return fn(self.db.conn, *args)

    def step(self, sink: Sink, *, force: bool = False) -> Step:
        """One delivery attempt of the sink's head event, if one is due (``force``: due now)."""
        cursor, event = self._read(outbox.head, sink.name)
        if event is None:
            return Step.IDLE
        if not force and cursor.next_attempt > self.clock():
            return Step.WAITING
        try:
            sink.send(event.id, event.body)
        except DeliveryError as exc:
            wait = delay(cursor.attempts + 1, self.policy.retry_base_s, self.policy.retry_max_s, self.rng)
            self._write(outbox.failed, sink.name, str(exc), utc_time(), self.clock() + wait)
            # A dead receiver is retried for days: warn once per event, the rest at info level.
            level = logging.WARNING if cursor.attempts == 0 else logging.INFO
            log.log(level, "event %s to %s failed (attempt %d, next in %.1f s): %s", event.id, sink.name, cursor.attempts + 1, wait, exc)
            return Step.FAILED
        pause_point("events:sent")
        self._write(outbox.delivered, sink.name, event.seq, utc_time())
        return Step.DELIVERED

    @classmethod
    def open(cls, settings: Settings, *, pack_id: str | None = None) -> Outbox:
        """The outbox of the kiosk database in ``settings.data_dir``, on a connection of its own,
        with the sinks that are configured and sound (the others listed in ``problems``)."""
        found = setup(settings.events)
        db = Database.open(Path(settings.data_dir) / DB_FILE)
        db.event_source = EventSource(kiosk_name(settings.events.kiosk_name), pack_id)
        return cls(db, found.sinks, Policy.from_settings(settings.events), problems=[str(p) for p in found.problems])

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def send_now(self, sinks: list[str] | None = None) -> None:
        self._write(outbox.send_now, self.names if sinks is None else sinks)

    def status(self) -> OutboxStatus:
        rows = []
        with self._lock, self.db.guard():
            for sink in self.sinks:
                c = outbox.cursor(self.db.conn, sink.name)
                rows.append(SinkStatus(sink.name, sink.describe(), outbox.backlog(self.db.conn, sink.name), c.attempts, c.last_error, c.last_error_time, c.last_delivered_time))
        return OutboxStatus(tuple(rows), tuple(self.problems))

    def prune(self) -> int:
        """Drop events older than the age limit or beyond the count limit; the undelivered among
        them are reported by an audit row and an ``events.dropped`` event. Returns that count."""
        cutoff = _dt.datetime.fromtimestamp(self.clock() - self.policy.max_age_days * 86400, _dt.UTC)
        before = cutoff.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        keep = self.policy.max_count - 1
        if not self._read(lambda conn: outbox.expired(conn, before_time=before, keep=keep)[0]):
            return 0  # the usual case, decided without the write lock
        with self._lock, self.db.transaction():
            conn = self.db.conn
            count, last = outbox.expired(conn, before_time=before, keep=keep)
            if not count:
                return 0
            owed_after = outbox.pending_seq(conn, self.names)
            undelivered = 0
            if owed_after is not None:
                undelivered = int(conn.execute("SELECT count(*) FROM outbox WHERE seq > ? AND seq <= ?", (owed_after, last)).fetchone()[0])
            outbox.drop_through(conn, last)
            if undelivered:
                audit.record(
                    self.db,
                    "events_dropped",
                    detail=f"{undelivered} undelivered events dropped (older than {self.policy.max_age_days:g} days or beyond {self.policy.max_count})",
                )
                log.error("outbox: %d undelivered events dropped by the retention limits", undelivered)
        return undelivered


class Sender:
    """One daemon thread per sink plus retention upkeep; ``stop`` sets a flag and joins."""

    def __init__(self, box: Outbox, *, poll_s: float = 0.5) -> None:
        self.outbox = box
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for sink in self.outbox.sinks:
            t = threading.Thread(target=self._serve, args=(sink,), name=f"events-{sink.name}", daemon=True)
            t.start()
            self._threads.append(t)
        t = threading.Thread(target=self._upkeep, name="events-upkeep", daemon=True)
        t.start()
        self._threads.append(t)

    def _serve(self, sink: Sink) -> None:
        while not self._stop.is_set():
            try:
                result = self.outbox.step(sink)
            except Exception as exc:  # noqa: BLE001 - a database hiccup must not end delivery for good
                log.error("event delivery to %s: %s", sink.name, exc)
                result = Step.FAILED
            if result is not Step.DELIVERED:
                self._stop.wait(self.poll_s)

    def _upkeep(self) -> None:
        while not self._stop.is_set():
            try:
                self.outbox.prune()
            except Exception as exc:  # noqa: BLE001 - logged; retried at the next round
                log.error("outbox retention: %s", exc)
            self._stop.wait(MAINTENANCE_S)

    def stop(self, timeout: float = 2.0) -> bool:
        """True when every thread ended (a request in flight ends by its own time limit)."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        return not any(t.is_alive() for t in self._threads)

    def drain(self, timeout: float) -> OutboxStatus:
        """Started, wait until nothing is pending or ``timeout`` passes; the status at the end."""
        deadline = time.monotonic() + timeout
        status = self.outbox.status()
        while status.backlog and time.monotonic() < deadline:
            time.sleep(min(0.1, self.poll_s))
            status = self.outbox.status()
        return status
