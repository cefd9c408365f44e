"""The most typical face (issue 23 §3) on a gallery built from ../shared/faces/friends_boostface/Train
(6 actors, real models): the mean direction, the leave-one-out ranking, a visitor's percentile, the CLI."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from kiosk.cli.main import main
from kiosk.errors import KioskError
from kiosk.gallery import ActorGallery, DatasetSource, build_gallery
from kiosk.gallery.typical import typicality

pytestmark = pytest.mark.slow  # builds a six-actor gallery from 30 photos (about 10 s on 2 cores)


@pytest.fixture(scope="module")
def friends(tmp_path_factory, faces_dir, analyzer):
    data_dir = tmp_path_factory.mktemp("friends-gallery")
    build_gallery(DatasetSource.from_folder(faces_dir / "friends_boostface" / "Train"), analyzer, data_dir, lambda _p: None)
    return data_dir


def test_actors_ranked_by_closeness_to_the_mean_of_the_others(friends, pack):
    gallery = ActorGallery.open(friends, pack)
    found = typicality(gallery)
    units = gallery.templates / np.linalg.norm(gallery.templates, axis=1, keepdims=True)
    assert np.allclose(found.mean, units.sum(0) / np.linalg.norm(units.sum(0)), atol=1e-6)
    assert found.resultant == pytest.approx(np.linalg.norm(units.mean(0)), abs=1e-6)
    names = [a.name for a in gallery.actors()]
    assert sorted(a.name for a in found.ranking) == sorted(names) and [a.rank for a in found.ranking] == [1, 2, 3, 4, 5, 6]
    for actor in found.ranking:  # each closeness is the cosine to the normalized mean of the other five
        i = names.index(actor.name)
        others = np.delete(units, i, axis=0).sum(0)
        assert actor.closeness == pytest.approx(float(units[i] @ others / np.linalg.norm(others)), abs=1e-5)
    closeness = [a.closeness for a in found.ranking]
    assert closeness == sorted(closeness, reverse=True)
    # Measured with the test pack: Monica is the most typical face, Ross the least.
    assert [(a.name, round(a.closeness, 2)) for a in found.ranking] == [
        ("Monica", 0.24), ("Phoebe", 0.18), ("Rachel", 0.14), ("Joey", 0.11), ("Chandler", 0.09), ("Ross", -0.01)
    ]
    assert found.resultant == pytest.approx(0.466, abs=1e-3)


# The first photo of each of the 13 deepface people (none of them is a Friends actor).
STRANGERS = ("img1", "img3", "img8", "img13", "img16", "img18", "img20", "img22", "img24", "img26", "img29", "img34", "img38")


def test_a_visitor_gets_a_percentile_among_the_actors_and_nothing_is_kept(friends, pack, analyzer, faces_dir):
    """Measured: the 13 strangers land from the 0th to the 83rd percentile (median 33rd); an actor's
    own reference photo (../shared/faces/friends, not in the gallery) lands at the 100th, as their
    template is part of the mean a visitor is compared with."""
    gallery = ActorGallery.open(friends, pack)
    found = typicality(gallery)
    top, bottom = found.ranking[0], found.ranking[-1]
    assert found.percentile(top.closeness + 1e-3) == 100 and found.percentile(bottom.closeness - 1e-3) == 0
    assert found.percentile(top.closeness) == round(100 * 5.5 / 6)  # a tie counts half
    before = sorted(p.name for p in friends.rglob("*") if p.is_file())
    places = [found.percentile(found.closeness(analyzer.embed_image(faces_dir / "deepface" / f"{n}.jpg", policy="largest").embedding)) for n in STRANGERS]
    assert min(places) <= 17 and max(places) >= 83 and 17 <= float(np.median(places)) <= 50
    ross = analyzer.embed_image(faces_dir / "friends" / "Ross.png", policy="largest").embedding
    assert found.percentile(found.closeness(ross)) == 100  # Ross is the least typical actor, his own photo the most
    assert sorted(p.name for p in friends.rglob("*") if p.is_file()) == before  # nothing written for the visitor


def test_cli_lists_the_most_typical_faces(friends, faces_dir, capsys, monkeypatch):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(friends))
    assert main(["gallery", "typical", "--top", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("the most typical face of 6 actors") and len(lines) == 4 and lines[1].lstrip().startswith("1. ")
    assert main(["gallery", "typical", "--json", "--photo", str(faces_dir / "friends" / "Ross.png")]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["actors"] == 6 and len(doc["ranking"]) == 6 and 0 <= doc["visitor"]["percentile"] <= 100
    assert main(["gallery", "typical", "--top", "0"]) == 2


def test_a_gallery_of_one_actor_has_no_typical_face(friends, tmp_path, pack):
    shutil.copytree(friends, tmp_path, dirs_exist_ok=True)
    gallery = ActorGallery.open(tmp_path, pack)
    for name in [a.name for a in gallery.actors()][1:]:
        gallery.remove(name)
    with pytest.raises(KioskError, match="at least 2"):
        typicality(gallery)
