"""A personal fallback PIN per person (card + face, when the face is not accepted).

Hashed exactly as the admin PIN (``admins.hash_pin``: scrypt, a fresh salt per PIN), so
a copy of the database gives nothing to read and every guess costs the slow hash.
"""

from __future__ import annotations

import functools

from kiosk.store.admins import hash_pin, pin_matches, validate_pin
from kiosk.clock import utc_now
from kiosk.store.db import Database


@functools.cache
def _stand_in() -> str:
    """A hash no PIN was chosen for: compared against when there is no PIN (or no person),
    so a wrong PIN, a person without one and an unknown id take the same time to answer."""
    return hash_pin("stand-in")


def set_pin(db: Database, person_id: int, pin: str) -> None:
    validate_pin(pin)
    db.conn.execute(
        "INSERT INTO person_pins(person_id, pin_hash, updated) VALUES (?, ?, ?) "
        "ON CONFLICT(person_id) DO UPDATE SET pin_hash = excluded.pin_hash, updated = excluded.updated",
        (person_id, hash_pin(pin), utc_now()),
    )


def remove(db: Database, person_id: int) -> bool:
    return bool(db.conn.execute("DELETE FROM person_pins WHERE person_id = ?", (person_id,)).rowcount > 0)


def has_pin(db: Database, person_id: int) -> bool:
    return db.conn.execute("SELECT 1 FROM person_pins WHERE person_id = ?", (person_id,)).fetchone() is not None


def matches(db: Database | None, person_id: int | None, pin: str) -> bool:
    """False for a person without a PIN, or no person (``None``): the same answer, and the
    same slow hash, as a wrong one."""
    row = None
    if db is not None and person_id is not None:
        row = db.conn.execute("SELECT pin_hash FROM person_pins WHERE person_id = ?", (person_id,)).fetchone()
    if row is None:
        pin_matches(pin, _stand_in())
        return False
    return pin_matches(pin, row[0])
