"""Face crops: one small sealed picture per person, so the admin sees whom a row means.

The store keeps opaque image bytes (the flows encode a 112 px JPEG); each is sealed
like a template (``Sealer.seal_face``: AES-256-GCM bound to the person id), so a
picture moved onto another person fails to open. The row goes with the person
(``ON DELETE CASCADE``; ``secure_delete`` zeroes the freed pages). Nothing here is
needed to recognize anyone: a kiosk with ``enroll.store_face_crops = false`` keeps none.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.clock import utc_now
from kiosk.errors import TamperError

if TYPE_CHECKING:  # db imports rekey, which imports this module
    from kiosk.store.db import Database

log = logging.getLogger(__name__)


def put(db: Database, person_id: int, image: bytes, *, created: str | None = None) -> None:
    """Store (or replace) the person's crop."""
    sealed = db.sealer.seal_face(bytes(image), person_id=person_id)
    db.conn.execute(
        "INSERT OR REPLACE INTO face_crops(person_id, sealed, created) VALUES (?, ?, ?)",
        (person_id, sealed, created or utc_now()),
    )


def get(db: Database, person_id: int) -> bytes | None:
    """The person's crop, or None when there is none or its seal fails (logged: the screens show a placeholder)."""
    row = db.conn.execute("SELECT sealed FROM face_crops WHERE person_id = ?", (person_id,)).fetchone()
    if row is None:
        return None
    try:
        return db.sealer.open_face(row[0], person_id=person_id)
    except TamperError as exc:
        log.error("%s", exc.message)
        return None


def delete(db: Database, person_id: int) -> None:
    db.conn.execute("DELETE FROM face_crops WHERE person_id = ?", (person_id,))


def delete_all(db: Database) -> int:
    """Every crop (the setting was turned off); how many there were."""
    return int(db.conn.execute("DELETE FROM face_crops").rowcount)


def rows(db: Database) -> list[tuple[int, bytes]]:
    """``(person_id, sealed)`` of every crop, for ``db check`` and rekey."""
    return [(int(r[0]), bytes(r[1])) for r in db.conn.execute("SELECT person_id, sealed FROM face_crops")]
