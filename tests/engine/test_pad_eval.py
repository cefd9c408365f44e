"""APCER / BPCER / ACER: the definitions on hand-made scores, and ``kiosk liveness eval`` on real attack photos.

The CLI tests use small subsets of ../shared/faces/spoof-dev (the shared machine is slow);
the full-set figures are in docs/capture.md with the commands that produced them.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from kiosk.cli.main import main
from kiosk.engine.pack import load_pack
from kiosk.engine.pad_eval import PadScores, bpcer_threshold, evaluate_pad, operating_point, read_labels
from kiosk.errors import KioskError

# The whole module is in the full suite only: about 65 s of a 20-minute run on 2 loaded cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

JSON_KEYS = {"counts", "skipped", "apcer", "bpcer", "acer", "threshold"}


def _scores(live, spoof, attacks) -> PadScores:
    return PadScores(len(live) + len(spoof), np.asarray(live, float), np.asarray(spoof, float), tuple(attacks), (), 0.0)


def test_apcer_per_attack_type_bpcer_and_acer_by_the_standard():
    s = _scores([0.9, 0.8, 0.7, 0.3], [0.6, 0.1, 0.2, 0.9, 0.05], ["print", "print", "print", "screen", "screen"])
    point = operating_point(s, 0.5)
    assert point.apcer == {"all": 2 / 5, "print": 1 / 3, "screen": 1 / 2}
    assert point.bpcer == 1 / 4
    assert point.acer == pytest.approx((1 / 2 + 1 / 4) / 2)  # the worst attack type counts, not the mean


def test_recommended_threshold_refuses_at_most_five_percent_of_live_faces():
    live = np.linspace(0.2, 0.99, 40)  # 5% of 40 = 2 may fall below
    t = bpcer_threshold(live)
    assert np.count_nonzero(live < t) <= 2
    assert np.count_nonzero(live < t + 0.01) > 2  # and it is the highest such threshold on the 0.01 grid
    assert bpcer_threshold([0.73]) == 0.73


def test_evaluation_needs_both_classes():
    with pytest.raises(KioskError, match="one usable live and one spoof"):
        evaluate_pad(_scores([0.9], [], []), 0.5, security="standard", pack_id="p")


def test_labels_file_problems_are_named(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("file,label\na.jpg,live\n")
    with pytest.raises(KioskError, match="missing column.*image"):
        read_labels(bad)
    rows = tmp_path / "rows.csv"
    rows.write_text("image,label,attack\na.jpg,live,\nb.jpg,maybe,\n,spoof,print\nc.jpg,spoof,\nd.jpg,real,\n")
    got = read_labels(rows)
    assert [r.problem for r in got] == ["", "line 3: label 'maybe' is not live or spoof", "line 4: the image column is empty", "", ""]
    assert got[3].attack == "unspecified" and got[4].label == "live"


def _subset(tmp_path: Path, source: Path, live: int, spoof: int) -> Path:
    """``live`` and ``spoof`` rows spread evenly over a spoof-dev labels file (every k-th: all its people)."""
    with open(source / "labels.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    chosen = []
    for label, n in (("live", live), ("spoof", spoof)):
        of_label = [r for r in rows if r["label"] == label]
        chosen += of_label[:: len(of_label) // n][:n]
    target = tmp_path / f"{source.name}.csv"
    with open(target, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["image", "label", "attack"])
        writer.writeheader()
        writer.writerows(chosen)
    return target


def _eval_json(capsys, *argv) -> dict:
    assert main(["liveness", "eval", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_eval_on_printed_photos(tmp_path, faces_dir, capsys):
    """print-nuaa, 20 live + 20 printed (every 10th): measured APCER 0% and BPCER 5% (1 of 20) at the
    pack's 0.5, recommended threshold 0.52 (the full 400: APCER 0%, BPCER 7.5%; docs/capture.md).

    Asserted: APCER 0, BPCER <= 10%, ACER = (APCER + BPCER) / 2, BPCER <= 5% at the recommendation.
    """
    root = faces_dir / "spoof-dev" / "print-nuaa"
    d = _eval_json(capsys, str(_subset(tmp_path, root, 20, 20)), "--root", str(root))
    assert JSON_KEYS <= set(d)
    assert d["counts"]["live"] == 20 and d["counts"]["attacks"] == {"print": 20} and d["skipped"] == []
    assert d["apcer"]["print"] == 0.0
    assert d["bpcer"] <= 0.10
    assert d["acer"] == pytest.approx((d["apcer"]["print"] + d["bpcer"]) / 2)
    assert all(type(d[k]) is float for k in ("bpcer", "acer", "threshold"))
    assert d["at_recommended"]["bpcer"] <= 0.05


def test_eval_on_tight_recaptures_shows_the_weakness(tmp_path, faces_dir, capsys):
    """recapture-crops, 20 live + 20 recaptures (every 10th): at 0.5 the pair refuses most real faces.

    Measured on this subset: APCER 0%, BPCER 75% at 0.5; at the recommended 0.06 (BPCER 5%) APCER 55%.
    The full 400: APCER 2.5%, BPCER 55.5% at 0.5, APCER 58% at BPCER 5% (docs/capture.md). Asserted:
    BPCER >= 50% at 0.5 and APCER >= 40% at the BPCER-5% threshold, the weakness issue 12 is about.
    """
    root = faces_dir / "spoof-dev" / "recapture-crops"
    d = _eval_json(capsys, str(_subset(tmp_path, root, 20, 20)), "--root", str(root))
    assert d["counts"]["attacks"] == {"recapture": 20}
    assert d["bpcer"] >= 0.5
    assert d["at_recommended"]["bpcer"] <= 0.05 and d["at_recommended"]["apcer"]["all"] >= 0.4


def test_eval_text_report_lists_skipped_rows_and_strict_note(tmp_path, faces_dir, capsys):
    """antispoof: 1 real, 2 attacks, all on the right side of 0.5; a missing photo, a text file and a bad label are listed."""
    root = tmp_path / "photos"
    root.mkdir()
    for name in ("image_T1.jpg", "image_F1.jpg", "image_F2.jpg"):
        shutil.copy(faces_dir / "antispoof" / name, root / name)
    (root / "notes.jpg").write_text("not a photo\n")
    labels = root / "labels.csv"  # no --root: the CSV's folder
    labels.write_text(
        "image,label,attack\nimage_T1.jpg,live,\nimage_F1.jpg,spoof,photo\nimage_F2.jpg,spoof,screen\n"
        "gone.jpg,live,\nnotes.jpg,spoof,print\nimage_T1.jpg,unsure,\n"
    )
    assert main(["liveness", "eval", str(labels), "--security", "strict"]) == 0
    out = capsys.readouterr().out
    assert "2 spoof: 1 photo, 1 screen" in out and "3 skipped" in out
    assert "gone.jpg: no such file" in out and "notes.jpg: not an image" in out and "'unsure' is not live or spoof" in out
    assert "APCER     0.00% (photo 0.00%, screen 0.00%)" in out and "BPCER     0.00%" in out
    assert "strict adds the head-turn challenge" in out


def test_a_bad_labels_file_is_one_clear_error(tmp_path, capsys):
    labels = tmp_path / "labels.csv"
    labels.write_text("picture,label\na.jpg,live\n")
    assert main(["liveness", "eval", str(labels)]) != 0
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "missing column(s) image" in err and "Traceback" not in err


def test_plot_without_matplotlib_is_a_clear_error_before_any_scoring(tmp_path, capsys, monkeypatch):
    """matplotlib is a dev extra: its absence is simulated (fault injection) by hiding the module."""
    labels = tmp_path / "labels.csv"
    labels.write_text("image,label\na.jpg,live\n")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    assert main(["liveness", "eval", str(labels), "--plot", str(tmp_path / "p.png")]) != 0
    assert "plotting needs matplotlib" in capsys.readouterr().err


def test_plot_draws_histograms_and_det_curve(tmp_path, faces_dir, capsys):
    root = faces_dir / "spoof-dev" / "print-nuaa"
    target = tmp_path / "det.png"
    assert main(["liveness", "eval", str(_subset(tmp_path, root, 5, 5)), "--root", str(root), "--plot", str(target)]) == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_calibrate_writes_the_liveness_threshold_into_the_manifest(tmp_path, models_dir, faces_dir, monkeypatch, capsys):
    """20 + 20 print-nuaa photos: the threshold written is the BPCER-5% one the eval recommends."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    source = tmp_path / "src"
    shutil.copytree(models_dir, source)
    assert main(["models", "import", str(source), "--name", "p"]) == 0
    root = faces_dir / "spoof-dev" / "print-nuaa"
    labels = _subset(tmp_path, root, 20, 20)
    capsys.readouterr()
    recommended = _eval_json(capsys, str(labels), "--root", str(root))["threshold"]
    assert main(["models", "calibrate", "p", "--liveness", str(labels), "--root", str(root)]) == 0
    pack = load_pack(tmp_path / "data" / "models" / "p")
    assert pack.thresholds.liveness == recommended != 0.5
    assert not pack.calibrated  # face thresholds were not measured
    assert "liveness" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["liveness", "--help"], ["liveness", "eval", "--help"], ["models", "calibrate", "--help"]])
def test_help_renders(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0 and "usage:" in capsys.readouterr().out
