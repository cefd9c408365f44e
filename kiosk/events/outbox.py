"""The outbox tables: events in order (``seq``), and one delivery cursor per sink.

Functions take a ``sqlite3``-style connection; callers own the transaction (the audit
write for ``add``, the sender's short transactions for the rest). A sink has received
every event up to its cursor's ``delivered_seq``; the event after it is its head, and
the head's failed attempts and back-off live on the cursor row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TYPE_CHECKING, cast

from kiosk.events.types import Event, encode

if TYPE_CHECKING:
    from sqlcipher3 import Connection


@dataclass(frozen=True)
class OutboxEvent:
    seq: int
    id: str
    time: str
    type: str
    body: bytes

    def document(self) -> Event:
        return cast(Event, json.loads(self.body))  # written by encode(); the JSON boundary


@dataclass(frozen=True)
class Cursor:
    sink: str
    delivered_seq: int
    attempts: int
    next_attempt: float  # time.time() of the next try of the head event
    last_error: str | None
    last_error_time: str | None
    last_delivered_time: str | None


_EVENT = "SELECT seq, id, time, type, body FROM outbox"


def add(conn: Connection, event: Event) -> None:
    conn.execute("INSERT INTO outbox(id, time, type, body) VALUES (?, ?, ?, ?)", (event["id"], event["time"], event["type"], encode(event)))


def _event(row: tuple[Any, ...]) -> OutboxEvent:
    return OutboxEvent(int(row[0]), row[1], row[2], row[3], bytes(row[4]))


def ensure_cursors(conn: Connection, sinks: list[str]) -> None:
    """A sink seen for the first time starts before every event still kept."""
    for sink in sinks:
        conn.execute("INSERT OR IGNORE INTO outbox_cursor(sink) VALUES (?)", (sink,))


def cursor(conn: Connection, sink: str) -> Cursor:
    """The sink's cursor (read only: polling must never take the write lock a sign-in needs)."""
    row = conn.execute(
        "SELECT sink, delivered_seq, attempts, next_attempt, last_error, last_error_time, last_delivered_time FROM outbox_cursor WHERE sink = ?",
        (sink,),
    ).fetchone()
    if row is None:
        return Cursor(sink, 0, 0, 0.0, None, None, None)
    return Cursor(row[0], int(row[1]), int(row[2]), float(row[3]), row[4], row[5], row[6])


def head(conn: Connection, sink: str) -> tuple[Cursor, OutboxEvent | None]:
    c = cursor(conn, sink)
    row = conn.execute(f"{_EVENT} WHERE seq > ? ORDER BY seq LIMIT 1", (c.delivered_seq,)).fetchone()
    return c, None if row is None else _event(row)


def delivered(conn: Connection, sink: str, seq: int, when: str) -> None:
    conn.execute(
        "UPDATE outbox_cursor SET delivered_seq = max(delivered_seq, ?), attempts = 0, next_attempt = 0, last_delivered_time = ? WHERE sink = ?",
        (seq, when, sink),
    )


def failed(conn: Connection, sink: str, error: str, when: str, next_attempt: float) -> None:
    conn.execute(
        "UPDATE outbox_cursor SET attempts = attempts + 1, next_attempt = ?, last_error = ?, last_error_time = ? WHERE sink = ?",
        (next_attempt, error, when, sink),
    )


def backlog(conn: Connection, sink: str) -> int:
    c = cursor(conn, sink)
    return int(conn.execute("SELECT count(*) FROM outbox WHERE seq > ?", (c.delivered_seq,)).fetchone()[0])


def pending_seq(conn: Connection, sinks: list[str]) -> int | None:
    """Events after this seq are still owed to at least one sink (None: no sinks)."""
    if not sinks:
        return None
    return min(cursor(conn, s).delivered_seq for s in sinks)


def events(conn: Connection, *, after: int = 0, limit: int = 100) -> list[OutboxEvent]:
    """The newest ``limit`` events after ``after``, oldest first."""
    rows = conn.execute(f"{_EVENT} WHERE seq > ? ORDER BY seq DESC LIMIT ?", (after, int(limit))).fetchall()
    return [_event(r) for r in reversed(rows)]


def find(conn: Connection, event_id: str) -> OutboxEvent | None:
    row = conn.execute(f"{_EVENT} WHERE id = ?", (event_id,)).fetchone()
    return None if row is None else _event(row)


def send_now(conn: Connection, sinks: list[str]) -> None:
    """Clear the back-off of these sinks, so their head event is tried at once."""
    ensure_cursors(conn, sinks)
    for sink in sinks:
        conn.execute("UPDATE outbox_cursor SET next_attempt = 0 WHERE sink = ?", (sink,))


def expired(conn: Connection, *, before_time: str, keep: int) -> tuple[int, int]:
    """(count, last seq) of the events to drop: older than ``before_time`` or beyond the newest ``keep``."""
    row = conn.execute("SELECT max(seq) FROM outbox WHERE time < ?", (before_time,)).fetchone()
    by_age = int(row[0] or 0)
    row = conn.execute("SELECT seq FROM outbox ORDER BY seq DESC LIMIT 1 OFFSET ?", (max(keep, 0),)).fetchone()
    by_count = int(row[0]) if row else 0
    last = max(by_age, by_count)
    count = int(conn.execute("SELECT count(*) FROM outbox WHERE seq <= ?", (last,)).fetchone()[0]) if last else 0
    return count, last


def drop_through(conn: Connection, seq: int) -> None:
    """Delete events up to ``seq``; a sink whose head was among them starts afresh on the next."""
    conn.execute("DELETE FROM outbox WHERE seq <= ?", (seq,))
    conn.execute("UPDATE outbox_cursor SET delivered_seq = ?, attempts = 0, next_attempt = 0 WHERE delivered_seq < ?", (seq, seq))
