"""Verification metrics and threshold calibration from genuine/impostor cosine scores.

The figures are NumPy only, so the CLI, tests and the admin screens share one definition of
every figure; only the optional plot (``plot_scores``, for ``--plot``) imports matplotlib,
through ``kiosk.engine.plots``, and only when asked. Conventions, used everywhere: a pair is *accepted* at threshold ``t`` when its
score is ``>= t``; FAR is the fraction of impostor pairs accepted, FRR the fraction of
genuine pairs rejected, TAR = 1 - FRR.

An empirical FAR can only take the values ``k / n_impostors``: with 380 impostor pairs
the smallest non-zero FAR is 2.6e-3, so "FAR <= 1e-3" can only be met with zero false
accepts. Every FAR figure therefore carries the FAR actually achieved and whether the
target was resolvable with the impostors given.

Threshold rule (``recommend_thresholds``), chosen so a stranger is not let in:

* ``high`` = the lowest threshold whose impostor FAR <= ``target_far`` (1e-3) on the
  given pairs (with few impostors: just above the highest impostor score), plus a
  safety ``margin`` (0.02) for impostors the pairs did not contain;
* when the pairs separate (every genuine score above that FAR point), ``high`` is not
  put above the lowest genuine score, so the margin never costs a known genuine pair;
* ``low`` = ``high`` - ``band`` (0.10): the retry band between them asks for another
  look instead of rejecting;
* both rounded to 0.01, upwards (the margin is a minimum), unless rounding up would
  reject a genuine pair that rounding down still separates from the impostors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

from kiosk.engine import plots
from kiosk.engine.pack import Thresholds
from kiosk.errors import KioskError

FAR_TARGETS = (1e-2, 1e-3)
TARGET_FAR = 1e-3
MARGIN = 0.02
BAND = 0.10
STEP = 0.01


@dataclass(frozen=True)
class Accuracy:
    threshold: float
    correct: int
    total: int
    false_accepts: int
    false_rejects: int

    @property
    def value(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def to_dict(self) -> dict:
        return {
            "threshold": round(self.threshold, 4),
            "value": round(self.value, 6),
            "correct": self.correct,
            "total": self.total,
            "false_accepts": self.false_accepts,
            "false_rejects": self.false_rejects,
        }


@dataclass(frozen=True)
class EqualErrorRate:
    """The operating point where FAR and FRR meet: ``rate`` = max(FAR, FRR) there."""

    rate: float
    threshold: float
    far: float
    frr: float

    def to_dict(self) -> dict:
        return {"value": round(self.rate, 6), "threshold": round(self.threshold, 4), "far": round(self.far, 6), "frr": round(self.frr, 6)}


@dataclass(frozen=True)
class TarAtFar:
    """TAR at the lowest threshold whose FAR does not exceed ``target``."""

    target: float
    tar: float
    far: float  # FAR actually achieved at ``threshold``
    threshold: float
    false_accepts: int
    impostors: int

    @property
    def resolvable(self) -> bool:
        """Whether the impostor count can express a non-zero FAR as small as the target."""
        return self.impostors > 0 and self.target * self.impostors >= 1

    def to_dict(self) -> dict:
        out = {
            "tar": round(self.tar, 6),
            "far": round(self.far, 6),
            "threshold": round(self.threshold, 4),
            "false_accepts": self.false_accepts,
            "impostors": self.impostors,
            "resolvable": self.resolvable,
        }
        if not self.resolvable:
            out["note"] = (
                f"{self.impostors} impostor pairs resolve FAR only down to {1 / max(self.impostors, 1):.1e}; "
                f"this is the zero-false-accept point"
            )
        return out


def _scores(values) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).ravel()
    if not np.all(np.isfinite(array)):
        raise KioskError("scores must be finite numbers")
    return array


def _rates(genuine: np.ndarray, impostor: np.ndarray, threshold: float) -> tuple[float, float]:
    far = float(np.count_nonzero(impostor >= threshold)) / len(impostor)
    frr = float(np.count_nonzero(genuine < threshold)) / len(genuine)
    return far, frr


def _need_both(genuine: np.ndarray, impostor: np.ndarray) -> None:
    if len(genuine) == 0 or len(impostor) == 0:
        raise KioskError(
            f"need at least one same-person and one different-person pair, have {len(genuine)} and {len(impostor)}",
            hint="check the 'same' column and the skipped pairs",
        )


def accuracy_at(genuine, impostor, threshold: float) -> Accuracy:
    """Pairs on the correct side of ``threshold``: genuine ``>=``, impostor ``<``."""
    genuine, impostor = _scores(genuine), _scores(impostor)
    false_rejects = int(np.count_nonzero(genuine < threshold))
    false_accepts = int(np.count_nonzero(impostor >= threshold))
    total = len(genuine) + len(impostor)
    return Accuracy(float(threshold), total - false_rejects - false_accepts, total, false_accepts, false_rejects)


def roc_curve(genuine, impostor) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(thresholds, far, tar) at every distinct score, from accept-all to accept-none."""
    genuine, impostor = _scores(genuine), _scores(impostor)
    _need_both(genuine, impostor)
    thresholds = np.concatenate([np.unique(np.concatenate([genuine, impostor])), [np.inf]])
    far = 1.0 - np.searchsorted(np.sort(impostor), thresholds, side="left") / len(impostor)
    tar = 1.0 - np.searchsorted(np.sort(genuine), thresholds, side="left") / len(genuine)
    return thresholds, far, tar


def equal_error_rate(genuine, impostor) -> EqualErrorRate:
    """The smallest max(FAR, FRR) over all thresholds.

    Candidate thresholds lie halfway between consecutive distinct scores (and just
    outside their range), so no score sits exactly on one. Among equally good
    candidates the one where FAR and FRR are closest wins, then the lowest.
    For pairs that separate this is 0 at the middle of the gap between the highest
    impostor and the lowest genuine score.
    """
    genuine, impostor = _scores(genuine), _scores(impostor)
    _need_both(genuine, impostor)
    distinct = np.unique(np.concatenate([genuine, impostor]))
    candidates = np.concatenate([[distinct[0] - 1.0], (distinct[:-1] + distinct[1:]) / 2.0, [distinct[-1] + 1.0]])
    far = 1.0 - np.searchsorted(np.sort(impostor), candidates, side="left") / len(impostor)
    frr = np.searchsorted(np.sort(genuine), candidates, side="left") / len(genuine)
    worst = np.maximum(far, frr)
    best = np.flatnonzero(np.isclose(worst, worst.min()))
    pick = best[np.argmin(np.abs(far[best] - frr[best]))]
    return EqualErrorRate(float(worst[pick]), float(candidates[pick]), float(far[pick]), float(frr[pick]))


def far_threshold(impostor, target_far: float) -> float:
    """The lowest threshold whose FAR <= ``target_far``: just above the (k+1)-th highest
    impostor score, where k = floor(target_far * n) false accepts are allowed."""
    impostor = np.sort(_scores(impostor))[::-1]
    if len(impostor) == 0:
        raise KioskError("need at least one different-person pair to set a threshold")
    allowed = math.floor(target_far * len(impostor) + 1e-9)
    if allowed >= len(impostor):
        return float(impostor[-1])
    return float(np.nextafter(impostor[allowed], np.inf))


def tar_at_far(genuine, impostor, target_far: float) -> TarAtFar:
    genuine, impostor = _scores(genuine), _scores(impostor)
    _need_both(genuine, impostor)
    threshold = far_threshold(impostor, target_far)
    far, frr = _rates(genuine, impostor, threshold)
    return TarAtFar(target_far, 1.0 - frr, far, threshold, int(np.count_nonzero(impostor >= threshold)), len(impostor))


def recommend_thresholds(
    genuine,
    impostor,
    *,
    liveness: float,
    target_far: float = TARGET_FAR,
    margin: float = MARGIN,
    band: float = BAND,
) -> Thresholds:
    """Decision thresholds by the rule in the module docstring; ``liveness`` is kept as given."""
    genuine, impostor = _scores(genuine), _scores(impostor)
    _need_both(genuine, impostor)
    at_far = far_threshold(impostor, target_far)
    lowest_genuine = float(genuine.min())
    separates = lowest_genuine >= at_far
    raw = min(at_far + margin, lowest_genuine) if separates else at_far + margin
    up = math.ceil(round(raw / STEP, 6)) * STEP
    down = math.floor(round(raw / STEP, 6)) * STEP
    high = up
    if separates and up > lowest_genuine and down >= at_far:
        high = down
    high = round(high, 2)
    return Thresholds(high=high, low=round(high - band, 2), liveness=liveness)


@dataclass(frozen=True)
class Evaluation:
    """Every figure ``kiosk eval`` reports, from one set of scores."""

    genuine: np.ndarray
    impostor: np.ndarray
    current: Thresholds
    accuracy: Accuracy
    eer: EqualErrorRate
    tar_at_far: tuple[TarAtFar, ...]
    recommended: Thresholds


def evaluate(genuine, impostor, current: Thresholds) -> Evaluation:
    """Accuracy at ``current.high``, EER, TAR at 1e-2 and 1e-3, and recommended thresholds."""
    genuine, impostor = _scores(genuine), _scores(impostor)
    _need_both(genuine, impostor)
    return Evaluation(
        genuine=genuine,
        impostor=impostor,
        current=current,
        accuracy=accuracy_at(genuine, impostor, current.high),
        eer=equal_error_rate(genuine, impostor),
        tar_at_far=tuple(tar_at_far(genuine, impostor, f) for f in FAR_TARGETS),
        # the face pairs say nothing about liveness: its threshold and the adaptive band are kept
        recommended=replace(
            recommend_thresholds(genuine, impostor, liveness=current.liveness),
            liveness_low=current.liveness_low,
            liveness_high=current.liveness_high,
        ),
    )


@dataclass(frozen=True)
class VerifyBand:
    """The 1:1 (card + face) threshold at a stated FAR, beside the 1:N one.

    Identification compares a stranger with every enrolled person, so its chance of a false
    accept grows with the gallery (about N times the per-comparison FAR); verification
    compares with the claimed person only, so for the same FAR it can accept at a lower
    score and refuse fewer genuine faces. ``threshold`` follows the same rule as ``high``
    (``recommend_thresholds``: the FAR point plus the safety margin, not above the lowest
    genuine score when the pairs separate), at ``target_far`` instead of 1e-3.
    """

    at_far: TarAtFar  # the raw FAR point, before the margin
    threshold: float
    tar: float  # genuine pairs accepted at ``threshold``
    far: float  # impostor pairs accepted at ``threshold``
    identify_high: float
    identify_tar: float  # genuine pairs accepted at the 1:N ``high``

    def to_dict(self) -> dict:
        return {
            "target_far": self.at_far.target,
            "threshold": self.threshold,
            "tar": round(self.tar, 6),
            "far": round(self.far, 6),
            "far_point": self.at_far.to_dict(),
            "identify_high": self.identify_high,
            "identify_tar": round(self.identify_tar, 6),
            "rule": "the lowest threshold with FAR <= target plus 0.02, not above the lowest genuine score "
            "when the pairs separate; rounded to 0.01 (the rule of high, at the stated FAR)",
        }


def verify_band(genuine: ArrayLike, impostor: ArrayLike, target_far: float, identify_high: float) -> VerifyBand:
    """The 1:1 threshold at ``target_far`` and the genuine pairs it keeps, against 1:N ``identify_high``."""
    genuine, impostor = _scores(genuine), _scores(impostor)
    _need_both(genuine, impostor)
    if not 0 < target_far < 1:
        raise KioskError(f"--verify-far {target_far}: a false-accept rate must be between 0 and 1", hint="for example 0.01 (1 in 100)")
    threshold = recommend_thresholds(genuine, impostor, liveness=0.0, target_far=target_far).high
    far, frr = _rates(genuine, impostor, threshold)
    _, identify_frr = _rates(genuine, impostor, identify_high)
    return VerifyBand(tar_at_far(genuine, impostor, target_far), threshold, 1.0 - frr, far, identify_high, 1.0 - identify_frr)


def far_label(target: float) -> str:
    """``1e-2`` style keys, stable in JSON."""
    mantissa, exponent = f"{target:.0e}".split("e")
    return f"{mantissa}e-{int(exponent[1:])}" if exponent.startswith("-") else f"{mantissa}e{int(exponent)}"


def plot_scores(evaluation: Evaluation, target: Path) -> Path:
    """Genuine/impostor histograms (with the thresholds) and the ROC curve in one PNG."""
    figure, hist, roc = plots.two_panels(target)
    bins = np.linspace(min(evaluation.impostor.min(), evaluation.genuine.min()), max(evaluation.impostor.max(), evaluation.genuine.max()), 40)
    hist.hist(evaluation.impostor, bins=bins, alpha=0.6, color="tab:red", label=f"different person ({len(evaluation.impostor)})")
    hist.hist(evaluation.genuine, bins=bins, alpha=0.6, color="tab:green", label=f"same person ({len(evaluation.genuine)})")
    for value, style, name in (
        (evaluation.current.high, "-", f"pack high {evaluation.current.high:.2f}"),
        (evaluation.recommended.high, "--", f"recommended high {evaluation.recommended.high:.2f}"),
        (evaluation.recommended.low, ":", f"recommended low {evaluation.recommended.low:.2f}"),
    ):
        hist.axvline(value, color="black", linestyle=style, linewidth=1, label=name)
    hist.set_xlabel("cosine similarity")
    hist.set_ylabel("pairs")
    hist.set_title("Score distributions")
    hist.legend(fontsize=8)
    _, far, tar = roc_curve(evaluation.genuine, evaluation.impostor)
    floor = 0.5 / len(evaluation.impostor)  # FAR 0 cannot sit on a log axis: draw it at half the resolution
    roc.step(np.maximum(far, floor), tar, where="post", color="tab:blue")
    roc.set_xscale("log")
    roc.set_xlim(floor, 1.0)
    roc.set_ylim(0.0, 1.02)
    roc.set_xlabel(f"false accept rate (FAR 0 drawn at {floor:.1e})")
    roc.set_ylabel("true accept rate")
    roc.set_title(f"ROC — EER {evaluation.eer.rate:.2%}")
    roc.grid(True, which="both", alpha=0.3)
    return plots.save(figure, target)
