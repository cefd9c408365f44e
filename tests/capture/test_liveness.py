"""Passive liveness on the labelled presentation-attack samples, alone and through a capture session.

Measured with the test pack (threshold 0.5): image_T1 (real) 1.00, image_F1 (attack)
0.27, image_F2 (attack) 0.002.
"""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.capture.session import CaptureSession
from kiosk.capture.types import Frame
from kiosk.engine.images import load_image


@pytest.mark.parametrize(("name", "live"), [("image_T1.jpg", True), ("image_F1.jpg", False), ("image_F2.jpg", False)])
def test_analyzer_liveness_flags_the_attacks_and_passes_the_real_face(analyzer, faces_dir, name, live):
    image = load_image(faces_dir / "antispoof" / name)
    obs = analyzer.analyze(image)[0]
    score = analyzer.liveness(image, obs)
    assert (score >= analyzer.pack.thresholds.liveness) is live, f"{name}: live score {score:.3f}"


@pytest.mark.parametrize(("name", "outcome"), [("image_T1.jpg", "ok"), ("image_F1.jpg", "spoof"), ("image_F2.jpg", "spoof")])
def test_session_outcome_follows_passive_liveness(analyzer, settings, faces_dir, name, outcome):
    # The samples are turned portraits; the pose gate is opened so liveness is what decides.
    profile = dataclasses.replace(settings.login, warmup_frames=0, frame_interval_ms=0, max_yaw=60, max_pitch=40)
    image = load_image(faces_dir / "antispoof" / name)
    session = CaptureSession(analyzer, profile)
    for i in range(profile.max_frames):
        session.feed(Frame(image, i, i * 0.1))
        if session.done:
            break
    result = session.result
    assert result.outcome == outcome
    assert result.liveness.passed is (outcome == "ok")
    assert (result.template is not None) is (outcome == "ok")
    # It decides as soon as min_valid_frames frames were judged, live or not.
    assert result.frames_analyzed == profile.min_valid_frames
    if outcome == "spoof":
        assert result.rejected == {"spoof": profile.min_valid_frames}
        assert result.liveness.passive_score < analyzer.pack.thresholds.liveness
