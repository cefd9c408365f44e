"""The head-turn challenge: real head turns pass, a flat or bent photo turned in front of the camera fails.

Figures behind the thresholds (challenge_yaw 15 deg, challenge_parallax 0.08), from
running the analyzer over the footage and warps used below: real turns of 15-35 deg in
../shared/video show nose parallax 0.09-0.23 (about 0.38 x sin(dyaw)) with the eye
distance narrowing about as cos(yaw) / cos(reference yaw); the first 40 deepface portraits warped
as a photo rotated up to 55 deg show at most 0.14 parallax, and only when rotated so far that
the eyes narrow to 0.55-0.67 of their width, which the foreshortening test rejects. Over all
15 real turns bench/footage.py finds, all 15 pass since the prediction is anchored to the most
frontal face seen (python -m bench strict: BPCER 0%; 13 of 15, BPCER 13%, before).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.capture.challenge import HeadTurnChallenge, nose_parallax, turn_evidence
from kiosk.capture.session import CaptureSession
from kiosk.capture.types import Frame
from kiosk.engine.images import load_image
from kiosk.engine.types import FaceObservation

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for bench.*
from bench.attacks import SWEEP as HAND  # noqa: E402
from bench.attacks import held_sheet, print_sheet  # noqa: E402
from bench.footage import REAL_TURNS, tracked_faces  # noqa: E402

# The whole module is in the full suite only: about 156 s of a 20-minute run on 2 loaded cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

# REAL_TURNS (bench/footage.py), found by running analyzer.analyze on every frame and printing yaw,
# nose parallax and foreshortening against the first frame (the face is followed by
# nearest box centre; every other frame is used, as a 60 ms analysis interval would):
#   short_hamilton_clip.mp4 99-170: yaw 0 -> -37 (frame 135) -> +17 (frames 157-170)
#   friends_in_video.mp4 116-250: the man on the right turns +35..+67, back, then -18 (224-250)
# A generic 3D face (eye-mouth distance 1): eyes, nose tip 0.45 in front, mouth corners.
HEAD = np.array([[-0.45, -0.5, 0.0], [0.45, -0.5, 0.0], [0.0, 0.1, -0.45], [-0.38, 0.5, 0.0], [0.38, 0.5, 0.0]])


def project(points, yaw_deg, distance=8.0, focal=800.0):
    """Pinhole view of ``points`` turned by ``yaw_deg`` (+: the nose goes to the image's right)."""
    a = -np.radians(yaw_deg)
    rot = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    p = points @ rot.T + [0, 0, distance]
    return p[:, :2] / p[:, 2:] * focal + [320, 240]


def test_nose_parallax_is_zero_for_a_plane_and_grows_with_a_3d_turn():
    flat = HEAD * [1, 1, 0]
    for yaw in (10, 25, 40):
        assert abs(nose_parallax(project(flat, 0), project(flat, yaw))) < 1e-6
        assert abs(nose_parallax(project(flat, 0), project(flat, -yaw))) < 1e-6
    turns = [nose_parallax(project(HEAD, 0), project(HEAD, yaw)) for yaw in (10, 25, 40)]
    assert 0.05 < turns[0] < turns[1] < turns[2]
    # Turning to the image's right (positive yaw) moves the nose right: positive parallax.
    assert nose_parallax(project(HEAD, 0), project(HEAD, -25)) == pytest.approx(-turns[1], abs=1e-3)


def test_foreshortening_is_predicted_from_both_yaws_so_a_turn_from_an_angle_passes():
    """A head that starts turned (-25 deg, inside the login gate) and turns on to -55: narrowing 0.63.

    The earlier prediction cos(dyaw) - 0.15 = 0.72 refused it; cos(-55) / cos(-25) = 0.63 is what a
    head shows. The same views of a flat face keep no parallax and are still refused.
    """
    start, turned = project(HEAD, -25), project(HEAD, -55)

    def face(points, yaw):
        return FaceObservation(box=np.array([0, 0, 1, 1], np.float32), keypoints=points, det_score=0.9, size=100, yaw=yaw, pitch=0, roll=0, sharpness=0, exposure=0)

    evidence = turn_evidence(face(start, -25), face(turned, -55))
    assert evidence.foreshortening == pytest.approx(np.cos(np.radians(55)) / np.cos(np.radians(25)), abs=0.03)
    assert evidence.expected_foreshortening == pytest.approx(0.63, abs=0.01)
    assert evidence.three_d(-1, 15, 0.08)
    flat = HEAD * [1, 1, 0]
    assert not turn_evidence(face(project(flat, -25), -25), face(project(flat, -55), -55)).three_d(-1, 15, 0.08)


def _face(points, yaw):
    return FaceObservation(box=np.array([0, 0, 1, 1], np.float32), keypoints=points, det_score=0.9, size=100, yaw=yaw, pitch=0, roll=0, sharpness=0, exposure=0)


def test_a_narrowed_face_never_becomes_the_frontal_baseline():
    """A print rotated until its apparent yaw is smaller than the reference's offers a narrow "frontal" face.

    Taken as the baseline it would lower the prediction as much as the print narrowed (prints in the
    bench's sweeps offered 0.59-0.77 of the reference's frontal width, real heads 0.80-1.00), so a face
    under FRONTAL_FLOOR (0.75) of it is refused as the baseline; a head's own frontal view is taken.
    """
    reference = _face(project(HEAD, 12), 12)
    challenge = HeadTurnChallenge(min_yaw=15, min_parallax=0.08, order=("left", "right"))
    challenge.update(reference)
    narrowed = project(HEAD, 12) * [0.6, 1] + [128, 0]  # the same view squeezed to 60% of its width
    challenge.update(_face(narrowed, 2))
    assert challenge.frontal is reference
    frontal = _face(project(HEAD, 0), 0)
    challenge.update(frontal)
    assert challenge.frontal is frontal


@pytest.mark.parametrize(("video", "start", "stop", "order"), REAL_TURNS)
def test_real_head_turns_pass(analyzer, settings, videos_dir, video, start, stop, order):
    faces = tracked_faces(analyzer, videos_dir / video, start, stop, live=True)
    live = analyzer.pack.thresholds.liveness
    challenge = HeadTurnChallenge(min_yaw=settings.enroll.challenge_yaw, min_parallax=settings.enroll.challenge_parallax, min_live=live, order=order)
    for face in faces:
        challenge.update(face)
    assert challenge.passed and challenge.flat_frames == 0
    # The same footage with the turns asked in the other order passes only the first step at most.
    reverse = HeadTurnChallenge(min_yaw=15, min_parallax=0.08, order=order[::-1])
    for face in faces:
        reverse.update(face)
    assert not reverse.passed


# The two real turns the reference-anchored prediction refused (bench/footage.py turn_segments;
# docs/capture.md): (video, first frame, stop, order, a pixel near the turning face at the start).
#   friends_2.mp4 758-802: reference -24.7 deg, right to -65, then left to +15..16 (792-798), whose
#     width (eye distance / eye-mouth height) is 0.85-0.90 of the reference against 1.06 predicted
#     from the reference's yaw (cos(15) / cos(24.7)): refused at slack 0.15. The face at yaw 0.7
#     (790) is 0.98 as wide as the reference, so its -24.7 deg looks like a yaw the engine overstates;
#     predicted from that frontal face, 0.95 - 0.15, they pass.
#   friends_2.mp4 160-200: reference +21.7, left to full profile (the keypoints flip at 190), then
#     back to +2.6..4 (192-196), a 19 deg turn the other way with parallax -0.11, 0.85 as wide as the
#     reference against 1.08 predicted; from 194 on the prediction comes from 192 and they pass.
FORMERLY_REFUSED = [
    ("friends_2.mp4", 758, 803, ("right", "left"), (1098, 174)),
    ("friends_2.mp4", 160, 201, ("left", "right"), (480, 201)),
]


@pytest.mark.parametrize(("video", "start", "stop", "order", "near"), FORMERLY_REFUSED)
def test_a_real_turn_from_an_angled_reference_passes_with_the_frontal_prediction(analyzer, settings, videos_dir, video, start, stop, order, near):
    faces = tracked_faces(analyzer, videos_dir / video, start, stop, live=True, near=near)
    assert abs(faces[0].yaw) > 20, "the reference must be the turned start the test is about"
    kwargs = dict(min_yaw=settings.login.challenge_yaw, min_parallax=settings.login.challenge_parallax, min_live=analyzer.pack.thresholds.liveness)
    challenge = HeadTurnChallenge(**kwargs, order=order)
    for face in faces:
        challenge.update(face)
    assert challenge.passed
    assert abs(challenge.frontal.yaw) < 5  # the prediction came from a frontal face, not the reference
    # Predicted from the reference alone (the rule before: frontal pinned to it), the second step fails.
    before = HeadTurnChallenge(**kwargs, order=order)
    for face in faces:
        before.update(face)
        before.frontal = before.reference
    assert before.step == 1 and not before.passed


def photo_held_up(image, yaw, pitch=0.0, roll=0.0, size=(640, 480), focal_scale=1.2):
    """The photo as a camera sees a flat print rotated by (yaw, pitch, roll) degrees at arm's length."""
    h, w = image.shape[:2]
    scale = min(size[0] * 0.6 / w, size[1] * 0.8 / h)
    focal = focal_scale * size[0]
    corners = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]]) * scale
    a, b, c = np.radians([pitch, yaw, roll])
    rx = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    ry = np.array([[np.cos(b), 0, np.sin(b)], [0, 1, 0], [-np.sin(b), 0, np.cos(b)]])
    rz = np.array([[np.cos(c), -np.sin(c), 0], [np.sin(c), np.cos(c), 0], [0, 0, 1]])
    p = corners @ (rz @ ry @ rx).T + [0, 0, focal]
    dst = p[:, :2] / p[:, 2:] * focal + np.array(size) / 2
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    return cv2.warpPerspective(image, matrix, size, borderValue=(90, 90, 90))


# Sweeps of a photo turned on its vertical axis to both sides, with the tilt and
# wobble of a hand: (yaw, pitch, roll) per frame.
SWEEP = (
    [(y, 5, 0) for y in (0, -15, -30, -45, -55)]
    + [(y, 0, -5) for y in (-40, -20, 0, 20, 40, 55)]
    + [(y, -10, 5) for y in (45, 30, 15, 0)]
    + [(-30, -30, 15), (-30, -25, 10), (30, 30, 0), (30, 25, 5), (0, 0, 0)]
)
# Portraits whose warps fake the largest apparent yaw (from a run over all 40 deepface img*.jpg).
PHOTOS = [f"img{i}.jpg" for i in (3, 14, 17, 24, 26, 44)]


@pytest.fixture(scope="module")
def flat_photo_sequences(analyzer, faces_dir):
    sequences = {}
    for name in PHOTOS:
        image = load_image(faces_dir / "deepface" / name)
        faces = [analyzer.analyze(photo_held_up(image, *pose)) for pose in SWEEP]
        sequences[name] = [found[0] for found in faces if found]
    return sequences


def test_a_flat_photo_tilted_and_rotated_fails_the_challenge(flat_photo_sequences, settings):
    flat_frames = 0
    max_dyaw = 0.0
    for name, faces in flat_photo_sequences.items():
        assert len(faces) > len(SWEEP) // 2, f"{name}: the detector must see the photo for the test to mean anything"
        for order in (("left", "right"), ("right", "left")):
            challenge = HeadTurnChallenge(min_yaw=settings.enroll.challenge_yaw, min_parallax=settings.enroll.challenge_parallax, order=order)
            for face in faces:
                challenge.update(face)
            assert not challenge.passed, f"{name} passed as a 3D head in order {order}"
            flat_frames += challenge.flat_frames
        max_dyaw = max(max_dyaw, *(abs(turn_evidence(faces[0], f).dyaw) for f in faces))
    # Tilting a print does fake a head turn's yaw; the geometry is what refuses it.
    assert max_dyaw >= settings.enroll.challenge_yaw
    assert flat_frames > 0


def test_enrollment_from_a_tilted_photo_never_succeeds(analyzer, settings, faces_dir):
    image = load_image(faces_dir / "deepface" / "img17.jpg")
    profile = dataclasses.replace(settings.enroll, warmup_frames=0, frame_interval_ms=0, liveness=False, max_frames=len(SWEEP) + 10)
    session = CaptureSession(analyzer, profile, name="enroll")
    frames = [photo_held_up(image, 0, 0, 0)] * 8 + [photo_held_up(image, *pose) for pose in SWEEP]
    for i, frame in enumerate(frames):
        session.feed(Frame(frame, i, i * 0.1))
    result = session.end()
    assert result.outcome == "challenge_failed"
    assert result.frames_used >= profile.min_valid_frames  # it got as far as the challenge
    assert result.template is None and result.liveness.challenge_passed is False


def test_a_bent_print_rotated_and_tilted_fails_the_challenge(analyzer, settings, faces_dir):
    """A print bowed by 12% of its width, towards or away from the camera (bench/attacks.py): refused.

    Measured (login profile, both side orders): img3 and img17 refused at +-12%, img3 with nose
    parallax up to 0.19 (the bend fakes some), refused by the foreshortening and hold tests; img3
    alone is tested (the machine is slow). Stronger bends: the 40% test below.
    """
    back = np.full((480, 640, 3), 120, np.uint8)
    for name in ("img3.jpg",):
        sheet = print_sheet(load_image(faces_dir / "deepface" / name))
        for bend in (0.12, -0.12):
            frames = [held_sheet(sheet, back)] + [held_sheet(sheet, back, *pose, bend=bend) for pose in HAND]
            faces = [found[0] for found in (analyzer.analyze(f) for f in frames) if found]
            assert len(faces) > len(HAND) // 2, f"{name}: the detector must see the print for the test to mean anything"
            for order in (("left", "right"), ("right", "left")):
                challenge = HeadTurnChallenge(min_yaw=settings.login.challenge_yaw, min_parallax=settings.login.challenge_parallax, order=order)
                for face in faces:
                    challenge.update(face)
                assert not challenge.passed, f"{name} bent {bend:+.0%} passed in order {order}"


def test_a_strongly_bent_print_fakes_the_geometry_but_its_turned_frames_do_not_look_live(analyzer, settings, faces_dir):
    """img3 printed and bent by 40% of its width (nearly a half cylinder), both ways, rotated and tilted.

    Measured (bench/attacks.py renders, login profile, both side orders): the five keypoints pass
    the geometry alone (the bend puts the nose in front of the eyes and mouth as a head does:
    nose parallax up to 0.2 with head-like foreshortening), but the test pack's passive pair scores
    every turned frame below 0.5 (at most 0.47), so the shipped rule (min_live = the pack's
    liveness threshold) refuses both bends. A print that also fools the passive check on turned
    frames would pass: docs/capture.md, "What remains undefended".
    """
    back = np.full((480, 640, 3), 120, np.uint8)
    sheet = print_sheet(load_image(faces_dir / "deepface" / "img3.jpg"))
    live = analyzer.pack.thresholds.liveness
    pair_only = dataclasses.replace(settings.login, frame_cue=False)  # the pair's scores, not the frame cue's 0 on the margin
    geometry_passed = 0
    for bend in (0.40, -0.40):
        frames = [held_sheet(sheet, back)] + [held_sheet(sheet, back, *pose, bend=bend) for pose in HAND]
        faces = []
        for frame in frames:
            found = analyzer.analyze(frame)
            if found:
                analyzer.liveness(frame, found[0], pair_only)
                faces.append(found[0])
        assert len(faces) > len(HAND) // 2, f"bent {bend:+.0%}: the detector must see the print for the test to mean anything"
        turned = [f.liveness for f in faces[1:] if abs(turn_evidence(faces[0], f).dyaw) >= settings.login.challenge_yaw]
        assert turned and max(turned) < live, f"bent {bend:+.0%}: a turned frame looked live ({max(turned, default=0):.2f})"
        for order in (("left", "right"), ("right", "left")):
            kwargs = dict(min_yaw=settings.login.challenge_yaw, min_parallax=settings.login.challenge_parallax, order=order)
            geometry, strict = HeadTurnChallenge(**kwargs), HeadTurnChallenge(**kwargs, min_live=live)
            for face in faces:
                geometry.update(face)
                strict.update(face)
            geometry_passed += geometry.passed
            assert not strict.passed, f"bent {bend:+.0%} passed the strict challenge in order {order}"
    # The attack is strong: without the liveness of the turned frames it gets through.
    assert geometry_passed >= 1
