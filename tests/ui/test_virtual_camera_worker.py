"""The camera worker with a refused virtual camera: the kiosk's own worker thread, the real
``open_source`` by name and the real v4l2 name reader on a sysfs tree in a temporary folder
(this machine has no camera: the name listing is the one injection, tests/capture/test_virtual_cameras.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.capture.commands import SourceStateChanged, WorkerError
from kiosk.capture.devices import v4l2_cameras
from kiosk.capture.sources import open_source
from kiosk.ui.camera_worker import start_camera_worker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the output listener
from ui.worker_outputs import on  # noqa: E402


def test_a_virtual_camera_chosen_by_name_is_refused_and_said(qtbot, analyzer, settings, tmp_path):
    device = tmp_path / "devices" / "virtual" / "video4linux" / "video0"
    device.mkdir(parents=True)
    (device / "name").write_text("OBS Virtual Camera\n")
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "video0").symlink_to(device)

    def opener(spec: str):
        return open_source(spec, settings.camera, devices=lambda: v4l2_cameras(tmp_path / "class"))

    worker = start_camera_worker("OBS Virtual Camera", analyzer, settings, opener=opener)
    states, errors = [], []
    on(worker, SourceStateChanged, states.append)
    on(worker, WorkerError, errors.append)
    try:
        qtbot.waitUntil(lambda: "lost" in states and bool(errors), timeout=15000)
    finally:
        assert worker.stop_and_join(10)
    assert "live" not in states
    assert errors[0].startswith("camera 0 ('OBS Virtual Camera') refused: its name matches 'OBS Virtual Camera'")
    assert "camera.allowed_names" in errors[0]
