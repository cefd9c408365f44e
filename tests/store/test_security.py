"""Keys, at-rest secrecy, tampering and damaged files: one clear message, nothing changed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.errors import KeyStoreError, StoreError, TamperError
from kiosk.registry import Registry
from kiosk.store import keys
from kiosk.store.db import PAGE_SIZE, Database
from kiosk.store.rekey import rekey
from kiosk.store.seal import encode
from kiosk.store.keys import DpapiWrap, EnvKeyStore, FileKeyStore, PlainWrap, key_store_for, loose_permission_problem
from tests.store.conftest import random_vectors, template

SECRET_NAME = "Zebulon Quixote-Marchetti"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def populated(registry_settings, pack, db_path):
    """A closed database holding two people; returns their vectors."""
    vectors = random_vectors(2, pack.embedding_size, 3)
    with Registry.open(registry_settings, pack) as reg:
        reg.enroll(SECRET_NAME, "Z1", template(vectors[0]))
        reg.enroll("Second Person", "Z2", template(vectors[1]))
    assert not db_path.with_name("kiosk.db-wal").exists()
    return vectors


def run_cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_key_file_is_created_owner_only(populated, db_path):
    key_file = db_path.with_name("kiosk.db.key")
    assert (key_file.stat().st_mode & 0o777) == 0o600
    assert (db_path.stat().st_mode & 0o777) == 0o600


def test_loose_key_file_is_refused_and_database_untouched(populated, db_path, capsys):
    key_file = db_path.with_name("kiosk.db.key")
    key_file.chmod(0o644)
    before = digest(db_path)
    code, out, err = run_cli(capsys, "users", "list")
    assert code == StoreError.exit_code
    assert err.count("\n") == 1 and err.startswith("error: refusing key file")
    assert "mode 0644" in err and f"chmod 600 {key_file}" in err
    assert digest(db_path) == before


def test_wrong_key_is_one_clear_message_and_database_untouched(populated, db_path, capsys, monkeypatch):
    before = digest(db_path)
    monkeypatch.setenv("KIOSK_DB_KEY", "ab" * 32)
    code, out, err = run_cli(capsys, "users", "list")
    assert code != 0
    assert err.count("\n") == 1 and f"wrong database key for {db_path}" in err
    assert "Traceback" not in err
    assert digest(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith("kiosk.db")) == ["kiosk.db", "kiosk.db.key"]


def test_missing_key_is_refused_without_making_a_new_one(populated, db_path, capsys):
    key_file = db_path.with_name("kiosk.db.key")
    key_file.unlink()
    before = digest(db_path)
    code, out, err = run_cli(capsys, "db", "check")
    assert code != 0 and err.count("\n") == 1
    assert f"no database key for {db_path}" in err and str(key_file) in err
    assert digest(db_path) == before and not key_file.exists()


def test_bad_env_key_is_named(monkeypatch, db_path):
    with pytest.raises(KeyStoreError, match="KIOSK_DB_KEY holds a 3-byte key"):
        Database.open(db_path, EnvKeyStore("abcdef"))
    with pytest.raises(KeyStoreError, match="not a hex key"):
        Database.open(db_path, EnvKeyStore("zz" * 32))
    assert not db_path.exists()


def test_env_key_opens_and_cannot_be_rekeyed(db_path):
    store = EnvKeyStore(keys.new_key().hex())
    db = Database.open(db_path, store)
    with pytest.raises(KeyStoreError, match="KIOSK_DB_KEY"):
        rekey(db)
    db.close()
    Database.open(db_path, store).close()


def test_key_store_choice_per_platform(tmp_path):
    db = tmp_path / "kiosk.db"
    assert isinstance(key_store_for(db, "linux", {"KIOSK_DB_KEY": "00" * 32}), EnvKeyStore)
    win = key_store_for(db, "win32", {})
    assert isinstance(win, FileKeyStore) and isinstance(win.wrapper, DpapiWrap)
    assert win.path.name == "kiosk.db.key.dpapi" and not win.wrapper.check_permissions
    posix = key_store_for(db, "linux", {})
    assert isinstance(posix.wrapper, PlainWrap) and posix.path.name == "kiosk.db.key"


def test_permission_rule():
    assert loose_permission_problem(0o100600) is None
    assert loose_permission_problem(0o100400) is None
    assert "mode 0640" in loose_permission_problem(0o100640)
    assert "mode 0606" in loose_permission_problem(0o100606)


def test_dpapi_flags_and_non_windows_failure(tmp_path):
    from kiosk.store import dpapi

    assert dpapi.FLAGS == 0x05  # UI forbidden + local machine: no prompt, machine scope
    store = FileKeyStore(tmp_path / "k.dpapi", DpapiWrap())
    (tmp_path / "k.dpapi").write_bytes(b"\x01\x00\x00\x00blob")
    if os.name != "nt":
        with pytest.raises(KeyStoreError, match="cannot unwrap"):
            store.load()


def test_file_holds_neither_names_nor_template_bytes(registry_settings, pack, db_path):
    vectors = random_vectors(3, pack.embedding_size, 11)
    reg = Registry.open(registry_settings, pack)
    for i, v in enumerate(vectors):
        reg.enroll(f"{SECRET_NAME} {i}", f"Q{i}", template(v))
    # The enrolled float32 vector and the int8 form the seal actually holds.
    stored = [form for v in vectors for form in (v.astype("<f4").tobytes(), encode(v))]

    def assert_secret(blob: bytes) -> None:
        assert SECRET_NAME.encode() not in blob and SECRET_NAME.encode("utf-16-le") not in blob
        for raw in stored:
            for start in range(0, len(raw), 256):
                assert raw[start : start + 32] not in blob

    wal = db_path.with_name("kiosk.db-wal")
    assert wal.exists()  # while open, the newest pages sit in the WAL: check it too
    assert_secret(db_path.read_bytes() + wal.read_bytes())
    reg.close()
    assert_secret(db_path.read_bytes())


def test_moved_template_is_reported_as_tampering(populated, registry_settings, pack, capsys):
    with Registry.open(registry_settings, pack) as reg:
        conn = reg.db.conn
        z1, z2 = (reg.person(x).id for x in ("Z1", "Z2"))
        conn.execute("UPDATE templates SET person_id = ? WHERE person_id = ?", (z2, z1))  # Z1's face now claims to be Z2
    with Registry.open(registry_settings, pack) as reg:  # the kiosk still starts for everyone else
        assert len(reg.matcher) == 1 and len(reg.tampered) == 1
        assert "altered or moved" in reg.tampered[0].message
        assert reg.identify(populated[0]).person is None or reg.identify(populated[0]).outcome == "reject"
        with pytest.raises(TamperError, match="altered or moved"):
            reg.export_backup(reg.db.path.with_name("b.kbak"), "passphrase")
    code, out, err = run_cli(capsys, "db", "check")
    assert code == 1 and "seal:" in out and f"of person {z2}" in out


def test_copied_sealed_blob_is_reported_as_tampering(populated, registry_settings, pack):
    with Registry.open(registry_settings, pack) as reg:
        conn = reg.db.conn
        z1, z2 = (reg.person(x).id for x in ("Z1", "Z2"))
        blob = conn.execute("SELECT sealed FROM templates WHERE person_id = ?", (z1,)).fetchone()[0]
        conn.execute("UPDATE templates SET sealed = ? WHERE person_id = ?", (blob, z2))
        report = reg.check()
    assert not report.ok and len(report.problems) == 1 and f"of person {z2}" in report.problems[0]


@pytest.mark.parametrize("damage", ["truncate-half", "truncate-odd", "empty", "garbage-pages", "garbage-header"])
def test_damaged_file_names_the_file_and_the_backup(populated, db_path, capsys, damage):
    raw = db_path.read_bytes()
    damaged = {
        "truncate-half": raw[: len(raw) // 2 // 4096 * 4096],
        "truncate-odd": raw[: len(raw) - 1000],
        "empty": b"",
        "garbage-pages": raw[:PAGE_SIZE] + os.urandom(len(raw) - PAGE_SIZE),  # all but the header page
        "garbage-header": os.urandom(100) + raw[100:],  # indistinguishable from a wrong key
    }[damage]
    db_path.write_bytes(damaged)
    for argv in (("db", "check"), ("users", "list")):
        code, out, err = run_cli(capsys, *argv)
        assert code == StoreError.exit_code
        assert err.count("\n") == 1 and str(db_path) in err and "restore" in err and "backup" in err
        assert db_path.read_bytes() == damaged
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith("kiosk.db")) == ["kiosk.db", "kiosk.db.key"]


def test_one_damaged_page_is_found_by_db_check(populated, db_path, capsys):
    raw = db_path.read_bytes()
    damaged = raw[:-PAGE_SIZE] + os.urandom(PAGE_SIZE)
    db_path.write_bytes(damaged)
    code, out, err = run_cli(capsys, "db", "check")
    assert code == StoreError.exit_code and f"database {db_path} is damaged" in err and "backup" in err
    assert db_path.read_bytes() == damaged
