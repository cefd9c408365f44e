"""The most typical face (seed 002): how close each actor is to the gallery's mean face.

The gallery's mean face direction is the normalized mean of the actors' unit templates.
An actor's closeness is the cosine between their template and the mean of the *other*
actors (leave-one-out): with the actor's own template in the mean every actor would be
pulled toward it (by 1/N: a sixth in a six-actor gallery), and a visitor, who is never in
the mean, would not be measured on the same footing. A visitor's closeness is the cosine to
the whole gallery's mean, and their percentile is the share of actors less close than them
(ties count half). Nothing about the visitor is kept: the numbers are computed and shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kiosk.errors import KioskError
from kiosk.gallery.gallery import ActorGallery
from kiosk.match.matcher import normalize

MIN_ACTORS = 2  # one actor has no "others" to be typical among


@dataclass(frozen=True)
class TypicalActor:
    rank: int  # 1 = the most typical face
    name: str
    closeness: float  # cosine to the mean of the other actors
    thumbnail: Path | None


@dataclass(frozen=True)
class Typicality:
    mean: np.ndarray  # the gallery's mean face direction (unit vector)
    resultant: float  # length of the mean of unit templates: 0 = faces point every way, 1 = all the same
    ranking: list[TypicalActor]  # most typical first

    def closeness(self, vector: np.ndarray) -> float:
        """A visitor's cosine to the gallery's mean face direction."""
        return float(normalize(np.asarray(vector, dtype=np.float32)) @ self.mean)

    def percentile(self, closeness: float) -> int:
        """The share of actors (0-100) less close to the mean than ``closeness``; ties count half."""
        scores = np.array([a.closeness for a in self.ranking])
        below = float(np.sum(scores < closeness)) + 0.5 * float(np.sum(scores == closeness))
        return int(round(100.0 * below / len(scores)))


def typicality(gallery: ActorGallery) -> Typicality:
    """Rank the gallery's actors by closeness to the mean face (the most typical first)."""
    gallery.check_pack()
    templates = np.asarray(gallery.templates, dtype=np.float64)
    if len(templates) < MIN_ACTORS:
        raise KioskError(f"the gallery has {len(templates)} actor(s): the most typical face needs at least {MIN_ACTORS}", hint="add actors: kiosk gallery build --dataset-dir DIR")
    units = templates / np.linalg.norm(templates, axis=1, keepdims=True)
    total = units.sum(axis=0)
    resultant = float(np.linalg.norm(total)) / len(units)
    if resultant < 1e-6:
        raise KioskError("the gallery's faces cancel out: there is no mean face direction", hint="rebuild the gallery with more actors")
    others = total[None, :] - units
    closeness = np.einsum("ij,ij->i", units, others) / np.maximum(np.linalg.norm(others, axis=1), 1e-12)
    actors = gallery.actors()
    order = sorted(range(len(actors)), key=lambda i: (-closeness[i], actors[i].name))
    ranking = [TypicalActor(rank, actors[i].name, float(closeness[i]), actors[i].thumbnail) for rank, i in enumerate(order, start=1)]
    return Typicality((total / np.linalg.norm(total)).astype(np.float32), resultant, ranking)
