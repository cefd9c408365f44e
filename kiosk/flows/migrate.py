"""A model change without re-enrolling (issue 24): everyone re-embedded from their stored face crop.

The kiosk keeps one aligned 112 px crop per person (sealed, ``enroll.store_face_crops``). A new
pack's recognizer embeds that crop into a template of the new pack, stored beside the old
ones; the matcher is untouched until the operator makes the new pack the active one, so
migrating never disturbs sign-ins. One transaction per batch: a killed migration keeps every
finished batch, and running it again carries on with the people still without a template of
the new pack.

Who cannot be migrated is named with the reason: no crop kept (crops were off, or the person
came from another kiosk), a crop that does not decode, or one blurrier than a sign-in frame may
be (``login.min_sharpness``). They need re-enrolling from photos or the camera. Each person
has one crop, so each gets one template of the new pack: extra looks are not migrated.
After the batches, the new pack's templates are checked against each other at the new pack's
duplicate threshold: two people the new recognizer cannot tell apart are reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from kiosk.emitter import Emitter
from kiosk.engine import quality
from kiosk.errors import ImageError
from kiosk.flows.faces import decode_crop
from kiosk.match import int8rows
from kiosk.match.types import PersonRef

if TYPE_CHECKING:
    from kiosk.engine.embedder import FaceEmbedder
    from kiosk.engine.pack import ModelPack
    from kiosk.registry import Registry

BATCH = 200
CONFLICT_CHUNK = 2048  # rows scored at once in the duplicate check (2048 x N float32 scores)


class Reason(StrEnum):
    """Why a person's stored face picture cannot make a template for the new pack (its words: ``kiosk.flows.reasons``)."""

    NO_CROP = "no_crop"
    UNREADABLE = "crop_unreadable"
    BLURRED = "crop_blurred"


@dataclass(frozen=True)
class Unmigrated:
    person: PersonRef
    reason: Reason

    def to_dict(self) -> dict[str, str]:
        return {"id": self.person.external_id, "name": self.person.name, "reason": self.reason.value}


@dataclass(frozen=True)
class Conflict:
    """Two people whose new templates are as close as a duplicate enrollment."""

    a: PersonRef
    b: PersonRef
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a.external_id, "b": self.b.external_id, "score": round(self.score, 4)}


@dataclass
class MigrationReport:
    pack_id: str
    migrated: int = 0
    already: int = 0  # people who had a template of the new pack before this run
    unmigrated: list[Unmigrated] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack_id,
            "migrated": self.migrated,
            "already": self.already,
            "not_migrated": [u.to_dict() for u in self.unmigrated],
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


def embed_crop(embedder: FaceEmbedder, crop: np.ndarray) -> np.ndarray:
    """The new recognizer's template of a stored crop (resized when its input is not 112 px)."""
    size = int(embedder.crop_size)
    if crop.shape[:2] != (size, size):
        crop = cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA if size < crop.shape[0] else cv2.INTER_LINEAR)
    return np.asarray(embedder.embed(crop), dtype=np.float32)


Embedded = tuple[PersonRef, Reason | None, tuple[int, np.ndarray, float] | None]


class Migration:
    """One migration run, a batch at a time: the CLI loops (``migrate``); the admin screen sends
    each batch's embedding to the camera worker (``embed``) and saves on the GUI thread (``save``).
    ``changed`` carries the run after every saved batch and once finished, for a view to redraw."""

    def __init__(self, registry: Registry, new_pack: ModelPack, *, duplicate: float, min_sharpness: float, batch: int = BATCH) -> None:
        self.registry, self.new_pack = registry, new_pack
        self.duplicate, self.min_sharpness, self.batch = duplicate, min_sharpness, max(1, batch)
        self.sources, already = registry.migration_sources(new_pack.id)
        self.report = MigrationReport(new_pack.id, already=already)
        self.done = 0
        self.finished = False
        self.changed: Emitter[Migration] = Emitter()

    @property
    def total(self) -> int:
        return len(self.sources)

    def next_batch(self) -> list[tuple[PersonRef, bytes | None]]:
        """The next people to embed; empty when everyone was (then ``finish``)."""
        return self.sources[self.done : self.done + self.batch]

    def embed(self, embedder: FaceEmbedder, items: list[tuple[PersonRef, bytes | None]]) -> list[Embedded]:
        """The model part (no database): each crop's template of the new pack, or why not."""
        return [(person, *_one(embedder, person, data, self.min_sharpness)) for person, data in items]

    def save(self, results: list[Embedded]) -> None:
        """One batch in one transaction; the people refused are noted with their reason."""
        rows = [row for _, reason, row in results if reason is None and row is not None]
        self.report.unmigrated += [Unmigrated(person, reason) for person, reason, _ in results if reason is not None]
        if rows:
            self.registry.store_migrated(self.new_pack.id, rows)
            self.report.migrated += len(rows)
        self.done += len(results)
        self.changed.emit(self)

    def finish(self) -> MigrationReport:
        self.report.conflicts = find_conflicts(self.registry, self.new_pack, self.duplicate)
        self.finished = True
        self.changed.emit(self)
        return self.report


def migrate(
    registry: Registry,
    embedder: FaceEmbedder,
    new_pack: ModelPack,
    *,
    duplicate: float,
    min_sharpness: float,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> MigrationReport:
    """Re-embed everyone still without a template of ``new_pack``; ``progress(done, total)`` after each batch."""
    run = Migration(registry, new_pack, duplicate=duplicate, min_sharpness=min_sharpness, batch=batch)
    while items := run.next_batch():
        run.save(run.embed(embedder, items))
        if progress is not None:
            progress(run.done, run.total)
    return run.finish()


def _one(embedder: FaceEmbedder, person: PersonRef, data: bytes | None, min_sharpness: float) -> tuple[Reason | None, tuple[int, np.ndarray, float] | None]:
    if data is None:
        return Reason.NO_CROP, None
    try:
        crop = decode_crop(data)
    except ImageError:
        return Reason.UNREADABLE, None
    sharp = quality.sharpness(crop)
    if sharp < min_sharpness:
        return Reason.BLURRED, None
    return None, (person.id, embed_crop(embedder, crop), min(1.0, sharp / (4 * min_sharpness)))


def find_conflicts(registry: Registry, new_pack: ModelPack, duplicate: float) -> list[Conflict]:
    """Pairs of different people whose templates of the new pack score at least ``duplicate``."""
    loaded = registry.pack_templates(new_pack.id, new_pack.embedding_size)
    if len(loaded.owners) < 2:
        return []
    unit = loaded.codes.astype(np.float32) * int8rows.unit_scales(loaded.codes)[:, None]
    best: dict[tuple[int, int], float] = {}
    for start in range(0, len(unit), CONFLICT_CHUNK):
        scores = unit[start : start + CONFLICT_CHUNK] @ unit.T
        for i, j in zip(*np.nonzero(scores >= duplicate)):
            a, b = int(loaded.owners[start + i]), int(loaded.owners[j])
            if a < b:
                best[(a, b)] = max(best.get((a, b), -1.0), float(scores[i, j]))
    names = {ref.id: ref for ref in registry.refs(sorted({p for pair in best for p in pair}))}
    return sorted((Conflict(names[a], names[b], s) for (a, b), s in best.items() if a in names and b in names), key=lambda c: -c.score)
