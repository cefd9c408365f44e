"""Real embeddings from ../shared/faces, and a gallery padded to any size with rows shaped like them.

The two-stage matcher (issue 24) is only worth its figures on the geometry of real
templates: random unit vectors are near-orthogonal, so every shortlist finds their
top-1. Three disjoint sets of people, each photo embedded once with the pack:

- gallery: the 13 deepface identities, one template each (their first photo);
- genuine probes: those identities' other photos;
- non-enrolled probes: 5 Friends actors (friends/ and friends_boostface/Train/); Rachel is
  left out, since deepface's P02 is the same actress (they scored 0.54-0.67);
- padding pool: the live frames of spoof-dev/print-nuaa, spoof-dev/recapture-crops and
  spoof-context (people in none of the sets above).

Padding row = mu + sum_i g_i (e_i - mu) / sqrt(8), g_i ~ N(0, 1), e_i eight pool embeddings
drawn at random, then L2-normalised: a random mixture of real embeddings with the pool's
mean and covariance (so their scores against a probe spread like real impostors').
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.errors import KioskError

FACES = Path(__file__).resolve().parents[1].parent / "shared" / "faces"
_MIX = 8


@dataclass(frozen=True)
class RealSet:
    gallery: np.ndarray  # (13, dim) one unit row per deepface identity
    genuine: np.ndarray  # (g, dim) other photos of the gallery's people
    genuine_owner: np.ndarray  # (g,) their gallery row
    strangers: np.ndarray  # (s, dim) people in no gallery row
    pool: np.ndarray  # (p, dim) real embeddings the padding is mixed from


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _embed(analyzer: FaceAnalyzer, photos: list[Path]) -> Iterator[tuple[Path, np.ndarray]]:
    for photo in photos:
        try:
            emb = analyzer.embed_image(photo, policy="largest").embedding
        except KioskError:
            continue  # no face found: not part of any set
        if emb is not None:
            yield photo, emb / np.linalg.norm(emb)


def load(analyzer: FaceAnalyzer, faces: Path = FACES, pool_every: int = 1) -> RealSet:
    """Embed the photos of the four sets (about 1,500 photos: minutes on 2 loaded cores);
    ``pool_every`` > 1 takes every n-th padding-pool photo only (a test's smaller gallery)."""
    deepface = [r for r in _rows(faces / "deepface" / "identities.csv") if r["identity"].startswith("P")]
    by_photo = {faces / "deepface" / r["image"]: r["identity"] for r in deepface}
    gallery: dict[str, np.ndarray] = {}
    genuine: list[np.ndarray] = []
    owner: list[str] = []
    for photo, emb in _embed(analyzer, sorted(by_photo)):
        who = by_photo[photo]
        if who not in gallery:
            gallery[who] = emb
        else:
            genuine.append(emb)
            owner.append(who)
    order = sorted(gallery)
    actors = sorted((faces / "friends").glob("*.png")) + sorted((faces / "friends_boostface" / "Train").glob("*/*"))
    strangers = [e for _, e in _embed(analyzer, [p for p in actors if "rachel" not in str(p).lower()])]
    pool_photos = [
        faces / "spoof-dev" / name / r["image"]
        for name in ("print-nuaa", "recapture-crops")
        for r in _rows(faces / "spoof-dev" / name / "labels.csv")
        if r["label"] == "live"
    ]
    pool_photos += [faces / "spoof-context" / r["image"] for r in _rows(faces / "spoof-context" / "labels.csv") if r["label"] == "live"]
    pool = [e for _, e in _embed(analyzer, pool_photos[::pool_every])]
    return RealSet(
        gallery=np.stack([gallery[w] for w in order]).astype(np.float32),
        genuine=np.stack(genuine).astype(np.float32),
        genuine_owner=np.array([order.index(w) for w in owner]),
        strangers=np.stack(strangers).astype(np.float32),
        pool=np.stack(pool).astype(np.float32),
    )


def padding(pool: np.ndarray, n: int, seed: int = 0, block: int = 16_384) -> np.ndarray:
    """``n`` unit rows mixed from ``pool`` (see the module docstring), built a block at a time."""
    rng = np.random.default_rng(seed)
    mu = pool.mean(axis=0)
    centred = (pool - mu).astype(np.float32)
    out = np.empty((n, pool.shape[1]), dtype=np.float32)
    for start in range(0, n, block):
        m = min(block, n - start)
        picks = rng.integers(0, len(pool), size=(m, _MIX))
        weights = rng.standard_normal((m, _MIX, 1), dtype=np.float32) / np.sqrt(_MIX)
        rows = mu + (weights * centred[picks]).sum(axis=1)
        out[start : start + m] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return out
