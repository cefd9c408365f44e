"""Evaluation and calibration on real photos with the real test pack, and ``kiosk eval`` end to end."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import cv2
import pytest

from kiosk.cli.main import main
from kiosk.engine.pairs import calibrate, read_pairs

# The whole module is in the full suite only: about 49 s of a 20-minute run on 2 loaded cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

JSON_KEYS = {"pairs", "skipped", "accuracy", "eer", "tar_at_far", "threshold"}


@pytest.fixture(scope="module")
def deepface_report(pack, analyzer, faces_dir):
    """All 520 deepface pairs (140 same, 380 different) scored once for the module."""
    root = faces_dir / "deepface"
    return calibrate(pack, analyzer, root / "pairs.csv", root)


def test_every_deepface_pair_is_on_the_correct_side_of_the_pack_threshold(deepface_report, pack):
    """Measured: 520/520 = 100% at the pack's high threshold 0.35 (lowest same 0.386, highest different 0.322).

    Asserted: accuracy >= 0.99, every pair used, none skipped.
    """
    acc = deepface_report.evaluation.accuracy
    assert acc.threshold == pack.thresholds.high
    assert acc.total == 520 and not deepface_report.scored.skipped
    assert (len(deepface_report.scored.genuine), len(deepface_report.scored.impostor)) == (140, 380)
    assert acc.value >= 0.99, acc


def test_calibration_reproduces_the_pack_thresholds(deepface_report, pack):
    """The documented rule gives the manifest's high 0.35 / low 0.25 on the deepface pairs, to one step.

    The int8 recognizer's scores depend on the CPU's integer kernels: the highest impostor score
    was 0.322 on an Intel machine (rule: 0.35) and 0.3175 on an AMD EPYC (rule: 0.34, since
    0.3175 + the 0.02 margin rounds to 0.34). So the rule's result is asserted within one 0.01 step
    of the manifest, with the retry band exactly 0.10 below it.
    """
    th = deepface_report.thresholds
    assert abs(th.high - pack.thresholds.high) <= 0.01 + 1e-9, th
    assert th.low == round(th.high - 0.10, 2) and th.liveness == pack.thresholds.liveness
    d = deepface_report.to_dict()
    assert set(d) == JSON_KEYS
    assert d["eer"]["value"] <= 0.01
    assert d["tar_at_far"]["1e-3"]["resolvable"] is False  # 380 impostors
    assert d["tar_at_far"]["1e-2"]["tar"] >= 0.99


def _small_pairs(tmp_path: Path, faces_dir: Path) -> tuple[Path, Path]:
    """Three same and three different deepface pairs, plus a missing photo, a text file named .jpg and a bad label."""
    source = faces_dir / "deepface"
    rows = [p for p in read_pairs(source / "pairs.csv")]
    chosen = [p for p in rows if p.same][:3] + [p for p in rows if not p.same][:3]
    root = tmp_path / "photos"
    root.mkdir()
    for name in {n for p in chosen for n in (p.img_a, p.img_b)}:
        (root / name).symlink_to(source / name)
    (root / "notes.jpg").write_text("this is not a photo\n")
    csv_path = tmp_path / "pairs.csv"
    with open(csv_path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["img_a", "img_b", "same"])
        writer.writerows([p.img_a, p.img_b, int(p.same)] for p in chosen)
        writer.writerow([chosen[0].img_a, "gone.jpg", 1])
        writer.writerow(["notes.jpg", chosen[3].img_b, 0])
        writer.writerow([chosen[0].img_a, chosen[0].img_b, "maybe"])
    return csv_path, root


def test_eval_json_through_the_cli_reports_skipped_pairs_and_evaluates_the_rest(tmp_path, faces_dir, models_dir, capsys):
    csv_path, root = _small_pairs(tmp_path, faces_dir)
    code = main(["--models", str(models_dir), "eval", str(csv_path), "--root", str(root), "--json"])
    out = capsys.readouterr().out
    assert code == 0
    result = json.loads(out)
    assert set(result) == JSON_KEYS
    assert result["pairs"]["listed"] == 9
    assert (result["pairs"]["used"], result["pairs"]["genuine"], result["pairs"]["impostor"]) == (6, 3, 3)
    why = {(s["img_a"], s["img_b"]): s["why"] for s in result["skipped"]}
    assert len(why) == 3
    assert any("img_b: no such file" in w for w in why.values()), why
    assert any(w.startswith("img_a: not an image") for w in why.values()), why
    assert any("'same' is 'maybe'" in w for w in why.values()), why
    assert result["accuracy"]["value"] == 1.0 and result["accuracy"]["total"] == 6
    assert set(result["tar_at_far"]) == {"1e-2", "1e-3"}
    assert {"pack_high", "recommended_high", "recommended_low"} <= set(result["threshold"])


def test_eval_text_report_and_plot_with_models_after_the_subcommand(tmp_path, faces_dir, models_dir, capsys):
    csv_path, root = _small_pairs(tmp_path, faces_dir)
    plot = tmp_path / "scores.png"
    code = main(["eval", str(csv_path), "--root", str(root), "--models", str(models_dir), "--plot", str(plot)])
    captured = capsys.readouterr()
    out = captured.out
    assert code == 0, captured.err
    assert "6 used (3 same, 3 different) of 9 listed; 3 skipped" in out
    assert "accuracy:   100.00% at the pack threshold 0.35" in out
    assert "TAR@FAR 1e-3" in out and "recommended high" in out
    image = cv2.imread(str(plot))
    assert image is not None and image.shape[0] > 200 and image.shape[1] > 400


def test_plot_without_matplotlib_is_one_clear_error_before_any_work(tmp_path, faces_dir, monkeypatch, capsys):
    """Fault injection: matplotlib made unimportable, as in the kiosk bundle."""
    csv_path, root = _small_pairs(tmp_path, faces_dir)
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    plot = tmp_path / "scores.png"
    code = main(["eval", str(csv_path), "--root", str(root), "--plot", str(plot)])
    captured = capsys.readouterr()
    assert code != 0
    assert captured.err.startswith("error: plotting needs matplotlib") and captured.err.count("\n") == 1
    assert "embedding" not in captured.err and not plot.exists()


def test_no_usable_pair_is_an_error_that_says_why(tmp_path, capsys):
    csv_path = tmp_path / "pairs.csv"
    csv_path.write_text("img_a,img_b,same\na.jpg,b.jpg,1\nc.jpg,d.jpg,0\n")
    code = main(["eval", str(csv_path)])
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert code != 0 and len(errors) == 1
    assert "have 0 and 0" in errors[0] and "a.jpg,b.jpg: img_a: no such file" in errors[0]


def test_a_csv_without_the_required_columns_is_refused(tmp_path, capsys):
    csv_path = tmp_path / "pairs.csv"
    csv_path.write_text("first,second,label\na.jpg,b.jpg,1\n")
    assert main(["eval", str(csv_path)]) != 0
    assert "missing column(s) img_a, img_b, same" in capsys.readouterr().err
