"""Virtual cameras refused by name, cameras chosen by name.

The names come from the real v4l2 reader (``v4l2_cameras``) pointed at a sysfs tree built in
a temporary folder, laid out as Linux lays out ``/sys/class/video4linux`` (symlinks into
``/sys/devices/...``, hardware under a USB path, v4l2loopback under ``devices/virtual``): this
machine has no camera, so the name listing is the one thing injected (fault/fixture injection).
The capture path is real: ``CameraSource.open`` refuses before OpenCV is asked for the device,
and an allowed camera opens through OpenCV (a real video standing in for the device).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from kiosk.capture.devices import CameraDevice, CameraRefusedError, list_cameras, refusal, v4l2_cameras
from kiosk.capture.sources import CameraSource, open_source
from kiosk.config import CameraSettings
from kiosk.errors import CameraError

HAMILTON = "short_hamilton_clip.mp4"
USB = "devices/pci0000:00/0000:00:14.0/usb1/1-6/1-6:1.0/video4linux"
VIRTUAL = "devices/virtual/video4linux"


@pytest.fixture
def sysfs(tmp_path) -> Path:
    """video0/1: a laptop camera's two nodes; video2: OBS on v4l2loopback; video3: ManyCam on a
    USB path (caught by name alone); video4: v4l2loopback given an innocent name (caught as virtual)."""
    layout = {
        0: (USB, "Integrated Camera: Integrated C"),
        1: (USB, "Integrated Camera: Integrated C"),
        2: (VIRTUAL, "OBS Virtual Camera"),
        3: (USB, "ManyCam Virtual Webcam"),
        4: (VIRTUAL, "Lobby camera"),
    }
    klass = tmp_path / "class" / "video4linux"
    klass.mkdir(parents=True)
    for index, (where, name) in layout.items():
        device = tmp_path / where / f"video{index}"
        device.mkdir(parents=True)
        (device / "name").write_text(name + "\n")
        (klass / f"video{index}").symlink_to(device)
    return klass


def test_the_v4l2_reader_names_each_node_and_spots_virtual_devices(sysfs):
    assert v4l2_cameras(sysfs) == [
        CameraDevice(0, "Integrated Camera: Integrated C"),
        CameraDevice(1, "Integrated Camera: Integrated C"),
        CameraDevice(2, "OBS Virtual Camera", virtual=True),
        CameraDevice(3, "ManyCam Virtual Webcam"),
        CameraDevice(4, "Lobby camera", virtual=True),
    ]
    assert v4l2_cameras(sysfs.parent / "missing") == []  # no camera driver loaded
    assert list_cameras("win32", sysfs) is None  # Windows gives no names (kiosk/capture/devices.py)


def test_known_virtual_cameras_are_refused_unless_allowed_by_name(sysfs):
    devices = {d.index: d for d in v4l2_cameras(sysfs)}
    settings = CameraSettings()
    assert refusal(devices[0], settings) is None
    assert refusal(devices[2], settings) == "its name matches 'OBS Virtual Camera' in camera.blocked_names"
    assert refusal(devices[3], settings) == "its name matches 'ManyCam' in camera.blocked_names"
    assert refusal(devices[4], settings) == "the system lists it as a virtual device (v4l2loopback or similar)"
    allowed = CameraSettings(allowed_names=["obs virtual camera", "Lobby camera"])
    assert refusal(devices[2], allowed) is None and refusal(devices[4], allowed) is None
    assert refusal(devices[3], allowed) is not None  # allowing one name allows only that camera


def test_the_capture_source_refuses_before_opening_the_device(sysfs):
    asked = []

    def factory(index: int, api: int) -> cv2.VideoCapture:
        asked.append(index)
        return cv2.VideoCapture()

    source = CameraSource(2, CameraSettings(), capture_factory=factory, devices=lambda: v4l2_cameras(sysfs))
    with pytest.raises(CameraRefusedError) as err:
        source.open()
    assert str(err.value).startswith("camera 2 ('OBS Virtual Camera') refused: its name matches")
    assert "add 'OBS Virtual Camera' to camera.allowed_names" in str(err.value)
    assert asked == []  # OpenCV never opened it


def test_an_allowed_virtual_camera_opens(sysfs, videos_dir):
    allowed = CameraSettings(backend="any", allowed_names=["OBS Virtual Camera"])
    source = CameraSource(2, allowed, capture_factory=lambda i, api: cv2.VideoCapture(str(videos_dir / HAMILTON)), devices=lambda: v4l2_cameras(sysfs))
    with source:
        assert source.read().image.shape == (360, 640, 3)


def test_cameras_are_chosen_by_name(sysfs):
    def devices():
        return v4l2_cameras(sysfs)

    settings = CameraSettings()
    chosen = open_source("integrated camera: integrated c", settings, devices)
    assert isinstance(chosen, CameraSource) and chosen.index == 0  # the first node of that camera
    obs = open_source("OBS Virtual Camera", settings, devices)
    assert obs.index == 2
    with pytest.raises(CameraRefusedError):
        obs.open()
    with pytest.raises(CameraError, match="cameras here: 'Integrated Camera: Integrated C'.*'Lobby camera'"):
        open_source("Front door", settings, devices)


def test_doctor_shows_each_camera_name_and_whether_it_is_allowed(sysfs):
    from kiosk.cli.doctor_cmd import check_camera_names

    checks = check_camera_names(CameraSettings(source="OBS Virtual Camera"), v4l2_cameras(sysfs))
    lines = [(c.status, c.detail) for c in checks]
    assert lines[0] == ("ok", "0 'Integrated Camera: Integrated C': allowed")
    assert lines[2] == ("fail", "2 'OBS Virtual Camera' (camera.source): refused: its name matches 'OBS Virtual Camera' in camera.blocked_names")
    assert lines[3][0] == "warn" and lines[3][1].startswith("3 'ManyCam Virtual Webcam': refused")
    assert check_camera_names(CameraSettings(), None)[0].status == "warn"  # Windows: no names (said, not hidden)


def test_the_lists_come_from_config_and_environment(data_dir):
    from kiosk.config import VIRTUAL_CAMERAS, load_settings

    (data_dir / "config.toml").write_text('[camera]\nallowed_names = ["OBS Virtual Camera"]\n', encoding="utf-8")
    settings = load_settings(data_dir=data_dir, environ={"KIOSK_CAMERA_BLOCKED_NAMES": "ManyCam,Front door"})
    assert settings.camera.allowed_names == ["OBS Virtual Camera"]
    assert settings.camera.blocked_names == ["ManyCam", "Front door"]
    assert {"OBS Virtual Camera", "ManyCam", "Snap Camera", "XSplit VCam", "DroidCam", "e2eSoft", "v4l2loopback"} <= set(VIRTUAL_CAMERAS)
