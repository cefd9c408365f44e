"""Privacy from the shell, end to end with real photos, models and database: consent on
``users add``, ``users report`` before and after ``users delete``, ``db purge``."""

from __future__ import annotations

import json

from kiosk.cli.main import main
from kiosk.flows.consent import ConsentRequired
from kiosk.registry import Registry


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_consent_required_report_delete_and_purge(capsys, faces_dir, data_dir, models_dir, pack, tmp_path):
    photo = str(faces_dir / "deepface" / "img1.jpg")
    (data_dir / "config.toml").write_text("[enroll]\nconsent_required = true\n[retention]\naudit_days = 30\n", encoding="utf-8")

    code, _, err = run(capsys, "users", "add", "--name", "민지", "--id", "P01", photo)
    assert code == ConsentRequired.exit_code and "enroll.consent_required" in err and "--consent-version" in err
    code, _, err = run(capsys, "users", "add", "--name", "민지", "--id", "P01", photo, "--consent-version", "HR-form-3")
    assert code == 0, err

    out_json = tmp_path / "p01.json"
    assert run(capsys, "users", "report", "P01", "--out", str(out_json))[0] == 0
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert (report["id"], report["name"], report["held"], report["consent_version"]) == ("P01", "민지", True, "HR-form-3")
    assert len(report["looks"]) == 1 and report["face_picture"] and [a["event"] for a in report["audit"]] == ["enroll"]
    with Registry.open(_settings(data_dir, models_dir), pack) as registry:
        sealed = registry.db.conn.execute("SELECT sealed FROM templates").fetchone()[0]
        crop = registry.db.conn.execute("SELECT sealed FROM face_crops").fetchone()[0]
    text_out = tmp_path / "p01.txt"
    assert run(capsys, "users", "report", "P01", "--out", str(text_out), "--language", "ko")[0] == 0
    text = text_out.read_text(encoding="utf-8")
    assert "이름: 민지" in text and "HR-form-3" in text
    for written in (out_json.read_bytes(), text_out.read_bytes()):
        assert sealed[:16] not in written and sealed.hex()[:32].encode() not in written and crop[:16] not in written

    assert run(capsys, "users", "delete", "P01")[0] == 0
    code, out, _ = run(capsys, "users", "report", "P01", "--json")
    after = json.loads(out)
    assert code == 0 and not after["held"] and after["audit"] == [] and after["pseudonymised_on_deletion"]
    code, out, _ = run(capsys, "users", "report", "P01")
    assert "Nothing is held about ID P01" in out and "pseudonymised" in out
    code, out, _ = run(capsys, "audit", "--json")
    rows = json.loads(out)
    assert {r["event"] for r in rows if r["pseudonym"]} == {"enroll", "delete"} and all(r["person_id"] is None for r in rows)

    with Registry.open(_settings(data_dir, models_dir), pack) as registry, registry.db.transaction():
        registry.db.conn.execute("UPDATE audit SET time = '2020-01-01T00:00:00.000000+00:00' WHERE event = 'enroll'")  # the deleted person's, now pseudonymised
    code, out, _ = run(capsys, "db", "purge", "--dry-run", "--json")
    assert code == 0 and json.loads(out) == {"dry_run": True, "audit": 1, "events": 0, "stats": 0, "punches": 0}
    code, out, _ = run(capsys, "db", "purge")
    assert code == 0 and out.strip() == "deleted: audit 1, events 0, stats 0, punches 0"
    code, out, _ = run(capsys, "audit", "--json", "--event", "retention_purge")
    assert [r["detail"] for r in json.loads(out)] == ["audit 1, events 0, stats 0, punches 0"]


def _settings(data_dir, models_dir):
    from kiosk.config import load_settings

    return load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})
