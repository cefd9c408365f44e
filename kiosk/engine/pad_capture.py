"""The passive liveness decision of one sign-in capture, from its frames' live scores, and figures per capture.

The kiosk never decides on one frame: a capture (``capture/session.py``) collects
``min_valid_frames`` gated frames, refuses each frame scoring below the level's low end (that
frame is not used, the next one is taken), and decides on the mean score of every frame it
scored, refused ones included. ``passive_verdict`` is that rule, in one place: the session calls
it on every frame, and ``capture_figures`` replays it over labelled held-out scores so that the
figures a level is chosen from (``scripts/pad_loso.py``, docs/capture.md) are the kiosk's own,
per capture and not per frame.

Pure Python and NumPy: no model, no clock.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


class Passive(enum.Enum):
    """What the passive evidence of a capture says so far."""

    COLLECTING = "collecting"  # fewer than min_valid_frames frames at or above the low end yet
    SPOOF = "spoof"  # the mean is below the low end: refused
    TURN = "turn"  # the mean is in the grey band (adaptive): asked for the head turn
    LIVE = "live"  # the mean is at or above the band's top: signs in without a turn


def passive_verdict(scores: Sequence[float], needed: int, low: float, high: float) -> Passive:
    """The verdict of a capture that has scored ``scores`` (in order), needing ``needed`` frames at or above ``low``.

    ``low``/``high``: the level's band (``Thresholds.band`` at ``adaptive``; both ``liveness``
    otherwise, so there is no grey band). Refused as soon as ``needed`` frames were refused and the
    mean is below ``low`` (a spoof held up keeps being refused; waiting longer only delays it).
    """
    scored = len(scores)
    accepted = sum(1 for s in scores if s >= low)
    mean = float(np.mean(scores)) if scored else math.nan
    if scored - accepted >= needed and mean < low:
        return Passive.SPOOF
    if accepted < needed:
        return Passive.COLLECTING
    if mean < low:
        return Passive.SPOOF
    return Passive.TURN if mean < high else Passive.LIVE


def capture_verdicts(scores: Sequence[float], needed: int, low: float, high: float, max_frames: int) -> list[Passive]:
    """One capture starting at every frame of one ordered run of ``scores`` (one person or one attack, time order).

    Each capture takes the next frames as the session does until ``passive_verdict`` decides; one
    still undecided after ``max_frames`` frames is refused (``SPOOF``: the session ends it as not
    enough frames). A capture that runs past the last frame before deciding is left out (no
    evidence either way), so a run yields about ``len(scores) - needed + 1`` captures.
    """
    out: list[Passive] = []
    for start in range(len(scores)):
        taken: list[float] = []
        verdict = Passive.COLLECTING
        for score in scores[start:]:
            taken.append(float(score))
            verdict = passive_verdict(taken, needed, low, high)
            if verdict is not Passive.COLLECTING or len(taken) >= max_frames:
                break
        if verdict is Passive.COLLECTING and len(taken) >= max_frames:
            verdict = Passive.SPOOF
        if verdict is not Passive.COLLECTING:
            out.append(verdict)
    return out


@dataclass(frozen=True)
class CaptureFigures:
    """Per-capture figures of one held-out group at one level (``nan`` where the side has no captures)."""

    live: int  # genuine captures
    spoof: int  # attack captures
    apcer: float  # attack captures signed in without a turn (a still attack in the band cannot turn)
    bpcer: float  # genuine captures refused
    asked_to_turn: float  # genuine captures in the grey band
    attacks_in_band: float  # attack captures in the grey band (asked to turn; a still attack fails it)

    def to_dict(self) -> dict[str, Any]:
        def rate(value: float) -> float | None:
            return None if math.isnan(value) else round(value, 4)

        return {
            "live": self.live,
            "spoof": self.spoof,
            "apcer": rate(self.apcer),
            "bpcer": rate(self.bpcer),
            "asked_to_turn": rate(self.asked_to_turn),
            "attacks_in_band": rate(self.attacks_in_band),
        }


def capture_figures(scores: np.ndarray, live: np.ndarray, runs: np.ndarray, needed: int, band: tuple[float, float], max_frames: int) -> CaptureFigures:
    """Figures of the captures of every run (``runs``: one label per row, rows already in time order).

    A run is the frames of one source and one label (``live``) in file-name order: frames within a
    source are bursts of one session, so consecutive frames are the nearest thing to one capture.
    ``needed=1, max_frames=1`` gives the per-frame figures.
    """
    low, high = band
    scores, live, runs = np.asarray(scores, np.float64), np.asarray(live, bool), np.asarray(runs)
    verdicts: dict[bool, list[Passive]] = {True: [], False: []}
    for run in dict.fromkeys(runs.tolist()):
        rows = runs == run
        for label in (True, False):
            mine = rows & (live == label)
            if mine.any():
                verdicts[label] += capture_verdicts(scores[mine].tolist(), needed, low, high, max_frames)

    def share(label: bool, verdict: Passive) -> float:
        found = verdicts[label]
        return sum(v is verdict for v in found) / len(found) if found else math.nan

    return CaptureFigures(
        len(verdicts[True]),
        len(verdicts[False]),
        share(False, Passive.LIVE),
        share(True, Passive.SPOOF),
        share(True, Passive.TURN),
        share(False, Passive.TURN),
    )
