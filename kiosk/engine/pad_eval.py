"""Presentation-attack detection figures as ISO/IEC 30107-3 defines them, from live/spoof scores.

Pure NumPy (matplotlib only for ``plot_pad``), so ``kiosk liveness eval``, calibration and the
tests share one definition of every figure. Conventions: a face is *accepted as live* at
threshold ``t`` when its score is ``>= t``;

* APCER: the fraction of attack presentations accepted, per attack type (PAI species)
  and over all attacks;
* BPCER: the fraction of genuine (bona fide) presentations refused;
* ACER: (the worst attack type's APCER + BPCER) / 2, as 30107-3 computes it.

The recommended threshold is the highest one that still refuses at most ``TARGET_BPCER``
(5%) of the genuine faces: it stops every attack it can without refusing more real people
than that. It is rounded *down* to 0.01, so rounding never refuses an extra genuine face.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kiosk.engine import plots
from kiosk.engine.csv_rows import read_rows
from kiosk.engine.pairs import Progress
from kiosk.errors import FaceNotFoundError, ImageError, KioskError

LIVE, SPOOF = "live", "spoof"
COLUMNS = ("image", "label")
_LABELS = {"live": LIVE, "real": LIVE, "bonafide": LIVE, "genuine": LIVE, "spoof": SPOOF, "attack": SPOOF, "fake": SPOOF}
UNNAMED_ATTACK = "unspecified"
TARGET_BPCER = 0.05
STEP = 0.01


@dataclass(frozen=True)
class LabelledImage:
    image: str
    label: str | None  # LIVE, SPOOF, or None when the row could not be read (it is skipped)
    attack: str
    line: int
    problem: str = ""
    source: str = ""  # the optional ``source`` column: the recording session or data set (training holds each out)


@dataclass(frozen=True)
class SkippedImage:
    image: str
    why: str

    def to_dict(self) -> dict:
        return {"image": self.image, "why": self.why}


def read_labels(csv_path: str | Path) -> list[LabelledImage]:
    """Rows of an ``image,label[,attack][,source]`` CSV; a missing file or column is an error, a bad row is kept with its problem."""
    rows = read_rows(csv_path, COLUMNS, "labels", hint="the header must be image,label[,attack] with label live or spoof")
    return [_row(row, line) for row, line in rows]


def _row(row: dict, line: int) -> LabelledImage:
    image = (row.get("image") or "").strip()
    raw = (row.get("label") or "").strip()
    label = _LABELS.get(raw.lower())
    attack = (row.get("attack") or "").strip() if label == SPOOF else ""
    problem = ""
    if not image:
        problem = f"line {line}: the image column is empty"
    elif label is None:
        problem = f"line {line}: label {raw!r} is not live or spoof"
    source = (row.get("source") or "").strip()
    return LabelledImage(image, label, (attack or UNNAMED_ATTACK) if label == SPOOF else "", line, problem, source)


@dataclass(frozen=True)
class PadScores:
    """Live scores of every usable image, split by label; the attack type of each spoof score."""

    listed: int
    live: np.ndarray
    spoof: np.ndarray
    attacks: tuple[str, ...]  # one per spoof score
    skipped: tuple[SkippedImage, ...]
    elapsed_s: float


def score_images(
    rows: list[LabelledImage],
    root: str | Path,
    score: Callable[[Path], float],
    progress: Callable[[Progress], None] | None = None,
) -> PadScores:
    """``score(path)`` once per distinct image; an image it cannot score is skipped with the reason."""
    started = time.perf_counter()
    root = Path(root)
    usable = [r for r in rows if not r.problem]
    names = list(dict.fromkeys(r.image for r in usable))
    cache: dict[str, float | str] = {}
    for done, name in enumerate(names, start=1):
        path = root / name
        try:
            cache[name] = float(score(path))
        except (ImageError, FaceNotFoundError) as exc:
            cache[name] = exc.message.removeprefix(f"{path}: ")
        if progress:
            progress(Progress(done, len(names), name))
    live, spoof, attacks = [], [], []
    skipped = [SkippedImage(r.image or f"line {r.line}", r.problem) for r in rows if r.problem]
    for r in usable:
        value = cache[r.image]
        if isinstance(value, str):
            skipped.append(SkippedImage(r.image, value))
        elif r.label == LIVE:
            live.append(value)
        else:
            spoof.append(value)
            attacks.append(r.attack)
    return PadScores(
        listed=len(rows),
        live=np.asarray(live, np.float64),
        spoof=np.asarray(spoof, np.float64),
        attacks=tuple(attacks),
        skipped=tuple(skipped),
        elapsed_s=time.perf_counter() - started,
    )


def apcer(spoof, threshold: float) -> float:
    spoof = np.asarray(spoof, np.float64)
    return float(np.count_nonzero(spoof >= threshold)) / len(spoof) if len(spoof) else 0.0


def bpcer(live, threshold: float) -> float:
    live = np.asarray(live, np.float64)
    return float(np.count_nonzero(live < threshold)) / len(live) if len(live) else 0.0


def bpcer_threshold(live, target: float = TARGET_BPCER) -> float:
    """The highest threshold (rounded down to 0.01) that refuses at most ``target`` of ``live``."""
    live = np.sort(np.asarray(live, np.float64))
    if len(live) == 0:
        raise KioskError("need at least one genuine (live) image to set a liveness threshold")
    allowed = math.floor(target * len(live) + 1e-9)  # genuine faces that may fall below
    raw = float(live[min(allowed, len(live) - 1)])
    return math.floor(round(raw / STEP, 6)) * STEP


@dataclass(frozen=True)
class OperatingPoint:
    """APCER per attack type (and ``all``), BPCER and ACER at one threshold."""

    threshold: float
    apcer: dict[str, float]
    bpcer: float

    @property
    def acer(self) -> float:
        worst = max((v for k, v in self.apcer.items() if k != "all"), default=self.apcer.get("all", 0.0))
        return (worst + self.bpcer) / 2

    def to_dict(self) -> dict:
        return {
            "threshold": round(float(self.threshold), 4),
            "apcer": {k: round(float(v), 6) for k, v in self.apcer.items()},
            "bpcer": round(float(self.bpcer), 6),
            "acer": round(float(self.acer), 6),
        }


def operating_point(scores: PadScores, threshold: float) -> OperatingPoint:
    attacks = np.asarray(scores.attacks)
    per_type = {name: apcer(scores.spoof[attacks == name], threshold) for name in sorted(set(scores.attacks))}
    return OperatingPoint(float(threshold), {"all": apcer(scores.spoof, threshold), **per_type}, bpcer(scores.live, threshold))


@dataclass(frozen=True)
class PadEvaluation:
    """Every figure ``kiosk liveness eval`` reports, from one set of scores."""

    scores: PadScores
    current: OperatingPoint  # at the threshold in use
    recommended: OperatingPoint  # at the highest threshold with BPCER <= TARGET_BPCER
    security: str
    pack_id: str
    note: str = ""
    band: tuple[float, float] | None = None  # adaptive: (refused below, accepted without a turn from)

    def adaptive(self) -> dict | None:
        """The ``adaptive`` level on single photos: a still picture in the band is asked to turn and cannot.

        So an attack passes only at or above the band's high end (APCER there), a genuine face is
        refused below its low end (BPCER) and asked for the head turn in between.
        """
        if self.band is None:
            return None
        low, high = self.band
        s = self.scores
        accepted = operating_point(s, high)
        return {
            "refuse_below": round(float(low), 4),
            "accept_from": None if not np.isfinite(high) else round(float(high), 4),
            "apcer": {k: round(float(v), 6) for k, v in accepted.apcer.items()},
            "bpcer": round(float(bpcer(s.live, low)), 6),
            "asked_to_turn": round(float(np.mean((s.live >= low) & (s.live < high))), 6),
            "attacks_asked_to_turn": round(float(np.mean((s.spoof >= low) & (s.spoof < high))), 6),
        }

    def to_dict(self) -> dict:
        """The ``--json`` object: keys counts, skipped, apcer, bpcer, acer, threshold (plain floats), then details."""
        s = self.scores
        return {
            "counts": {
                "listed": s.listed,
                "used": len(s.live) + len(s.spoof),
                "live": len(s.live),
                "spoof": len(s.spoof),
                "skipped": len(s.skipped),
                "attacks": {name: s.attacks.count(name) for name in sorted(set(s.attacks))},
            },
            "skipped": [k.to_dict() for k in s.skipped],
            "apcer": {k: round(float(v), 6) for k, v in self.current.apcer.items()},
            "bpcer": round(float(self.current.bpcer), 6),
            "acer": round(float(self.current.acer), 6),
            "threshold": round(float(self.recommended.threshold), 4),
            "threshold_used": round(float(self.current.threshold), 4),
            "at_recommended": self.recommended.to_dict(),
            "target_bpcer": TARGET_BPCER,
            "security": self.security,
            "pack": self.pack_id,
            "note": self.note,
            **({"adaptive": self.adaptive()} if self.band is not None else {}),
        }


def evaluate_pad(
    scores: PadScores, threshold: float, *, security: str, pack_id: str, note: str = "", band: tuple[float, float] | None = None
) -> PadEvaluation:
    if len(scores.live) == 0 or len(scores.spoof) == 0:
        reasons = "; ".join(f"{k.image}: {k.why}" for k in scores.skipped[:3])
        raise KioskError(
            f"need at least one usable live and one spoof image, have {len(scores.live)} and {len(scores.spoof)} "
            f"({len(scores.skipped)} skipped{': ' + reasons if reasons else ''})",
            hint="check --root: image paths in the CSV are relative to it",
        )
    recommended = bpcer_threshold(scores.live)
    return PadEvaluation(scores, operating_point(scores, threshold), operating_point(scores, recommended), security, pack_id, note, band)


def det_curve(live, spoof) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(thresholds, apcer, bpcer) at every distinct score, from accept-all to accept-none."""
    live, spoof = np.sort(np.asarray(live, np.float64)), np.sort(np.asarray(spoof, np.float64))
    thresholds = np.concatenate([np.unique(np.concatenate([live, spoof])), [np.inf]])
    apcer_values = 1.0 - np.searchsorted(spoof, thresholds, side="left") / len(spoof)
    bpcer_values = np.searchsorted(live, thresholds, side="left") / len(live)
    return thresholds, apcer_values, bpcer_values


def plot_pad(evaluation: PadEvaluation, target: Path) -> Path:
    """Live/spoof score histograms (with the thresholds) and the DET curve in one PNG."""
    s = evaluation.scores
    figure, hist, det = plots.two_panels(target)
    bins = np.linspace(min(s.live.min(), s.spoof.min()), max(s.live.max(), s.spoof.max()), 40)
    for name in sorted(set(s.attacks)):
        values = s.spoof[np.asarray(s.attacks) == name]
        hist.hist(values, bins=bins, alpha=0.5, label=f"spoof: {name} ({len(values)})")
    hist.hist(s.live, bins=bins, alpha=0.6, color="tab:green", label=f"live ({len(s.live)})")
    hist.axvline(evaluation.current.threshold, color="black", linewidth=1, label=f"in use {evaluation.current.threshold:.2f}")
    hist.axvline(evaluation.recommended.threshold, color="black", linestyle="--", linewidth=1, label=f"BPCER<=5% {evaluation.recommended.threshold:.2f}")
    hist.set_xlabel("live score")
    hist.set_ylabel("images")
    hist.set_title(f"Score distributions ({evaluation.security})")
    hist.legend(fontsize=8)
    _, apcer_values, bpcer_values = det_curve(s.live, s.spoof)
    floor = 0.5 / max(len(s.live), len(s.spoof))  # 0 cannot sit on a log axis: drawn at half the resolution
    det.plot(np.maximum(apcer_values, floor), np.maximum(bpcer_values, floor), color="tab:blue", drawstyle="steps-post")
    det.set_xscale("log")
    det.set_yscale("log")
    det.set_xlim(floor, 1.0)
    det.set_ylim(floor, 1.0)
    det.set_xlabel(f"APCER (attacks accepted; 0 drawn at {floor:.1e})")
    det.set_ylabel("BPCER (genuine refused)")
    det.set_title(f"DET — ACER {evaluation.current.acer:.1%} at {evaluation.current.threshold:.2f}")
    det.grid(True, which="both", alpha=0.3)
    return plots.save(figure, target)
