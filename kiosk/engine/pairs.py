"""Score a labelled pairs list with the real models: the input of ``kiosk eval`` and calibration.

A pairs CSV has columns ``img_a,img_b,same`` (more columns are ignored), image paths
relative to a root folder. Each distinct image is embedded once (largest face), so a
photo used in forty pairs costs one recognizer run. A pair whose image is missing,
unreadable or faceless is skipped with the reason, and the rest are still scored.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TYPE_CHECKING

import numpy as np

from kiosk.engine.calibration import Evaluation, evaluate, far_label
from kiosk.engine.csv_rows import read_rows
from kiosk.engine.pack import ModelPack, Thresholds
from kiosk.errors import FaceNotFoundError, ImageError, KioskError

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer

COLUMNS = ("img_a", "img_b", "same")
_TRUE = ("1", "true", "yes", "same")
_FALSE = ("0", "false", "no", "different")


@dataclass(frozen=True)
class Pair:
    img_a: str
    img_b: str
    same: bool | None  # None: the row's label could not be read (it is skipped)
    line: int
    problem: str = ""


@dataclass(frozen=True)
class SkippedPair:
    img_a: str
    img_b: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"img_a": self.img_a, "img_b": self.img_b, "why": self.why}


@dataclass(frozen=True)
class ScoredPairs:
    listed: int
    images: int  # distinct images embedded
    genuine: np.ndarray
    impostor: np.ndarray
    skipped: tuple[SkippedPair, ...]
    elapsed_s: float


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    current: str


def read_pairs(csv_path: str | Path) -> list[Pair]:
    """Rows of a pairs CSV; a missing file or missing column is an error, a bad row is kept with its problem."""
    rows = read_rows(csv_path, COLUMNS, "pairs", hint=f"need a header {','.join(COLUMNS)}")
    return [_pair(row, line) for row, line in rows]


def _pair(row: dict[str, str], line: int) -> Pair:
    a, b = (row.get("img_a") or "").strip(), (row.get("img_b") or "").strip()
    label = (row.get("same") or "").strip().lower()
    same = True if label in _TRUE else False if label in _FALSE else None
    problem = ""
    if not a or not b:
        problem = f"line {line}: img_a and img_b are both required"
    elif same is None:
        problem = f"line {line}: 'same' is {label!r}, expected 1/0 (or true/false)"
    return Pair(a, b, same, line, problem)


def score_pairs(
    pairs: list[Pair],
    root: str | Path,
    analyzer: FaceAnalyzer,
    progress: Callable[[Progress], None] | None = None,
) -> ScoredPairs:
    """Cosine score of every usable pair, split by label, with the skipped ones and why."""
    started = time.perf_counter()
    root = Path(root)
    usable = [p for p in pairs if not p.problem]
    names = list(dict.fromkeys(name for p in usable for name in (p.img_a, p.img_b)))
    embeddings: dict[str, np.ndarray | str] = {}
    for done, name in enumerate(names, start=1):
        embeddings[name] = _embed(analyzer, root / name)
        if progress:
            progress(Progress(done, len(names), name))
    genuine: list[float] = []
    impostor: list[float] = []
    skipped = [SkippedPair(p.img_a, p.img_b, p.problem) for p in pairs if p.problem]
    for p in usable:
        a, b = embeddings[p.img_a], embeddings[p.img_b]
        problems = [f"{key}: {value}" for key, value in (("img_a", a), ("img_b", b)) if isinstance(value, str)]
        if problems:
            skipped.append(SkippedPair(p.img_a, p.img_b, "; ".join(problems)))
            continue
        (genuine if p.same else impostor).append(float(np.dot(a, b)))
    return ScoredPairs(
        listed=len(pairs),
        images=sum(1 for v in embeddings.values() if not isinstance(v, str)),
        genuine=np.asarray(genuine, np.float64),
        impostor=np.asarray(impostor, np.float64),
        skipped=tuple(skipped),
        elapsed_s=time.perf_counter() - started,
    )


def _embed(analyzer: FaceAnalyzer, path: Path) -> np.ndarray | str:
    """The embedding, or why there is none (the path prefix removed: the pair names the file)."""
    try:
        return analyzer.embed_image(path, policy="largest").embedded()
    except (ImageError, FaceNotFoundError) as exc:
        return exc.message.removeprefix(f"{path}: ")


@dataclass(frozen=True)
class CalibrationReport:
    """Scored pairs plus every figure from them; ``thresholds`` is what calibration writes."""

    pack_id: str
    scored: ScoredPairs
    evaluation: Evaluation

    @property
    def thresholds(self) -> Thresholds:
        return self.evaluation.recommended

    def to_dict(self) -> dict[str, Any]:
        """The ``kiosk eval --json`` object: keys pairs, skipped, accuracy, eer, tar_at_far, threshold."""
        s, e = self.scored, self.evaluation
        return {
            "pairs": {
                "listed": s.listed,
                "used": len(s.genuine) + len(s.impostor),
                "genuine": len(s.genuine),
                "impostor": len(s.impostor),
                "images": s.images,
                "pack": self.pack_id,
            },
            "skipped": [k.to_dict() for k in s.skipped],
            "accuracy": e.accuracy.to_dict(),
            "eer": e.eer.to_dict(),
            "tar_at_far": {far_label(t.target): t.to_dict() for t in e.tar_at_far},
            "threshold": {
                "pack_high": e.current.high,
                "pack_low": e.current.low,
                "recommended_high": e.recommended.high,
                "recommended_low": e.recommended.low,
                "lowest_genuine": round(float(e.genuine.min()), 4),
                "highest_impostor": round(float(e.impostor.max()), 4),
                "rule": "high: lowest threshold with FAR <= 1e-3 plus 0.02, not above the lowest genuine score "
                "when the pairs separate; low: high - 0.10; rounded to 0.01",
            },
        }


def calibrate(
    pack: ModelPack,
    analyzer: FaceAnalyzer,
    pairs_csv: str | Path,
    root: str | Path,
    progress: Callable[[Progress], None] | None = None,
) -> CalibrationReport:
    """Score the pairs with ``analyzer`` and evaluate them against ``pack``'s thresholds.

    The pack's liveness threshold is kept in the recommended thresholds: pairs of
    photos say nothing about presentation attacks.
    """
    scored = score_pairs(read_pairs(pairs_csv), root, analyzer, progress)
    if len(scored.genuine) == 0 or len(scored.impostor) == 0:
        reasons = "; ".join(f"{k.img_a},{k.img_b}: {k.why}" for k in scored.skipped[:3])
        raise KioskError(
            f"{pairs_csv}: need at least one usable same-person and one different-person pair, "
            f"have {len(scored.genuine)} and {len(scored.impostor)} ({len(scored.skipped)} skipped{': ' + reasons if reasons else ''})",
            hint="check --root: image paths in the CSV are relative to it",
        )
    return CalibrationReport(pack.id, scored, evaluate(scored.genuine, scored.impostor, pack.thresholds))
