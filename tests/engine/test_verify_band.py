"""The 1:1 (card + face) band: calibrated by ``kiosk models calibrate --verify-far`` on the
deepface pairs (140 same-person, 380 different-person), beside the 1:N ``high``."""

from __future__ import annotations

import json
import shutil

import pytest

from kiosk.cli.main import main
from kiosk.engine.calibration import verify_band
from kiosk.engine.pack import load_pack
from kiosk.errors import KioskError


def test_the_verify_threshold_follows_the_far_it_is_asked_for():
    """Synthetic scores: at FAR 1/4 one impostor of four may pass, so the threshold drops
    below the highest impostor (0.40) to just above the second (0.30), plus the 0.02 margin: 0.32."""
    genuine, impostor = [0.50, 0.60, 0.35], [0.10, 0.20, 0.30, 0.40]
    strict = verify_band(genuine, impostor, 0.01, identify_high=0.42)
    loose = verify_band(genuine, impostor, 0.25, identify_high=0.42)
    assert strict.threshold == 0.42 and strict.far == 0.0
    assert loose.threshold == 0.32 and loose.far == 0.25 and loose.tar == 1.0 and loose.identify_tar == pytest.approx(2 / 3)
    with pytest.raises(KioskError, match="between 0 and 1"):
        verify_band(genuine, impostor, 1.5, identify_high=0.42)


@pytest.mark.slow
def test_calibrate_writes_a_verify_threshold_below_the_identify_one(tmp_path, models_dir, faces_dir, capsys, monkeypatch):
    """Measured on the test pack (CPU, int8 recognizer): 1:N high 0.35 (FAR 1e-3 rule: the
    zero-false-accept point 0.322 + 0.02) accepts 140/140 same-person pairs; the 1:1 threshold
    at FAR 1e-2 (3 of 380 impostors allowed) is 0.29 (FAR point 0.26 + 0.02, rounded up), lets
    1 of 380 different-person pairs through, and accepts 140/140.
    Asserted: written to the manifest, below high, FAR at it <= 1e-2, no genuine pair lost."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    shutil.copytree(models_dir, tmp_path / "src")
    assert main(["models", "import", str(tmp_path / "src"), "--name", "p"]) == 0
    capsys.readouterr()
    root = faces_dir / "deepface"
    args = ["models", "calibrate", "p", "--pairs", str(root / "pairs.csv"), "--root", str(root), "--verify-far", "0.01", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    v = out["verify"]
    pack = load_pack(tmp_path / "data" / "models" / "p")
    assert pack.thresholds.verify == v["threshold"] and pack.thresholds.high == v["identify_high"]
    assert v["threshold"] < v["identify_high"], v
    assert v["far"] <= 0.01 and v["tar"] == 1.0 and v["identify_tar"] == 1.0, v
    # A later calibration without --verify-far keeps the 1:1 threshold.
    assert main(["models", "calibrate", "p", "--pairs", str(root / "pairs.csv"), "--root", str(root)]) == 0
    assert load_pack(tmp_path / "data" / "models" / "p").thresholds.verify == v["threshold"]
    assert "1:1 verify" not in capsys.readouterr().out
    assert main(["models", "calibrate", "p", "--liveness", str(root / "x.csv"), "--root", str(root), "--verify-far", "0.01"]) != 0
    assert "--verify-far needs --pairs" in capsys.readouterr().err
