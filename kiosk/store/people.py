"""People and their sealed templates: rows in, rows out, always inside the caller's transaction."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kiosk.errors import DuplicateError, KioskError, NotFoundError, TamperError
from kiosk.match.types import PersonRef
from kiosk.clock import utc_now
from kiosk.store.db import Database
from kiosk.store.seal import STORED_DTYPE


@dataclass(frozen=True)
class PersonSummary:
    id: int
    external_id: str
    name: str
    status: str
    created: str
    updated: str
    needs_reenroll: bool  # no template made with the active model pack
    templates: int
    has_face: bool = False  # a face crop is stored (kiosk/store/faces.py)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.external_id,
            "db_id": self.id,
            "name": self.name,
            "status": self.status,
            "created": self.created,
            "updated": self.updated,
            "templates": self.templates,
            "needs_reenroll": self.needs_reenroll,
            "face": self.has_face,
        }


@dataclass(frozen=True)
class TemplateRecord:
    """A decrypted template: what backup export carries and re-import seals again."""

    pack_id: str
    vector: np.ndarray
    quality: float
    frames_used: int
    created: str
    label: str = ""  # the look's free text (issue 24: several looks per person)
    kind: str = "enrolled"  # ENROLLED or RECENT


ENROLLED, RECENT = "enrolled", "recent"


@dataclass(frozen=True)
class Look:
    """One of a person's templates as the people screen and ``kiosk users looks`` list it (never the vector)."""

    id: str
    pack_id: str
    label: str
    kind: str  # ENROLLED or RECENT
    quality: float
    frames_used: int
    created: str

    def to_dict(self) -> dict[str, Any]:
        return {"look": self.id, "label": self.label, "kind": self.kind, "pack_id": self.pack_id, "quality": self.quality, "frames_used": self.frames_used, "created": self.created}


def _ref(row: tuple[Any, ...]) -> PersonRef:
    return PersonRef(int(row[0]), str(row[1]), str(row[2]))


def get_person(db: Database, person_id: int) -> PersonRef:
    row = db.conn.execute("SELECT id, external_id, name FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no person with database id {person_id}")
    return _ref(row)


def everyone(db: Database) -> list[PersonSummary]:
    """Every person in id order, for a backup (template counts are not needed there: 0)."""
    rows = db.conn.execute("SELECT id, external_id, name, status, created, updated FROM people ORDER BY id").fetchall()
    return [PersonSummary(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), False, 0) for r in rows]


def is_active(db: Database, person_id: int) -> bool:
    row = db.conn.execute("SELECT status FROM people WHERE id = ?", (person_id,)).fetchone()
    return row is not None and row[0] == "active"


def without_pack(db: Database, pack_id: str) -> list[PersonRef]:
    """People with no enrolled template of ``pack_id``, in id order (a model migration's work list)."""
    rows = db.conn.execute(
        "SELECT id, external_id, name FROM people p WHERE NOT EXISTS "
        "(SELECT 1 FROM templates t WHERE t.person_id = p.id AND t.pack_id = ? AND t.kind = ?) ORDER BY id",
        (pack_id, ENROLLED),
    )
    return [_ref(r) for r in rows]


def find_by_external_id(db: Database, external_id: str) -> PersonRef | None:
    row = db.conn.execute("SELECT id, external_id, name FROM people WHERE external_id = ?", (external_id,)).fetchone()
    return None if row is None else _ref(row)


def add_person(db: Database, external_id: str, name: str, *, status: str = "active", created: str | None = None) -> PersonRef:
    if not external_id.strip() or not name.strip():
        raise KioskError("a person needs a non-empty id and name")
    existing = find_by_external_id(db, external_id)
    if existing is not None:
        raise DuplicateError(f"id {external_id!r} is already enrolled as {existing.name!r}", person=existing)
    now = utc_now()
    cur = db.conn.execute(
        "INSERT INTO people(external_id, name, status, created, updated) VALUES (?, ?, ?, ?, ?)",
        (external_id, name, status, created or now, now),
    )
    return PersonRef(int(cur.lastrowid), external_id, name)


def add_template(
    db: Database, person_id: int, vector: np.ndarray, *, pack_id: str, quality: float, frames_used: int, created: str | None = None, label: str = "", kind: str = ENROLLED
) -> str:
    template_id = uuid.uuid4().hex
    vector = np.asarray(vector, dtype=np.float32).reshape(-1)
    sealed = db.sealer.seal(vector, person_id=person_id, template_id=template_id, pack_id=pack_id)
    db.conn.execute(
        "INSERT INTO templates(id, person_id, pack_id, embedding_size, sealed, quality, frames_used, created, label, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (template_id, person_id, pack_id, int(vector.shape[0]), sealed, float(quality), int(frames_used), created or utc_now(), label.strip(), kind),
    )
    return template_id


def add_people(db: Database, people: Sequence[tuple[str, str, str, str]]) -> list[int]:
    """Many new people at once, ``(external_id, name, status, created)`` each: the bulk path of a
    fleet pull (a new kiosk takes 100k), one ``executemany`` instead of a lookup and an insert per
    person. The caller knows none of them is here yet (the UNIQUE external id refuses one that is).
    Ids are given here, above every id ever used (AUTOINCREMENT's rule), so the templates can be
    sealed to them without reading each id back. Returns the ids in order."""
    for ext, name, _, _ in people:
        if not ext.strip() or not name.strip():
            raise KioskError(f"a person needs a non-empty id and name (id {ext!r}, name {name!r})", hint="fix the person where they were enrolled, then sync again")
    used = db.conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'people'), 0), coalesce((SELECT max(id) FROM people), 0))"
    ).fetchone()[0]
    ids = list(range(int(used) + 1, int(used) + 1 + len(people)))
    now = utc_now()
    db.conn.executemany(
        "INSERT INTO people(id, external_id, name, status, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
        [(pid, ext, name, status, created, now) for pid, (ext, name, status, created) in zip(ids, people)],
    )
    return ids


def add_templates(db: Database, rows: Sequence[tuple[int, TemplateRecord, bytes]]) -> None:
    """Many templates at once, ``(person id, record, its encode() bytes)`` each (``seal.encode_rows``
    makes the bytes for a batch): each sealed to its person, id and pack like ``add_template``."""
    seal = db.sealer.seal_code
    values = []
    # Ids in increasing order (time, a random salt, then a counter; the shape of uuid4().hex):
    # the batch appends to the id index instead of touching random pages of it.
    first = time.time_ns() << 64 | int.from_bytes(os.urandom(4), "big") << 32
    for i, (person_id, t, code) in enumerate(rows):
        template_id = f"{first + i:032x}"
        values.append(
            (template_id, person_id, t.pack_id, len(code) // STORED_DTYPE.itemsize, seal(code, person_id=person_id, template_id=template_id, pack_id=t.pack_id),
             float(t.quality), int(t.frames_used), t.created, t.label.strip(), t.kind)
        )
    db.conn.executemany(
        "INSERT INTO templates(id, person_id, pack_id, embedding_size, sealed, quality, frames_used, created, label, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values
    )


def existing_ids(db: Database, external_ids: Sequence[str]) -> dict[str, int]:
    """``external_id -> id`` of those already here (in chunks: SQLite's limit on bound values)."""
    found: dict[str, int] = {}
    for start in range(0, len(external_ids), 500):
        chunk = external_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update((str(r[0]), int(r[1])) for r in db.conn.execute(f"SELECT external_id, id FROM people WHERE external_id IN ({marks})", list(chunk)))
    return found


def looks(db: Database, person_id: int) -> list[Look]:
    """The person's templates, oldest first (the first enrolled look leads the list)."""
    rows = db.conn.execute(
        "SELECT id, pack_id, label, kind, quality, frames_used, created FROM templates WHERE person_id = ? ORDER BY kind, created, id", (person_id,)
    )
    return [Look(str(r[0]), str(r[1]), str(r[2]), str(r[3]), float(r[4]), int(r[5]), str(r[6])) for r in rows]


def delete_template(db: Database, person_id: int, template_id: str) -> None:
    cur = db.conn.execute("DELETE FROM templates WHERE id = ? AND person_id = ?", (template_id, person_id))
    if cur.rowcount == 0:
        raise NotFoundError(f"no look {template_id!r} for this person", hint="`kiosk users looks ID` lists a person's looks")


def delete_recent(db: Database, person_id: int) -> int:
    """Drop the person's refreshed look (``kiosk users revert-looks``); returns how many went (0 or 1)."""
    return int(db.conn.execute("DELETE FROM templates WHERE person_id = ? AND kind = ?", (person_id, RECENT)).rowcount)


def delete_templates(db: Database, person_id: int) -> None:
    db.conn.execute("DELETE FROM templates WHERE person_id = ?", (person_id,))


def template_stamps(db: Database, person_id: int) -> set[tuple[str, str]]:
    """``(pack_id, created)`` of the person's templates: the same set means the same enrollment.
    Only the first enrolled look counts: a look added, or a recent look refreshed, leaves the
    enrollment (and the face crop that shows it) as it was."""
    return first_look({(str(r[0]), str(r[1]), str(r[2])) for r in db.conn.execute("SELECT pack_id, created, kind FROM templates WHERE person_id = ?", (person_id,))})


def first_look(stamps: set[tuple[str, str, str]]) -> set[tuple[str, str]]:
    """The earliest enrolled ``(pack_id, created)`` of ``(pack_id, created, kind)`` stamps, as a set (empty for none)."""
    enrolled = sorted((created, pack) for pack, created, kind in stamps if kind == ENROLLED)
    return {(enrolled[0][1], enrolled[0][0])} if enrolled else set()


def touch(db: Database, person_id: int) -> None:
    db.conn.execute("UPDATE people SET updated = ? WHERE id = ?", (utc_now(), person_id))


def update_person(db: Database, person_id: int, name: str, status: str) -> None:
    db.conn.execute("UPDATE people SET name = ?, status = ?, updated = ? WHERE id = ?", (name, status, utc_now(), person_id))


def delete_person(db: Database, person_id: int) -> None:
    """Templates go with the person (ON DELETE CASCADE); secure_delete zeroes the freed pages."""
    cur = db.conn.execute("DELETE FROM people WHERE id = ?", (person_id,))
    if cur.rowcount == 0:
        raise NotFoundError(f"no person with database id {person_id}")


def summaries(db: Database, pack_id: str, search: str | None = None) -> list[PersonSummary]:
    sql = (
        "SELECT p.id, p.external_id, p.name, p.status, p.created, p.updated, "
        "count(t.id), coalesce(sum(t.pack_id = ?), 0), "
        "EXISTS (SELECT 1 FROM face_crops f WHERE f.person_id = p.id) "
        "FROM people p LEFT JOIN templates t ON t.person_id = p.id"
    )
    params: list[object] = [pack_id]
    if search:
        sql += " WHERE p.name LIKE ? ESCAPE '\\' OR p.external_id LIKE ? ESCAPE '\\'"
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [pattern, pattern]
    sql += " GROUP BY p.id ORDER BY p.name COLLATE NOCASE, p.external_id"
    return [
        PersonSummary(int(r[0]), r[1], r[2], r[3], r[4], r[5], needs_reenroll=int(r[7]) == 0, templates=int(r[6]), has_face=bool(r[8]))
        for r in db.conn.execute(sql, params)
    ]


@dataclass
class LoadedTemplates:
    owners: np.ndarray  # person id per row
    codes: np.ndarray  # int8 rows as sealed (largest component 127): the matcher holds them as they are
    tampered: list[TamperError]  # rows whose seal failed: left out, reported by `db check`


def load_matrix(db: Database, pack_id: str, embedding_size: int) -> LoadedTemplates:
    """Open every template of this pack that belongs to an active person.

    This is the start-up path (100k templates in well under a second is the target):
    one query, ``Sealer.open_rows`` and one ``frombuffer`` of the int8 rows (no float32
    copy: 1M rows stay 0.5 GB).
    A row that fails its seal is left out (never matched) instead of stopping the kiosk
    for everyone else.
    """
    disabled = {r[0] for r in db.conn.execute("SELECT id FROM people WHERE status != 'active'")}
    rows = db.conn.execute("SELECT id, person_id, sealed FROM templates WHERE pack_id = ? AND embedding_size = ?", (pack_id, embedding_size))
    if disabled:
        rows = (row for row in rows if row[1] not in disabled)
    owners, chunks, tampered = db.sealer.open_rows(rows, pack_id)
    codes = np.frombuffer(b"".join(chunks), dtype=STORED_DTYPE).reshape(-1, embedding_size)
    return LoadedTemplates(np.asarray(owners, dtype=np.int64), codes, tampered)


def people_by_id(db: Database, ids: list[int]) -> dict[int, PersonRef]:
    """Names for the handful of people a match returns."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r[0]: _ref(r) for r in db.conn.execute(f"SELECT id, external_id, name FROM people WHERE id IN ({marks})", ids)}


def template_records(db: Database, person_id: int) -> list[TemplateRecord]:
    rows = db.conn.execute(
        "SELECT id, pack_id, sealed, quality, frames_used, created, label, kind FROM templates WHERE person_id = ? ORDER BY created",
        (person_id,),
    ).fetchall()
    return [
        TemplateRecord(pack, db.sealer.open(sealed, person_id=person_id, template_id=tid, pack_id=pack), float(q), int(f), created, str(label), str(kind))
        for tid, pack, sealed, q, f, created, label, kind in rows
    ]



@dataclass(frozen=True)
class Consent:
    """What a person agreed to at enrollment: the consent text's version, and when (UTC ISO)."""

    version: str
    time: str


def set_consent(db: Database, person_id: int, consent: Consent) -> None:
    db.conn.execute("UPDATE people SET consent_version = ?, consent_time = ? WHERE id = ?", (consent.version, consent.time, person_id))


def consent(db: Database, person_id: int) -> Consent | None:
    """The person's recorded consent, or None."""
    row = db.conn.execute("SELECT consent_version, consent_time FROM people WHERE id = ?", (person_id,)).fetchone()
    return None if row is None or row[0] is None else Consent(str(row[0]), str(row[1]))
