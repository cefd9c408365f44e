"""Privacy on the real SQLCipher database: deletion pseudonymises, the person report, the purge."""

from __future__ import annotations

import datetime as dt
import json


from kiosk.events import outbox
from kiosk.flows import retention
from kiosk.flows.privacy import person_report
from kiosk.store import journal
from kiosk.store import punches as punch_store
from kiosk.store import stats as stats_store
from kiosk.store.retention import Cutoffs

from .conftest import random_vectors, template

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def _enrolled(registry, pack, external_id="E1", name="김민지 Kim"):
    vector = random_vectors(1, pack.embedding_size, seed=sum(map(ord, external_id)))[0]
    person = registry.enroll(name, external_id, template(vector), face=b"\xff\xd8 crop bytes")
    registry.identify(vector)  # accept: an audit row and a signin.accepted event naming them
    registry.record_punch(person.id, "in", "2026-12-07T08:00:00.000000+00:00")
    return person, vector


def _bodies(registry) -> list[dict]:
    return [e.document() for e in outbox.events(registry.db.conn, limit=1000)]


def test_deletion_pseudonymises_audit_rows_and_events_in_one_go(registry, pack):
    person, _ = _enrolled(registry, pack)
    other, _ = _enrolled(registry, pack, "E2", "Other")  # a different random face
    named = [e for e in registry.audit_log() if e.person_id == person.id]
    assert {e.event for e in named} == {"enroll", "identify", "punch"}

    pseudonym = registry.delete(person.id)

    assert pseudonym.startswith("deleted-") and "E1" not in pseudonym
    rows = registry.audit_log()
    assert not [e for e in rows if e.person_id == person.id]
    mine = [e for e in rows if e.pseudonym == pseudonym]
    # the decision and the time stay; the identity goes
    assert sorted(e.event for e in mine) == ["delete", "enroll", "identify", "punch"]
    assert next(e for e in mine if e.event == "identify").decision == "accept"
    assert next(e for e in mine if e.event == "delete").detail == "pseudonymised 3 audit rows, 3 events"
    assert [e for e in rows if e.person_id == other.id]  # the other person untouched
    bodies = _bodies(registry)
    named_events = [b for b in bodies if (b.get("person") or {}).get("id") == "E1"]
    assert [b["type"] for b in named_events] == ["person.deleted"]  # the deletion notice only
    assert named_events[0]["person"]["name"] == "김민지 Kim"
    renamed = [b for b in bodies if (b.get("person") or {}).get("id") == pseudonym]
    assert sorted(b["type"] for b in renamed) == ["attendance.punch", "person.enrolled", "signin.accepted"]
    assert all(b["person"]["name"] == "deleted person" for b in renamed)
    assert not any("김민지" in json.dumps(b, ensure_ascii=False) for b in bodies if b["type"] != "person.deleted")
    assert "E1" not in {(b.get("person") or {}).get("id") for b in bodies if b["type"] != "person.deleted"}


def test_a_deletion_pulled_from_the_fleet_pseudonymises_too(registry, pack):
    person, _ = _enrolled(registry, pack)
    registry.apply_remote([], ["E1"])
    rows = registry.audit_log()
    assert not [e for e in rows if e.person_id == person.id]
    pseudonyms = {e.pseudonym for e in rows if e.event in ("enroll", "identify", "punch")}
    assert len(pseudonyms) == 1 and pseudonyms.pop().startswith("deleted-")
    assert not [b for b in _bodies(registry) if (b.get("person") or {}).get("id") == "E1"]


def test_two_deletions_get_two_pseudonyms(registry, pack):
    a, _ = _enrolled(registry, pack, "A1", "A")
    b, _ = _enrolled(registry, pack, "B1", "B")
    assert registry.delete(a.id) != registry.delete(b.id)


def test_report_before_and_after_deletion(registry, pack):
    person, vector = _enrolled(registry, pack)
    report = person_report(registry, "E1")
    data = json.loads(report.to_json())
    assert data["held"] and data["id"] == "E1" and data["name"] == "김민지 Kim"
    assert len(data["looks"]) == 1 and data["looks"][0]["pack"] == pack.id
    assert data["face_picture"] is True and data["enrolled"]
    assert [a["event"] for a in data["audit"]] == ["enroll", "identify", "punch"]
    assert data["punches"] == [{"time": "2026-12-07T08:00:00.000000+00:00", "direction": "in"}]
    assert data["fleet"] == {"joined": False, "fleet": None, "record": False, "deleted_in_fleet": False, "pending_push": False}
    text = report.to_json()
    # never the template: neither its numbers nor its sealed bytes, nor the crop
    assert f"{float(vector[0]):.6f}"[:8] not in text and "vector" not in text
    sealed = registry.db.conn.execute("SELECT sealed FROM templates").fetchone()[0]
    assert sealed.hex()[:32] not in text and "crop bytes" not in text

    registry.delete(person.id)
    after = person_report(registry, "E1")
    data = after.to_dict()
    assert not data["held"] and data["name"] is None and data["looks"] == [] and data["audit"] == [] and data["punches"] == []
    assert data["face_picture"] is False and data["pseudonymised_on_deletion"] is True
    assert [e["type"] for e in data["events"]] == ["person.deleted"]  # the notice still names the id


def test_report_names_the_fleet_record(registry, pack):
    _enrolled(registry, pack)
    with registry.session() as db, db.transaction():
        journal.set_state(db, fleet_uuid="f-123")
        journal.remember(db, [journal.KnownRecord("E1", "rec-1", 3, False)])
    fleet = person_report(registry, "E1").fleet
    assert fleet.joined and fleet.fleet == "f-123" and fleet.record and not fleet.deleted_in_fleet


def _past(days: int) -> str:
    return (NOW - dt.timedelta(days=days)).isoformat(timespec="microseconds")


def test_purge_deletes_what_is_past_retention_and_audits_the_counts(registry, pack, registry_settings):
    person, _ = _enrolled(registry, pack)
    db = registry.db
    with db.transaction():
        for days in (400, 200, 10):
            stats_store.record_signin(db, "accept", decision_ms=300, frames_analyzed=4, rejected={}, time=_past(days) if days < 90 else _past(10))
        db.conn.execute("UPDATE signin_stats SET time = ? WHERE id = 1", (_past(60),))  # older than a 30-day setting
        for days in (800, 5):
            punch_store.add(db, person.id, "out", _past(days))
        db.conn.execute("INSERT INTO audit(time, event, detail) VALUES (?, 'export', 'old'), (?, 'export', 'old')", (_past(500), _past(400)))
        db.conn.execute("UPDATE outbox SET time = ? WHERE seq <= 2", ((NOW - dt.timedelta(days=45)).isoformat(timespec="milliseconds").replace("+00:00", "Z"),))
    registry_settings.retention.audit_days = 365
    registry_settings.retention.stats_days = 30
    registry_settings.retention.punches_days = 730

    dry = retention.purge(registry, registry_settings, now=NOW, dry_run=True)
    assert dry.to_dict() == {"audit": 2, "events": 2, "stats": 1, "punches": 1}
    assert not registry.audit_log(event="retention_purge")

    counts = retention.purge(registry, registry_settings, now=NOW)
    assert counts == dry
    rows = registry.audit_log(event="retention_purge")
    assert [r.detail for r in rows] == ["audit 2, events 2, stats 1, punches 1"]
    assert [p.time for p in punch_store.of_person(db, person.id)] == [_past(5), "2026-12-07T08:00:00.000000+00:00"]
    assert retention.purge(registry, registry_settings, now=NOW).total == 0  # nothing left: no second row
    assert len(registry.audit_log(event="retention_purge")) == 1


def test_purge_keeps_events_a_sink_still_owes(registry, pack, registry_settings):
    _enrolled(registry, pack)
    with registry.db.transaction():
        registry.db.conn.execute("UPDATE outbox SET time = '2020-01-01T00:00:00.000Z'")
        outbox.ensure_cursors(registry.db.conn, ["webhook"])
        outbox.delivered(registry.db.conn, "webhook", 1, "2020-01-01T00:00:00.000Z")
    cut = Cutoffs(audit=None, events=NOW, stats=None, punches=None)
    assert registry.purge(cut, sinks=["webhook"]).events == 1  # only the one delivered
    assert registry.purge(cut, sinks=[]).events == 2  # no sink owed anything


def test_zero_days_keeps_forever(registry_settings):
    cut = retention.cutoffs(registry_settings, NOW)
    assert cut.audit is None and cut.punches is None
    assert cut.stats == NOW - dt.timedelta(days=90) and cut.events == NOW - dt.timedelta(days=30)



