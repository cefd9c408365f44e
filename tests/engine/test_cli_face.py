"""`kiosk embed`, `kiosk compare` and `kiosk doctor` through the real entry point."""

from __future__ import annotations

import json
import shutil

from kiosk.cli.main import main


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_compare_bands(capsys, faces_dir):
    deep = faces_dir / "deepface"
    code, out, _ = _run(capsys, "compare", str(deep / "img1.jpg"), str(deep / "img2.jpg"), "--json")
    same = json.loads(out)
    assert code == 0 and same["band"] == "accept" and same["score"] >= same["high"]
    code, out, _ = _run(capsys, "compare", str(deep / "img1.jpg"), str(deep / "img20.jpg"), "--json")
    different = json.loads(out)
    assert different["band"] == "reject" and different["score"] < different["low"]


def test_embed_folder_reports_bad_files_and_continues(capsys, faces_dir, tmp_path):
    shutil.copy(faces_dir / "deepface" / "img1.jpg", tmp_path / "good.jpg")
    (tmp_path / "notes.jpg").write_text("not a picture")
    code, out, err = _run(capsys, "embed", str(tmp_path), "--json")
    rows = {r["image"].rsplit("/", 1)[-1]: r for r in json.loads(out)["images"]}
    assert code != 0
    assert len(rows["good.jpg"]["embedding"]) == 512
    assert "not an image" in rows["notes.jpg"]["error"]
    assert "Traceback" not in err


def test_missing_pack_is_one_clear_line(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_MODELS", str(tmp_path / "nowhere"))
    code, _, err = _run(capsys, "compare", "a.jpg", "b.jpg")
    assert code != 0
    assert err.startswith("error:") and "nowhere" in err and len(err.strip().splitlines()) == 1


def test_doctor_json(capsys):
    code, out, _ = _run(capsys, "doctor", "--json", "--cameras", "0")
    report = json.loads(out)
    names = {c["name"]: c["status"] for c in report["checks"]}
    assert code == 0 and report["ok"]
    assert names["model pack"] == "ok" and names["models load"] == "ok" and names["data folder"] == "ok"


def test_doctor_exits_non_zero_when_a_check_fails(capsys, tmp_path, monkeypatch, data_dir):
    """Issue 21's case: config.toml named the pack by a relative path and the kiosk was started
    from another folder. Doctor must say FAIL and exit non-zero, so a script or the installer
    can act on it (this already held on main: kept as a regression test)."""
    monkeypatch.delenv("KIOSK_MODELS")
    (data_dir / "config.toml").write_text('models = "../shared/models/test-pack"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # from here the relative path names nothing
    code, out, _ = _run(capsys, "doctor", "--cameras", "0")
    assert code == 1
    assert any(line.startswith("FAIL  model pack") and "model pack folder not found" in line for line in out.splitlines())
