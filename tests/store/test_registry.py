"""People, templates, matching, admins, audit and backups through the Registry (real SQLCipher)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from kiosk.errors import AuthError, DuplicateError, KioskError, NotFoundError, StoreError
from kiosk.registry import Registry
from kiosk.store import admins
from kiosk.store.backup import read_bundle
from kiosk.store.schema import LATEST
from tests.store.conftest import random_vectors, template


def enroll_n(registry, n, seed=0):
    vectors = random_vectors(n, registry.pack.embedding_size, seed)
    refs = [registry.enroll(f"Person {i}", f"E{i:03d}", template(v)) for i, v in enumerate(vectors)]
    return refs, vectors


def test_fresh_database_has_schema_pragmas_and_no_admin(registry):
    conn = registry.db.conn
    assert registry.db.schema_version() == LATEST
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert registry.has_admin() is False
    assert registry.people() == []


def test_enroll_identify_verify_and_persist(registry, registry_settings, pack):
    refs, vectors = enroll_n(registry, 6)
    decision = registry.identify(vectors[3] + 0.02 * random_vectors(1, pack.embedding_size, 9)[0])
    assert decision.outcome == "accept" and decision.person == refs[3]
    assert decision.runner_up is not None and decision.runner_up < 0.3
    assert registry.verify(refs[3].id, vectors[3]).outcome == "accept"
    assert registry.verify(refs[2].id, vectors[3]).outcome == "reject"
    registry.close()
    with Registry.open(registry_settings, pack) as again:
        assert len(again.matcher) == 6
        assert again.identify(vectors[5]).person == refs[5]
        assert [e.event for e in again.audit_log(event="identify")] == ["identify", "identify"]


def test_duplicates_are_refused_with_who_and_how_similar(registry):
    refs, vectors = enroll_n(registry, 3)
    with pytest.raises(DuplicateError) as face:
        registry.enroll("Someone Else", "X1", template(vectors[1]))
    assert face.value.person == refs[1] and face.value.score == pytest.approx(1.0, abs=1e-4)
    with pytest.raises(DuplicateError) as same_id:
        registry.enroll("Other Name", "E000", template(random_vectors(1, registry.pack.embedding_size, 5)[0]))
    assert same_id.value.person == refs[0]
    twin = registry.enroll("Twin", "X2", template(vectors[1]), allow_duplicate=True)
    assert registry.identify(vectors[1]).outcome == "retry"  # two people, same face: never accept
    assert registry.find_duplicate(vectors[1])[0] in (refs[1], twin)
    assert len(registry.people()) == 4


def test_re_enroll_replaces_and_delete_removes(registry, registry_settings, pack):
    refs, vectors = enroll_n(registry, 3)
    new = random_vectors(1, pack.embedding_size, 42)[0]
    registry.re_enroll(refs[0].id, template(new))
    assert registry.identify(new).person == refs[0]
    assert registry.identify(vectors[0]).outcome == "reject"
    registry.delete(refs[1].id)
    assert [p.external_id for p in registry.people()] == ["E000", "E002"]
    assert registry.db.conn.execute("SELECT count(*) FROM templates WHERE person_id = ?", (refs[1].id,)).fetchone()[0] == 0
    assert registry.identify(vectors[1]).person != refs[1]
    with pytest.raises(NotFoundError):
        registry.delete(refs[1].id)
    with pytest.raises(NotFoundError):
        registry.person("E001")
    assert [p.external_id for p in registry.people("e002")] == ["E002"]
    assert [p.external_id for p in registry.people("%")] == []  # LIKE wildcards are literal


def test_other_pack_templates_are_not_compared_and_flagged(registry, registry_settings, pack):
    refs, vectors = enroll_n(registry, 2)
    registry.close()
    other = dataclasses.replace(pack, name="another-pack")
    with Registry.open(registry_settings, other) as reg:
        assert len(reg.matcher) == 0
        assert reg.identify(vectors[0]).outcome == "reject"
        assert {p.external_id for p in reg.needs_reenrollment()} == {"E000", "E001"}
        reg.re_enroll(refs[0].id, template(vectors[0]))
        assert [p.external_id for p in reg.needs_reenrollment()] == ["E001"]
        assert reg.verify(refs[1].id, vectors[1]).outcome == "reject"


def test_wrong_embedding_size_is_refused(registry):
    with pytest.raises(KioskError, match="values"):
        registry.enroll("Short", "S1", template(np.ones(128, np.float32)))


def test_admin_pin_lockout_grows_and_is_audited(registry):
    assert registry.has_admin() is False
    with pytest.raises(KioskError, match="6 digits"):
        registry.set_admin_pin("admin", "12345")
    with pytest.raises(KioskError, match="6 digits"):
        registry.set_admin_pin("admin", "12345a")
    registry.set_admin_pin("admin", "246810")
    assert registry.has_admin()
    registry.check_admin_pin("admin", "246810")
    waits = []
    for _ in range(admins.FREE_ATTEMPTS):
        with pytest.raises(AuthError) as exc:
            registry.check_admin_pin("admin", "000000")
        waits.append(exc.value.retry_after)
    assert waits[:-1] == [0, 0] and waits[-1] == 30
    with pytest.raises(AuthError) as locked:
        registry.check_admin_pin("admin", "246810")  # even the right PIN waits out the lock
    assert 0 < locked.value.retry_after <= 30
    events = registry.audit_log(event="admin_login")
    assert [e.decision for e in events] == ["reject"] * 4 + ["accept"]


def test_lockout_back_off_doubles_and_resets(registry):
    now = [1000.0]
    db = registry.db
    admins.set_pin(db, "ops", "135790")
    seen = []
    for _ in range(5):
        with pytest.raises(AuthError) as exc:
            admins.check_pin(db, "ops", "999999", clock=lambda: now[0])
        seen.append(exc.value.retry_after)
        now[0] += exc.value.retry_after
    assert seen == [0, 0, 30, 60, 120]
    admins.check_pin(db, "ops", "135790", clock=lambda: now[0])
    with pytest.raises(AuthError) as exc:
        admins.check_pin(db, "ops", "999999", clock=lambda: now[0])
    assert exc.value.retry_after == 0  # success reset the count
    assert admins.lock_seconds(100) == admins.MAX_LOCK_S
    with pytest.raises(AuthError):
        admins.check_pin(db, "nobody", "135790")


def test_audit_log_filters_and_never_holds_vectors(registry):
    refs, vectors = enroll_n(registry, 2)
    registry.identify(vectors[0])
    registry.audit("custom", person_id=refs[1].id, score=0.5, decision="retry", detail="note")
    entries = registry.audit_log()
    assert [e.event for e in entries] == ["custom", "identify", "enroll", "enroll"]
    assert registry.audit_log(since="2999-01-01") == []
    assert [e.event for e in registry.audit_log(limit=1)] == ["custom"]
    columns = [r[1] for r in registry.db.conn.execute("PRAGMA table_info(audit)")]
    assert columns == ["id", "time", "event", "person_id", "score", "decision", "detail", "pseudonym"]


def test_backup_round_trip_between_kiosks(registry, tmp_path, registry_settings, pack, monkeypatch):
    refs, vectors = enroll_n(registry, 4)
    bundle = tmp_path / "people.kbak"
    assert registry.export_backup(bundle, "correct horse") == 4
    raw = bundle.read_bytes()
    assert b"Person 1" not in raw and vectors[1].tobytes()[:16] not in raw
    with pytest.raises(KioskError, match="at least"):
        registry.export_backup(tmp_path / "x", "short")
    registry.close()

    other_kiosk = tmp_path / "other-kiosk"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(other_kiosk))
    settings2 = dataclasses.replace(registry_settings, data_dir=other_kiosk)
    with Registry.open(settings2, pack) as second:
        with pytest.raises(AuthError, match="wrong passphrase"):
            second.import_backup(bundle, "wrong horse")
        tampered = tmp_path / "tampered.kbak"
        tampered.write_bytes(raw[:-40] + bytes([raw[-40] ^ 1]) + raw[-39:])
        with pytest.raises(AuthError):
            second.import_backup(tampered, "correct horse")
        assert second.people() == []
        second.enroll("Old Name", "E002", template(random_vectors(1, pack.embedding_size, 77)[0]))
        assert second.import_backup(bundle, "correct horse") == 4
        assert sorted((p.external_id, p.name) for p in second.people()) == [(f"E{i:03d}", f"Person {i}") for i in range(4)]
        assert second.identify(vectors[2]).person.external_id == "E002"
        assert second.check().ok
    with pytest.raises(StoreError, match="not a kiosk backup"):
        read_bundle(tmp_path / "other-kiosk" / "kiosk.db", "correct horse")


def test_second_process_deleting_a_person_never_breaks_identify(registry, registry_settings, pack):
    refs, vectors = enroll_n(registry, 2)
    with Registry.open(registry_settings, pack) as other:  # e.g. the CLI beside the running kiosk
        other.delete(refs[0].id)
    decision = registry.identify(vectors[0])  # this matcher still holds the row
    assert decision.person != refs[0] and decision.outcome == "reject"
    registry.reload()
    assert len(registry.matcher) == 1
