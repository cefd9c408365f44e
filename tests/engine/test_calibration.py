"""Metrics and the threshold rule on synthetic score arrays whose answers are worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.engine.calibration import (
    accuracy_at,
    equal_error_rate,
    evaluate,
    far_label,
    far_threshold,
    recommend_thresholds,
    roc_curve,
    tar_at_far,
)
from kiosk.engine.pack import Thresholds
from kiosk.errors import KioskError

# Impostor scores 0.000, 0.001, ..., 0.999: FAR steps of exactly 1e-3.
THOUSAND_IMPOSTORS = np.arange(1000) / 1000.0


def test_accuracy_counts_genuine_at_or_above_and_impostors_below():
    acc = accuracy_at([0.5, 0.4, 0.3], [0.1, 0.4, 0.2, 0.0], threshold=0.4)
    # genuine 0.3 rejected; impostor 0.4 accepted (>= is an accept)
    assert (acc.correct, acc.total, acc.false_rejects, acc.false_accepts) == (5, 7, 1, 1)
    assert acc.value == pytest.approx(5 / 7)


def test_eer_where_far_and_frr_meet():
    genuine = [0.6, 0.7, 0.8, 0.9, 0.35]
    impostor = [0.1, 0.2, 0.3, 0.4, 0.5]
    eer = equal_error_rate(genuine, impostor)
    # Between 0.4 and 0.5: impostor 0.5 accepted (FAR 1/5), genuine 0.35 rejected (FRR 1/5).
    assert eer.rate == pytest.approx(0.2)
    assert eer.threshold == pytest.approx(0.45)
    assert (eer.far, eer.frr) == (pytest.approx(0.2), pytest.approx(0.2))


def test_eer_is_zero_in_the_middle_of_the_gap_when_scores_separate():
    eer = equal_error_rate([0.7, 0.5, 0.9], [0.1, 0.3, -0.2])
    assert eer.rate == 0.0
    assert eer.threshold == pytest.approx(0.4)


def test_eer_when_everything_overlaps():
    eer = equal_error_rate([0.5, 0.5], [0.5, 0.5])
    # Any threshold either accepts both impostors or rejects both genuine pairs.
    assert eer.rate == 1.0


def test_roc_curve_from_accept_all_to_accept_none():
    thresholds, far, tar = roc_curve([0.3, 0.9], [0.1, 0.5])
    assert thresholds.tolist() == [0.1, 0.3, 0.5, 0.9, np.inf]
    assert far.tolist() == [1.0, 0.5, 0.5, 0.0, 0.0]
    assert tar.tolist() == [1.0, 1.0, 0.5, 0.5, 0.0]


def test_tar_at_far_with_enough_impostors_to_resolve_the_target():
    genuine = [0.9985, 0.995, 0.9895, 0.98, 0.5]
    at_1e2 = tar_at_far(genuine, THOUSAND_IMPOSTORS, 1e-2)
    # 10 false accepts allowed: the threshold sits just above 0.989, accepting 0.990..0.999.
    assert at_1e2.false_accepts == 10
    assert at_1e2.far == pytest.approx(0.01)
    assert at_1e2.threshold == pytest.approx(0.989) and at_1e2.threshold > 0.989
    assert at_1e2.tar == pytest.approx(3 / 5)
    at_1e3 = tar_at_far(genuine, THOUSAND_IMPOSTORS, 1e-3)
    assert at_1e3.false_accepts == 1 and at_1e3.far == pytest.approx(1e-3)
    assert at_1e3.tar == pytest.approx(1 / 5)
    assert at_1e2.resolvable and at_1e3.resolvable


def test_tar_at_far_says_when_the_impostor_count_cannot_resolve_the_target():
    impostor = np.linspace(-0.2, 0.32, 380)
    result = tar_at_far([0.31, 0.33, 0.6], impostor, 1e-3)
    # 380 impostors: the smallest non-zero FAR is 1/380 = 2.6e-3 > 1e-3, so only FAR 0 qualifies.
    assert not result.resolvable
    assert result.far == 0.0 and result.false_accepts == 0
    assert result.tar == pytest.approx(2 / 3)
    assert "2.6e-03" in result.to_dict()["note"]
    assert tar_at_far([0.5], impostor, 1e-2).resolvable  # 3 false accepts allowed
    assert tar_at_far([0.5], impostor, 1e-2).false_accepts == 3


def test_far_threshold_skips_tied_impostors():
    # Two impostors tie at the top: allowing one false accept must still exclude both.
    threshold = far_threshold([0.7, 0.7] + [0.0] * 998, 1e-3)
    assert threshold > 0.7 and threshold == pytest.approx(0.7)


def test_recommended_thresholds_reproduce_the_deepface_calibration():
    # The deepface pairs: highest impostor 0.322, lowest genuine 0.386.
    impostor = np.concatenate([np.linspace(-0.15, 0.25, 379), [0.322]])
    genuine = np.linspace(0.386, 0.95, 140)
    th = recommend_thresholds(genuine, impostor, liveness=0.7)
    # 0.322 + 0.02 = 0.342, rounded up to 0.35; low = 0.25; liveness kept.
    assert th == Thresholds(high=0.35, low=0.25, liveness=0.7)


def test_recommended_high_is_capped_at_the_lowest_genuine_score_when_pairs_separate():
    impostor = [0.0] * 379 + [0.30]
    # 0.30 + 0.02 would reject genuine 0.315: cap at 0.315, round down to 0.31 (still above 0.30).
    assert recommend_thresholds([0.315, 0.8], impostor, liveness=0.5) == Thresholds(0.31, 0.21, 0.5)
    # Margin fits below the lowest genuine score: plain rule, 0.32 exactly.
    assert recommend_thresholds([0.40, 0.8], impostor, liveness=0.5).high == pytest.approx(0.32)


def test_recommended_high_when_pairs_do_not_separate_keeps_the_far_target():
    impostor = np.concatenate([np.zeros(998), [0.4, 0.6]])
    # 1000 impostors allow 1 false accept: the FAR point is just above 0.4 (not 0.6); + 0.02 -> 0.42,
    # even though genuine 0.2 falls below it.
    th = recommend_thresholds([0.2, 0.9], impostor, liveness=0.5)
    assert (th.high, th.low) == (0.42, 0.32)
    # 380 impostors allow none: the FAR point moves above the top impostor.
    assert recommend_thresholds([0.2, 0.9], impostor[-380:], liveness=0.5).high == 0.62


def test_evaluate_gathers_every_figure_at_the_pack_threshold():
    current = Thresholds(high=0.45, low=0.35, liveness=0.6)
    result = evaluate([0.6, 0.7, 0.8, 0.9, 0.35], [0.1, 0.2, 0.3, 0.4, 0.5], current)
    assert result.accuracy.threshold == 0.45 and result.accuracy.correct == 8
    assert result.eer.rate == pytest.approx(0.2)
    assert [t.target for t in result.tar_at_far] == [1e-2, 1e-3]
    assert result.recommended.liveness == 0.6


def test_bad_score_arrays_are_refused_with_a_clear_error():
    with pytest.raises(KioskError, match="at least one same-person and one different-person"):
        equal_error_rate([], [0.1])
    with pytest.raises(KioskError, match="finite"):
        accuracy_at([np.nan], [0.1], 0.3)


def test_far_labels_are_stable_json_keys():
    assert far_label(1e-2) == "1e-2"
    assert far_label(1e-3) == "1e-3"
