"""The capture session driven frame by frame with explicit timestamps: no thread, no sleeping."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from kiosk.capture.session import CaptureSession
from kiosk.capture.sources import VideoSource
from kiosk.capture.types import Frame
from kiosk.engine.images import load_image
from kiosk.errors import SourceEndedError

HAMILTON = "short_hamilton_clip.mp4"
# Frames 82-170 of the Hamilton clip: one man (face ~80 px) looks at the camera from
# frame ~82, turns to the image's left (yaw down to -39 at frame 135), then back and to
# the right (+17 at frame 159). Found by running analyzer.analyze over every frame.
COOPERATIVE_FROM = 82


def frames_of(video, start=0, stop=None):
    with VideoSource(video) as source:
        try:
            while True:
                frame = source.read()
                if frame.index < start:
                    continue
                if stop is not None and frame.index >= stop:
                    return
                yield frame
        except SourceEndedError:
            return


def run(session, frames):
    reports = []
    for frame in frames:
        reports.append(session.feed(frame))
        if session.done:
            break
    else:
        session.end()
    return reports


def still(image, n, step=0.1, start=0.0):
    return [Frame(image, i, start + i * step) for i in range(n)]


@pytest.fixture(scope="module")
def portrait(faces_dir):
    return load_image(faces_dir / "deepface" / "img1.jpg")


def test_login_on_real_footage_finishes_as_soon_as_enough_good_frames(analyzer, settings, videos_dir):
    session = CaptureSession(analyzer, settings.login, name="login")
    reports = run(session, frames_of(videos_dir / HAMILTON, start=COOPERATIVE_FROM))
    result = session.result
    assert result.outcome == "ok", result.to_dict()
    assert result.frames_used == settings.login.min_valid_frames == 3
    assert result.frames_analyzed == 3  # every analyzed frame was good: it stopped at the third
    assert result.frames_seen == settings.login.warmup_frames + 1 + 2 * 2  # 60 ms interval at 30 fps: every other frame
    assert result.template.vector.shape == (analyzer.embedding_size,)
    assert np.linalg.norm(result.template.vector) == pytest.approx(1.0, abs=1e-5)
    assert result.liveness.passed and result.liveness.challenge_passed is None
    assert result.elapsed_s == pytest.approx(9 / 29.97, abs=1e-3)
    assert reports[-1].done and reports[-1].guidance_key == "done" and reports[-1].progress == (3, 3)
    assert [r.analyzed for r in reports] == [False] * 5 + [True, False, True, False, True]


def test_warm_up_and_interval_follow_the_frame_timestamps(analyzer, settings, portrait):
    profile = dataclasses.replace(settings.login, warmup_frames=2, frame_interval_ms=100, min_valid_frames=10, max_frames=10, liveness=False)
    session = CaptureSession(analyzer, profile)
    reports = [session.feed(f) for f in still(portrait, 12, step=0.04)]
    # t = 0.00 0.04 | 0.08 (first) 0.12 0.16 | 0.20 (>= 0.18) ... | 0.32 ... | 0.44
    assert [r.index for r in reports if r.analyzed] == [2, 5, 8, 11]
    assert all(r.accepted for r in reports if r.analyzed)
    assert session.progress == (4, 10)
    assert not session.done


def test_time_out_on_the_source_clock(analyzer, settings):
    blank = np.full((360, 640, 3), 120, np.uint8)
    session = CaptureSession(analyzer, dataclasses.replace(settings.login, warmup_frames=0))
    reports = run(session, still(blank, 100, step=1.0))
    assert session.result.outcome == "timeout"
    assert session.result.frames_seen == int(settings.login.timeout_s) + 1
    assert session.result.rejected == {"no_face": int(settings.login.timeout_s)}
    assert {r.guidance_key for r in reports if r.analyzed} == {"no_face"}
    assert session.result.template is None and session.result.liveness.passive_score is None


def test_several_people_ask_for_one_at_a_time_unless_the_largest_is_allowed(analyzer, settings, faces_dir):
    group = load_image(faces_dir / "insightface" / "t1.jpg")  # six faces
    single = CaptureSession(analyzer, dataclasses.replace(settings.login, warmup_frames=0, min_face_px=20))
    report = single.feed(Frame(group, 0, 0.0))
    assert report.reasons == ["multiple_faces"] and report.guidance_key == "one_person"
    assert len(report.observations) == 6 and report.chosen is report.observations[0]
    largest = CaptureSession(analyzer, dataclasses.replace(settings.login, warmup_frames=0, min_face_px=20, face_policy="largest"))
    assert "multiple_faces" not in largest.feed(Frame(group, 0, 0.0)).reasons


def test_a_small_face_is_asked_to_come_closer(analyzer, settings, portrait):
    h, w = portrait.shape[:2]
    canvas = np.full((480, 640, 3), 110, np.uint8)
    small = cv2.resize(portrait, (96, 96 * h // w), interpolation=cv2.INTER_AREA)  # face ~60 px
    canvas[100 : 100 + small.shape[0], 240:336] = small
    profile = dataclasses.replace(settings.login, warmup_frames=0)
    report = CaptureSession(analyzer, profile).feed(Frame(canvas, 0, 0.0))
    assert report.chosen is not None and report.chosen.size < profile.min_face_px
    assert "too_small" in report.reasons and report.guidance_key == "come_closer"
    assert not report.accepted


def test_a_dark_face_asks_for_light(analyzer, settings, portrait):
    dark = (portrait.astype(np.float32) * 0.2).astype(np.uint8)
    report = CaptureSession(analyzer, dataclasses.replace(settings.login, warmup_frames=0)).feed(Frame(dark, 0, 0.0))
    assert report.chosen is not None, "the face must still be detected for the test to mean anything"
    assert "too_dark" in report.reasons and report.guidance_key == "more_light"


def test_max_frames_without_enough_good_ones_is_not_enough(analyzer, settings, faces_dir):
    group = load_image(faces_dir / "insightface" / "t1.jpg")
    profile = dataclasses.replace(settings.login, warmup_frames=0, frame_interval_ms=0, max_frames=4, min_valid_frames=3)
    session = CaptureSession(analyzer, profile)
    run(session, still(group, 10))
    assert session.result.outcome == "not_enough"
    assert session.result.frames_analyzed == 4 and session.result.rejected == {"multiple_faces": 4}


def test_source_ending_early_ends_the_session_with_what_it_has(analyzer, settings, portrait):
    profile = dataclasses.replace(settings.login, warmup_frames=0, min_valid_frames=5, max_frames=10)
    session = CaptureSession(analyzer, profile)
    run(session, still(portrait, 2))
    result = session.result
    assert result.outcome == "not_enough" and result.frames_used == 2 and result.template is None
    assert result.to_dict()["frames_used"] == 2


def test_enrollment_with_the_head_turn_challenge_on_real_footage(analyzer, settings, videos_dir):
    # The Hamilton face is ~80 px; the enrollment size gate (100 px) is lowered to fit the footage.
    profile = dataclasses.replace(settings.enroll, min_face_px=60, warmup_frames=0)
    assert profile.challenge
    session = CaptureSession(analyzer, profile, name="enroll", challenge_order=("right", "left"))
    reports = run(session, frames_of(videos_dir / HAMILTON, start=COOPERATIVE_FROM, stop=175))
    result = session.result
    assert result.outcome == "ok", result.to_dict()
    assert result.liveness.challenge_passed is True and result.liveness.passed
    assert result.frames_used == profile.min_valid_frames
    keys = [r.guidance_key for r in reports if r.analyzed]
    assert keys.index("turn_right") < keys.index("turn_left") < keys.index("done")
    assert reports[-1].progress == (profile.min_valid_frames + 2, profile.min_valid_frames + 2)
    # The turned frames were scored by the passive check too (a bent print fakes the geometry).
    assert session.challenge.min_live == analyzer.pack.thresholds.liveness
    turned = [r.chosen for r in reports if r.analyzed and r.guidance_key in ("turn_right", "turn_left")]
    assert turned and all(face.liveness is not None for face in turned)


def test_challenge_not_done_in_time_fails_the_enrollment(analyzer, settings, portrait):
    profile = dataclasses.replace(settings.enroll, warmup_frames=0, liveness=False, timeout_s=3.0)
    session = CaptureSession(analyzer, profile, name="enroll")
    run(session, still(portrait, 40, step=0.15))
    assert session.result.outcome == "challenge_failed"
    assert session.result.template is None and session.result.liveness.challenge_passed is False


@pytest.mark.slow
def test_a_different_person_doing_the_head_turn_fails_the_enrollment(analyzer, settings, portrait, videos_dir):
    """Someone else steps in for the challenge: the turn is real, but not by the enrolled face."""
    profile = dataclasses.replace(settings.enroll, warmup_frames=0, frame_interval_ms=0, liveness=False, min_face_px=60, max_frames=200)
    session = CaptureSession(analyzer, profile, name="enroll", challenge_order=("right", "left"))
    for frame in still(portrait, profile.min_valid_frames):
        session.feed(frame)
    assert session.phase == "challenge"
    turn = [f for f in frames_of(videos_dir / HAMILTON, start=99, stop=171) if f.index % 2 == 1]
    run(session, [Frame(f.image, f.index, 10.0 + f.timestamp) for f in turn])
    assert session.result.outcome == "challenge_failed"
    assert "different face" in session.result.message and session.challenge.passed
    assert session.result.template is None


def test_the_same_face_check_of_the_head_turn_uses_the_one_threshold_resolver(analyzer, settings):
    """The turned face must match the template at the band's ``low``: the [match] setting when set,
    else the pack's (issue 22: it read the pack's value and ignored an operator's setting)."""
    from kiosk.config import MatchSettings

    pack_low = analyzer.pack.thresholds.low
    assert CaptureSession(analyzer, settings.enroll, name="enroll").same_face_at == pack_low
    stricter = MatchSettings(high=0.6, low=pack_low + 0.1)
    assert CaptureSession(analyzer, settings.enroll, name="enroll", match=stricter).same_face_at == pytest.approx(pack_low + 0.1)
