"""A model change without re-enrolling (issue 24 section 3), on the real pack, SQLCipher and deepface photos.

The second pack is built here from the test pack: its recognizer with a fixed random projection
appended (512 -> 128 values, an orthonormal 512x128 matrix from seed 7), imported with
``import_pack``: another recognizer hash, another embedding size, another pack id. Nothing is
downloaded or committed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2
import pytest

from kiosk.config import load_settings
from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.embedder import FaceEmbedder
from kiosk.flows.enroll import read_photos, save
from kiosk.flows.faces import decode_crop, encode_crop
from kiosk.flows.migrate import Migration, Reason, migrate
from kiosk.match.bands import effective_thresholds
from kiosk.registry import Registry
from kiosk.store import faces
from tests.store.test_cli import run

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for bench.*
from bench.migrate_bench import projected_pack  # noqa: E402

ENROLLED = {"P01": "img1.jpg", "P02": "img3.jpg", "P03": "img8.jpg", "P04": "img13.jpg", "P05": "img16.jpg", "P06": "img18.jpg"}


@pytest.fixture
def old_registry(data_dir, models_dir, pack, analyzer, faces_dir):
    """Six deepface people enrolled with the test pack, each with their face crop kept."""
    settings = load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})
    registry = Registry.open(settings, pack)
    for pid, photo in ENROLLED.items():
        batch = read_photos(analyzer, [faces_dir / "deepface" / photo])
        save(registry, f"Person {pid}", pid, batch.template(registry.bands.low), face=batch.best_crop)
    yield registry
    registry.close()


def test_migrate_from_crops_resumes_reports_and_a_new_pack_identifies(old_registry, pack, analyzer, faces_dir, tmp_path, data_dir):
    new_root = projected_pack(pack, tmp_path)
    settings = load_settings(data_dir=data_dir, overrides={"models": str(new_root)})
    from kiosk.engine.pack import load_pack

    new_pack = load_pack(new_root)
    assert new_pack.embedding_size == 128 and new_pack.id != pack.id
    embedder = FaceEmbedder(new_pack, ["CPUExecutionProvider"], 0)
    duplicate = effective_thresholds(new_pack.thresholds, settings.match).duplicate
    registry = old_registry
    # No crop for P05 (as when crops were off); P06's crop blurred beyond what a sign-in frame may be.
    with registry.session() as db:
        faces.delete(db, registry.person("P05").id)
        sharp = decode_crop(faces.get(db, registry.person("P06").id))
        faces.put(db, registry.person("P06").id, encode_crop(cv2.GaussianBlur(sharp, (0, 0), 4)))

    # A kill in the middle (injected: the progress callback raises after the first batch).
    class Killed(Exception):
        pass

    def kill(done: int, total: int) -> None:
        raise Killed

    with pytest.raises(Killed):
        migrate(registry, embedder, new_pack, duplicate=duplicate, min_sharpness=settings.login.min_sharpness, batch=2, progress=kill)
    seen: list[tuple[int, int]] = []
    report = migrate(registry, embedder, new_pack, duplicate=duplicate, min_sharpness=settings.login.min_sharpness, batch=2, progress=lambda d, t: seen.append((d, t)))
    assert (report.already, report.migrated) == (2, 2)  # the first batch survived the kill
    assert {(u.person.external_id, u.reason) for u in report.unmigrated} == {("P05", Reason.NO_CROP), ("P06", Reason.BLURRED)}
    assert seen[-1] == (4, 4) and report.conflicts == []
    assert len(registry.matcher) == 6  # the active pack's rows, untouched
    assert len(registry.audit_log(event="migrate")) == 2

    # Activate the new pack: the migrated four are recognized from held-out photos, the others need re-enrolling.
    registry.close()
    with Registry.open(settings, new_pack) as fresh:
        assert len(fresh.matcher) == 4
        assert sorted(p.external_id for p in fresh.needs_reenrollment()) == ["P05", "P06"]
        new_analyzer = FaceAnalyzer.from_settings(new_pack, settings)
        probe = new_analyzer.embed_image(faces_dir / "deepface" / "img2.jpg", policy="single").embedding  # P01, held out
        decision = fresh.identify(probe)
        assert decision.person is not None and decision.person.external_id == "P01"

        # And back: the test pack's templates stayed, so migrating back has nothing to do.
    with Registry.open(load_settings(data_dir=data_dir), pack) as back:
        assert len(back.matcher) == 6
        old_embedder = FaceEmbedder(pack, ["CPUExecutionProvider"], 0)
        again = migrate(back, old_embedder, pack, duplicate=0.35, min_sharpness=settings.login.min_sharpness)
        assert (again.migrated, again.already, again.unmigrated) == (0, 6, [])


def test_a_migration_announces_each_saved_batch_and_its_end(old_registry, pack, tmp_path, data_dir):
    """Run as the admin screen runs it (a batch embedded, then saved): one event per batch, one at the end."""
    new_pack_root = projected_pack(pack, tmp_path)
    from kiosk.engine.pack import load_pack

    new_pack = load_pack(new_pack_root)
    embedder = FaceEmbedder(new_pack, ["CPUExecutionProvider"], 0)
    min_sharpness = load_settings(data_dir=data_dir).login.min_sharpness
    run_ = Migration(old_registry, new_pack, duplicate=0.99, min_sharpness=min_sharpness, batch=4)
    seen: list[tuple[int, int, bool]] = []
    run_.changed.connect(lambda m: seen.append((m.done, m.report.migrated, m.finished)))
    while items := run_.next_batch():
        run_.save(run_.embed(embedder, items))
    run_.finish()
    assert seen == [(4, 4, False), (6, 6, False), (6, 6, True)]


def test_migrate_reports_look_alikes_and_the_cli(capsys, data_dir, models_dir, pack, analyzer, faces_dir, tmp_path):
    deep = faces_dir / "deepface"
    assert run(capsys, "users", "add", "--name", "Ann", "--id", "A1", str(deep / "img1.jpg"))[0] == 0
    assert run(capsys, "users", "add", "--name", "Ann again", "--id", "A2", str(deep / "img2.jpg"), "--allow-duplicate")[0] == 0
    assert run(capsys, "users", "add", "--name", "Bo", "--id", "B1", str(deep / "img3.jpg"))[0] == 0
    new_root = projected_pack(pack, tmp_path)
    code, out, err = run(capsys, "models", "migrate", str(new_root), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["migrated"] == 3 and report["not_migrated"] == []
    assert [(c["a"], c["b"]) for c in report["conflicts"]] == [("A1", "A2")] and report["conflicts"][0]["score"] > 0.35
    code, out, _ = run(capsys, "models", "migrate", str(new_root))
    assert code == 0 and "0 migrated now, 3 already migrated, 0 not migrated" in out
