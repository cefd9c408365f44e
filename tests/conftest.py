"""Shared fixtures: the real model pack and photos from ../shared, and a private data folder.

Nothing here is mocked: the pack is the real ONNX test pack and the database is real SQLCipher.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KIOSK_SHARED", REPO.parent / "shared")).resolve()
MODELS = Path(os.environ.get("KIOSK_MODELS", SHARED / "models" / "test-pack")).resolve()
FACES = SHARED / "faces"
VIDEOS = SHARED / "video"

# Tests must never touch a real machine data folder or pick up a user's config.
os.environ["KIOSK_MODELS"] = str(MODELS)
os.environ.setdefault("KIOSK_RUNTIME_PROVIDERS", "CPUExecutionProvider")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    data = tmp_path_factory.mktemp("kiosk-data")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data))
    return data


@pytest.fixture
def data_dir(_private_data_dir) -> Path:
    return _private_data_dir


@pytest.fixture(scope="session")
def models_dir() -> Path:
    if not MODELS.is_dir():
        pytest.fail(f"model pack not found at {MODELS}: put ../shared beside the project or set KIOSK_MODELS")
    return MODELS


@pytest.fixture(scope="session")
def faces_dir() -> Path:
    return FACES


@pytest.fixture(scope="session")
def videos_dir() -> Path:
    return VIDEOS


@pytest.fixture(scope="session")
def settings(models_dir, tmp_path_factory):
    from kiosk.config import load_settings

    return load_settings(data_dir=tmp_path_factory.mktemp("settings-data"), overrides={"models": str(models_dir)})


@pytest.fixture
def registry_settings(data_dir, models_dir):
    """This test's settings: its own data folder and the test pack. A folder's conftest overrides
    it where its tests need a section tuned (events: the sink; ui: the kiosk window's)."""
    from kiosk.config import load_settings

    return load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})


@pytest.fixture
def registry(registry_settings, pack):
    """The real encrypted database (SQLCipher) in this test's data folder, closed after the test."""
    from kiosk.registry import Registry

    reg = Registry.open(registry_settings, pack)
    yield reg
    reg.close()


@pytest.fixture(scope="session")
def pack(settings):
    from kiosk.engine.pack import resolve_pack

    return resolve_pack(settings)


@pytest.fixture(scope="session")
def analyzer(pack, settings):
    """One real analyzer (CPU) shared by the whole session: loading and warm-up cost once."""
    from kiosk.engine.analyzer import FaceAnalyzer

    return FaceAnalyzer.from_settings(pack, settings)
