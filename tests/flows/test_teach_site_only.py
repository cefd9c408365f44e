"""Teaching with this camera only (an installed kiosk has no development data), on real frames and the real test pack.

The taught samples are the first 16 real and 16 attack frames of one spoof-context source
(``test_teach.taught_vectors``); nothing is mocked: the features come from the pack's real
liveness models, the fit and the ONNX variant are the product's.
"""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.engine.pack import load_pack
from kiosk.engine.pad_fusion import fit_logistic
from kiosk.engine.site_liveness import Figures, TeachKind, check_features, fit_site_only, fusion_scores, pack_scores, prior_weights
from kiosk.flows import teach
from tests.flows.test_teach import record, small_dev, taught_vectors  # noqa: F401 - module fixtures shared with the teach tests


def test_without_the_development_data_it_teaches_with_this_camera_only(registry, registry_settings, analyzer, taught_vectors, monkeypatch, tmp_path):  # noqa: F811
    names, live, spoof = taught_vectors
    record(registry, names, spoof, TeachKind.PHONE, "attacks", 0)
    record(registry, names, live, TeachKind.REAL, "faces", 100)
    monkeypatch.setenv("KIOSK_LIVENESS_DEV_DATA", str(tmp_path / "not-installed"))  # and no cached development rows
    outcome = teach.retrain_with_site_samples(registry, analyzer, registry_settings)
    assert outcome.mode is teach.TeachMode.SITE_ONLY and outcome.dev_rows == 0
    # Judged on every taught sample (16 + 16), not only the 4 + 4 held back.
    assert (outcome.before.live, outcome.before.spoof) == (16, 16) and (outcome.after.live, outcome.after.spoof) == (16, 16)
    # The current check's features only (the test pack's pair at their crop scales): no run selection on 24 rows.
    assert outcome.features == check_features(analyzer.pack, analyzer.liveness_checker, names)
    assert outcome.fusion.liveness_low <= outcome.fusion.liveness <= outcome.fusion.liveness_high
    row = registry.audit_log(event="liveness_taught")[0]
    assert "this camera only" in row.detail and "development rows 0" in row.detail
    assert row.decision == ("kept" if outcome.kept else "refused")
    # This room (yashpatil): the pair refuses most of its real faces at 0.50; the taught check must not refuse more.
    assert outcome.before.bpcer >= 0.5, outcome.before
    assert outcome.after.bpcer <= outcome.before.bpcer and outcome.after.apcer <= outcome.before.apcer, (outcome.before, outcome.after)
    assert outcome.kept == teach.site_only_keeps(outcome.before, outcome.after)
    if outcome.kept:
        variant = load_pack(outcome.pack_folder)  # hash-verified, its thresholds the fit's
        assert variant.thresholds.liveness == pytest.approx(outcome.fusion.liveness, abs=1e-4)
        assert registry_settings.models == outcome.pack_folder


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
