"""Frame sources over real files, and a camera whose OpenCV capture is a real video file."""

from __future__ import annotations

import shutil

import cv2
import numpy as np
import pytest

from kiosk.capture.sources import (
    Backoff,
    CameraSource,
    ImageFolderSource,
    VideoSource,
    camera_backends,
    open_source,
)
from kiosk.config import CameraSettings
from kiosk.errors import CameraError, SourceEndedError

from capture.faults import DyingSource

HAMILTON = "short_hamilton_clip.mp4"  # 640x360, 29.97 fps, 275 frames


def test_video_source_reads_every_frame_with_media_time_then_ends(videos_dir):
    with VideoSource(videos_dir / HAMILTON) as source:
        frames = []
        with pytest.raises(SourceEndedError, match="ended after 275 frames"):
            while True:
                frames.append(source.read())
    assert len(frames) == 275
    assert frames[0].image.shape == (360, 640, 3) and frames[0].image.dtype == np.uint8
    assert [f.index for f in frames[:3]] == [0, 1, 2]
    assert frames[30].timestamp == pytest.approx(30 / 29.97, rel=1e-3)


def test_video_source_rejects_a_file_that_is_not_a_video(tmp_path):
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("not a video")
    source = VideoSource(bogus)
    with pytest.raises(CameraError) as err:
        source.open()
        source.read()
    assert not isinstance(err.value, SourceEndedError)
    assert "notes.mp4" in str(err.value)


def test_image_folder_is_read_in_name_order_and_skips_unreadable_files(tmp_path, faces_dir):
    shutil.copy(faces_dir / "deepface" / "img1.jpg", tmp_path / "b.jpg")
    shutil.copy(faces_dir / "deepface" / "img2.jpg", tmp_path / "a.jpg")
    (tmp_path / "c.jpg").write_bytes(b"\xff\xd8 truncated")
    (tmp_path / "readme.txt").write_text("ignored: not an image suffix")
    expected_first = cv2.imread(str(tmp_path / "a.jpg"))
    with ImageFolderSource(tmp_path, fps=5) as source:
        first, second = source.read(), source.read()
        with pytest.raises(SourceEndedError, match="2 images"):
            source.read()
    assert np.array_equal(first.image, expected_first)
    assert (first.index, second.index) == (0, 1)
    assert second.timestamp == pytest.approx(0.2)


def test_empty_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CameraError, match="no images"):
        ImageFolderSource(tmp_path).open()


def test_open_source_dispatches_on_the_spec(tmp_path, videos_dir):
    camera = CameraSettings()
    assert isinstance(open_source("0", camera), CameraSource)
    assert open_source(" 1 ", camera).index == 1
    assert isinstance(open_source(str(videos_dir / HAMILTON), camera), VideoSource)
    assert isinstance(open_source(str(tmp_path), camera), ImageFolderSource)
    with pytest.raises(CameraError, match="not a camera index"):
        open_source(str(tmp_path / "missing.mp4"), camera)


def test_backend_choice_per_platform():
    assert [n for n, _ in camera_backends("auto", "win32")] == ["MSMF", "DSHOW"]
    assert camera_backends("dshow", "win32") == [("DSHOW", cv2.CAP_DSHOW)]
    assert camera_backends("msmf", "win32") == [("MSMF", cv2.CAP_MSMF)]
    assert [n for n, _ in camera_backends("auto", "linux")] == ["V4L2", "ANY"]
    assert [n for n, _ in camera_backends("auto", "darwin")] == ["ANY"]
    with pytest.raises(CameraError, match="only on Windows"):
        camera_backends("dshow", "linux")


def test_camera_opens_through_the_first_backend_that_delivers(videos_dir):
    """The capture factory is OpenCV itself, pointed at a video file for the backend that "works"."""
    tried = []

    def factory(index, api):
        tried.append(api)
        if api == cv2.CAP_MSMF:
            return cv2.VideoCapture(str(videos_dir / "missing-device.mp4"))  # fails to open, like a busy camera
        return cv2.VideoCapture(str(videos_dir / HAMILTON))

    source = CameraSource(0, CameraSettings(backend="auto"), platform="win32", capture_factory=factory)
    with source:
        frame = source.read()
    assert tried == [cv2.CAP_MSMF, cv2.CAP_DSHOW]
    assert source.describe() == "camera 0 via DSHOW"
    assert frame.image.shape == (360, 640, 3)


def test_camera_that_cannot_open_names_what_was_tried():
    source = CameraSource(0, CameraSettings(), platform="win32", capture_factory=lambda i, api: cv2.VideoCapture("/nonexistent/cam.mp4"))
    with pytest.raises(CameraError, match=r"camera 0 could not be opened \(tried MSMF, DSHOW\)"):
        source.open()


def test_camera_that_stops_delivering_is_lost_not_ended(videos_dir):
    source = CameraSource(2, CameraSettings(backend="any"), capture_factory=lambda i, api: cv2.VideoCapture(str(videos_dir / HAMILTON)))
    source.open()
    with pytest.raises(CameraError) as err:
        for _ in range(400):
            source.read()
    assert not isinstance(err.value, SourceEndedError)
    assert "camera 2 stopped delivering frames" in str(err.value)


def test_dying_source_fails_then_recovers_on_reopen(videos_dir):
    source = DyingSource(VideoSource(videos_dir / HAMILTON), die_after=3)
    source.open()
    for _ in range(3):
        source.read()
    with pytest.raises(CameraError, match="injected fault"):
        source.read()
    source.open()
    assert [source.read().index for _ in range(5)] == [0, 1, 2, 3, 4]
    assert source.opens == 2
    source.close()


def test_backoff_grows_to_a_ceiling_and_resets():
    backoff = Backoff(initial=0.5, factor=2, maximum=3)
    assert [backoff.next_delay() for _ in range(5)] == [0.5, 1.0, 2.0, 3, 3]
    backoff.reset()
    assert backoff.next_delay() == 0.5
