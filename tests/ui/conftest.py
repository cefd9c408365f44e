"""UI test helpers: person videos made from ../shared photos, a real database, a real kiosk window."""

from __future__ import annotations

import importlib.util
import secrets
from pathlib import Path

import pytest

ADMIN_PIN = "246810"
_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "person_video.py"
_spec = importlib.util.spec_from_file_location("person_video", _SCRIPT)
person_video_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(person_video_tool)


@pytest.fixture
def db_key(monkeypatch) -> str:
    key = secrets.token_hex(32)
    monkeypatch.setenv("KIOSK_DB_KEY", key)
    return key


@pytest.fixture
def kiosk_settings(data_dir, models_dir):
    from kiosk.config import load_settings

    settings = load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})
    settings.ui.fullscreen = False
    settings.ui.result_seconds = 30.0  # tests read the result screen before it times out
    # The person videos stand in for live people, but they are photos fitted into a dark frame (the
    # photo's edge on 3-4 sides): the enclosing-frame cue rightly refuses them (img6: 10 of 12 frames).
    settings.login.frame_cue = settings.enroll.frame_cue = False
    return settings


@pytest.fixture
def registry_settings(kiosk_settings, db_key):
    """The kiosk window's settings, and its database key set before ``registry`` opens it."""
    return kiosk_settings


@pytest.fixture
def registry(registry):
    """The kiosk's real encrypted database (tests/conftest.py), with an admin PIN already chosen."""
    if not registry.has_admin():
        registry.set_admin_pin("admin", ADMIN_PIN)
    return registry


@pytest.fixture
def make_window(qtbot, analyzer, kiosk_settings, db_key):
    """Start the real kiosk window on a camera source; every window is shut down after the test."""
    from kiosk.ui.window import KioskWindow

    windows = []

    def make(camera: str | Path, size=(1080, 1920), analyzer=analyzer, **kwargs) -> KioskWindow:
        """``analyzer``: the shared one unless a test brings its own (one with an injected fault)."""
        window = KioskWindow(kiosk_settings, camera=str(camera), analyzer=analyzer, **kwargs)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()


@pytest.fixture
def person_video(tmp_path, faces_dir):
    """``person_video("img6.jpg", "img7.jpg")`` -> an .avi of those deepface photos in tmp_path."""

    def make(*names: str, frames: int = 120) -> Path:
        out = tmp_path / f"{'-'.join(Path(n).stem for n in names)}.avi"
        return person_video_tool.make_person_video([faces_dir / "deepface" / n for n in names], out, frames=frames)

    return make
