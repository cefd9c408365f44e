"""Teaching with this camera only (an installed kiosk has no development data), on real frames and the real test pack.

The taught samples are the first 16 real and 16 attack frames of one spoof-context source
(``test_teach.taught_vectors``); nothing is mocked: the features come from the pack's real
liveness models, the fit and the ONNX variant are the product's.
"""

from __future__ import annotations

import numpy as np

from kiosk.engine.pad_fusion import read_logistic
from kiosk.engine.pad_train import is_embedding
import pytest

from kiosk.engine.images import load_image
from kiosk.engine.pack import load_pack
from kiosk.engine.pad_fusion import fit_logistic
from kiosk.engine.site_liveness import (
    Figures,
    TeachKind,
    check_features,
    fit_site_only,
    fusion_scores,
    largest_face_features,
    pack_scores,
    prior_weights,
)
from kiosk.flows import teach
from tests.flows.test_teach import record, small_dev, source_frames, taught_vectors  # noqa: F401 - module fixtures shared with the teach tests


def test_without_the_development_data_it_teaches_with_this_camera_only(registry, registry_settings, analyzer, taught_vectors, monkeypatch, tmp_path):  # noqa: F811
    names, live, spoof = taught_vectors
    record(registry, names, spoof, TeachKind.PHONE, "attacks", 0)
    record(registry, names, live, TeachKind.REAL, "faces", 100)
    monkeypatch.setenv("KIOSK_LIVENESS_DEV_DATA", str(tmp_path / "not-installed"))  # and no cached development rows
    models_before = registry_settings.models
    outcome = teach.retrain_with_site_samples(registry, analyzer, registry_settings)
    assert outcome.mode is teach.TeachMode.SITE_ONLY and outcome.dev_rows == 0
    # Judged on every taught sample (16 + 16), not only the 4 + 4 held back.
    assert (outcome.before.live, outcome.before.spoof) == (16, 16) and (outcome.after.live, outcome.after.spoof) == (16, 16)
    # The current check's features only (the test pack's pair at their crop scales): no run selection on 24 rows.
    assert outcome.features == check_features(analyzer.pack, analyzer.liveness_checker, names)
    assert outcome.fusion.liveness_low <= outcome.fusion.liveness <= outcome.fusion.liveness_high
    row = registry.audit_log(event="liveness_taught")[0]
    assert "this camera only" in row.detail and "development rows 0" in row.detail
    # This room (yashpatil, 16 + 16 frames): the pair refuses 11 of its 16 real faces at 0.50 and no
    # attack; the site-only check, at the threshold refusing as many, does the same: nothing shown
    # fixed, so it is refused and the kiosk keeps its check.
    assert (outcome.before.apcer, outcome.before.bpcer) == (0.0, 11 / 16), outcome.before
    assert (outcome.after.apcer, outcome.after.bpcer) == (0.0, 11 / 16), outcome.after
    assert not outcome.kept and outcome.pack_folder is None and row.decision == "refused"
    assert "refused: not strictly better on one side without being worse" in row.detail
    assert registry_settings.models == models_before


@pytest.mark.slow
def test_a_site_only_check_that_fixes_something_is_kept(registry, registry_settings, analyzer, faces_dir, monkeypatch, tmp_path):
    """eyashita's first 25 + 25 frames (docs/capture.md's site-only table): the pair accepts 3 of its 25 taught attacks, the taught check none."""
    frames = source_frames(faces_dir, "eyashita")
    for label, kind in (("spoof", TeachKind.TABLET), ("live", TeachKind.REAL)):
        vectors = [largest_face_features(analyzer, load_image(p)) for p in frames[label][:25]]
        record(registry, vectors[0][0], [v for _, v in vectors], kind, label, 0 if label == "spoof" else 100)
    monkeypatch.setenv("KIOSK_LIVENESS_DEV_DATA", str(tmp_path / "not-installed"))
    outcome = teach.retrain_with_site_samples(registry, analyzer, registry_settings)
    assert outcome.mode is teach.TeachMode.SITE_ONLY
    assert (outcome.before.apcer, outcome.before.bpcer) == (0.12, 0.0), outcome.before
    assert (outcome.after.apcer, outcome.after.bpcer) == (0.0, 0.0), outcome.after
    assert outcome.kept and outcome.pack_folder is not None
    variant = load_pack(outcome.pack_folder)  # hash-verified, its thresholds the fit's
    assert variant.liveness_fusion is not None and variant.liveness_fusion.features == outcome.features
    assert variant.thresholds.liveness == pytest.approx(outcome.fusion.liveness, abs=1e-4)
    assert variant.thresholds.liveness_low <= variant.thresholds.liveness <= variant.thresholds.liveness_high
    assert registry_settings.models == outcome.pack_folder
    assert registry.audit_log(event="liveness_taught")[0].decision == "kept"


def test_site_only_is_forced_even_where_the_development_data_is(registry, registry_settings, analyzer, taught_vectors, small_dev):  # noqa: F811
    names, live, spoof = taught_vectors
    record(registry, names, spoof, TeachKind.PRINT, "attacks", 0)
    record(registry, names, live, TeachKind.REAL, "faces", 100)
    outcome = teach.retrain_with_site_samples(registry, analyzer, registry_settings, site_only=True)
    assert outcome.mode is teach.TeachMode.SITE_ONLY and outcome.dev_rows == 0
    with_dev = teach.train_on_site(analyzer, teach.load_site_samples(registry), small_dev, registry_settings.data_dir / "other-models")
    assert with_dev.mode is teach.TeachMode.WITH_DEVELOPMENT and with_dev.dev_rows == len(small_dev)


def test_named_development_labels_that_are_missing_stay_an_error(registry, registry_settings, analyzer, taught_vectors, tmp_path):  # noqa: F811
    names, live, spoof = taught_vectors
    record(registry, names, spoof, TeachKind.PHONE, "attacks", 0)
    record(registry, names, live, TeachKind.REAL, "faces", 100)
    with pytest.raises(OSError):
        teach.retrain_with_site_samples(registry, analyzer, registry_settings, dev_labels=[tmp_path / "typo.csv"])
    assert registry.audit_log(event="liveness_taught") == []


def test_the_prior_is_the_current_check_and_a_strong_one_keeps_it(analyzer, taught_vectors):  # noqa: F811
    names, live, spoof = taught_vectors
    rows = teach.site_rows(_samples(names, live, spoof), names)
    pack, checker = analyzer.pack, analyzer.liveness_checker
    features = check_features(pack, checker, names)
    toward = prior_weights(pack, checker, rows, features)
    x = rows.columns(features).astype(np.float64)
    current = np.clip(pack_scores(pack, checker, rows), 1e-4, 1 - 1e-4)
    # The test pack has no fusion (a mean of two models' probabilities): the least-squares logistic follows it closely.
    assert np.corrcoef(x @ toward, np.log(current / (1 - current)))[0, 1] > 0.95
    # With a very strong prior the fit keeps the current check's weights; with none it moves away from them.
    held = fit_logistic(x, rows.live, 1e-6, toward=toward)
    np.testing.assert_allclose(held.weights, toward * held.std, rtol=1e-3, atol=1e-6)
    free = fit_logistic(x, rows.live, 1e6)
    assert np.abs(free.weights - toward * free.std).max() > 0.1


def test_on_a_pack_with_a_fusion_the_prior_is_that_fusion(registry, registry_settings, analyzer, pack, taught_vectors, small_dev):  # noqa: F811
    names, live, spoof = taught_vectors
    record(registry, names, spoof, TeachKind.TABLET, "attacks", 0)
    record(registry, names, live, TeachKind.REAL, "faces", 100)
    samples = teach.load_site_samples(registry)
    taught = teach.train_on_site(analyzer, samples, small_dev, registry_settings.data_dir / "models")  # kept (tests/flows/test_teach.py)
    assert taught.kept and taught.pack_folder is not None
    from kiosk.engine.analyzer import FaceAnalyzer

    fused = FaceAnalyzer.from_settings(pack, registry_settings)
    fused.use_liveness(load_pack(taught.pack_folder), 1)
    checker = fused.liveness_checker
    rows = teach.site_rows(samples, names)
    features = check_features(fused.pack, checker, names)
    assert features == taught.features  # the fusion's own features, the ring-brightness cue among them
    toward = prior_weights(fused.pack, checker, rows, features)
    current = np.clip(pack_scores(fused.pack, checker, rows), 1e-4, 1 - 1e-4)
    logit = np.log(current / (1 - current))
    # A fusion is a logistic: the prior reproduces its log-odds up to a constant (float32 ONNX rounding).
    residual = rows.columns(features).astype(np.float64) @ toward - logit
    assert np.ptp(residual) < 1e-2, np.ptp(residual)
    # The taught fusion reads its runs' embeddings (128 a run): the prior is its own weights, not a
    # least-squares fit, which a few dozen frames could not pin down over hundreds of inputs.
    embedded = [f for f in features if is_embedding(f)]
    assert embedded and len(embedded) % 128 == 0
    current_model = read_logistic(fused.pack.path(checker.fusion[0]))
    np.testing.assert_allclose(toward, current_model.weights / current_model.std)


def test_the_threshold_never_refuses_more_taught_faces_than_the_current_check(analyzer, taught_vectors):  # noqa: F811
    names, live, spoof = taught_vectors
    rows = teach.site_rows(_samples(names, live, spoof), names)
    pack, checker = analyzer.pack, analyzer.liveness_checker
    fusion = fit_site_only(pack, checker, rows)
    held = fusion.held_out.probability
    current = Figures.of(pack_scores(pack, checker, rows), rows.live, pack.thresholds.liveness)
    taught = Figures.of(held, rows.live, fusion.liveness)
    assert taught.bpcer <= max(0.05, current.bpcer) + 1e-9, (current, taught)
    assert np.isfinite(held).all() and len(fusion_scores(fusion, rows)) == len(rows)


def test_site_only_keeps_only_a_check_strictly_better_on_one_side():
    def figures(apcer: float, bpcer: float) -> Figures:
        return Figures(0.5, apcer, bpcer, 16, 16)

    assert not teach.site_only_keeps(figures(0.0, 0.0), figures(0.0, 0.0))  # nothing shown fixed: the old check stays
    assert teach.site_only_keeps(figures(0.25, 0.0), figures(0.0, 0.0))
    assert teach.site_only_keeps(figures(0.0, 0.5), figures(0.0, 0.25))
    assert not teach.site_only_keeps(figures(0.25, 0.0), figures(0.0, 0.0625))  # better on one side, worse on the other


def _samples(names, live, spoof):
    from kiosk.store.liveness_samples import LivenessSample

    vectors = [(v, "phone") for v in spoof] + [(v, "real") for v in live]
    return [LivenessSample(i, "s", kind, f"2026-12-07T10:00:{i:02d}+00:00", names, v) for i, (v, kind) in enumerate(vectors)]
