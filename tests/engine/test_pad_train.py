"""``kiosk liveness train`` and the engine under it: held out by source, a verified pack out, ``liveness eval`` on it.

The end-to-end test trains on 48 real in-context frames of ../shared/faces/spoof-context (4 sources x
6 live + 6 attacks, every k-th frame) with 2 model runs, so it is slow-marked but small; the full
figures (all 8 sources plus NUAA and recapture, 4 runs) are in docs/capture.md with their commands.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from kiosk.cli.liveness_train import labelled_items
from kiosk.cli.main import main
from kiosk.engine.pack import load_pack
from kiosk.engine.pad_train import SITE_SLACK, groups_of, leave_one_out, site_scores, train_fusion
from kiosk.engine.scene_cues import NEUTRAL, RING_BRIGHTNESS, ring_brightness
from kiosk.errors import KioskError, ModelPackError
from tests.context_rows import SOURCES, context_rows

EXTRA = "minifas_celeba_128.onnx"


def test_held_out_by_source_means_a_source_never_trains_its_own_model():
    """A column that names the source (and so the label, within each source) is useless held out by source.

    Rows of 4 sources; in sources a and b live rows have x = +1, in c and d -1: in-sample the
    column separates perfectly within each pair of sources, held out the sign flips with the source.
    A second column carries the label weakly everywhere: held out it is what is left.
    """
    rng = np.random.default_rng(0)
    n = 40
    sources = np.repeat(["a", "b", "c", "d"], n)
    live = np.tile(np.r_[np.ones(n // 2, bool), np.zeros(n // 2, bool)], 4)
    sign = np.where(np.isin(sources, ["a", "b"]), 1.0, -1.0)
    leaky = np.where(live, sign, -sign) + rng.normal(0, 0.1, 4 * n)
    honest = live * 1.0 + rng.normal(0, 0.7, 4 * n)
    names = ("leaky.onnx@1", "honest.onnx@1")
    held = leave_one_out(names, np.c_[leaky, honest], live, sources, runs=1)
    assert held.how == "leave one source out"
    assert [f.source for f in held.figures] == ["a", "b", "c", "d"]
    assert {f.live for f in held.figures} == {n // 2}
    assert np.all(~np.isnan(held.probability))
    trained = train_fusion(names, np.c_[leaky, honest], live, sources, runs=1)
    assert trained.features == ("honest.onnx@1",)  # chosen on held-out sources, not on the leak
    assert trained.liveness_low <= trained.liveness <= trained.liveness_high


def test_a_taught_site_sets_its_own_thresholds_within_the_other_rooms_slack():
    """A kiosk's own camera scores its attacks where other rooms' real faces are: its own real faces set the threshold.

    Three rooms: real faces x ~ N(1, 0.5), attacks N(-1, 0.5). The site: real faces N(3, 0.2),
    attacks N(0.3, 0.02), above the pooled rule's threshold (it refuses 5% of everyone's real faces).
    Calibrated on the site, the threshold rises until it refuses TARGET + SITE_SLACK of the other
    rooms' real faces, and no further: there it refuses the site's attacks.
    """
    rng = np.random.default_rng(1)
    n = 40
    x = np.r_[
        np.concatenate([np.r_[rng.normal(1, 0.5, n), rng.normal(-1, 0.5, n)] for _ in range(3)]),
        rng.normal(3, 0.2, 20),
        rng.normal(0.3, 0.02, 20),
    ][:, None]
    live = np.r_[np.tile(np.r_[np.ones(n, bool), np.zeros(n, bool)], 3), np.ones(20, bool), np.zeros(20, bool)]
    sources = np.r_[np.repeat(["a", "b", "c"], 2 * n), ["site"] * 40]
    names = ("a.onnx@1",)
    pooled = train_fusion(names, x, live, sources, runs=1)
    taught = train_fusion(names, x, live, sources, runs=1, calibrate_on="site")
    p = pooled.model.probability(x)  # one feature: both models order the rows alike
    site, others = sources == "site", sources != "site"
    assert np.mean(p[site & ~live] >= pooled.liveness) > 0.9  # the pooled rule lets the site's attacks in
    q = taught.model.probability(x)
    assert np.mean(q[site & ~live] >= taught.liveness) == 0.0 and np.mean(q[site & live] < taught.liveness) == 0.0
    assert np.mean(q[others & live] < taught.liveness) <= 0.05 + SITE_SLACK + 0.05  # held out vs in-sample: a little room
    assert taught.liveness_low <= taught.liveness <= taught.liveness_high
    held = site_scores(x, live, site)
    assert np.isnan(held[others]).all() and not np.isnan(held[site]).any()


def test_one_source_is_held_out_in_blocks_of_file_order():
    groups, how = groups_of(np.array(["x"] * 23))
    assert how == "5 blocks in file order"
    assert groups.tolist() == sorted(groups.tolist()) and len(set(groups.tolist())) == 5


def test_training_needs_both_labels():
    with pytest.raises(ValueError, match="both genuine"):
        train_fusion(("a.onnx@1",), np.zeros((4, 1)), [True] * 4, ["s"] * 4)


def test_ring_brightness_is_dark_around_a_lit_screen_and_neutral_without_surroundings():
    frame = np.full((200, 200, 3), 40, np.uint8)
    frame[80:120, 80:120] = 200  # a bright face in a dark room: what a phone held up shows
    box = np.array([80, 80, 120, 120], np.float32)
    assert ring_brightness(frame, box) < -1.0
    assert ring_brightness(np.full((200, 200, 3), 90, np.uint8), box) == pytest.approx(0.0, abs=1e-6)
    from kiosk.engine.scene_cues import scene_cue

    assert scene_cue(RING_BRIGHTNESS, frame, box, surroundings=False) == NEUTRAL


def _write_labels(path: Path, rows: list[dict], source_column: bool = True) -> Path:
    fields = ["image", "label", "attack", "source"] if source_column else ["image", "label", "attack"]
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_bad_rows_and_missing_images_are_one_clear_error_before_any_model_loads(tmp_path):
    labels = _write_labels(tmp_path / "l.csv", [{"image": "a.jpg", "label": "live"}, {"image": "b.jpg", "label": "maybe"}])
    with pytest.raises(KioskError, match=r"1 bad row\(s\).*line 3: label 'maybe'"):
        labelled_items([labels], None)
    labels = _write_labels(tmp_path / "m.csv", [{"image": "a.jpg", "label": "live"}, {"image": "b.jpg", "label": "spoof"}])
    with pytest.raises(KioskError, match=r"2 image\(s\) not found: .*a\.jpg") as err:
        labelled_items([labels], None)
    assert "--root" in err.value.hint


def test_train_command_refuses_a_non_empty_out_and_a_missing_csv(tmp_path, models_dir, capsys):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "x").write_text("keep me")
    assert main(["liveness", "train", "--labels", str(tmp_path / "nope.csv"), "--pack", str(models_dir), "--out", str(tmp_path / "o")]) != 0
    assert "nope.csv" in capsys.readouterr().err
    labels = _write_labels(tmp_path / "l.csv", [{"image": "a.jpg", "label": "live"}])
    (tmp_path / "a.jpg").write_bytes(b"x")
    code = main(["liveness", "train", "--labels", str(labels), "--pack", str(models_dir), "--out", str(tmp_path / "out")])
    assert code != 0 and "both live and spoof" in capsys.readouterr().err
    assert (tmp_path / "out" / "x").read_text() == "keep me"


@pytest.fixture(scope="module")
def strong_source(models_dir, faces_dir, tmp_path_factory) -> Path:
    """The test pack with the CelebA-Spoof model beside it, imported (a manifest of its own)."""
    root = tmp_path_factory.mktemp("train-src")
    src = root / "src"
    src.mkdir()
    for f in models_dir.glob("*.onnx"):
        shutil.copy(f, src / f.name)
    shutil.copy(faces_dir.parent / "models" / "liveness-extra" / EXTRA, src / EXTRA)
    from kiosk.engine.pack_import import import_pack

    return import_pack(src, root / "models", "strong").root


@pytest.mark.slow
def test_train_writes_a_verified_pack_that_eval_reports(tmp_path, strong_source, faces_dir, capsys):
    """48 frames of 4 sources, 2 runs: a pack with the fusion, the band and the face thresholds of its source.

    Asserted (not figures: 12 frames per source say little): one held-out row per source, a band
    around the standard threshold, the pack verifies and a tampered fusion is refused, and
    ``liveness eval --models NEWPACK --security adaptive`` scores 48 other frames with it.
    """
    root = faces_dir / "spoof-context"
    train = _write_labels(tmp_path / "train.csv", context_rows(faces_dir, 6))
    out = tmp_path / "new"
    argv = ["liveness", "train", "--labels", str(train), "--root", str(root), "--pack", str(strong_source), "--out", str(out)]
    assert main([*argv, "--runs", "2", "--cache", str(tmp_path / "cache"), "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert "measuring" in captured.err and "held out" in captured.err
    assert report["held_out"] == "leave one source out" and [s["source"] for s in report["sources"]] == list(SOURCES)
    assert all(s["live"] == 6 and s["spoof"] == 6 for s in report["sources"])
    pack = load_pack(out)
    fusion = pack.liveness_fusion
    assert fusion.file == "liveness_fusion.onnx" and tuple(report["features"]) == fusion.features
    assert RING_BRIGHTNESS in fusion.features and len({f.split(":")[0] for f in fusion.features if "@" in f}) == 2
    t = pack.thresholds
    assert (t.liveness_low, t.liveness, t.liveness_high) == tuple(report["thresholds"][k] for k in ("liveness_low", "liveness", "liveness_high"))
    assert t.liveness_low <= t.liveness <= t.liveness_high
    source = load_pack(strong_source)
    assert (t.high, t.low) == (source.thresholds.high, source.thresholds.low)
    assert {f.file for f in pack.files} == {f.file for f in source.files} | {"liveness_fusion.onnx"}
    assert list((tmp_path / "cache").glob("pad-features-*.npz"))  # measured once, kept for the next run

    test = _write_labels(tmp_path / "test.csv", context_rows(faces_dir, 6, offset=3))
    assert main(["liveness", "eval", str(test), "--root", str(root), "--models", str(out), "--security", "adaptive", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["counts"]["live"] + d["counts"]["spoof"] + d["counts"]["skipped"] == 48
    assert d["adaptive"]["refuse_below"] == t.liveness_low and d["adaptive"]["accept_from"] == t.liveness_high

    with open(out / "liveness_fusion.onnx", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelPackError, match="sha256 mismatch"):
        load_pack(out)


def test_train_help_renders(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["liveness", "train", "--help"])
    assert exit_.value.code == 0 and "--labels" in capsys.readouterr().out


def test_columns_join_rows_measured_with_every_candidate_to_a_packs_features():
    from kiosk.engine.pad_train import columns

    x = np.arange(12.0).reshape(3, 4)
    assert columns(("a", "b", "c", "d"), x, ("d", "b")).tolist() == [[3.0, 1.0], [7.0, 5.0], [11.0, 9.0]]
    with pytest.raises(ValueError, match="feature\\(s\\) e were not measured"):
        columns(("a", "b", "c", "d"), x, ("a", "e"))


def test_eval_reports_the_adaptive_band_in_json_and_words():
    """Scores by hand: live 0.1, 0.5, 0.9, 0.95; attacks 0.2, 0.6, 0.95 and band 0.3 .. 0.9."""
    from kiosk.cli.liveness_cmd import format_report
    from kiosk.engine.pad_eval import PadScores, evaluate_pad

    scores = PadScores(7, np.array([0.1, 0.5, 0.9, 0.95]), np.array([0.2, 0.6, 0.95]), ("phone",) * 3, (), 0.0)
    evaluation = evaluate_pad(scores, 0.5, security="adaptive", pack_id="p", band=(0.3, 0.9))
    a = evaluation.to_dict()["adaptive"]
    assert (a["refuse_below"], a["accept_from"]) == (0.3, 0.9)
    assert a["apcer"]["phone"] == pytest.approx(1 / 3)  # only the attack at 0.95 passes without a turn
    assert a["bpcer"] == 0.25 and a["asked_to_turn"] == 0.25 and a["attacks_asked_to_turn"] == pytest.approx(1 / 3)
    assert "adaptive:   refused below 0.30, accepted without a turn from 0.90" in format_report(evaluation)
    unbanded = evaluate_pad(scores, 0.5, security="adaptive", pack_id="p", band=(0.5, float("inf")))
    assert unbanded.to_dict()["adaptive"]["accept_from"] is None and "never (no band" in format_report(unbanded)
    assert "adaptive" not in evaluate_pad(scores, 0.5, security="standard", pack_id="p").to_dict()


def test_a_band_that_does_not_bracket_the_threshold_is_refused(tmp_path, models_dir):
    import dataclasses

    from kiosk.engine.pack import MANIFEST, write_manifest

    pack = load_pack(models_dir)
    for entry in pack.files:
        shutil.copy(pack.path(entry), tmp_path / entry.file)
    bad = dataclasses.replace(pack.thresholds, liveness=0.5, liveness_low=0.6, liveness_high=0.9)
    write_manifest(dataclasses.replace(pack, root=tmp_path, thresholds=bad), tmp_path / MANIFEST)
    with pytest.raises(ModelPackError, match="liveness_low <= liveness <= liveness_high"):
        load_pack(tmp_path)
    good = dataclasses.replace(bad, liveness_low=0.2)
    write_manifest(dataclasses.replace(pack, root=tmp_path, thresholds=good), tmp_path / MANIFEST)
    assert load_pack(tmp_path).thresholds.band == (0.2, 0.9)
