"""Cameras by name, and the virtual cameras the kiosk refuses.

A virtual camera (OBS Virtual Camera, ManyCam, v4l2loopback ...) plays whatever its owner
feeds it: a recorded face is then a "live" camera frame, and the liveness check is the only
thing between it and a sign-in. The kiosk therefore refuses a camera whose name matches an
entry of ``camera.blocked_names`` (case-insensitive, part of the name), or that the kernel
lists as a virtual device, unless the operator allows it by its exact name in
``camera.allowed_names``.

Names come from the platform, behind ``list_cameras``:

- Linux: ``/sys/class/video4linux/videoN/name``, N being the index OpenCV's V4L2 backend opens;
  a node whose device lives under ``/sys/devices/virtual`` has no hardware behind it
  (v4l2loopback, whatever name it was given).
- Windows: none yet. OpenCV has no device list, and the DirectShow / Media Foundation
  enumeration (the order OpenCV's indices follow) needs COM (``comtypes``, ``pygrabber``) or
  Qt Multimedia, none of which the kiosk ships; a name from WMI (``Win32_PnPEntity``) cannot be
  tied to an index. So on Windows cameras are chosen by index and nothing is refused by name
  (docs/capture.md says so); ``kiosk doctor`` says names are not available.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import CameraSettings
from kiosk.errors import CameraError

SYSFS_V4L2 = Path("/sys/class/video4linux")


@dataclass(frozen=True)
class CameraDevice:
    index: int
    name: str
    virtual: bool = False  # the platform says no hardware is behind it


def list_cameras(platform: str = sys.platform, sysfs: Path = SYSFS_V4L2) -> list[CameraDevice] | None:
    """The cameras the platform names, by index; None where the platform gives no names."""
    if not platform.startswith("linux"):
        return None
    return v4l2_cameras(sysfs)


def v4l2_cameras(sysfs: Path = SYSFS_V4L2) -> list[CameraDevice]:
    found = []
    try:
        entries = list(sysfs.iterdir())
    except OSError:
        return []  # no video4linux class: no camera driver loaded
    for entry in entries:
        match = re.fullmatch(r"video(\d+)", entry.name)
        if not match:
            continue
        try:
            name = (entry / "name").read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            continue
        parts = Path(os.path.realpath(entry)).parts
        virtual = any(a == "devices" and b == "virtual" for a, b in zip(parts, parts[1:], strict=False))
        found.append(CameraDevice(int(match.group(1)), name, virtual))
    return sorted(found, key=lambda d: d.index)


def refusal(device: CameraDevice, camera: CameraSettings) -> str | None:
    """Why this camera is refused (the blocked entry it matched, or the kernel's word), or None."""
    if device.name.strip().casefold() in {n.strip().casefold() for n in camera.allowed_names}:
        return None
    folded = device.name.casefold()
    for blocked in camera.blocked_names:
        if blocked.strip() and blocked.strip().casefold() in folded:
            return f"its name matches {blocked.strip()!r} in camera.blocked_names"
    if device.virtual:
        return "the system lists it as a virtual device (v4l2loopback or similar)"
    return None


def find_by_name(name: str, devices: list[CameraDevice]) -> CameraDevice | None:
    """The camera with this exact name (case-insensitive); of several nodes of one camera, the first."""
    wanted = name.strip().casefold()
    return next((d for d in devices if d.name.strip().casefold() == wanted), None)


class CameraRefusedError(CameraError):
    """The camera is a known virtual or injection device and the operator did not allow it."""


def check_allowed(index: int, camera: CameraSettings, devices: list[CameraDevice] | None) -> None:
    """Raise ``CameraRefusedError`` when the camera at ``index`` is refused; a camera the platform does not name passes."""
    device = next((d for d in devices or [] if d.index == index), None)
    why = None if device is None else refusal(device, camera)
    if device is not None and why is not None:
        raise CameraRefusedError(
            f"camera {index} ({device.name!r}) refused: {why}",
            hint=f"a virtual camera can play a recording as a live face; if this one is meant, add {device.name!r} to camera.allowed_names",
        )
