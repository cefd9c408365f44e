"""Teaching the kiosk its camera, on real frames of ../shared/faces/spoof-context with the real test pack.

The source ``yashpatil`` (TV and phone replays held up to a webcam; the test pack's pair
refuses 11 of its first 16 real faces at 0.5) stands in for this kiosk's camera: its frames in file-name order (time order) are recorded as site samples.
The development rows are a few frames of two other sources, so a retrain takes seconds.
"""

from __future__ import annotations

import csv
import sqlite3

import numpy as np
import pytest

from kiosk.engine.images import load_image
from kiosk.engine.pack import load_pack
from kiosk.engine.pad_features import trainable_names
from kiosk.engine.pad_train import is_embedding
from kiosk.engine.scene_cues import RING_BRIGHTNESS
from kiosk.engine.site_liveness import DevDataMissing, FeatureRows, TeachKind, dev_features, largest_face_features
from kiosk.errors import KioskError
from kiosk.flows import teach
from kiosk.store import liveness_samples

SOURCE = "yashpatil"
TAUGHT = 16  # frames per label recorded as site samples (the first ones in file-name order)


def source_frames(faces_dir, source: str) -> dict[str, list]:
    """live / spoof image paths of one source, in file-name (time) order."""
    out: dict[str, list] = {"live": [], "spoof": []}
    with open(faces_dir / "spoof-context" / "labels.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["source"] == source:
                out[row["label"]].append(faces_dir / "spoof-context" / row["image"])
    return {label: sorted(paths, key=lambda p: p.name) for label, paths in out.items()}


@pytest.fixture(scope="module")
def taught_vectors(analyzer, faces_dir):
    """Features of the first TAUGHT live and spoof frames of SOURCE, computed once: (names, live vectors, spoof vectors)."""
    frames = source_frames(faces_dir, SOURCE)
    vectors = {label: [largest_face_features(analyzer, load_image(p)) for p in frames[label][:TAUGHT]] for label in ("live", "spoof")}
    names = vectors["live"][0][0]
    return names, [v for _, v in vectors["live"]], [v for _, v in vectors["spoof"]]


@pytest.fixture(scope="module")
def small_dev(analyzer, faces_dir, tmp_path_factory) -> FeatureRows:
    """Development rows: 6 live and 6 spoof frames of two other sources (a labels file of its own, cached)."""
    folder = tmp_path_factory.mktemp("dev")
    labels = folder / "labels.csv"
    with open(labels, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["image", "label", "attack", "source"])
        for source in ("eyashita", "kalyanipatil"):
            frames = source_frames(faces_dir, source)
            for label in ("live", "spoof"):
                for path in frames[label][::17][:6]:
                    writer.writerow([str(path), label, source, source])
    return dev_features(analyzer, [labels], folder / "cache")


def record(registry, names, vectors, kind: TeachKind, session: str, start: int) -> None:
    with registry.session() as db, db.transaction():
        for i, vector in enumerate(vectors):
            liveness_samples.add(db, session, kind.value, names, vector, time=f"2026-12-07T10:{(start + i) // 60:02d}:{(start + i) % 60:02d}+00:00")


def test_samples_keep_feature_vectors_never_images(registry, taught_vectors, data_dir, analyzer):
    names, live, _spoof = taught_vectors
    record(registry, names, live[:3], TeachKind.REAL, "s1", 0)
    columns = [row[1] for row in registry.db.conn.execute("PRAGMA table_info(liveness_samples)")]
    assert columns == ["id", "session", "label", "kind", "time", "features", "vector"]
    stored = teach.load_site_samples(registry)
    assert [s.kind for s in stored] == ["real"] * 3
    for sample, vector in zip(stored, live[:3]):
        assert sample.features == names and sample.vector.dtype == np.float32
        np.testing.assert_array_equal(sample.vector, vector)
    sizes = {row[0] for row in registry.db.conn.execute("SELECT length(vector) FROM liveness_samples")}
    # 20 class log-ratios (2 models x 5 scales x 2), the ring cue and 10 x 128 embedding dimensions:
    # 1,301 float32 features, 5,204 bytes a frame; an 80x80 crop alone would be 19,200 bytes.
    assert sizes == {4 * len(names)}
    # What is stored is every feature train_fusion may select or read, the scene cue included.
    assert names == trainable_names(analyzer.liveness_checker) and RING_BRIGHTNESS in names and len(names) == 1301
    assert sum(is_embedding(n) for n in names) == 10 * 128
    assert teach.sample_counts(registry) == {"phone": 0, "tablet": 0, "print": 0, "real": 3}
    # The database file is SQLCipher: not even the vectors are readable without the key.
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(registry.db.path).execute("SELECT count(*) FROM liveness_samples").fetchone()
    assert teach.clear_site_samples(registry) == 3
    assert teach.load_site_samples(registry) == []


def test_held_back_is_the_latest_session_or_the_last_quarter_in_time(registry, taught_vectors):
    names, live, spoof = taught_vectors
    record(registry, names, spoof[:8], TeachKind.PHONE, "a", 0)
    record(registry, names, spoof[8:12], TeachKind.PHONE, "b", 100)
    record(registry, names, live[:8], TeachKind.REAL, "c", 200)
    samples = teach.load_site_samples(registry)
    held = teach.held_back(samples)
    assert [s.session for s, h in zip(samples, held) if h and s.kind == "phone"] == ["b"] * 4
    real = [i for i, s in enumerate(samples) if s.kind == "real"]
    assert [bool(held[i]) for i in real] == [False] * 6 + [True] * 2  # the last quarter, not random frames


def test_a_retrain_on_correct_samples_is_kept_as_a_new_pack_and_audited(registry, registry_settings, analyzer, taught_vectors, small_dev, pack):
    names, live, spoof = taught_vectors
    record(registry, names, spoof, TeachKind.TABLET, "attacks", 0)
    record(registry, names, live, TeachKind.REAL, "faces", 100)
    samples = teach.load_site_samples(registry)
    outcome = teach.train_on_site(analyzer, samples, small_dev, registry_settings.data_dir / "models")
    # Figures on the 4 + 4 held-back frames (the last quarter of each kind, in time): the test pack's
    # pair refuses all 4 real faces of this room (BPCER 100%, no attack accepted); the taught check
    # accepts the 4 real faces and still refuses the 4 replays.
    assert outcome.held == {"phone": 0, "tablet": 4, "print": 0, "real": 4}
    assert outcome.before.bpcer == 1.0 and outcome.before.apcer == 0.0, outcome.before
    assert outcome.after.apcer == 0.0 and outcome.after.bpcer == 0.0, outcome.after
    assert outcome.kept and outcome.pack_folder is not None
    teach.record_outcome(registry, registry_settings, outcome)
    variant = load_pack(outcome.pack_folder)  # hash-verified manifest
    assert variant.id == pack.id  # same recognizer and name: nobody is asked to re-enroll
    assert variant.liveness_fusion is not None and variant.liveness_fusion.features == outcome.features
    # The variant carries the three thresholds train_fusion calibrated, so `adaptive` works with it.
    assert variant.thresholds.liveness == pytest.approx(outcome.fusion.liveness, abs=1e-4)
    assert variant.thresholds.liveness_low == pytest.approx(outcome.fusion.liveness_low, abs=1e-4)
    assert variant.thresholds.liveness_high == pytest.approx(outcome.fusion.liveness_high, abs=1e-4)
    assert variant.thresholds.liveness_low <= variant.thresholds.liveness <= variant.thresholds.liveness_high
    # The site was held out as one source of its own while the thresholds were chosen.
    assert teach.SITE in {f.source for f in outcome.fusion.held_out.figures}
    assert registry_settings.models == outcome.pack_folder
    assert f"models = \"{outcome.pack_folder}\"" in registry_settings.config_path.read_text()
    row = registry.audit_log(event="liveness_taught")[0]
    assert row.decision == "kept" and "before APCER" in row.detail and outcome.pack_folder.name in row.detail
    # The kiosk's analyzer switches to it in place, and scores a taught attack frame low.
    from kiosk.engine.analyzer import FaceAnalyzer

    switched = FaceAnalyzer.from_settings(pack, registry_settings)
    switched.use_liveness(variant, 1)
    assert switched.liveness_checker.fusion is not None
    assert switched.pack.thresholds.liveness == variant.thresholds.liveness  # the next capture refuses below it


def test_mislabelled_samples_make_it_worse_and_it_is_refused(registry, registry_settings, analyzer, taught_vectors, small_dev):
    names, live, spoof = taught_vectors
    # The first session was recorded with the wrong buttons (real faces taught as attacks and the
    # reverse); the second, held back, is right: the check fitted on the first is worse there.
    record(registry, names, live[:12], TeachKind.PRINT, "wrong-attacks", 0)
    record(registry, names, spoof[:12], TeachKind.REAL, "wrong-faces", 100)
    record(registry, names, spoof[12:], TeachKind.PRINT, "right-attacks", 200)
    record(registry, names, live[12:], TeachKind.REAL, "right-faces", 300)
    outcome = teach.train_on_site(analyzer, teach.load_site_samples(registry), small_dev, registry_settings.data_dir / "models")
    assert not outcome.kept and outcome.pack_folder is None
    assert not outcome.after.no_worse_than(outcome.before)
    assert not (registry_settings.data_dir / "models").exists() or not any((registry_settings.data_dir / "models").iterdir())
    models_before = registry_settings.models
    teach.record_outcome(registry, registry_settings, outcome)
    assert registry_settings.models == models_before
    row = registry.audit_log(event="liveness_taught")[0]
    assert row.decision == "refused" and "refused: not better on both sides" in row.detail


def test_samples_stored_with_an_older_feature_list_are_refused_with_a_re_teach_hint(registry, analyzer, taught_vectors, small_dev, tmp_path):
    names, live, spoof = taught_vectors
    older = tuple(n for n in names if n != RING_BRIGHTNESS)  # what the kiosk stored before the scene cue
    keep = [names.index(n) for n in older]
    record(registry, older, [v[keep] for v in spoof], TeachKind.PHONE, "attacks", 0)
    record(registry, older, [v[keep] for v in live], TeachKind.REAL, "faces", 100)
    with pytest.raises(KioskError, match="lack the feature.*scene:ring_brightness") as info:
        teach.train_on_site(analyzer, teach.load_site_samples(registry), small_dev, tmp_path)
    assert "teach again" in info.value.hint and "--clear" in info.value.hint


def test_too_few_samples_or_missing_dev_data_are_clear_errors(registry, registry_settings, analyzer, taught_vectors, small_dev, monkeypatch, tmp_path):
    names, live, _spoof = taught_vectors
    record(registry, names, live, TeachKind.REAL, "faces", 0)
    with pytest.raises(KioskError, match="too few attack samples"):
        teach.train_on_site(analyzer, teach.load_site_samples(registry), small_dev, tmp_path)
    monkeypatch.setenv("KIOSK_LIVENESS_DEV_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(DevDataMissing, match="development data is not there") as info:
        dev_features(analyzer, None, tmp_path / "empty-cache")
    assert "KIOSK_LIVENESS_DEV_DATA" in str(info.value)
    # Without it the retrain teaches with this camera only (tests/flows/test_teach_site_only.py): same sample checks.
    with pytest.raises(KioskError, match="too few attack samples"):
        teach.retrain_with_site_samples(registry, analyzer, registry_settings)


def test_recording_walks_the_kinds_in_order():
    rec = teach.Recording.attacks(per_kind=2)
    seen = []
    while not rec.done:
        seen.append(rec.kind)
        rec.taught()
    assert seen == [TeachKind.PHONE, TeachKind.PHONE, TeachKind.TABLET, TeachKind.TABLET, TeachKind.PRINT, TeachKind.PRINT]
    assert teach.Recording.real_faces(1).kind == TeachKind.REAL


def test_recording_announces_each_answer():
    """Every taught or missed frame is one event carrying the recording (the teach screen redraws on it)."""
    rec = teach.Recording.real_faces(per_kind=2)
    seen: list[tuple[int, int]] = []
    rec.changed.connect(lambda r: seen.append((r.counts.get(TeachKind.REAL, 0), r.no_face)))
    rec.missed()
    rec.taught()
    rec.taught()
    rec.taught()  # every kind done: nothing changes, nothing is announced
    assert seen == [(0, 1), (1, 0), (2, 0)] and rec.done


def test_an_installed_kiosk_without_the_dev_data_uses_the_cache_computed_for_its_models(analyzer, faces_dir, tmp_path, monkeypatch):
    frames = source_frames(faces_dir, "eyashita")
    labels = tmp_path / "labels.csv"
    labels.write_text("image,label,attack,source\n" + "".join(f"{frames[label][0]},{label},eyashita,eyashita\n" for label in ("live", "spoof")))
    computed = dev_features(analyzer, [labels], tmp_path / "cache")
    assert len(computed) == 2 and list(computed.live) == [True, False] and set(computed.sources) == {"eyashita"}
    monkeypatch.setenv("KIOSK_LIVENESS_DEV_DATA", str(tmp_path / "not-installed"))
    cached = dev_features(analyzer, None, tmp_path / "cache")
    np.testing.assert_array_equal(cached.x, computed.x)
    with pytest.raises(DevDataMissing, match="development data is not there"):
        dev_features(analyzer, None, tmp_path / "empty-cache")
