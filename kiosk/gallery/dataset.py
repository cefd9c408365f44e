"""Where the actor photos come from: a folder per actor, or a CSV of ``name,image_path``.

Names are NFC-normalized because macOS hands out Korean folder names decomposed (NFD):
without it one actor would appear twice after copying a dataset between machines.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.engine.images import IMAGE_EXTENSIONS
from kiosk.errors import ConfigError, NotFoundError


@dataclass(frozen=True)
class PhotoEntry:
    """One photo of one actor; ``key`` identifies it across rebuilds (path relative to the dataset)."""

    actor: str
    path: Path
    key: str


@dataclass
class DatasetSource:
    """The actors and their photos, in a stable order; ``empty_actors`` have no image file at all."""

    root: Path
    entries: list[PhotoEntry]
    empty_actors: list[str] = field(default_factory=list)
    ignored_files: int = 0  # files that are not images (Thumbs.db, notes): not reported one by one

    @property
    def actors(self) -> list[str]:
        names = {e.actor for e in self.entries} | set(self.empty_actors)
        return sorted(names)

    @classmethod
    def from_folder(cls, root: str | Path) -> DatasetSource:
        """Every sub-folder is an actor; its image files (at any depth) are that actor's photos."""
        root = Path(root)
        if not root.is_dir():
            raise NotFoundError(f"dataset folder {root} does not exist")
        entries: list[PhotoEntry] = []
        empty: list[str] = []
        ignored = 0
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
            actor = normalize_name(folder.name)
            photos = []
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                if path.name.startswith(".") or path.suffix.lower() not in IMAGE_EXTENSIONS:
                    ignored += 1
                    continue
                photos.append(PhotoEntry(actor, path, path.relative_to(root).as_posix()))
            if photos:
                entries.extend(photos)
            else:
                empty.append(actor)
        if not entries and not empty:
            raise NotFoundError(f"dataset folder {root} has no actor folders", hint="one sub-folder per actor, named after the actor")
        return cls(root=root, entries=entries, empty_actors=empty, ignored_files=ignored)

    @classmethod
    def from_csv(cls, csv_path: str | Path) -> DatasetSource:
        """Rows ``name,image_path`` (header optional); relative paths are relative to the CSV file."""
        csv_path = Path(csv_path)
        try:
            text = csv_path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise NotFoundError(f"CSV file {csv_path} does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read {csv_path}: {exc}", hint="save it as UTF-8 CSV") from None
        root = csv_path.parent
        rows = [r for r in csv.reader(text.splitlines()) if any(cell.strip() for cell in r)]
        if rows and [c.strip().lower() for c in rows[0][:2]] == ["name", "image_path"]:
            rows = rows[1:]
        entries: list[PhotoEntry] = []
        for number, row in enumerate(rows, start=1):
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise ConfigError(f"{csv_path}: row {number} needs two columns: name,image_path")
            path = Path(row[1].strip())
            path = path if path.is_absolute() else root / path
            try:
                key = path.relative_to(root).as_posix()
            except ValueError:
                key = path.as_posix()
            entries.append(PhotoEntry(normalize_name(row[0]), path, key))
        if not entries:
            raise ConfigError(f"{csv_path} lists no photos", hint="columns: name,image_path")
        entries.sort(key=lambda e: (e.actor, e.key))
        return cls(root=root, entries=entries)


def normalize_name(name: str) -> str:
    """Trimmed, NFC-normalized actor name."""
    return unicodedata.normalize("NFC", name).strip()
