"""Building the actor gallery from a dataset, incrementally.

Every photo's outcome is cached in the manifest by the SHA-256 of its content (and the
pack id): its embedding, or why it has none. A rebuild hashes only files whose size or
modification time changed and runs the models only on content it has not seen, so
renaming or moving photos costs nothing. The cache is independent of the build policy
(the largest face is embedded even when the photo is then refused), so changing
``min_face_px`` re-decides from the cache without re-embedding.

Several faces in one photo: the largest is used when its box area is at least
``dominance`` times the next one (a portrait with a bystander behind); otherwise the
photo is refused as ambiguous rather than guessing who the actor is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.clock import utc_now
from kiosk.config import CaptureProfile
from kiosk.engine import types as reasons
from kiosk.engine.aggregate import aggregate_vectors
from kiosk.engine.images import load_image
from kiosk.errors import ImageError, KioskError, StoreError
from kiosk.fsutil import sha256_file
from kiosk.gallery import storage
from kiosk.gallery.dataset import DatasetSource, PhotoEntry
from kiosk.gallery.thumbnails import encode_jpeg, face_thumbnail

# Quality weights are graded against fixed reference gates so cached weights never go stale.
_QUALITY_GATES = CaptureProfile(face_policy="largest", liveness=False)


@dataclass(frozen=True)
class BuildPolicy:
    """What makes a photo usable; ``outlier_cosine`` None takes the pack's low threshold."""

    min_face_px: int = 40
    dominance: float = 2.0
    outlier_cosine: float | None = None
    thumbnail_px: int = 256


@dataclass(frozen=True)
class BuildProgress:
    """``phase`` is "checking" (hashing files) or "embedding" (running the models on new photos)."""

    phase: str
    done: int
    total: int
    current: str
    elapsed_s: float
    eta_s: float | None


@dataclass(frozen=True)
class SkippedPhoto:
    actor: str
    photo: str  # the photo's key: its path relative to the dataset
    reason: reasons.Rejection
    detail: str  # what was measured, or the read error; "" when the reason says it all (its words: kiosk.flows.reasons)


@dataclass
class BuildSummary:
    actors: int = 0
    photos: int = 0
    used: int = 0
    embedded: int = 0  # photos the models ran on in this build (new or changed content)
    skipped: list[SkippedPhoto] = field(default_factory=list)
    actors_without_photos: list[str] = field(default_factory=list)
    removed_actors: list[str] = field(default_factory=list)
    ignored_files: int = 0
    elapsed_s: float = 0.0
    written: bool = False  # False when no actor had a usable photo: the old gallery is kept

    def to_dict(self) -> dict[str, Any]:
        return {
            "actors": self.actors,
            "photos": self.photos,
            "used": self.used,
            "embedded": self.embedded,
            "skipped": [vars(s) for s in self.skipped],
            "actors_without_photos": self.actors_without_photos,
            "removed_actors": self.removed_actors,
            "ignored_files": self.ignored_files,
            "elapsed_s": round(self.elapsed_s, 2),
            "written": self.written,
        }


@dataclass
class _Photo:
    """A photo's record as stored in the manifest; ``vector`` lives in the embeddings matrix."""

    entry: PhotoEntry
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""
    error: str | None = None  # unreadable: the message
    faces: int = 0
    face_px: float = 0.0
    dominance: float | None = None  # area of the largest face / area of the next one
    box: list[float] | None = None
    quality: float = 0.0
    vector: np.ndarray | None = None
    reason: reasons.Rejection | None = None
    detail: str = ""

    def cache_record(self) -> dict[str, Any]:
        return {
            "error": self.error,
            "faces": self.faces,
            "face_px": self.face_px,
            "dominance": self.dominance,
            "box": self.box,
            "quality": self.quality,
        }


def build_gallery(
    source: DatasetSource,
    analyzer,
    data_dir: str | Path,
    progress: Callable[[BuildProgress], None] | None = None,
    *,
    policy: BuildPolicy = BuildPolicy(),
) -> BuildSummary:
    """Embed new photos, aggregate each actor, write thumbnails, commit atomically."""
    started = time.monotonic()
    root = storage.gallery_dir(data_dir)
    pack = analyzer.pack
    try:
        previous = storage.read_manifest(root)
        cache = _load_cache(root, previous, pack.id, analyzer.embedding_size)
    except StoreError:  # a damaged gallery is what a rebuild is for: start from scratch
        previous, cache = None, {}
    known = {(p["key"], p["size"], p["mtime_ns"]): p["sha256"] for p in (previous or {}).get("photos", [])}

    photos = [_Photo(e) for e in source.entries]
    for i, photo in enumerate(photos):
        _stat_and_hash(photo, known)
        _report(progress, "checking", i + 1, len(photos), photo.entry.key, started, None)

    pending = list({p.sha256: p for p in photos if p.sha256 and p.sha256 not in cache}.values())
    embed_started = time.monotonic()
    for i, photo in enumerate(pending):
        cache[photo.sha256] = _analyze(analyzer, photo)
        rate = (time.monotonic() - embed_started) / (i + 1)
        _report(progress, "embedding", i + 1, len(pending), photo.entry.key, started, rate * (len(pending) - i - 1))

    for photo in photos:
        _restore(photo, cache.get(photo.sha256))
        _decide(photo, policy)

    outlier_cosine = pack.thresholds.low if policy.outlier_cosine is None else policy.outlier_cosine
    actors, templates, without = _assemble(root, photos, policy, outlier_cosine)
    without = sorted([*without, *source.empty_actors])

    summary = BuildSummary(
        actors=len(actors),
        photos=len(photos),
        used=sum(a["photos"] for a in actors),
        embedded=len(pending),
        skipped=[SkippedPhoto(p.entry.actor, p.entry.key, p.reason, p.detail) for p in photos if p.reason is not None],
        actors_without_photos=without,
        ignored_files=source.ignored_files,
    )
    if actors:
        _commit(root, source, pack, analyzer.embedding_size, actors, templates, photos)
        summary.written = True
        summary.removed_actors = sorted({a["name"] for a in (previous or {}).get("actors", [])} - {a["name"] for a in actors})
    summary.elapsed_s = time.monotonic() - started
    return summary


def _assemble(root: Path, photos: list[_Photo], policy: BuildPolicy, outlier_cosine: float) -> tuple[list[dict], list[np.ndarray], list[str]]:
    """Per actor: template, photo count and thumbnail; and the actors left with no usable photo."""
    by_actor: dict[str, list[_Photo]] = {}
    for photo in photos:
        by_actor.setdefault(photo.entry.actor, []).append(photo)
    actors, templates, without = [], [], []
    for name in sorted(by_actor):
        usable = [p for p in by_actor[name] if p.reason is None]
        if not usable:
            without.append(name)
            continue
        template = _aggregate(usable, outlier_cosine)
        used = [p for p in usable if p.reason is None]
        best = max(used, key=lambda p: p.quality * max(0.0, float(p.vector @ template)))
        actors.append({"name": name, "photos": len(used), "outliers": len(usable) - len(used), "thumbnail": _thumbnail(root, best, policy)})
        templates.append(template)
    return actors, templates, without


def _report(progress, phase: str, done: int, total: int, current: str, started: float, eta: float | None) -> None:
    if progress is not None:
        progress(BuildProgress(phase, done, total, current, time.monotonic() - started, eta))


def _load_cache(root: Path, manifest: dict | None, pack_id: str, size: int) -> dict[str, dict[str, Any]]:
    """sha256 -> cached outcome; empty when there is no gallery or it was built with another pack."""
    if not manifest or manifest.get("pack_id") != pack_id:
        return {}
    vectors = storage.read_matrix(root, manifest["embeddings_file"], size)
    cache = {}
    for record in manifest["photos"]:
        outcome = dict(record["cache"])
        row = record.get("row")
        outcome["vector"] = None if row is None else vectors[row]
        cache[record["sha256"]] = outcome
    return cache


def _stat_and_hash(photo: _Photo, known: dict[tuple, str]) -> None:
    try:
        stat = photo.entry.path.stat()
        photo.size, photo.mtime_ns = stat.st_size, stat.st_mtime_ns
        photo.sha256 = known.get((photo.entry.key, photo.size, photo.mtime_ns)) or sha256_file(photo.entry.path)
    except OSError as exc:
        photo.error = f"cannot read ({exc.strerror or exc})"


def _analyze(analyzer, photo: _Photo) -> dict[str, Any]:
    """Run the models on one photo: the facts every policy decision needs, and the embedding."""
    try:
        image = load_image(photo.entry.path)
    except ImageError as exc:
        return {"error": exc.message.removeprefix(f"{photo.entry.path}: "), "vector": None}
    faces = analyzer.analyze(image, _QUALITY_GATES)
    outcome: dict[str, Any] = {"error": None, "faces": len(faces), "vector": None}
    if faces:
        main = faces[0]
        outcome.update(
            face_px=float(main.size),
            dominance=None if len(faces) == 1 else float(main.area / max(faces[1].area, 1e-6)),
            box=[round(float(v), 2) for v in main.box],
            quality=float(main.quality),
            vector=np.asarray(analyzer.embed(image, main), dtype=np.float32),
        )
    return outcome


def _restore(photo: _Photo, outcome: dict[str, Any] | None) -> None:
    if outcome is None:
        return
    photo.error = outcome.get("error")
    photo.faces = outcome.get("faces", 0)
    photo.face_px = outcome.get("face_px", 0.0)
    photo.dominance = outcome.get("dominance")
    photo.box = outcome.get("box")
    photo.quality = outcome.get("quality", 0.0)
    photo.vector = outcome.get("vector")


def _decide(photo: _Photo, policy: BuildPolicy) -> None:
    if photo.error is not None:
        photo.reason, photo.detail = reasons.UNREADABLE, photo.error
    elif photo.faces == 0 or photo.vector is None:
        photo.reason, photo.detail = reasons.NO_FACE, ""
    elif photo.dominance is not None and photo.dominance < policy.dominance:
        photo.reason = reasons.MULTIPLE_FACES
        photo.detail = f"{photo.faces} faces, the largest only {photo.dominance:.1f}x the next (needs {policy.dominance:g}x)"
    elif photo.face_px < policy.min_face_px:
        photo.reason = reasons.TOO_SMALL
        photo.detail = f"face {photo.face_px:.0f} px, needs {policy.min_face_px} px"


def _aggregate(usable: list[_Photo], outlier_cosine: float) -> np.ndarray:
    """The actor's template; photos the aggregation dropped are marked as outliers.

    The engine reports how many it dropped, not which: those are the ones farthest from
    the fused template, so the count here always agrees with the engine's.
    """
    vectors = np.stack([p.vector for p in usable])
    fused = aggregate_vectors(vectors, [max(p.quality, 1e-3) for p in usable], min_valid=1, outlier_cosine=outlier_cosine)
    cosines = vectors @ fused.vector
    for i in np.argsort(cosines, kind="stable")[: fused.outliers]:
        usable[i].reason = reasons.OUTLIER
        usable[i].detail = f"cosine {cosines[i]:.2f} to the actor's other photos, needs {outlier_cosine:.2f}"
    return fused.vector


def _thumbnail(root: Path, photo: _Photo, policy: BuildPolicy) -> str:
    """Content-addressed, so an unchanged best photo is not re-encoded and the name never collides."""
    name = f"{storage.THUMBS_DIR}/{photo.sha256[:32]}-{policy.thumbnail_px}.jpg"
    if not (root / name).is_file():
        try:
            image = load_image(photo.entry.path)
            storage.atomic_write_bytes(root / name, encode_jpeg(face_thumbnail(image, photo.box, policy.thumbnail_px)))
        except KioskError:
            return ""  # the photo changed or vanished since it was embedded; the actor still works
    return name


def _commit(root: Path, source: DatasetSource, pack, size: int, actors: list[dict], templates: list[np.ndarray], photos: list[_Photo]) -> None:
    build_id = storage.new_build_id()
    records = []
    vectors = []
    for photo in photos:
        if not photo.sha256:
            continue
        row = None
        if photo.vector is not None:
            row = len(vectors)
            vectors.append(photo.vector)
        records.append(
            {
                "key": photo.entry.key,
                "actor": photo.entry.actor,
                "size": photo.size,
                "mtime_ns": photo.mtime_ns,
                "sha256": photo.sha256,
                "status": "used" if photo.reason is None else photo.reason,
                "detail": photo.detail,
                "row": row,
                "cache": photo.cache_record(),
            }
        )
    embeddings = np.stack(vectors) if vectors else np.zeros((0, size), np.float32)
    manifest = {
        "pack_id": pack.id,
        "embedding_size": size,
        "built_at": utc_now(timespec="seconds"),
        "build_id": build_id,
        "source": str(source.root),
        "templates_file": storage.write_matrix(root, f"templates-{build_id}.npy", np.stack(templates)),
        "embeddings_file": storage.write_matrix(root, f"embeddings-{build_id}.npy", embeddings),
        "actors": actors,
        "photos": records,
    }
    storage.commit_manifest(root, manifest)
