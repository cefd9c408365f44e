"""Face crops in the store: sealed, gone with the person, replaced by re-enrollment, carried by
backups, dropped when the setting is off (real SQLCipher, a real crop from the real models)."""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.flows.faces import encode_crop
from kiosk.registry import Registry
from kiosk.store import faces
from kiosk.store.backup import BackupPerson, read_bundle, write_bundle
from kiosk.store.people import template_records
from tests.store.conftest import random_vectors, template


@pytest.fixture(scope="module")
def crop_bytes(analyzer, faces_dir) -> tuple[bytes, bytes]:
    """Two real 112 px JPEG crops (deepface P01 and P02) as the enroll flow encodes them."""
    return tuple(encode_crop(analyzer.embed_image(faces_dir / "deepface" / name).aligned) for name in ("img1.jpg", "img3.jpg"))


def crop_count(registry) -> int:
    return registry.db.conn.execute("SELECT count(*) FROM face_crops").fetchone()[0]


def test_a_crop_is_sealed_to_its_person_and_never_stored_as_an_image(registry, crop_bytes, db_path):
    jpeg, other = crop_bytes
    assert jpeg[:3] == b"\xff\xd8\xff" and 4000 < len(jpeg) < 8000  # a small JPEG (docs/store.md: 5.5 to 6.6 KB)
    vectors = random_vectors(2, registry.pack.embedding_size)
    ann = registry.enroll("Ann", "A1", template(vectors[0]), face=jpeg)
    bob = registry.enroll("Bob", "B1", template(vectors[1]))
    assert registry.face(ann.id) == jpeg and registry.face(bob.id) is None
    assert {p.external_id: p.has_face for p in registry.people()} == {"A1": True, "B1": False}
    sealed = registry.db.conn.execute("SELECT sealed FROM face_crops WHERE person_id = ?", (ann.id,)).fetchone()[0]
    assert jpeg[:64] not in sealed and jpeg[-64:] not in sealed and b"JFIF" not in sealed
    registry.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    on_disk = db_path.read_bytes()
    assert jpeg[:64] not in on_disk and jpeg[200:264] not in on_disk
    assert registry.check().ok
    # Moved onto another person, the seal fails: no picture shown, and `db check` says so.
    registry.db.conn.execute("INSERT INTO face_crops(person_id, sealed, created) VALUES (?, ?, 'x')", (bob.id, sealed))
    assert registry.face(bob.id) is None
    problems = registry.check().problems
    assert len(problems) == 1 and f"face picture of person {bob.id} failed its seal" in problems[0]


def test_a_crop_goes_with_its_person_and_re_enrollment_replaces_it(registry, crop_bytes):
    jpeg, other = crop_bytes
    vectors = random_vectors(3, registry.pack.embedding_size, seed=4)
    ann = registry.enroll("Ann", "A1", template(vectors[0]), face=jpeg)
    registry.re_enroll(ann.id, template(vectors[1]), face=other)
    assert registry.face(ann.id) == other and crop_count(registry) == 1
    registry.re_enroll(ann.id, template(vectors[2]))  # no crop this time: the old face must not stay
    assert registry.face(ann.id) is None and crop_count(registry) == 0
    registry.re_enroll(ann.id, template(vectors[2]), face=jpeg)
    registry.delete(ann.id)
    assert crop_count(registry) == 0


def test_backups_carry_crops_and_old_backups_without_them_still_restore(registry, crop_bytes, tmp_path, registry_settings, pack, monkeypatch):
    jpeg, _ = crop_bytes
    vectors = random_vectors(2, pack.embedding_size, seed=8)
    registry.enroll("Ann", "A1", template(vectors[0]), face=jpeg)
    registry.enroll("Bob", "B1", template(vectors[1]))
    bundle = tmp_path / "people.kbak"
    registry.export_backup(bundle, "correct horse")
    assert jpeg[:64] not in bundle.read_bytes()
    assert {p.external_id: p.face for p in read_bundle(bundle, "correct horse")} == {"A1": jpeg, "B1": None}
    old = tmp_path / "old.kbak"  # a bundle written before crops existed: no "face" field at all
    with registry.db.guard():
        carl = BackupPerson("C1", "Carl", "active", "2026-01-01T00:00:00Z", template_records(registry.db, registry.person("B1").id))
    write_bundle(old, "correct horse", [carl])
    assert read_bundle(old, "correct horse")[0].face is None
    registry.close()

    other_kiosk = tmp_path / "other-kiosk"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(other_kiosk))
    with Registry.open(dataclasses.replace(registry_settings, data_dir=other_kiosk), pack) as second:
        assert second.import_backup(bundle, "correct horse") == 2
        assert second.import_backup(old, "correct horse") == 1
        people = {p.external_id: p for p in second.people()}
        assert second.face(people["A1"].id) == jpeg  # re-sealed under this kiosk's key and person id
        assert not people["B1"].has_face and not people["C1"].has_face
        second.rekey()
        assert second.face(people["A1"].id) == jpeg and second.check().ok


def test_setting_off_stores_no_crop_and_deletes_the_stored_ones(registry, crop_bytes, registry_settings, pack):
    """Off means no face pictures on the kiosk: none written by enrollment, re-enrollment or a
    backup import, and the stored ones deleted (audited) when the database is next opened."""
    jpeg, other = crop_bytes
    vectors = random_vectors(2, pack.embedding_size, seed=12)
    ann = registry.enroll("Ann", "A1", template(vectors[0]), face=jpeg)
    bundle = registry_settings.data_dir / "with-face.kbak"
    registry.export_backup(bundle, "correct horse")
    registry.close()
    off = dataclasses.replace(registry_settings, enroll=dataclasses.replace(registry_settings.enroll, store_face_crops=False))
    with Registry.open(off, pack) as kiosk:
        assert crop_count(kiosk) == 0 and kiosk.face(ann.id) is None
        assert [e.detail for e in kiosk.audit_log(event="faces_deleted")] == ["1 face pictures"]
        bob = kiosk.enroll("Bob", "B1", template(vectors[1]), face=other)
        kiosk.re_enroll(ann.id, template(vectors[0]), face=jpeg)
        assert crop_count(kiosk) == 0 and kiosk.face(bob.id) is None
        kiosk.import_backup(bundle, "correct horse")  # the bundle's picture is not restored either
        assert crop_count(kiosk) == 0
    with Registry.open(off, pack) as again:  # nothing left to delete: no second audit row
        assert len(again.audit_log(event="faces_deleted")) == 1


def test_a_fleet_pull_keeps_the_crop_of_the_same_enrollment_and_drops_an_outdated_one(registry, crop_bytes):
    jpeg, _ = crop_bytes
    vectors = random_vectors(2, registry.pack.embedding_size, seed=16)
    ann = registry.enroll("Ann", "A1", template(vectors[0]), face=jpeg)
    with registry.db.guard():
        records = template_records(registry.db, ann.id)
    registry.apply_remote([BackupPerson("A1", "Ann Renamed", "active", "2026-01-01T00:00:00Z", records)], [])
    assert registry.face(ann.id) == jpeg  # renamed elsewhere: still the face of these templates
    newer = [dataclasses.replace(records[0], vector=vectors[1], created="2099-01-01T00:00:00Z")]
    registry.apply_remote([BackupPerson("A1", "Ann Renamed", "active", "2026-01-01T00:00:00Z", newer)], [])
    assert registry.face(ann.id) is None  # re-enrolled at another kiosk: the old face would mislead
    assert faces.rows(registry.db) == []


def test_cli_lists_whether_a_face_is_stored_and_exports_it(capsys, faces_dir, tmp_path, monkeypatch):
    import json

    import cv2

    from kiosk.cli.main import main
    from kiosk.errors import KioskError, NotFoundError

    assert main(["users", "add", "--name", "Angelina Jolie", "--id", "P01", str(faces_dir / "deepface" / "img1.jpg"), str(faces_dir / "deepface" / "img2.jpg")]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--json"]) == 0
    assert [(p["id"], p["face"]) for p in json.loads(capsys.readouterr().out)] == [("P01", True)]
    out = tmp_path / "p01.png"
    assert main(["users", "face", "P01", "--out", str(out)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and cv2.imread(str(out)).shape == (112, 112, 3)
    assert out.stat().st_mode & 0o077 == 0  # a face picture is personal data: owner-only, like the key
    assert main(["users", "face", "P01", "--out", str(tmp_path / "p01.gif")]) == KioskError.exit_code
    assert "use a .png or .jpg" in capsys.readouterr().err

    monkeypatch.setenv("KIOSK_ENROLL_STORE_FACE_CROPS", "off")  # turning it off deletes the stored ones
    assert main(["users", "face", "P01", "--out", str(out)]) == NotFoundError.exit_code
    assert "no face picture stored for Angelina Jolie" in capsys.readouterr().err
