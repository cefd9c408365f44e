"""Reading a dataset: actor folders or a CSV, any script in names and paths."""

from __future__ import annotations

import unicodedata

import pytest

from kiosk.errors import ConfigError, NotFoundError
from kiosk.gallery import DatasetSource


def _touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")


def test_folder_per_actor_with_korean_names_normalized(tmp_path):
    decomposed = unicodedata.normalize("NFD", "김민수 (배우)")  # how macOS stores Hangul names
    _touch(tmp_path / decomposed / "사진 1.JPG")
    _touch(tmp_path / decomposed / "more" / "photo (2).png")
    _touch(tmp_path / decomposed / "Thumbs.db")
    _touch(tmp_path / "Ross" / ".hidden.jpg")
    _touch(tmp_path / "Ross" / "ross.jpeg")
    (tmp_path / "Empty Actor").mkdir()

    source = DatasetSource.from_folder(tmp_path)

    assert source.actors == ["Empty Actor", "Ross", "김민수 (배우)"]
    assert [e.actor for e in source.entries] == ["Ross", "김민수 (배우)", "김민수 (배우)"]
    assert sorted(e.key for e in source.entries if e.actor != "Ross") == sorted(
        [f"{decomposed}/more/photo (2).png", f"{decomposed}/사진 1.JPG"]
    )
    assert source.empty_actors == ["Empty Actor"]
    assert source.ignored_files == 2  # Thumbs.db and the hidden file


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(NotFoundError, match="does not exist"):
        DatasetSource.from_folder(tmp_path / "nope")
    with pytest.raises(NotFoundError, match="no actor folders"):
        DatasetSource.from_folder(tmp_path)


def test_csv_with_header_relative_and_absolute_paths(tmp_path):
    _touch(tmp_path / "photos" / "배우 (1).jpg")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-other" / "x.png"
    _touch(elsewhere)
    csv_file = tmp_path / "actors.csv"
    csv_file.write_text(f'name,image_path\n이순신 ,photos/배우 (1).jpg\n"Smith, Will",{elsewhere}\n\n', encoding="utf-8-sig")

    source = DatasetSource.from_csv(csv_file)

    assert [(e.actor, e.key) for e in source.entries] == [("Smith, Will", elsewhere.as_posix()), ("이순신", "photos/배우 (1).jpg")]
    assert source.entries[1].path == tmp_path / "photos" / "배우 (1).jpg"


def test_csv_row_without_a_path_names_the_row(tmp_path):
    csv_file = tmp_path / "a.csv"
    csv_file.write_text("Ross,ross.jpg\nJoey\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="row 2"):
        DatasetSource.from_csv(csv_file)
    with pytest.raises(NotFoundError):
        DatasetSource.from_csv(tmp_path / "missing.csv")
