"""The built gallery, read-only in memory: actors, thumbnails and top-k lookup.

The UI opens it once (``ActorGallery.open``) and queries on the GUI thread with the
template the camera worker captured; a query is one matrix-vector product
(``kiosk.match.topk``, as the matcher scores), so it needs no index even at 100k
actors (see docs/benchmarks.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.engine.pack import ModelPack
from kiosk.errors import ModelPackError, NotFoundError, StoreError
from kiosk.gallery import storage
from kiosk.gallery.scoring import similarity_percent
from kiosk.match.topk import best_rows, cosine_scores

REBUILD_HINT = "rebuild it with the current model pack: kiosk gallery build --dataset-dir DIR"


@dataclass(frozen=True)
class ActorInfo:
    name: str
    photos: int  # photos that went into the template
    thumbnail: Path | None  # face-centred JPEG; None if the best photo vanished during the build


@dataclass(frozen=True)
class ActorMatch:
    name: str
    score: float  # cosine similarity
    percent: int  # similarity_percent(score): what the screen shows
    thumbnail: Path | None


@dataclass(frozen=True)
class GalleryInfo:
    path: Path
    actors: int
    photos: int  # photos used in templates
    skipped: int
    pack_id: str
    pack_matches: bool
    built_at: str
    source: str
    size_bytes: int
    lookups: int

    def to_dict(self) -> dict[str, Any]:
        return {**vars(self), "path": str(self.path)}


class ActorGallery:
    """Use ``open``; the constructor takes already-validated parts."""

    def __init__(self, root: Path, manifest: dict[str, Any], templates: np.ndarray, pack: ModelPack) -> None:
        self.root = root
        self._manifest = manifest
        self._templates = templates
        self._pack = pack
        self._actors = manifest["actors"]

    @staticmethod
    def exists(data_dir: str | Path) -> bool:
        return (storage.gallery_dir(data_dir) / storage.MANIFEST_NAME).is_file()

    @classmethod
    def open(cls, data_dir: str | Path, pack: ModelPack) -> ActorGallery:
        """Load the committed gallery; raises ``NotFoundError`` if none was built."""
        root = storage.gallery_dir(data_dir)
        for attempt in range(2):  # a rebuild may commit and collect between our two reads
            manifest = storage.read_manifest(root)
            if manifest is None:
                raise NotFoundError(f"no actor gallery in {root}", hint="build one: kiosk gallery build --dataset-dir DIR")
            try:
                templates = storage.read_matrix(root, manifest["templates_file"], int(manifest["embedding_size"]))
                break
            except StoreError:
                if attempt:
                    raise
        assert manifest is not None  # the loop raised otherwise
        if len(templates) != len(manifest["actors"]):
            raise StoreError(f"gallery in {root} is inconsistent ({len(templates)} templates, {len(manifest['actors'])} actors)", hint=REBUILD_HINT)
        return cls(root, manifest, templates, pack)

    @property
    def pack_id(self) -> str:
        return str(self._manifest["pack_id"])

    @property
    def pack_matches(self) -> bool:
        """False when the gallery was built with another recognizer: queries would be meaningless."""
        return bool(self.pack_id == self._pack.id)

    @property
    def templates(self) -> np.ndarray:
        """The actors' templates, one row per actor in ``actors()`` order (read-only)."""
        view = self._templates.view()
        view.flags.writeable = False
        return view

    def check_pack(self) -> None:
        """Raise ``ModelPackError`` unless the gallery was built with the active pack."""
        if not self.pack_matches:
            raise ModelPackError(f"the actor gallery was built with model pack {self.pack_id}, the kiosk now uses {self._pack.id}", hint=REBUILD_HINT)

    def __len__(self) -> int:
        return len(self._actors)

    def actors(self) -> list[ActorInfo]:
        return [ActorInfo(a["name"], a["photos"], self._thumb(a)) for a in self._actors]

    def query(self, vector: np.ndarray, k: int = 3) -> list[ActorMatch]:
        """The ``k`` most similar actors, best first."""
        return self.query_many(np.asarray(vector, dtype=np.float32)[None, :], k)[0]

    def query_many(self, vectors: np.ndarray, k: int = 3) -> list[list[ActorMatch]]:
        """Top-k for each row of ``vectors`` (L2-normalized embeddings from the same pack)."""
        self.check_pack()
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self._templates.shape[1]:
            raise ModelPackError(f"embedding of size {vectors.shape[-1]} does not fit the gallery's {self._templates.shape[1]}", hint=REBUILD_HINT)
        k = max(0, min(int(k), len(self._actors)))
        if k == 0:
            return [[] for _ in vectors]
        thresholds = self._pack.thresholds
        results = []
        for vector in vectors:
            row = cosine_scores(self._templates, vector)
            best = best_rows(row, k)
            results.append(
                [
                    ActorMatch(self._actors[i]["name"], float(row[i]), similarity_percent(float(row[i]), thresholds.low, thresholds.high), self._thumb(self._actors[i]))
                    for i in best
                ]
            )
        return results

    def info(self) -> GalleryInfo:
        m = self._manifest
        return GalleryInfo(
            path=self.root,
            actors=len(self._actors),
            photos=sum(a["photos"] for a in self._actors),
            skipped=sum(1 for p in m["photos"] if p["status"] != "used"),
            pack_id=self.pack_id,
            pack_matches=self.pack_matches,
            built_at=m["built_at"],
            source=m.get("source", ""),
            size_bytes=storage.folder_size(self.root),
            lookups=storage.read_lookups(self.root),
        )

    def record_lookup(self) -> int:
        """Count one visitor lookup (nothing else about the visitor is kept); returns the total."""
        return storage.increment_lookups(self.root)

    def remove(self, name: str) -> None:
        """Drop an actor and its cached photos; it returns on the next build if still in the dataset."""
        index = next((i for i, a in enumerate(self._actors) if a["name"] == name), None)
        if index is None:
            raise NotFoundError(f"no actor named {name!r} in the gallery", hint="see kiosk gallery list")
        m = self._manifest
        embeddings = storage.read_matrix(self.root, m["embeddings_file"], self._templates.shape[1])
        photos = [p for p in m["photos"] if p["actor"] != name]
        rows = [p["row"] for p in photos if p["row"] is not None]
        remap = {old: new for new, old in enumerate(rows)}
        photos = [{**p, "row": remap.get(p["row"])} for p in photos]
        build_id = storage.new_build_id()
        templates = np.delete(self._templates, index, axis=0)
        manifest = {
            **m,
            "build_id": build_id,
            "actors": [a for a in self._actors if a["name"] != name],
            "photos": photos,
            "templates_file": storage.write_matrix(self.root, f"templates-{build_id}.npy", templates),
            "embeddings_file": storage.write_matrix(self.root, f"embeddings-{build_id}.npy", embeddings[rows] if rows else embeddings[:0]),
        }
        storage.commit_manifest(self.root, manifest)
        self._manifest, self._templates, self._actors = manifest, templates, manifest["actors"]

    def _thumb(self, actor: dict[str, Any]) -> Path | None:
        return self.root / actor["thumbnail"] if actor.get("thumbnail") else None
