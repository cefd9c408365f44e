"""The audit log: who tried what, when, and what was decided — never a vector or an image."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from kiosk.events import outbox
from kiosk.events import types as event_types
from kiosk.clock import utc_now
from kiosk.store.db import Database


@dataclass(frozen=True)
class AuditEntry:
    id: int
    time: str  # ISO 8601, UTC
    event: str
    person_id: int | None
    score: float | None
    decision: str | None
    detail: str | None
    pseudonym: str | None = None  # the person was deleted: this stands for them (kiosk/store/privacy.py)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def record(
    db: Database,
    event: str,
    *,
    person_id: int | None = None,
    score: float | None = None,
    decision: str | None = None,
    detail: str | None = None,
    margin: float | None = None,
    event_type: str | None = None,
) -> None:
    """Write the audit row and, for a decision, its outbox event: callers run this inside
    their transaction, so the two commit (or roll back) together. ``event_type`` overrides
    the mapping (an admin lockout is audited as a rejection); ``margin`` goes to the event only."""
    db.conn.execute(
        "INSERT INTO audit(time, event, person_id, score, decision, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (utc_now(), event, person_id, None if score is None else float(score), decision, detail),
    )
    kind = event_type or event_types.event_type(event, decision)
    if kind is None:
        return
    source = db.event_source or event_types.EventSource(event_types.kiosk_name(""))
    person = None
    if person_id is not None and kind not in event_types.ANONYMOUS:
        row = db.conn.execute("SELECT external_id, name FROM people WHERE id = ?", (person_id,)).fetchone()
        person = (row[0], row[1]) if row else None
    method = event_types.METHOD.get(event)
    outbox.add(db.conn, event_types.build(kind, source, person=person, score=score, margin=margin, detail=detail, method=method))


def entries(db: Database, *, since: str | None = None, event: str | None = None, limit: int = 1000) -> list[AuditEntry]:
    """Newest first. ``since`` is an ISO time (compared as text: all times are UTC ISO)."""
    sql = "SELECT id, time, event, person_id, score, decision, detail, pseudonym FROM audit WHERE 1 = 1"
    params: list[object] = []
    if since:
        sql += " AND time >= ?"
        params.append(since)
    if event:
        sql += " AND event = ?"
        params.append(event)
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(int(limit))
    return [AuditEntry(*row) for row in db.conn.execute(sql, params)]


def of_person(db: Database, person_id: int) -> list[AuditEntry]:
    """Every row that names the person, oldest first (what ``kiosk users report`` lists)."""
    sql = "SELECT id, time, event, person_id, score, decision, detail, pseudonym FROM audit WHERE person_id = ? ORDER BY id"
    return [AuditEntry(*row) for row in db.conn.execute(sql, (person_id,))]
