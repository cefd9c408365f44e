"""What the trends are computed from: one row per sign-in attempt, and the camera's spans.

The audit row of a sign-in says who and what was decided; it has no time to decision
and no frame rejections, and a capture that failed before matching leaves no audit row
at all. ``signin_stats`` keeps those figures (never a vector, an image or a name).
``camera_spans`` keeps, per run of the kiosk, when the camera was live and when it was
down; the running kiosk extends its open span every minute, so a kiosk that stopped
(or crashed) is "not running", neither live nor down. Rows older than
``RETENTION_DAYS`` are deleted as new ones are written.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from kiosk.clock import utc_now
from kiosk.store.db import Database

OUTCOMES = ("accept", "retry", "reject", "spoof")
RETENTION_DAYS = 90  # the dashboard shows 30 days; `kiosk report --days` goes up to this


@dataclass(frozen=True)
class SignInRow:
    time: str  # UTC ISO
    outcome: str  # one of OUTCOMES
    decision_ms: int | None  # first frame with a face to the decision; None when no face was seen
    frames_analyzed: int
    rejected: dict[str, int]  # frame rejection reason -> frames


@dataclass(frozen=True)
class CameraSpan:
    live: bool
    start: str  # UTC ISO
    end: str


def _cutoff(time: str) -> str:
    return (dt.datetime.fromisoformat(time) - dt.timedelta(days=RETENTION_DAYS)).isoformat(timespec="microseconds")


def record_signin(
    db: Database, outcome: str, *, decision_ms: int | None, frames_analyzed: int, rejected: dict[str, int], time: str | None = None
) -> None:
    """One attempt (inside the caller's transaction); older rows past the retention go."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown sign-in outcome {outcome!r}")
    time = time or utc_now()
    counts = {str(k): int(v) for k, v in sorted(rejected.items()) if int(v) > 0}
    db.conn.execute(
        "INSERT INTO signin_stats(time, outcome, decision_ms, frames_analyzed, rejected) VALUES (?, ?, ?, ?, ?)",
        (time, outcome, decision_ms, int(frames_analyzed), json.dumps(counts)),
    )
    db.conn.execute("DELETE FROM signin_stats WHERE time < ?", (_cutoff(time),))


def open_camera_span(db: Database, live: bool, *, time: str | None = None) -> int:
    """A new span starting (and, until extended, ending) at ``time``; returns its id."""
    time = time or utc_now()
    cursor = db.conn.execute("INSERT INTO camera_spans(live, start, end) VALUES (?, ?, ?)", (int(live), time, time))
    db.conn.execute("DELETE FROM camera_spans WHERE end < ?", (_cutoff(time),))
    return int(cursor.lastrowid)


def extend_camera_span(db: Database, span_id: int, *, time: str | None = None) -> None:
    """Move the span's end forward to ``time`` (never backward)."""
    time = time or utc_now()
    db.conn.execute("UPDATE camera_spans SET end = ? WHERE id = ? AND end < ?", (time, span_id, time))


def signins_since(db: Database, since: str) -> list[SignInRow]:
    rows = db.conn.execute(
        "SELECT time, outcome, decision_ms, frames_analyzed, rejected FROM signin_stats WHERE time >= ? ORDER BY time", (since,)
    )
    return [SignInRow(t, o, ms, n, json.loads(r)) for t, o, ms, n, r in rows]


def camera_spans_since(db: Database, since: str) -> list[CameraSpan]:
    rows = db.conn.execute("SELECT live, start, end FROM camera_spans WHERE end >= ? ORDER BY start", (since,))
    return [CameraSpan(bool(live), start, end) for live, start, end in rows]
