"""Consecutive failed sign-ins per claimed person and method, and the lockout they earn.

NIST SP 800-63B 5.2.2 asks a verifier to limit consecutive failed attempts on one
account; for a biometric, 5 failures before a delay of at least 30 s (5.2.3). A kiosk
that verifies a claimed id (card + face, kiosk/flows/verify.py) counts here: the 5th
consecutive failure locks that id for 30 s, each further one doubles it (capped at an
hour, the admin PIN's rule in ``admins.lock_seconds``). Face and PIN failures are counted
apart; a success of either clears both. Times are wall-clock seconds (``time.time``), so
a restart never resets a lockout; the caller passes the clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from kiosk.store.admins import lock_seconds
from kiosk.clock import utc_now
from kiosk.store.db import Database

FREE_ATTEMPTS = 5


class Method(StrEnum):
    FACE = "face"
    PIN = "pin"


@dataclass(frozen=True)
class Lockout:
    """One claimed person's standing for the admin's people screen: failures and time left."""

    person_id: int
    method: Method
    failures: int
    locked_until: float

    def remaining(self, now: float) -> int:
        """Whole seconds still locked at ``now`` (0: open)."""
        return max(0, math.ceil(self.locked_until - now))


def remaining(db: Database, person_id: int, now: float) -> int:
    """Whole seconds the person is locked at ``now``, by either method (the longer one)."""
    row = db.conn.execute("SELECT max(locked_until) FROM signin_attempts WHERE person_id = ?", (person_id,)).fetchone()
    return max(0, math.ceil(float(row[0] or 0) - now))


def fail(db: Database, person_id: int, method: Method, now: float) -> tuple[int, float]:
    """Count one failure; returns (consecutive failures, seconds now locked: 0 while still free)."""
    row = db.conn.execute("SELECT failures FROM signin_attempts WHERE person_id = ? AND method = ?", (person_id, method.value)).fetchone()
    failures = (int(row[0]) if row else 0) + 1
    wait = lock_seconds(failures, FREE_ATTEMPTS)
    db.conn.execute(
        "INSERT INTO signin_attempts(person_id, method, failures, locked_until, updated) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(person_id, method) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, "
        "updated = excluded.updated",
        (person_id, method.value, failures, now + wait if wait else 0.0, utc_now()),
    )
    return failures, wait


def clear(db: Database, person_id: int) -> int:
    """A success, or the admin clearing the lockout: both counters go. Returns the rows removed."""
    return int(db.conn.execute("DELETE FROM signin_attempts WHERE person_id = ?", (person_id,)).rowcount)


def standing(db: Database) -> list[Lockout]:
    """Every person with failures on record, most failures first."""
    rows = db.conn.execute("SELECT person_id, method, failures, locked_until FROM signin_attempts ORDER BY failures DESC, person_id")
    return [Lockout(int(r[0]), Method(r[1]), int(r[2]), float(r[3])) for r in rows]
