"""UI test helpers: person videos made from ../shared photos, a real database, a real kiosk window."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.engine.images import load_image

ADMIN_PIN = "246810"


def make_person_video(photos: Sequence[Path], out: Path, *, frames: int = 120, size=(640, 480), fps: float = 15.0, seed: int = 0) -> Path:
    """A camera stand-in: each photo fitted into the frame with small jitter in position and scale.

    MJPG in .avi is written and read back by every OpenCV build, unlike most mp4 codecs.
    """
    rng = np.random.default_rng(seed)
    w, h = size
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened(), "OpenCV cannot write MJPG .avi here"
    images = [load_image(p) for p in photos]
    try:
        for i in range(frames):
            img = images[(i * len(images)) // frames]
            base = min(w / img.shape[1], h / img.shape[0])
            scale = base * rng.uniform(0.96, 1.0)
            dx = (w - img.shape[1] * scale) / 2 + rng.uniform(-4, 4)
            dy = (h - img.shape[0] * scale) / 2 + rng.uniform(-4, 4)
            m = np.float32([[scale, 0, dx], [0, scale, dy]])
            writer.write(cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_AREA, borderValue=(40, 40, 40)))
    finally:
        writer.release()
    return out


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
    return settings


@pytest.fixture
def registry(kiosk_settings, pack, db_key):
    """The kiosk's real encrypted database, with an admin PIN already chosen."""
    from kiosk.registry import Registry

    reg = Registry.open(kiosk_settings, pack)
    if not reg.has_admin():
        reg.set_admin_pin("admin", ADMIN_PIN)
    yield reg
    reg.close()


@pytest.fixture
def make_window(qtbot, analyzer, kiosk_settings, db_key):
    """Start the real kiosk window on a camera source; every window is shut down after the test."""
    from kiosk.ui.window import KioskWindow

    windows = []

    def make(camera: str | Path, size=(1080, 1920), **kwargs) -> KioskWindow:
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
        return make_person_video([faces_dir / "deepface" / n for n in names], out, frames=frames)

    return make
