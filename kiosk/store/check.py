"""``kiosk db check``: page integrity, page authentication, foreign keys, every seal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.errors import TamperError
from kiosk.store import faces
from kiosk.store.db import Database


@dataclass
class CheckReport:
    templates: int = 0
    people: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "people": self.people, "templates": self.templates, "problems": list(self.problems)}


def check(db: Database) -> CheckReport:
    report = CheckReport()
    conn = db.conn
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if rows != ["ok"]:
        report.problems += [f"integrity: {r}" for r in rows]
    report.problems += [f"page authentication: {r}" for r in conn.execute("PRAGMA cipher_integrity_check")]
    report.problems += [f"foreign key: {tuple(r)}" for r in conn.execute("PRAGMA foreign_key_check")]
    report.people = int(conn.execute("SELECT count(*) FROM people").fetchone()[0])
    for template_id, person_id, pack_id, sealed in conn.execute("SELECT id, person_id, pack_id, sealed FROM templates"):
        report.templates += 1
        try:
            db.sealer.open_bytes(sealed, person_id=person_id, template_id=template_id, pack_id=pack_id)
        except TamperError as exc:
            report.problems.append(f"seal: {exc.message}")
    for person_id, sealed in faces.rows(db):
        try:
            db.sealer.open_face(sealed, person_id=person_id)
        except TamperError as exc:
            report.problems.append(f"seal: {exc.message}")
    return report
