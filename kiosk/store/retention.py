"""Retention: delete rows older than their kept days, inside the caller's transaction.

Each table is cut by its own time column, compared as text (every time is UTC ISO, and
outbox times carry ``Z`` and milliseconds, so their cut-off is written the same way).
An outbox event is only ever dropped here once every sink has it: undelivered events
are the sender's to drop, and report (``kiosk/events/sender.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from kiosk.events import outbox
from kiosk.store.db import Database


@dataclass(frozen=True)
class Cutoffs:
    """Rows older than these (UTC) go; None keeps that table forever."""

    audit: dt.datetime | None
    events: dt.datetime | None
    stats: dt.datetime | None
    punches: dt.datetime | None


@dataclass(frozen=True)
class PurgeCounts:
    audit: int = 0
    events: int = 0
    stats: int = 0  # sign-in rows and camera spans
    punches: int = 0

    @property
    def total(self) -> int:
        return self.audit + self.events + self.stats + self.punches

    def detail(self) -> str:
        """The audit row's text: ``audit 120, events 40, stats 300, punches 0``."""
        return ", ".join(f"{name} {count}" for name, count in asdict(self).items())

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _outbox_iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _rows(db: Database, table: str, column: str, before: str, dry_run: bool) -> int:
    """Count (dry run) or delete the rows of ``table`` with ``column < before``."""
    if dry_run:
        return int(db.conn.execute(f"SELECT count(*) FROM {table} WHERE {column} < ?", (before,)).fetchone()[0])
    return int(db.conn.execute(f"DELETE FROM {table} WHERE {column} < ?", (before,)).rowcount)


def _delivered_events(db: Database, before: str, sinks: list[str], dry_run: bool) -> int:
    row = db.conn.execute("SELECT max(seq) FROM outbox WHERE time < ?", (before,)).fetchone()
    last = int(row[0] or 0)
    owed_after = outbox.pending_seq(db.conn, sinks)
    if owed_after is not None:
        last = min(last, owed_after)
    if last <= 0:
        return 0
    count = int(db.conn.execute("SELECT count(*) FROM outbox WHERE seq <= ?", (last,)).fetchone()[0])
    if count and not dry_run:
        outbox.drop_through(db.conn, last)
    return count


def purge(db: Database, cutoffs: Cutoffs, *, sinks: list[str], dry_run: bool = False) -> PurgeCounts:
    """Delete (or, ``dry_run``, count) what is past its retention. ``sinks``: the configured
    event sinks, each of which must have an event before it is dropped."""
    return PurgeCounts(
        audit=0 if cutoffs.audit is None else _rows(db, "audit", "time", _iso(cutoffs.audit), dry_run),
        events=0 if cutoffs.events is None else _delivered_events(db, _outbox_iso(cutoffs.events), sinks, dry_run),
        stats=0
        if cutoffs.stats is None
        else _rows(db, "signin_stats", "time", _iso(cutoffs.stats), dry_run) + _rows(db, "camera_spans", "end", _iso(cutoffs.stats), dry_run),
        punches=0 if cutoffs.punches is None else _rows(db, "punches", "time", _iso(cutoffs.punches), dry_run),
    )
