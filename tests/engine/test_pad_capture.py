"""A sign-in capture's passive decision (``pad_capture``): the session's own rule, replayed for the per-capture figures.

Real in-context webcam frames of ../shared/faces/spoof-context, the first six of a run in file-name
(time) order, scored by the kiosk's own liveness path (the test pack's pair, the login profile,
frame cue on; threshold 0.5). Measured: eyashita's real faces 0.80, 0.00 (the enclosing-frame cue
on a door frame behind them), 0.71, 0.73, 0.78, 0.93; dracarys' attack 1.00, then 0.00 five times.
"""

from __future__ import annotations

import csv
import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from kiosk.capture.session import CaptureSession
from kiosk.capture.types import Frame
from kiosk.engine.images import load_image
from kiosk.engine.pad_capture import Passive, capture_figures, capture_verdicts, passive_verdict


def _first_frames(faces_dir: Path, source: str, label: str, n: int = 6) -> list[Path]:
    root = faces_dir / "spoof-context"
    with open(root / "labels.csv", newline="", encoding="utf-8") as f:
        rows = [r["image"] for r in csv.DictReader(f) if r["source"] == source and r["label"] == label]
    return [root / p for p in sorted(rows, key=lambda p: Path(p).name)[:n]]


@pytest.fixture(scope="module")
def runs(analyzer, settings, faces_dir) -> dict[str, tuple[list[Path], list[float]]]:
    out = {}
    for name, source, label in (("live", "eyashita", "live"), ("attack", "dracarys", "spoof")):
        paths = _first_frames(faces_dir, source, label)
        out[name] = (paths, [analyzer.liveness_image(p, settings.login) for p in paths])
    return out


def test_the_frames_scores_are_what_the_figures_below_assume(runs, pack):
    assert pack.thresholds.liveness == 0.5
    live, attack = runs["live"][1], runs["attack"][1]
    assert live[1] == 0.0 and min(live[:1] + live[2:]) > 0.65  # one real frame refused by the frame cue
    assert attack[0] > 0.95 and max(attack[1:]) < 0.05  # one attack frame passes on its own


def test_a_capture_replaces_a_refused_frame_and_decides_on_the_mean(runs):
    """Per frame one real face in six is refused and one attack in six passes; per capture of 3 frames, none."""
    live, attack = runs["live"][1], runs["attack"][1]
    assert passive_verdict(live[:3], 3, 0.5, 0.5) is Passive.COLLECTING  # the 0.00 frame is not used: one more
    assert passive_verdict(live[:4], 3, 0.5, 0.5) is Passive.LIVE  # mean 0.56 over the four, refused frame included
    assert passive_verdict(attack[:3], 3, 0.5, 0.5) is Passive.COLLECTING  # one frame in, two refused
    assert passive_verdict(attack[:4], 3, 0.5, 0.5) is Passive.SPOOF  # three refused and the mean 0.25
    # a capture starting at every frame; the last two run out of frames undecided and are left out
    assert capture_verdicts(live, 3, 0.5, 0.5, 30) == [Passive.LIVE] * 4
    assert capture_verdicts(attack, 3, 0.5, 0.5, 30) == [Passive.SPOOF] * 4
    # at most 3 frames: the captures that met the refused frame end undecided (not enough frames): refused
    assert capture_verdicts(live, 3, 0.5, 0.5, 3) == [Passive.SPOOF, Passive.SPOOF, Passive.LIVE, Passive.LIVE]
    scores = np.r_[live, attack]
    labels = np.r_[np.ones(6, bool), np.zeros(6, bool)]
    per_frame = capture_figures(scores, labels, np.zeros(12), 1, (0.5, 0.5), 1)
    assert (per_frame.live, per_frame.spoof, per_frame.apcer, per_frame.bpcer) == (6, 6, 1 / 6, 1 / 6)
    per_capture = capture_figures(scores, labels, np.zeros(12), 3, (0.5, 0.5), 30)
    assert (per_capture.live, per_capture.spoof, per_capture.apcer, per_capture.bpcer) == (4, 4, 0.0, 0.0)
    assert per_capture.asked_to_turn == 0.0 and per_capture.attacks_in_band == 0.0  # no band at standard


def test_adaptive_asks_captures_in_the_band_to_turn_and_never_lets_one_through(runs):
    """Band 0.3 .. 0.8: the real captures whose mean is under 0.8 are asked to turn; the attack's still refused."""
    live, attack = runs["live"][1], runs["attack"][1]
    verdicts = capture_verdicts(live, 3, 0.3, 0.8, 30)
    means = [np.mean(live[0:4]), np.mean(live[1:5]), np.mean(live[2:5]), np.mean(live[3:6])]
    assert verdicts == [Passive.TURN if m < 0.8 else Passive.LIVE for m in means]
    assert verdicts[:3] == [Passive.TURN] * 3 and verdicts[3] is Passive.LIVE  # 0.56, 0.55, 0.74 and 0.81
    figures = capture_figures(np.r_[live, attack], np.r_[np.ones(6, bool), np.zeros(6, bool)], np.zeros(12), 3, (0.3, 0.8), 30)
    assert figures.asked_to_turn == 0.75 and figures.bpcer == 0.0
    assert figures.apcer == 0.0 and figures.attacks_in_band == 0.0
    assert math.isnan(capture_figures(np.asarray(live), np.ones(6, bool), np.zeros(6), 3, (0.3, 0.8), 30).apcer)  # no attacks


def test_the_session_decides_as_the_figures_replay_it(runs, analyzer, settings):
    """The same real frames fed to a CaptureSession: the outcome and the frames it took are the first capture's.

    The gates are opened to what the figures score (every photo's largest face at the runtime
    detector size, as ``liveness_image`` does): a dark frame, the phone's second face and the
    login profile's 320 px detector (other boxes, other scores) are the session's, not the rule's.
    """
    profile = dataclasses.replace(
        settings.login, warmup_frames=0, frame_interval_ms=0, min_face_px=40, min_sharpness=0.0, min_exposure=0.0, det_size=0, face_policy="largest"
    )
    for name, outcome, frames in (("live", "ok", 4), ("attack", "spoof", 4)):
        paths, scores = runs[name]
        session = CaptureSession(analyzer, profile)
        for i, path in enumerate(paths):
            session.feed(Frame(load_image(path), i, i * 0.1))
            if session.done:
                break
        assert session.result is not None and session.result.outcome == outcome, session.result
        assert not session.rejected.keys() - {"spoof"}, session.rejected  # every frame passed the cheap gates
        assert session.frames_analyzed == frames and session.live_scores == pytest.approx(scores[:frames])
        assert capture_verdicts(scores, 3, 0.5, 0.5, profile.max_frames)[0] is (Passive.LIVE if outcome == "ok" else Passive.SPOOF)
