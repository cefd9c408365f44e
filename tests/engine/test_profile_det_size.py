"""The detector input per capture profile: login 320 (fast, close faces), the rest at runtime.det_size (640)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.config import load_settings
from kiosk.engine.images import load_image
from kiosk.errors import ConfigError


def test_defaults_login_320_enroll_and_others_640(tmp_path):
    s = load_settings(data_dir=tmp_path, environ={})
    assert (s.login.det_size, s.enroll.det_size, s.runtime.det_size) == (320, 0, 640)


def test_login_at_320_finds_the_cooperative_face_and_640_keeps_the_small_ones(analyzer, settings, videos_dir, faces_dir):
    capture = cv2.VideoCapture(str(videos_dir / "short_hamilton_clip.mp4"))
    capture.set(cv2.CAP_PROP_POS_FRAMES, 100)
    ok, frame = capture.read()
    assert ok
    login = analyzer.analyze(frame, gates=settings.login)
    assert login and login[0].passed, [o.reasons for o in login]
    # A far face: img1.jpg shrunk to 80 px wide (its face about 40 px) in a 1280x720 frame.
    # Measured: found at 640, lost at 320 and 160; why enrollment and the look-alike keep 640.
    portrait = load_image(faces_dir / "deepface" / "img1.jpg")
    small = cv2.resize(portrait, (80, portrait.shape[0] * 80 // portrait.shape[1]), interpolation=cv2.INTER_AREA)
    frame = np.full((720, 1280, 3), 120, np.uint8)
    frame[300 : 300 + small.shape[0], 600:680] = small
    assert len(analyzer.analyze(frame, gates=settings.enroll)) == 1
    assert analyzer.analyze(frame, gates=settings.login) == []


def test_a_bad_profile_det_size_names_the_key(tmp_path):
    with pytest.raises(ConfigError, match=r"login\.det_size"):
        load_settings(data_dir=tmp_path, environ={}, overrides={"login.det_size": 333})
