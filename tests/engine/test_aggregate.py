"""Aggregation: outliers out, quality-weighted mean, unit length, a clear error when too few."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.engine.aggregate import aggregate, aggregate_vectors
from kiosk.errors import NotEnoughFramesError


def _unit(v):
    return v / np.linalg.norm(v)


def test_outlier_dropped_and_result_normalized():
    rng = np.random.default_rng(1)
    person = _unit(rng.normal(size=128))
    frames = [_unit(person + 0.05 * rng.normal(size=128)) for _ in range(5)]
    intruder = _unit(rng.normal(size=128))
    result = aggregate_vectors(frames + [intruder], min_valid=3, outlier_cosine=0.5)
    assert result.frames_used == 5 and result.outliers == 1
    assert abs(np.linalg.norm(result.vector) - 1) < 1e-5
    assert float(result.vector @ person) > max(float(f @ person) for f in frames)


def test_quality_weights_pull_towards_better_frames():
    good, poor = np.array([1.0, 0.0, 0.0]), _unit(np.array([1.0, 0.8, 0.0]))
    heavy_good = aggregate_vectors([good, poor], [0.9, 0.1], min_valid=2, outlier_cosine=0.3)
    heavy_poor = aggregate_vectors([good, poor], [0.1, 0.9], min_valid=2, outlier_cosine=0.3)
    assert heavy_good.vector @ good > heavy_poor.vector @ good


def test_too_few_after_outliers_is_specific_error():
    a, b = np.eye(4)[0], np.eye(4)[1]
    with pytest.raises(NotEnoughFramesError, match="agree"):
        aggregate_vectors([a, b, np.eye(4)[2]], min_valid=2, outlier_cosine=0.5)
    with pytest.raises(NotEnoughFramesError, match="need 3"):
        aggregate_vectors([a, a], min_valid=3, outlier_cosine=0.5)


def test_real_observations_of_one_person(analyzer, faces_dir):
    """Four photos of P01 fuse into a template closer to a fifth than the average single photo is."""
    deep = faces_dir / "deepface"
    observations = [analyzer.embed_image(deep / n) for n in ("img1.jpg", "img2.jpg", "img4.jpg", "img5.jpg")]
    probe = analyzer.embed_image(deep / "img6.jpg").embedding
    template = aggregate(observations, min_valid=3, outlier_cosine=0.3)
    assert template.frames_used == 4
    singles = [float(o.embedding @ probe) for o in observations]
    assert float(template.vector @ probe) > np.mean(singles)
