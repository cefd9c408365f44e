"""Rebuilds embed only new content; removed photos and actors disappear; failures lose nothing."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest

from kiosk.errors import NotFoundError, StoreError
from kiosk.gallery import ActorGallery, DatasetSource, build_gallery
from kiosk.gallery import storage

from .actor_dataset import KOREAN_ACTOR, KOREAN_PHOTOS

# The whole module is in the full suite only: about 13 s of a 12-minute run on 2 idle cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow


def _build(dataset, analyzer, data_dir, progress=None):
    return build_gallery(DatasetSource.from_folder(dataset), analyzer, data_dir, progress)


def _photos(data_dir, pack) -> dict[str, int]:
    return {a.name: a.photos for a in ActorGallery.open(data_dir, pack).actors()}


def _gallery_files(data_dir) -> list[str]:
    root = storage.gallery_dir(data_dir)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def small_dataset(tmp_path, faces_dir):
    """Two actors, five photos: Ross (folder copied) and the Korean-named actor."""
    root = tmp_path / "작은 데이터 (small)"
    shutil.copytree(faces_dir / "friends_boostface" / "Train" / "Ross", root / "Ross")
    for name in KOREAN_PHOTOS[:2]:
        (root / KOREAN_ACTOR).mkdir(exist_ok=True)
        shutil.copyfile(faces_dir / "deepface" / name, root / KOREAN_ACTOR / f"{name} (복사).jpg")
    return root


def test_rebuild_embeds_only_new_photos_and_forgets_removed_ones(tmp_path, faces_dir, analyzer, pack, data_dir):
    dataset = tmp_path / "Train"
    shutil.copytree(faces_dir / "friends_boostface" / "Train", dataset)
    first = _build(dataset, analyzer, data_dir)
    assert first.embedded == 23 and _photos(data_dir, pack)["Ross"] == 4

    unchanged = _build(dataset, analyzer, data_dir)
    assert unchanged.embedded == 0 and unchanged.used == 23

    shutil.copyfile(faces_dir / "friends" / "Ross.png", dataset / "Ross" / "ross reference (new).png")
    added = _build(dataset, analyzer, data_dir)
    assert added.embedded == 1
    assert _photos(data_dir, pack)["Ross"] == 5

    (dataset / "Ross" / "49.png").unlink()
    shutil.rmtree(dataset / "Joey")
    (dataset / "Monica" / "monica (50).png").rename(dataset / "Monica" / "renamed (50).png")
    removed = _build(dataset, analyzer, data_dir)
    assert removed.embedded == 0  # a renamed photo is the same content
    assert removed.removed_actors == ["Joey"]
    photos = _photos(data_dir, pack)
    assert "Joey" not in photos and photos["Ross"] == 4 and photos["Monica"] == 5
    manifest = json.loads((storage.gallery_dir(data_dir) / "manifest.json").read_text(encoding="utf-8"))
    keys = {p["key"] for p in manifest["photos"]}
    assert "Ross/49.png" not in keys and not any(k.startswith("Joey/") for k in keys)
    # nothing from earlier builds is left behind: one thumbnail per actor, one matrix of each kind
    files = _gallery_files(data_dir)
    assert len([f for f in files if f.startswith("thumbs/")]) == 5
    assert len([f for f in files if f.endswith(".npy")]) == 2


def test_a_build_that_fails_midway_leaves_the_previous_gallery(small_dataset, faces_dir, analyzer, pack, data_dir):
    _build(small_dataset, analyzer, data_dir)
    before = _photos(data_dir, pack)
    shutil.copyfile(faces_dir / "friends" / "Ross.png", small_dataset / "Ross" / "new.png")

    def power_cut(progress):
        """Fault injection: the build dies while embedding the new photo."""
        if progress.phase == "embedding":
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        _build(small_dataset, analyzer, data_dir, power_cut)
    assert _photos(data_dir, pack) == before
    assert _build(small_dataset, analyzer, data_dir).embedded == 1  # nothing half-written was trusted


def test_a_commit_that_fails_leaves_the_previous_gallery_and_the_next_build_cleans_up(small_dataset, faces_dir, analyzer, pack, data_dir, monkeypatch):
    _build(small_dataset, analyzer, data_dir)
    before, files_before = _photos(data_dir, pack), _gallery_files(data_dir)
    shutil.copyfile(faces_dir / "friends" / "Ross.png", small_dataset / "Ross" / "new.png")

    def disk_full(root, manifest):
        """Fault injection: the disk fills just before the manifest is replaced."""
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "commit_manifest", disk_full)
    with pytest.raises(OSError):
        _build(small_dataset, analyzer, data_dir)
    monkeypatch.undo()
    assert _photos(data_dir, pack) == before
    assert len(_gallery_files(data_dir)) > len(files_before)  # the orphaned matrices of the failed build

    _build(small_dataset, analyzer, data_dir)
    assert _photos(data_dir, pack)["Ross"] == before["Ross"] + 1
    assert len(_gallery_files(data_dir)) == len(files_before)


def test_remove_an_actor_and_count_lookups(small_dataset, faces_dir, analyzer, pack, data_dir):
    _build(small_dataset, analyzer, data_dir)
    gallery = ActorGallery.open(data_dir, pack)
    korean_thumb = next(a.thumbnail for a in gallery.actors() if a.name == KOREAN_ACTOR)

    gallery.remove(KOREAN_ACTOR)
    with pytest.raises(NotFoundError):
        gallery.remove(KOREAN_ACTOR)

    reopened = ActorGallery.open(data_dir, pack)
    assert [a.name for a in reopened.actors()] == ["Ross"]
    assert not korean_thumb.exists()
    jolie = analyzer.embed_image(faces_dir / "deepface" / "img5.jpg").embedding
    assert [m.name for m in reopened.query(jolie, k=3)] == ["Ross"]

    assert reopened.record_lookup() == 1
    assert reopened.record_lookup() == 2
    assert ActorGallery.open(data_dir, pack).info().lookups == 2
    stored = json.loads((storage.gallery_dir(data_dir) / "lookups.json").read_text(encoding="utf-8"))
    assert stored == {"count": 2}  # a count and nothing else about the visitors

    # the removed actor comes back from the dataset on the next build, its photos embedded again
    assert _build(small_dataset, analyzer, data_dir).embedded == 2


def test_a_damaged_gallery_is_reported_and_a_rebuild_repairs_it(small_dataset, analyzer, pack, data_dir):
    _build(small_dataset, analyzer, data_dir)
    (storage.gallery_dir(data_dir) / "manifest.json").write_text("{ half a manif", encoding="utf-8")
    with pytest.raises(StoreError, match="rebuild"):
        ActorGallery.open(data_dir, pack)
    assert _build(small_dataset, analyzer, data_dir).embedded == 6
    assert ActorGallery.open(data_dir, pack).info().actors == 2


def test_build_from_csv_with_relative_korean_paths(small_dataset, analyzer, pack, data_dir):
    csv_file = small_dataset / "actors.csv"
    rows = ["name,image_path", "로스 (Ross),Ross/ross (48).png", "로스 (Ross),Ross/ross (50).png"]
    rows += [f"{KOREAN_ACTOR},{p.relative_to(small_dataset).as_posix()}" for p in sorted((small_dataset / KOREAN_ACTOR).iterdir())]
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")

    summary = build_gallery(DatasetSource.from_csv(csv_file), analyzer, data_dir)

    assert summary.skipped == [] and summary.used == 4
    assert _photos(data_dir, pack) == {"로스 (Ross)": 2, KOREAN_ACTOR: 2}


def test_a_new_model_pack_re_embeds_everything(small_dataset, analyzer, pack, settings, data_dir):
    from kiosk.engine.analyzer import FaceAnalyzer

    _build(small_dataset, analyzer, data_dir)
    other_pack = dataclasses.replace(pack, name="renamed-pack")  # same files, another embedding-space id
    other = FaceAnalyzer(other_pack, settings.runtime, settings.login)

    summary = _build(small_dataset, other, data_dir)

    assert summary.embedded == 6
    assert ActorGallery.open(data_dir, other_pack).pack_matches
    assert not ActorGallery.open(data_dir, pack).pack_matches
