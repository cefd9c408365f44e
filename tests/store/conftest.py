"""Fixtures for the store tests: a real SQLCipher registry in this test's data folder."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.config import load_settings
from kiosk.engine.types import AggregatedTemplate
from kiosk.registry import Registry


def template(vector: np.ndarray, frames: int = 5) -> AggregatedTemplate:
    v = np.asarray(vector, dtype=np.float32)
    return AggregatedTemplate(vector=v / np.linalg.norm(v), frames_used=frames, outliers=0, quality=0.8)


def random_vectors(n: int, dim: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture
def store_settings(data_dir, models_dir):
    return load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})


@pytest.fixture
def registry(store_settings, pack):
    reg = Registry.open(store_settings, pack)
    yield reg
    reg.close()


@pytest.fixture
def db_path(data_dir):
    return data_dir / "kiosk.db"
