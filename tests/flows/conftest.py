"""Flows run on the real registry (SQLCipher), the real models and ../shared photos; no Qt."""

from __future__ import annotations

import pytest

from kiosk.config import load_settings
from kiosk.registry import Registry


@pytest.fixture
def flow_settings(data_dir, models_dir):
    return load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})


@pytest.fixture
def registry(flow_settings, pack):
    reg = Registry.open(flow_settings, pack)
    yield reg
    reg.close()
