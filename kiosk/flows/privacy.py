"""``kiosk users report ID``: everything the kiosk holds about one person, never a template.

``person_report`` gathers it (Qt-free, for the CLI, the people screen and JSON); the
plain-words page in the kiosk's language is ``kiosk/ui/privacy_text.py``. For an id
nobody holds, the report says so, names what still mentions the id (a deletion notice
waiting for the events receivers, the fleet's record of the deletion) and that the audit
rows and events of a deleted person were pseudonymised (kiosk/store/privacy.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.clock import utc_now
from kiosk.store import audit as audit_store
from kiosk.store import journal
from kiosk.store import people as people_store
from kiosk.store import privacy
from kiosk.store import punches as punch_store

if TYPE_CHECKING:
    from kiosk.registry import Registry


@dataclass(frozen=True)
class Look:
    """One stored template, described: its model pack, when it was made, how good it was."""

    pack: str
    created: str
    quality: float


@dataclass(frozen=True)
class EventMention:
    time: str
    type: str


@dataclass(frozen=True)
class Fleet:
    joined: bool  # this kiosk is in a fleet
    fleet: str | None = None
    record: bool = False  # the fleet server holds this person (as this kiosk last knew)
    deleted_in_fleet: bool = False  # the record is the fleet's note of a deletion
    pending_push: bool = False  # a change here not yet sent to the fleet


@dataclass(frozen=True)
class PersonReport:
    external_id: str
    generated: str  # UTC ISO
    kiosk: str
    held: bool  # the person is enrolled here
    name: str | None = None
    status: str | None = None
    enrolled: str | None = None
    updated: str | None = None
    consent_version: str | None = None
    consent_time: str | None = None
    looks: list[Look] = field(default_factory=list)
    face_picture: bool = False
    face_picture_time: str | None = None
    audit: list[audit_store.AuditEntry] = field(default_factory=list)
    punches: list[punch_store.Punch] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)  # stored events naming the id
    fleet: Fleet = field(default_factory=lambda: Fleet(False))
    # Always true: deleting a person pseudonymises their audit rows and events (the report says so).
    pseudonymised_on_deletion: bool = True

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["id"] = out.pop("external_id")
        out["audit"] = [{k: v for k, v in a.to_dict().items() if k != "pseudonym"} for a in self.audit]
        out["punches"] = [{"time": p.time, "direction": p.direction} for p in self.punches]
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def person_report(registry: Registry, external_id: str) -> PersonReport:
    """What the kiosk holds about ``external_id`` now (read under the registry's lock)."""
    kiosk = registry.event_source.kiosk
    with registry.session() as db:
        fleet_id = journal.get_state(db, journal.JOINED_KEY)
        known = journal.known(db, external_id)
        fleet = Fleet(fleet_id is not None, fleet_id, known is not None, bool(known and known.tombstone), external_id in journal.pending_ids(db))
        events = [EventMention(e.time, e.type) for e in privacy.events_naming(db, external_id)]
        ref = people_store.find_by_external_id(db, external_id)
        if ref is None:
            return PersonReport(external_id, utc_now(), kiosk, False, events=events, fleet=fleet)
        row = db.conn.execute("SELECT status, created, updated FROM people WHERE id = ?", (ref.id,)).fetchone()
        looks = [
            Look(str(p), str(c), round(float(q), 3))
            for p, c, q in db.conn.execute("SELECT pack_id, created, quality FROM templates WHERE person_id = ? ORDER BY created", (ref.id,))
        ]
        crop = db.conn.execute("SELECT created FROM face_crops WHERE person_id = ?", (ref.id,)).fetchone()
        consent = people_store.consent(db, ref.id)
        return PersonReport(
            external_id,
            utc_now(),
            kiosk,
            True,
            name=ref.name,
            status=str(row[0]),
            enrolled=str(row[1]),
            updated=str(row[2]),
            consent_version=None if consent is None else consent.version,
            consent_time=None if consent is None else consent.time,
            looks=looks,
            face_picture=crop is not None,
            face_picture_time=None if crop is None else str(crop[0]),
            audit=audit_store.of_person(db, ref.id),
            punches=punch_store.of_person(db, ref.id),
            events=events,
            fleet=fleet,
        )

