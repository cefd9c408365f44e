"""Rest and wake on real footage with the real analyzer, driven by frame timestamps (no thread, no sleeping).

The empty scene is frame 980 of friends_2.mp4 (an empty set: the detector finds no
face there), with fresh Gaussian noise (sigma 2) on every frame as a camera's sensor
gives; the visitor is the Hamilton clip from frame 82, where one man faces the camera.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from kiosk.capture.rest import Pace, RestGate, RestPolicy, changed_share, thumbnail
from kiosk.capture.session import CaptureSession
from kiosk.capture.types import Frame
from kiosk.config import load_settings
from kiosk.errors import ConfigError

FPS = 30.0
SIZE = (640, 360)


def video_frames(path, start, count):
    capture = cv2.VideoCapture(str(path))
    capture.set(cv2.CAP_PROP_POS_FRAMES, start)
    frames = []
    while len(frames) < count:
        ok, image = capture.read()
        assert ok, f"{path} ended before frame {start + len(frames)}"
        frames.append(cv2.resize(image, SIZE, interpolation=cv2.INTER_AREA))
    return frames


@pytest.fixture(scope="module")
def empty_scene(videos_dir):
    return video_frames(videos_dir / "friends_2.mp4", 980, 1)[0]


@pytest.fixture(scope="module")
def visitor(videos_dir):
    return video_frames(videos_dir / "short_hamilton_clip.mp4", 82, 60)


def noisy(image, rng):
    return np.clip(image + rng.normal(0, 2, image.shape), 0, 255).astype(np.uint8)


def drive(analyzer, profile, gate, images, start_index=0):
    """What the worker does with a login capture: gate, feed, restart when a capture ends.

    Returns the indices of the frames analyzed and the first (index, result) that was ok.
    """
    session = CaptureSession(analyzer, profile, name="login")
    analyzed, first_ok = [], None
    for i, image in enumerate(images, start_index):
        frame = Frame(image, i, i / FPS)
        if not gate.admit(frame):
            continue
        report = session.feed(frame)
        if report.analyzed:
            analyzed.append(i)
            gate.observed(frame.timestamp, bool(report.observations))
        if session.done:
            if session.result.ok and first_ok is None:
                first_ok = (i, session.result)
            session = CaptureSession(analyzer, profile, name="login")
    return analyzed, first_ok


@pytest.mark.slow
def test_an_empty_scene_rests_after_the_delay_and_analyzes_once_per_interval(analyzer, settings, empty_scene):
    rng = np.random.default_rng(1)
    policy = RestPolicy(rest_after_s=2.0, rest_interval_ms=1000, wake_fraction=0.02)
    gate = RestGate(policy)
    images = [noisy(empty_scene, rng) for _ in range(int(8 * FPS))]
    analyzed, first_ok = drive(analyzer, settings.login, gate, images)
    assert first_ok is None
    assert gate.pace == Pace.RESTING
    awake = [i for i in analyzed if i / FPS < policy.rest_after_s + 0.1]
    resting = [i for i in analyzed if i / FPS >= policy.rest_after_s + 0.5]
    # Awake: the profile's own rate (60 ms interval at 30 fps: every other frame, after warm-up).
    assert len(awake) >= 25
    # Resting: one admitted frame a second (the session's warm-up eats the first few), never more.
    assert len(resting) <= 6
    assert all(b - a >= FPS for a, b in zip(resting, resting[1:]))


def test_a_visitor_walking_into_a_resting_kiosk_wakes_it_at_the_first_frame(analyzer, settings, empty_scene, visitor):
    rng = np.random.default_rng(2)
    before = [noisy(empty_scene, rng) for _ in range(int(6 * FPS))]
    policy = RestPolicy(rest_after_s=2.0, rest_interval_ms=1000, wake_fraction=0.02)
    resting = RestGate(policy)
    drive(analyzer, settings.login, resting, before)
    assert resting.pace == Pace.RESTING
    arrival = len(before)
    assert resting.admit(Frame(visitor[0], arrival, arrival / FPS))  # the change detector, not the rest interval
    assert resting.pace == Pace.AWAKE
    analyzed, first_ok = drive(analyzer, settings.login, resting, visitor[1:], start_index=arrival + 1)
    assert first_ok is not None, "no sign-in from the visitor's frames"
    index, result = first_ok
    # Media time from the face appearing to the template; the same clip into an awake kiosk takes 9 frames
    # (5 warm-up, then every other frame: test_session.py). A capture already past its warm-up is quicker.
    assert (index - arrival) / FPS <= 0.5, (index - arrival, result.to_dict())


def test_camera_noise_does_not_wake_it_and_a_slow_change_adds_up(empty_scene, visitor):
    rng = np.random.default_rng(3)
    assert changed_share(thumbnail(noisy(empty_scene, rng)), thumbnail(noisy(empty_scene, rng))) == 0.0
    gate = RestGate(RestPolicy(rest_after_s=1.0, rest_interval_ms=1000, wake_fraction=0.02))
    gate.observed(0.0, False)
    gate.admit(Frame(empty_scene, 0, 0.0))
    gate.observed(1.0, False)
    assert gate.pace == Pace.RESTING
    assert gate.admit(Frame(empty_scene, 0, 1.0))  # the resting sample, due once a second
    assert not gate.admit(Frame(noisy(empty_scene, rng), 1, 1.0 + 1 / FPS))
    # A visitor fading in over 20 frames (5% a frame): each step alone changes little; against
    # the last analyzed frame the change adds up and wakes the gate before the fade is half done.
    woke_at = None
    for k in range(1, 21):
        blend = cv2.addWeighted(empty_scene, 1 - k / 20, visitor[0], k / 20, 0)
        if gate.admit(Frame(blend, k, 1.0 + (k + 1) / FPS)):
            woke_at = k
            break
    assert woke_at is not None and woke_at <= 10 and gate.pace == Pace.AWAKE


def previewed(gate, start, count, jitter_rng=None):
    """Indices of a 30 fps camera's frames (timestamps jittered by up to 4 ms) that go to the preview."""
    shown = []
    for i in range(start, start + count):
        jitter = jitter_rng.uniform(-0.004, 0.004) if jitter_rng is not None else 0.0
        if gate.preview_due(i / FPS + jitter):
            shown.append(i)
    return shown


def test_the_preview_shows_every_frame_awake_and_the_resting_rate_while_resting(empty_scene, visitor):
    rng = np.random.default_rng(4)
    gate = RestGate(RestPolicy(rest_after_s=1.0, rest_interval_ms=1000, wake_fraction=0.02, rest_preview_fps=15))
    gate.observed(0.0, False)
    assert previewed(gate, 0, 30, rng) == list(range(30))  # awake: the camera's 30 fps
    gate.admit(Frame(empty_scene, 30, 1.0))
    gate.observed(1.0, False)
    assert gate.pace == Pace.RESTING
    shown = previewed(gate, 31, 60, rng)
    assert len(shown) == 30 and all(b - a == 2 for a, b in zip(shown, shown[1:]))  # 15 fps, evenly: every other frame
    assert gate.admit(Frame(visitor[0], 91, 91 / FPS)) and gate.pace == Pace.AWAKE  # someone walks in
    assert previewed(gate, 92, 30, rng) == list(range(92, 122))  # the full rate at once
    gate.pace = Pace.RESTING
    gate.policy = RestPolicy(rest_after_s=1.0, rest_preview_fps=10)
    shown = previewed(gate, 122, 60, rng)
    assert len(shown) == 20 and all(b - a == 3 for a, b in zip(shown, shown[1:]))
    gate.policy = RestPolicy(rest_after_s=1.0, rest_preview_fps=0)  # 0: every frame even at rest
    assert previewed(gate, 182, 30, rng) == list(range(182, 212))


def test_a_wake_without_a_timestamp_counts_from_the_next_frame_on_the_source_clock(empty_scene):
    """A capture asked for (or cancelled) wakes the gate away from the frames: a video file's
    media time then still rests after rest_after_s of it (a monotonic stamp never rested)."""
    gate = RestGate(RestPolicy(rest_after_s=1.0, rest_interval_ms=1000, wake_fraction=0.02))
    gate.observed(0.0, False)
    gate.observed(1.0, False)
    assert gate.pace == Pace.RESTING
    gate.wake()
    assert gate.pace == Pace.AWAKE
    for i in range(31, 61):  # media time 1.03 .. 2.0 s: less than rest_after_s since the wake
        gate.observed(i / FPS, False)
    assert gate.pace == Pace.AWAKE
    gate.observed(62 / FPS + 1.0, False)
    assert gate.pace == Pace.RESTING


def test_rest_after_zero_never_rests(empty_scene):
    gate = RestGate(RestPolicy(rest_after_s=0))
    for i in range(100):
        assert gate.admit(Frame(empty_scene, i, i / FPS))
        gate.observed(i / FPS, False)
    assert gate.pace == Pace.AWAKE


@pytest.mark.parametrize(
    ("key", "value"),
    [("camera.rest_after_s", -1), ("camera.rest_interval_ms", 10), ("camera.wake_fraction", 0), ("camera.rest_preview_fps", -1)],
)
def test_bad_rest_settings_name_the_key(tmp_path, key, value):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_settings(data_dir=tmp_path, environ={}, overrides={key: value})


def test_defaults_rest_after_five_seconds_at_one_frame_a_second(tmp_path):
    camera = load_settings(data_dir=tmp_path, environ={}).camera
    assert dataclasses.astuple(RestPolicy.from_settings(camera)) == (5.0, 1000, 0.02, 15)
