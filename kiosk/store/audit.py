"""The audit log: who tried what, when, and what was decided — never a vector or an image."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from kiosk.store.db import Database, utc_now


@dataclass(frozen=True)
class AuditEntry:
    id: int
    time: str  # ISO 8601, UTC
    event: str
    person_id: int | None
    score: float | None
    decision: str | None
    detail: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def record(db: Database, event: str, *, person_id: int | None = None, score: float | None = None, decision: str | None = None, detail: str | None = None) -> None:
    db.conn.execute(
        "INSERT INTO audit(time, event, person_id, score, decision, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (utc_now(), event, person_id, None if score is None else float(score), decision, detail),
    )


def entries(db: Database, *, since: str | None = None, event: str | None = None, limit: int = 1000) -> list[AuditEntry]:
    """Newest first. ``since`` is an ISO time (compared as text: all times are UTC ISO)."""
    sql = "SELECT id, time, event, person_id, score, decision, detail FROM audit WHERE 1 = 1"
    params: list = []
    if since:
        sql += " AND time >= ?"
        params.append(since)
    if event:
        sql += " AND event = ?"
        params.append(event)
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(int(limit))
    return [AuditEntry(*row) for row in db.conn.execute(sql, params)]
