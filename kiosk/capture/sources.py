"""Frame sources: a camera by index, a video file or a folder of images, behind one interface.

A camera is expected to run forever, so its failures are ``CameraError`` (the caller
backs off and reopens, see ``Backoff``); a file or folder runs out, which is
``SourceEndedError``. OpenCV opens a video file exactly as it opens a camera, which is
what lets recorded footage stand in for a kiosk camera in tests and benchmarks.
"""

from __future__ import annotations

import logging
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

import cv2

from kiosk.capture.types import Frame
from kiosk.capture.devices import CameraDevice, check_allowed, find_by_name, list_cameras
from kiosk.config import CameraSettings
from kiosk.engine.images import IMAGE_EXTENSIONS, load_image
from kiosk.errors import CameraError, ImageError, SourceEndedError

log = logging.getLogger(__name__)

_BACKENDS = {
    "msmf": ("MSMF", cv2.CAP_MSMF),
    "dshow": ("DSHOW", cv2.CAP_DSHOW),
    "v4l2": ("V4L2", cv2.CAP_V4L2),
    "any": ("ANY", cv2.CAP_ANY),
}


class FrameSource(ABC):
    """``open()``, then ``read()`` until it raises, then ``close()`` (or use ``with``)."""

    live = False  # a camera: frames arrive in real time and never end
    fps: float | None = None

    @abstractmethod
    def open(self) -> None: ...

    @abstractmethod
    def read(self) -> Frame: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def describe(self) -> str: ...

    def __enter__(self) -> FrameSource:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def camera_backends(backend: str, platform: str = sys.platform) -> list[tuple[str, int]]:
    """OpenCV capture APIs to try, in order, for ``camera.backend`` on ``platform``.

    On Windows "auto" tries Media Foundation first (hardware formats, higher
    resolutions) and falls back to DirectShow, which older USB cameras and some
    capture cards only support. DirectShow and Media Foundation exist only on Windows.
    """
    if backend == "auto":
        if platform == "win32":
            return [_BACKENDS["msmf"], _BACKENDS["dshow"]]
        if platform.startswith("linux"):
            return [_BACKENDS["v4l2"], _BACKENDS["any"]]
        return [_BACKENDS["any"]]
    if backend in ("msmf", "dshow") and platform != "win32":
        raise CameraError(f"camera backend {backend!r} exists only on Windows", hint="set camera.backend to auto")
    if backend not in _BACKENDS:
        raise CameraError(f"unknown camera backend {backend!r}", hint="use auto, dshow, msmf, v4l2 or any")
    return [_BACKENDS[backend]]


class CameraSource(FrameSource):
    """A camera by index. Frames carry ``time.monotonic()`` timestamps."""

    live = True
    FAILED_READS = 10  # consecutive empty reads before the camera counts as lost (one glitch is normal)

    def __init__(
        self,
        index: int,
        settings: CameraSettings,
        *,
        platform: str = sys.platform,
        capture_factory: Callable[[int, int], cv2.VideoCapture] = cv2.VideoCapture,
        devices: Callable[[], list[CameraDevice] | None] | None = None,
    ) -> None:
        self.index = index
        # The platform's camera names (kiosk/capture/devices.py); tests name their own.
        self.devices = devices or (lambda: list_cameras(platform))
        self.settings = settings
        self.platform = platform
        self.capture_factory = capture_factory
        self.fps = float(settings.fps)
        self._cap: cv2.VideoCapture | None = None
        self._backend = ""
        self._count = 0

    def describe(self) -> str:
        via = f" via {self._backend}" if self._backend else ""
        return f"camera {self.index}{via}"

    def open(self) -> None:
        """Refuses a known virtual camera before OpenCV opens it (``CameraRefusedError``)."""
        self.close()
        check_allowed(self.index, self.settings, self.devices())
        tried = []
        for name, api in camera_backends(self.settings.backend, self.platform):
            tried.append(name)
            cap = self.capture_factory(self.index, api)
            if cap is not None and cap.isOpened():
                cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.settings.width)
                cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.settings.height)
                cap.set(cv2.CAP_PROP_FPS, self.settings.fps)
                ok, image = cap.read()
                if ok and image is not None:
                    self._cap, self._backend = cap, name
                    log.info("%s open at %dx%d", self.describe(), image.shape[1], image.shape[0])
                    return
            if cap is not None:
                cap.release()
        raise CameraError(
            f"camera {self.index} could not be opened (tried {', '.join(tried)})",
            hint="check that it is plugged in and not used by another program",
        )

    def read(self) -> Frame:
        if self._cap is None:
            raise CameraError(f"camera {self.index} is not open")
        for _ in range(self.FAILED_READS):
            ok, image = self._cap.read()
            if ok and image is not None and image.size:
                self._count += 1
                return Frame(image=image, index=self._count - 1, timestamp=time.monotonic())
        self.close()
        raise CameraError(f"camera {self.index} stopped delivering frames", hint="was it unplugged?")

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class VideoSource(FrameSource):
    """A video file; timestamps are media time (index / fps)."""

    fps: float  # set by open(), before any read()

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._cap: cv2.VideoCapture | None = None
        self._count = 0

    def describe(self) -> str:
        return f"video {self.path.name}"

    def open(self) -> None:
        self.close()
        if not self.path.is_file():
            raise CameraError(f"video {self.path} does not exist")
        cap = cv2.VideoCapture(str(self.path))
        if not cap.isOpened():
            cap.release()
            raise CameraError(f"{self.path} is not a video OpenCV can read")
        fps = cap.get(cv2.CAP_PROP_FPS)
        self.fps = float(fps) if fps and 1 <= fps <= 240 else 30.0
        self._cap, self._count = cap, 0

    def read(self) -> Frame:
        if self._cap is None:
            raise CameraError(f"{self.describe()} is not open")
        ok, image = self._cap.read()
        if not ok or image is None:
            if self._count == 0:
                raise CameraError(f"no frame could be decoded from {self.path}")
            raise SourceEndedError(f"{self.describe()} ended after {self._count} frames")
        self._count += 1
        return Frame(image=image, index=self._count - 1, timestamp=(self._count - 1) / self.fps)

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None


class ImageFolderSource(FrameSource):
    """The images of a folder in name order, as frames ``1 / fps`` apart.

    An unreadable file is skipped with a warning, as a camera drops a frame, so one
    bad picture does not waste the rest of the folder.
    """

    fps: float

    def __init__(self, path: Path, fps: float = 10.0) -> None:
        self.path = Path(path)
        self.fps = float(fps)
        self._files: list[Path] = []
        self._pos = 0
        self._count = 0

    def describe(self) -> str:
        return f"folder {self.path.name}"

    def open(self) -> None:
        if not self.path.is_dir():
            raise CameraError(f"{self.path} is not a folder")
        self._files = sorted(p for p in self.path.iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file())
        if not self._files:
            raise CameraError(f"no images ({', '.join(sorted(IMAGE_EXTENSIONS))}) in {self.path}")
        self._pos = self._count = 0

    def read(self) -> Frame:
        while self._pos < len(self._files):
            path = self._files[self._pos]
            self._pos += 1
            try:
                image = load_image(path)
            except ImageError as exc:
                log.warning("skipping %s: %s", path.name, exc)
                continue
            self._count += 1
            return Frame(image=image, index=self._count - 1, timestamp=(self._count - 1) / self.fps)
        raise SourceEndedError(f"{self.describe()} ended after {self._count} images")

    def close(self) -> None:
        self._files = []


def open_source(spec: str, camera: CameraSettings, devices: Callable[[], list[CameraDevice] | None] = list_cameras) -> FrameSource:  # noqa: E501
    """The source ``spec`` names, not yet opened: "0" a camera index, a video file, an image
    folder, else a camera's name where the platform names cameras (Linux)."""
    text = str(spec).strip()
    if text.isdigit():
        return CameraSource(int(text), camera, devices=devices)
    path = Path(text).expanduser()
    if path.is_dir():
        return ImageFolderSource(path, fps=camera.fps)
    if path.is_file():
        return VideoSource(path)
    named = devices()
    device = find_by_name(text, named or [])
    if device is not None:
        return CameraSource(device.index, camera, devices=devices)
    known = "; cameras here: " + ", ".join(repr(n) for n in dict.fromkeys(d.name for d in named)) if named else ""
    raise CameraError(
        f"source {spec!r} is not a camera index, a camera's name, a video file or a folder of images{known}",
        hint="give a camera index such as 0, a camera name `kiosk doctor` lists, or the path of a video or a folder",
    )


class Backoff:
    """Reopen delays for a lost camera: quick first retries, then no more often than ``maximum``.

    A kiosk camera that was unplugged may come back any time; retrying forever at a
    gentle pace costs nothing and needs no one to restart the application.
    """

    def __init__(self, initial: float = 0.5, factor: float = 2.0, maximum: float = 5.0) -> None:
        self.initial, self.factor, self.maximum = initial, factor, maximum
        self._next = initial

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self.maximum, self._next * self.factor)
        return delay

    def reset(self) -> None:
        self._next = self.initial

