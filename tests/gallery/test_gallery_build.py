"""Building the gallery from real photos with the real models, and looking actors up in it.

Figures asserted: each of the 6 reference photos in ``faces/friends`` returns its own actor
first (6/6); each group photo in ``friends_boostface/Test`` gives as many answers as the
analyzer finds faces (2, 6, 6, 2, 4 and 3 with the test pack).
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from kiosk.engine import types as reasons
from kiosk.engine.images import load_image
from kiosk.errors import ModelPackError, NotFoundError
from kiosk.gallery import ActorGallery, lookalikes
from .actor_dataset import BAD, EMPTY_ACTOR, KOREAN_ACTOR

TRAIN_ACTORS = ["Chandler", "Joey", "Monica", "Phoebe", "Rachel", "Ross"]


def test_every_bad_photo_is_reported_and_the_build_finishes(built):
    summary = built.summary
    skipped = {s.photo: s.reason for s in summary.skipped}
    assert skipped == {
        BAD.unreadable: reasons.UNREADABLE,
        BAD.no_face: reasons.NO_FACE,
        BAD.two_faces: reasons.MULTIPLE_FACES,
        BAD.too_small: reasons.TOO_SMALL,
        BAD.stranger: reasons.OUTLIER,
    }
    assert all(s.detail for s in summary.skipped if s.reason != reasons.NO_FACE)  # the figure measured, or the read error
    assert summary.written
    assert summary.actors == 7
    assert summary.photos == 23 + 3 + 5
    assert summary.used == 23 + 3
    assert summary.actors_without_photos == [EMPTY_ACTOR]
    assert summary.ignored_files == 1


def test_progress_counts_every_photo_then_every_embedding(built):
    checking = [p for p in built.progress if p.phase == "checking"]
    embedding = [p for p in built.progress if p.phase == "embedding"]
    assert [p.done for p in checking] == list(range(1, 32))
    assert [p.done for p in embedding] == list(range(1, 32))
    assert embedding[-1].eta_s == 0 and embedding[0].eta_s > 0
    assert all(p.total == 31 for p in built.progress)


def test_actors_have_templates_photo_counts_and_thumbnails(built, pack):
    gallery = ActorGallery.open(built.data_dir, pack)
    actors = {a.name: a for a in gallery.actors()}
    assert sorted(actors) == sorted([*TRAIN_ACTORS, KOREAN_ACTOR])
    assert actors["Chandler"].photos == 5  # the stranger filed under Chandler is not counted
    assert actors[KOREAN_ACTOR].photos == 3
    for actor in actors.values():
        thumb = load_image(actor.thumbnail)
        assert thumb.shape == (256, 256, 3)


def test_each_reference_photo_finds_its_own_actor_first(built, pack, analyzer, faces_dir):
    gallery = ActorGallery.open(built.data_dir, pack)
    firsts = {}
    for photo in sorted((faces_dir / "friends").glob("*.png")):
        matches = gallery.query(analyzer.embed_image(photo).embedding, k=3)
        assert len(matches) == 3
        assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
        firsts[photo.stem] = matches[0].name
    assert firsts == {name: name for name in TRAIN_ACTORS}  # 6/6


def test_korean_actor_is_found_from_a_photo_not_in_the_gallery(built, pack, analyzer, faces_dir):
    gallery = ActorGallery.open(built.data_dir, pack)
    best = gallery.query(analyzer.embed_image(faces_dir / "deepface" / "img5.jpg").embedding, k=1)[0]
    assert best.name == KOREAN_ACTOR
    assert best.percent >= 50 and best.thumbnail.is_file()


@pytest.mark.parametrize("photo", ["all (1).jpeg", "all (42).jpeg", "all (43).jpeg", "all (44).png", "all (45).jpeg", "all (46).png"])
def test_group_photo_gives_one_answer_per_face_in_reading_order(built, pack, analyzer, faces_dir, photo):
    gallery = ActorGallery.open(built.data_dir, pack)
    image = load_image(faces_dir / "friends_boostface" / "Test" / photo)
    expected = len(analyzer.analyze(image))
    found = lookalikes(gallery, analyzer, image, k=3)
    assert expected > 1
    assert len(found) == expected
    assert all(len(item.matches) == 3 for item in found)
    tops = [float(item.face.box[1]) for item in found]
    heights = [float(item.face.box[3] - item.face.box[1]) for item in found]
    # nobody listed later starts clearly above someone listed earlier (rows go top to bottom)
    assert all(tops[j] > tops[i] - max(heights) for i in range(len(found)) for j in range(i + 1, len(found)))


def test_a_gallery_from_another_pack_is_refused_with_a_rebuild_hint(built, pack, analyzer, faces_dir):
    other = dataclasses.replace(pack, name="another-pack")
    gallery = ActorGallery.open(built.data_dir, other)
    assert not gallery.pack_matches
    vector = analyzer.embed_image(faces_dir / "friends" / "Ross.png").embedding
    with pytest.raises(ModelPackError, match="rebuild"):
        gallery.query(vector)
    assert ActorGallery.open(built.data_dir, pack).query(vector, k=1)[0].name == "Ross"


def test_no_gallery_yet(data_dir, pack):
    assert not ActorGallery.exists(data_dir)
    with pytest.raises(NotFoundError, match="kiosk gallery build"):
        ActorGallery.open(data_dir, pack)


def test_manifest_names_every_photo_with_hash_and_status(built):
    manifest = json.loads((built.data_dir / "gallery" / "manifest.json").read_text(encoding="utf-8"))
    records = {r["key"]: r for r in manifest["photos"]}
    assert len(records) == 31
    assert records[BAD.stranger]["status"] == reasons.OUTLIER
    korean = [r for r in records.values() if r["actor"] == KOREAN_ACTOR]
    assert len(korean) == 3 and all(r["status"] == "used" and len(r["sha256"]) == 64 for r in korean)
