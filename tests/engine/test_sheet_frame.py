"""The enclosing-frame cue: a drawn sheet around a face versus none, then real prints and real faces.

The real photos are NUAA's hand-held prints and live webcam frames (../shared/faces/spoof-dev/print-nuaa)
and frames of ../shared/video; the figures asserted are stated in each test.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import shutil
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.capture.session import CaptureSession
from kiosk.cli.main import main
from kiosk.capture.types import Frame
from kiosk.engine.sheet_frame import SIDES, FrameCue, frame_cue, segments_in_face_axes

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for bench.*
from bench.attacks import held_sheet, phone_sheet  # noqa: E402

# The whole module is in the full suite only: about 27 s of a 20-minute run on 2 loaded cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

BOX = np.array([270, 170, 370, 290], np.float32)  # a 100 x 120 face box in a 640 x 480 frame
EYES = np.array([[300, 215], [340, 215], [320, 240], [303, 265], [337, 265]], np.float32)


def _scene(seed: int = 0) -> np.ndarray:
    """A grey, noisy background with a blurred blob where the face is: no straight edges anywhere."""
    rng = np.random.default_rng(seed)
    frame = np.clip(rng.normal(110, 12, (480, 640, 3)), 0, 255).astype(np.uint8)
    cv2.ellipse(frame, (320, 230), (50, 62), 0, 0, 360, (150, 170, 200), -1)
    return cv2.GaussianBlur(frame, (5, 5), 1.5)


def _with_sheet(frame: np.ndarray, sides: str = "ltrb") -> np.ndarray:
    """A white sheet around the face box (30-50 px beyond it), whose edges are drawn on ``sides``."""
    out = frame.copy()
    x1, y1, x2, y2 = 235, 125, 405, 345
    sheet = np.zeros(out.shape[:2], np.uint8)
    cv2.rectangle(sheet, (x1, y1), (x2, y2), 255, -1)
    if "l" not in sides:
        sheet[:, :x1] = sheet[:, x1 : x1 + 1]
    if "r" not in sides:
        sheet[:, x2:] = sheet[:, x2 - 1 : x2]
    if "t" not in sides:
        sheet[:y1] = sheet[y1 : y1 + 1]
    if "b" not in sides:
        sheet[y2:] = sheet[y2 - 1 : y2]
    ring = (sheet > 0) & ~_face_mask(out.shape[:2])
    out[ring] = (235, 235, 235)
    return out


def _face_mask(shape) -> np.ndarray:
    mask = np.zeros(shape, np.uint8)
    cv2.ellipse(mask, (320, 230), (50, 62), 0, 0, 360, 255, -1)
    return mask > 0


def test_a_sheet_all_round_encloses_the_face_and_no_sheet_does_not():
    plain = frame_cue(_scene(), BOX, EYES)
    assert plain.sides == () and not plain.encloses and plain.score == 0.0
    held = frame_cue(_with_sheet(_scene()), BOX, EYES)
    assert held.sides == SIDES and held.encloses and held.score == 1.0
    assert all(0.2 <= d <= 0.5 for d in held.distance)  # 35-55 px beyond a 100 x 120 box
    assert "bottom" in held.describe()


def test_two_sides_are_not_an_enclosure():
    """Edges beside the face only (a door frame, long straight hair) leave the neck free: not a frame."""
    cue = frame_cue(_with_sheet(_scene(), "lr"), BOX, EYES)
    assert cue.sides == ("left", "right") and not cue.encloses
    assert frame_cue(_with_sheet(_scene(), "lrb"), BOX, EYES).encloses  # a print cut off at the top


def test_the_sheet_is_found_in_the_face_axes_when_both_are_rolled():
    """Frame and face rolled 20 degrees together: the eye line gives the axes, the sheet is found all round."""
    frame = _with_sheet(_scene())
    turn = cv2.getRotationMatrix2D((320, 230), -20, 1.0)  # clockwise in the image
    rolled = cv2.warpAffine(frame, turn, (640, 480), borderMode=cv2.BORDER_REFLECT_101)
    eyes = cv2.transform(EYES[None], turn)[0]
    corners = cv2.transform(np.array([[[270, 170], [370, 170], [370, 290], [270, 290]]], np.float32), turn)[0]
    centre = corners.mean(0)
    box = np.array([centre[0] - 50, centre[1] - 60, centre[0] + 50, centre[1] + 60], np.float32)
    assert math.degrees(math.atan2(eyes[1, 1] - eyes[0, 1], eyes[1, 0] - eyes[0, 0])) == pytest.approx(20, abs=0.5)
    assert frame_cue(rolled, box, eyes).encloses
    # Without the keypoints the axes are the image's, 20 degrees off the sheet's: its edges are not taken.
    assert not frame_cue(rolled, box, None).encloses


def test_segments_are_in_box_units_around_the_face():
    segments = segments_in_face_axes(_with_sheet(_scene()), BOX, 0.0)
    bottom = segments[(np.abs(segments[:, 1] - segments[:, 3]) < 0.05) & (segments[:, 1] > 0.5)]
    assert len(bottom) and np.allclose(bottom[:, 1], (345 - 230) / 120, atol=0.05)  # the sheet's lower edge


def test_an_empty_neighbourhood_is_no_frame():
    cue = frame_cue(np.zeros((6, 6, 3), np.uint8), np.array([1, 1, 5, 5], np.float32), None)
    assert cue == FrameCue((0.0,) * 4, cue.distance) and not cue.encloses


def _nuaa(faces_dir, label: str) -> list:
    root = faces_dir / "spoof-dev" / "print-nuaa"
    with open(root / "labels.csv", newline="") as fh:
        names = [r["image"] for r in csv.DictReader(fh) if r["label"] == label]
    return [root / name for name in names[::10][:20]]


def _enclosed(analyzer, frame: np.ndarray) -> bool:
    faces = analyzer.analyze(frame)
    assert faces, "the shared photo lost its face"
    return frame_cue(frame, faces[0].box, faces[0].keypoints).encloses


def test_real_hand_held_prints_are_found_and_real_faces_are_not(analyzer, faces_dir):
    """Every 10th of NUAA's 200 prints and 200 live frames (20 + 20, all 15 people).

    Measured: 7 of the 20 prints enclosed (35%; 64 of the 200, 32%), 0 of the 20 live frames (1 of 200).
    Asserted: at least 5 prints, at most 1 live frame.
    """
    prints = sum(_enclosed(analyzer, cv2.imread(str(p))) for p in _nuaa(faces_dir, "spoof"))
    live = sum(_enclosed(analyzer, cv2.imread(str(p))) for p in _nuaa(faces_dir, "live"))
    assert prints >= 5
    assert live <= 1


def test_real_faces_in_video_are_not_enclosed(analyzer, videos_dir):
    """8 frames spread over each ../shared/video clip (studio sets, sweaters with stripes, door frames).

    Measured: 0 of 24 enclosed (0 of the 149 frames of the figures in docs/capture.md). Asserted: at most 1.
    """
    hits = seen = 0
    for video in sorted(videos_dir.glob("*.mp4")):
        capture = cv2.VideoCapture(str(video))
        count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        for index in np.linspace(0, count - 1, 8).astype(int):
            capture.set(cv2.CAP_PROP_POS_FRAMES, int(index))
            ok, frame = capture.read()
            faces = analyzer.analyze(frame) if ok else []
            if faces:
                seen += 1
                hits += frame_cue(frame, faces[0].box, faces[0].keypoints).encloses
        capture.release()
    assert seen >= 20
    assert hits <= 1


def test_the_kiosk_scores_an_enclosed_face_zero_only_with_the_cue_on(analyzer, settings, faces_dir):
    """A NUAA print the cue encloses scores 0 with ``frame_cue`` on and the passive pair's own score
    (0.007, measured) with it off. A tight crop padded for detection is not judged: its grey border
    encloses the face (3 sides measured on this one), and the cue would refuse every tight crop."""
    on, off = (dataclasses.replace(settings.login, frame_cue=v) for v in (True, False))
    enclosed = faces_dir / "spoof-dev" / "print-nuaa" / "spoof" / "0003_01_00_01_490.jpg"
    assert analyzer.liveness_image(enclosed, on) == 0.0
    assert analyzer.liveness_image(enclosed, off) > 0.0

    frame = cv2.imread(str(faces_dir / "spoof-dev" / "print-nuaa" / "live" / "0001_00_00_01_0.jpg"))
    x1, y1, x2, y2 = analyzer.analyze(frame)[0].box
    w, h = x2 - x1, y2 - y1
    crop = frame[int(y1 - 0.15 * h) : int(y2 + 0.15 * h), int(x1 - 0.15 * w) : int(x2 + 0.15 * w)]
    used, obs = analyzer.photo_face(crop)
    assert used is not crop and frame_cue(used, obs.box, obs.keypoints).encloses  # padded; its border is a frame
    assert analyzer.liveness_image(crop, on) == analyzer.liveness_image(crop, off) > 0.0


def _held_phone(faces_dir, videos_dir, shift=(0, 0)) -> np.ndarray:
    """deepface img30 on a rendered phone (bench/attacks.py: black bezel, glare, moire, fingers) held up
    in front of a real scene (friends_2.mp4 frame 980, no face in it). Measured: the test pack's pair
    scores it 0.90 (accepted at 0.5); the cue finds left, top and bottom. A render measures the renderer;
    the real figures are in docs/capture.md."""
    capture = cv2.VideoCapture(str(videos_dir / "friends_2.mp4"))
    capture.set(cv2.CAP_PROP_POS_FRAMES, 980)
    ok, back = capture.read()
    capture.release()
    assert ok
    return held_sheet(phone_sheet(cv2.imread(str(faces_dir / "deepface" / "img30.jpg"))), back, scale=0.8, shift=shift)


def test_a_sign_in_refuses_a_phone_the_pair_accepts_when_the_cue_is_on(analyzer, settings, faces_dir, videos_dir):
    """The held phone above, moved a little between frames. Asserted: the login capture ends ``ok``
    with the cue off and ``spoof`` with it on (the default)."""
    frames = [_held_phone(faces_dir, videos_dir, shift) for shift in ((0, 0), (4, 2), (-3, 3), (2, -2), (-4, 0), (0, 4))]
    assert settings.login.frame_cue  # the shipped default
    outcomes = {}
    for cue in (False, True):
        profile = dataclasses.replace(settings.login, warmup_frames=0, frame_interval_ms=0, frame_cue=cue)
        session = CaptureSession(analyzer, profile)
        for i, image in enumerate(frames):
            session.feed(Frame(image, i, i * 0.1))
            if session.done:
                break
        outcomes[cue] = session.end().outcome
    assert outcomes == {False: "ok", True: "spoof"}


def test_liveness_eval_reports_with_the_cue(tmp_path, faces_dir, videos_dir, capsys):
    """``kiosk liveness eval`` scores as a sign-in does: the held phone above and antispoof image_T1 (real).
    Asserted: APCER 100% (the pair accepts the phone) with ``--frame-cue off``, 0% with ``on``; BPCER 0 both."""
    cv2.imwrite(str(tmp_path / "phone.png"), _held_phone(faces_dir, videos_dir))
    shutil.copy(faces_dir / "antispoof" / "image_T1.jpg", tmp_path / "live.jpg")  # live score 1.00
    labels = tmp_path / "labels.csv"
    labels.write_text("image,label,attack\nphone.png,spoof,phone\nlive.jpg,live,\n")
    got = {}
    for cue in ("off", "on"):
        assert main(["liveness", "eval", str(labels), "--frame-cue", cue, "--json"]) == 0
        got[cue] = json.loads(capsys.readouterr().out)
    assert got["off"]["apcer"]["phone"] == 1.0 and got["on"]["apcer"]["phone"] == 0.0
    assert got["off"]["bpcer"] == got["on"]["bpcer"] == 0.0
    assert "cue on" in got["on"]["note"] and "cue off" in got["off"]["note"]
    assert got["on"]["security"] == "standard"  # auto, and the test pack has no measured band
    # adaptive scores without the cue whatever --frame-cue says (config.level_gates): the phone is the pair's
    assert main(["liveness", "eval", str(labels), "--frame-cue", "on", "--security", "adaptive", "--json"]) == 0
    adaptive = json.loads(capsys.readouterr().out)
    assert adaptive["apcer"]["phone"] == 1.0 and "adaptive runs without it" in adaptive["note"]
