"""Helpers for the store tests; the real SQLCipher registry is ``registry`` in tests/conftest.py."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.engine.types import AggregatedTemplate


def template(vector: np.ndarray, frames: int = 5) -> AggregatedTemplate:
    v = np.asarray(vector, dtype=np.float32)
    return AggregatedTemplate(vector=v / np.linalg.norm(v), frames_used=frames, outliers=0, quality=0.8)


def random_vectors(n: int, dim: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture
def db_path(data_dir):
    return data_dir / "kiosk.db"
