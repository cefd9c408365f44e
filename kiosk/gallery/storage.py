"""The gallery folder on disk, written so that a crash at any moment leaves a usable gallery.

``manifest.json`` is the only commit point. Every other file is written first under a
name that no committed manifest uses yet (templates and embeddings carry the build id,
thumbnails are named after the photo's content hash), then the manifest is replaced
with ``os.replace``, which is atomic on Windows too. Files the new manifest no longer
names are deleted afterwards; one that cannot be (Windows keeps open files locked) is
collected by the next write. A directory swap would not do: Windows cannot replace a
non-empty folder.
"""

from __future__ import annotations

import io
import json
import time
import uuid
from datetime import datetime, UTC
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.errors import StoreError
from kiosk.fsutil import atomic_write

GALLERY_DIR_NAME = "gallery"
MANIFEST_NAME = "manifest.json"
LOOKUPS_NAME = "lookups.json"
THUMBS_DIR = "thumbs"
FORMAT = 1
_KEEP = {MANIFEST_NAME, LOOKUPS_NAME}


def gallery_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / GALLERY_DIR_NAME


def new_build_id() -> str:
    """Sortable and unique: UTC time plus a random suffix."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Readers see the old file or the new one; world-readable, since actor photos are public."""
    atomic_write(target, data, mode=0o644)


def write_matrix(root: Path, name: str, matrix: np.ndarray) -> str:
    """Save a float32 matrix as ``.npy``; returns the file name relative to ``root``."""
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(matrix, dtype=np.float32), allow_pickle=False)
    atomic_write_bytes(root / name, buffer.getvalue())
    return name


def read_matrix(root: Path, name: str, columns: int) -> np.ndarray:
    """Load a matrix named by the manifest, checking its shape against the manifest."""
    path = root / name
    try:
        matrix = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise StoreError(f"gallery file {path} is missing or damaged ({exc})", hint="rebuild the gallery: kiosk gallery build") from None
    if matrix.ndim != 2 or (matrix.shape[0] and matrix.shape[1] != columns):
        raise StoreError(f"gallery file {path} has shape {matrix.shape}, expected (n, {columns})", hint="rebuild the gallery: kiosk gallery build")
    rows: np.ndarray = matrix.astype(np.float32, copy=False)
    return rows


def read_manifest(root: Path) -> dict[str, Any] | None:
    """The committed manifest, or None when there is no gallery."""
    path = root / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"gallery manifest {path} is damaged ({exc})", hint="rebuild the gallery: kiosk gallery build") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f"gallery manifest {path} has an unknown format", hint="rebuild the gallery with this version: kiosk gallery build")
    return data


def commit_manifest(root: Path, manifest: dict[str, Any]) -> None:
    """Make ``manifest`` the gallery, then delete what it no longer references."""
    manifest = {**manifest, "format": FORMAT}
    atomic_write_bytes(root / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    collect_garbage(root, referenced_files(manifest))


def referenced_files(manifest: dict[str, Any]) -> set[str]:
    names = {manifest["templates_file"], manifest["embeddings_file"]}
    names.update(a["thumbnail"] for a in manifest["actors"] if a.get("thumbnail"))
    return names


def collect_garbage(root: Path, keep: set[str]) -> None:
    """Remove files from earlier builds and abandoned temp files; locked ones wait for next time.

    A temp file is only taken once it is an hour old: a younger one may be another
    process's write in flight (the kiosk counting a lookup while a build commits).
    """
    stale = time.time() - 3600
    for path in [*root.glob("*"), *(root / THUMBS_DIR).glob("*")]:
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or rel in keep or rel in _KEEP:
            continue
        try:
            if path.name.startswith(".") and path.stat().st_mtime > stale:
                continue
            path.unlink()
        except OSError:
            pass


def folder_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def read_lookups(root: Path) -> int:
    try:
        return int(json.loads((root / LOOKUPS_NAME).read_text(encoding="utf-8")).get("count", 0))
    except (OSError, ValueError, AttributeError):
        return 0


def increment_lookups(root: Path) -> int:
    """Count one look-alike lookup: the only trace a visitor leaves."""
    count = read_lookups(root) + 1
    atomic_write_bytes(root / LOOKUPS_NAME, json.dumps({"count": count}).encode("utf-8"))
    return count
