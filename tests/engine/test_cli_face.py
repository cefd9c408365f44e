"""`kiosk embed`, `kiosk compare` and `kiosk doctor` through the real entry point."""

from __future__ import annotations

import json
import shutil

from kiosk.cli.doctor_cmd import check_security
from kiosk.cli.main import main
from kiosk.config import load_settings
from kiosk.engine.pack import Thresholds


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


def test_doctor_names_the_level_each_capture_runs_with_the_pack(tmp_path):
    """auto is named with the level it runs (adaptive with a measured band, standard without);
    adaptive chosen by name on a pack without a band is a warning (everyone would turn)."""
    settings = load_settings(data_dir=tmp_path, environ={})
    plain, banded = Thresholds(), Thresholds(liveness=0.65, liveness_low=0.49, liveness_high=0.76)
    login, enroll = check_security(settings, banded)
    assert login.status == "ok" and login.detail == "login: auto (runs adaptive with this pack), liveness 0.65, band 0.49 .. 0.76"
    assert enroll.detail == "enroll: strict, liveness 0.65, enclosing-frame cue on"
    login, _ = check_security(settings, plain)
    assert login.detail == "login: auto (runs standard with this pack), liveness 0.50, enclosing-frame cue on"
    settings.login.security = "adaptive"
    login, _ = check_security(settings, plain)
    assert login.status == "warn" and "asks every capture to turn" in login.detail
