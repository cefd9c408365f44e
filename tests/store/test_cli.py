"""The command line end to end with real photos, real models and a real database."""

from __future__ import annotations

import json
import shutil

import pytest

from kiosk.cli.db_cmd import parse_since
from kiosk.cli.main import main
from kiosk.errors import DuplicateError, KioskError, NotFoundError


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def photos(faces_dir, tmp_path):
    """P01's first four photos in a folder, plus a broken file and a group photo."""
    folder = tmp_path / "p01"
    folder.mkdir()
    for name in ("img1.jpg", "img2.jpg", "img4.jpg"):
        shutil.copy(faces_dir / "deepface" / name, folder / name)
    (folder / "broken.jpg").write_bytes(b"not a jpeg")
    shutil.copy(faces_dir / "deepface" / "couple.jpg", folder / "couple.jpg")
    return folder


def test_users_add_identify_verify_delete(capsys, photos, faces_dir, monkeypatch, tmp_path):
    deepface = faces_dir / "deepface"
    code, out, err = run(capsys, "users", "add", "--name", "안젤리나 Jolie", "--id", "P01", str(photos), "--json")
    assert code == 0, err
    added = json.loads(out)
    assert added["used"] == 3 and added["photos"] == 5
    assert {s["path"].rsplit("/", 1)[-1] for s in added["skipped"]} == {"broken.jpg", "couple.jpg"}
    assert "2 faces" in next(s["why"] for s in added["skipped"] if s["path"].endswith("couple.jpg"))

    code, out, err = run(capsys, "users", "add", "--name", "Impostor", "--id", "X9", str(deepface / "img5.jpg"))
    assert code == DuplicateError.exit_code and "already enrolled as '안젤리나 Jolie'" in err

    code, out, _ = run(capsys, "users", "list", "--json")
    listed = json.loads(out)
    assert [(p["id"], p["name"], p["templates"], p["needs_reenroll"]) for p in listed] == [("P01", "안젤리나 Jolie", 1, False)]

    code, out, _ = run(capsys, "identify", str(deepface / "img5.jpg"), "--json")
    result = json.loads(out)
    assert code == 0 and result["decision"] == "accept"
    assert result["person"]["id"] == "P01" and result["person"]["name"] == "안젤리나 Jolie"
    assert result["score"] > 0.4 and result["runner_up"] is None

    code, out, _ = run(capsys, "identify", str(deepface / "img20.jpg"))  # someone else (P07)
    assert code == 0 and "decision: reject" in out
    code, out, _ = run(capsys, "audit", "--json")
    audited = json.loads(out)
    # Issue 21: a diagnostic at the shell is not a sign-in (no "identify" row, no signin event, no trend row).
    assert [e["decision"] for e in audited if e["event"] == "identify_check"] == ["reject", "accept"]
    assert not [e for e in audited if e["event"] == "identify"]
    code, out, _ = run(capsys, "events", "list", "--json")
    assert code == 0 and not [e for e in json.loads(out)["events"] if e["type"].startswith("signin")]
    code, out, _ = run(capsys, "report", "--json")
    assert code == 0 and json.loads(out)["signins"] == 0

    assert run(capsys, "verify", "--id", "P01", str(deepface / "img5.jpg"))[0] == 0
    assert run(capsys, "verify", "--id", "P01", str(deepface / "img20.jpg"))[0] == 1
    code, _, err = run(capsys, "verify", "--id", "NOPE", str(deepface / "img5.jpg"))
    assert code == NotFoundError.exit_code and "NOPE" in err

    monkeypatch.setenv("BK", "long passphrase")
    bundle = tmp_path / "backup.kbak"
    assert run(capsys, "users", "export", str(bundle), "--passphrase-env", "BK")[0] == 0
    code, out, _ = run(capsys, "users", "delete", "P01")
    assert code == 0 and "deleted" in out
    assert json.loads(run(capsys, "users", "list", "--json")[1]) == []
    assert run(capsys, "users", "delete", "P01")[0] == NotFoundError.exit_code
    code, out, _ = run(capsys, "users", "import", str(bundle), "--passphrase-env", "BK")
    assert code == 0 and "imported 1 people" in out
    code, out, _ = run(capsys, "db", "check", "--json")
    assert code == 0 and json.loads(out)["ok"] and json.loads(out)["templates"] == 1

    code, out, _ = run(capsys, "audit", "--json", "--since", "2000-01-01")
    events = [e["event"] for e in json.loads(out)]
    assert events[:3] == ["import", "delete", "export"] and "enroll_refused" in events and "enroll" in events
    assert all("embedding" not in json.dumps(e) for e in json.loads(out))


def test_admin_pin_from_env_and_validation(capsys, monkeypatch):
    monkeypatch.setenv("PIN", "123")
    code, _, err = run(capsys, "admin", "set-pin", "--pin-env", "PIN")
    assert code != 0 and "at least 6 digits" in err
    monkeypatch.setenv("PIN", "987654")  # a run: refused (tests/flows/test_admin_pin.py has more)
    code, _, err = run(capsys, "admin", "set-pin", "--pin-env", "PIN")
    assert code != 0 and "a run, a repeat or a commonly chosen PIN" in err
    monkeypatch.setenv("PIN", "975310")
    assert run(capsys, "admin", "set-pin", "--pin-env", "PIN")[0] == 0
    code, _, err = run(capsys, "admin", "set-pin", "--pin-env", "UNSET_VAR_FOR_TEST")
    assert code != 0 and "UNSET_VAR_FOR_TEST" in err
    code, out, _ = run(capsys, "audit", "--event", "admin_set_pin", "--json")
    assert [e["detail"] for e in json.loads(out)] == ["admin"]


def test_rekey_from_the_command_line(capsys, data_dir):
    key_file = data_dir / "kiosk.db.key"
    assert run(capsys, "db", "check")[0] == 0
    old = key_file.read_text()
    code, out, _ = run(capsys, "db", "rekey")
    assert code == 0 and "re-encrypted" in out
    assert key_file.read_text() != old
    assert run(capsys, "db", "check")[0] == 0


def test_since_is_normalized_to_utc():
    assert parse_since("2026-01-31") == "2026-01-31T00:00:00.000000+00:00"
    assert parse_since("2026-01-31T09:00+09:00") == "2026-01-31T00:00:00.000000+00:00"
    with pytest.raises(KioskError, match="not an ISO"):
        parse_since("yesterday")
