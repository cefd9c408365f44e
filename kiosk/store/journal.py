"""Local tables of fleet sync: the change journal, what this kiosk knows of the server's
records, and the kiosk's fleet settings.

The journal is why neither the GUI nor the CLI needs to know about fleet sync: the
Registry notes every enroll, re-enroll and delete here inside the same transaction as
the change itself, and the sync loop (``kiosk/fleet``) pushes it later. A kiosk that
is not in a fleet writes nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.clock import utc_now
from kiosk.store.db import Database

JOINED_KEY = "fleet_uuid"


@dataclass(frozen=True)
class KnownRecord:
    """The server record this kiosk's copy of a person is based on."""

    external_id: str
    fleet_id: str
    rev: int
    tombstone: bool


def joined(db: Database) -> bool:
    return get_state(db, JOINED_KEY) is not None


def note(db: Database, op: str, external_id: str) -> None:
    """Called inside the caller's transaction, so the change and its note commit together."""
    if joined(db):
        db.conn.execute("INSERT INTO fleet_journal(external_id, op, time) VALUES (?, ?, ?)", (external_id, op, utc_now()))


def pending(db: Database, limit: int | None = None) -> list[tuple[int, str]]:
    """``(seq, external_id)`` oldest first."""
    sql = "SELECT seq, external_id FROM fleet_journal ORDER BY seq"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [(int(seq), ext) for seq, ext in db.conn.execute(sql)]


def backlog(db: Database) -> int:
    return int(db.conn.execute("SELECT count(DISTINCT external_id) FROM fleet_journal").fetchone()[0])


def pending_ids(db: Database) -> set[str]:
    return {r[0] for r in db.conn.execute("SELECT DISTINCT external_id FROM fleet_journal")}


def done(db: Database, up_to_seq: int, external_ids: list[str]) -> None:
    """Forget the pushed notes of these people, but not notes written after the push began."""
    db.conn.executemany("DELETE FROM fleet_journal WHERE external_id = ? AND seq <= ?", [(ext, up_to_seq) for ext in external_ids])


def clear(db: Database) -> None:
    db.conn.execute("DELETE FROM fleet_journal")
    db.conn.execute("DELETE FROM fleet_records")
    db.conn.execute("DELETE FROM fleet_state")


def known(db: Database, external_id: str) -> KnownRecord | None:
    row = db.conn.execute("SELECT external_id, fleet_id, rev, tombstone FROM fleet_records WHERE external_id = ?", (external_id,)).fetchone()
    return None if row is None else KnownRecord(row[0], row[1], int(row[2]), bool(row[3]))


def remember(db: Database, records: list[KnownRecord]) -> None:
    db.conn.executemany(
        "INSERT INTO fleet_records(external_id, fleet_id, rev, tombstone) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(external_id) DO UPDATE SET fleet_id = excluded.fleet_id, rev = excluded.rev, tombstone = excluded.tombstone",
        [(r.external_id, r.fleet_id, r.rev, int(r.tombstone)) for r in records],
    )


def get_state(db: Database, key: str) -> str | None:
    row = db.conn.execute("SELECT value FROM fleet_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def all_state(db: Database) -> dict[str, str]:
    return dict(db.conn.execute("SELECT key, value FROM fleet_state").fetchall())


def set_state(db: Database, **values: str | int | None) -> None:
    for key, value in values.items():
        if value is None:
            db.conn.execute("DELETE FROM fleet_state WHERE key = ?", (key,))
        else:
            db.conn.execute(
                "INSERT INTO fleet_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, str(value)),
            )
