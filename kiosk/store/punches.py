"""Attendance punches: one row per IN or OUT, always inside the caller's transaction.

A punch names the person by database id (cascade: deleting the person deletes their
punches) and keeps its time as UTC ISO, so rows sort as text and the kiosk's time zone
is applied only when they are shown or exported (``kiosk/flows/timesheet.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.store.db import Database

IN, OUT = "in", "out"
DIRECTIONS = (IN, OUT)


@dataclass(frozen=True)
class Punch:
    id: int
    person_id: int
    time: str  # UTC ISO
    direction: str  # IN or OUT


@dataclass(frozen=True)
class PersonPunch:
    """A punch with the person's id and name, as an export lists it."""

    punch: Punch
    external_id: str
    name: str


_COLUMNS = "id, person_id, time, direction"


def _punch(row: tuple[Any, ...]) -> Punch:
    return Punch(int(row[0]), int(row[1]), str(row[2]), str(row[3]))


def _check(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown punch direction {direction!r}")


def add(db: Database, person_id: int, direction: str, time: str) -> Punch:
    _check(direction)
    cursor = db.conn.execute("INSERT INTO punches(person_id, time, direction) VALUES (?, ?, ?)", (person_id, time, direction))
    return Punch(int(cursor.lastrowid), person_id, time, direction)


def get(db: Database, punch_id: int) -> Punch | None:
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM punches WHERE id = ?", (punch_id,)).fetchone()
    return None if row is None else _punch(row)


def set_direction(db: Database, punch_id: int, direction: str) -> None:
    _check(direction)
    db.conn.execute("UPDATE punches SET direction = ? WHERE id = ?", (direction, punch_id))


def last(db: Database, person_id: int) -> Punch | None:
    """The person's latest punch (any day)."""
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM punches WHERE person_id = ? ORDER BY time DESC, id DESC LIMIT 1", (person_id,)).fetchone()
    return None if row is None else _punch(row)


def of_person(db: Database, person_id: int) -> list[Punch]:
    """Every punch of the person, oldest first (what a backup carries)."""
    rows = db.conn.execute(f"SELECT {_COLUMNS} FROM punches WHERE person_id = ? ORDER BY time, id", (person_id,))
    return [_punch(r) for r in rows]


def between(db: Database, start: str, end: str) -> list[PersonPunch]:
    """Punches with ``start <= time < end`` (UTC ISO), by person then time."""
    rows = db.conn.execute(
        "SELECT k.id, k.person_id, k.time, k.direction, p.external_id, p.name FROM punches k JOIN people p ON p.id = k.person_id "
        "WHERE k.time >= ? AND k.time < ? ORDER BY p.external_id, k.time, k.id",
        (start, end),
    )
    return [PersonPunch(_punch(r[:4]), str(r[4]), str(r[5])) for r in rows]
