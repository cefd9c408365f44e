"""``kiosk liveness build-default``: one command builds the README's pack once, resumes a stopped build, then returns at once.

Real models from ../shared and real spoof-context frames; trained on a few frames (the hidden
``--labels`` / ``labels=``), written under tmp_path, never committed.
"""

from __future__ import annotations

import csv
import errno
import shutil
from pathlib import Path

import numpy as np
import pytest

from kiosk.cli import build_default as bd
from kiosk.cli.main import main
from kiosk.config import load_settings
from kiosk.engine import pad_features
from kiosk.engine.pack import load_pack, resolve_pack
from kiosk.errors import KioskError

SOURCES = ("eyashita", "kalyanipatil", "srimuthukumar", "dangthanhliem")
PER_LABEL = 3  # frames per source and label
FRAMES = len(SOURCES) * 2 * PER_LABEL  # 24
KILLED_AFTER = 10


def _few_frames(faces_dir: Path, out: Path) -> Path:
    """A labels CSV of ``PER_LABEL`` live and spoof frames of each of ``SOURCES``, by absolute path."""
    folder = faces_dir / "spoof-context"
    with open(folder / "labels.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    picked = []
    for source in SOURCES:
        for label in ("live", "spoof"):
            of = [r for r in rows if r["source"] == source and r["label"] == label]
            picked += [{**r, "image": str(folder / r["image"])} for r in of[:: len(of) // PER_LABEL][:PER_LABEL]]
    with open(out, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["image", "label", "attack", "source"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(picked)
    return out


class Stop(Exception):
    """The fault injected to stop a build part way, as a kill would (raised from the progress callback)."""


def _cached(data_dir: Path) -> int:
    files = list((data_dir / "cache").glob("pad-features-*.npz"))
    assert len(files) == 1
    with np.load(files[0]) as stored:
        return len(stored.files)


@pytest.mark.slow
def test_a_stopped_build_resumes_from_the_cache_and_a_built_pack_returns_without_measuring(tmp_path, faces_dir, monkeypatch, capsys):
    """Stopped after 10 of 24 frames (fault injected): no pack under its name, 10 frames cached; the next
    call measures only the other 14 and writes a verified pack with the fusion and its band; a third call
    computes no feature at all; ``--models pad-trained`` finds it in the data folder."""
    data, shared = tmp_path / "data", faces_dir.parent
    labels = _few_frames(faces_dir, tmp_path / "few.csv")
    computed: list[str] = []
    real = pad_features.photo_candidates

    def counted(analyzer, image, names):  # the real computation, counted (a spy, not a fake)
        computed.append(str(image))
        return real(analyzer, image, names)

    monkeypatch.setattr(pad_features, "photo_candidates", counted)

    def stop_after(done: int, total: int, current: str) -> None:
        if done == KILLED_AFTER:
            raise Stop

    with pytest.raises(Stop):
        bd.build_default(data, shared, labels=[labels], runs=2, measuring=stop_after)
    assert len(computed) == KILLED_AFTER and _cached(data) == KILLED_AFTER
    assert not (data / "models" / bd.DEFAULT_NAME).exists()

    computed.clear()
    assert main(["--data-dir", str(data), "liveness", "build-default", "--labels", str(labels)]) == 0
    out = capsys.readouterr()
    assert len(computed) == FRAMES - KILLED_AFTER  # the first 10 come from the cache
    assert "measuring 24/24" in out.err and "held out" in out.err
    assert "held out (leave one source out)" in out.out and "built in" in out.out
    assert "kiosk --data-dir" in out.out and f"--models {bd.DEFAULT_NAME} run" in out.out
    pack = load_pack(data / "models" / bd.DEFAULT_NAME)
    assert pack.liveness_fusion is not None and "minifas_celeba_128.onnx" in {f.file for f in pack.files}
    assert pack.thresholds.liveness_low <= pack.thresholds.liveness <= pack.thresholds.liveness_high
    test_pack = load_pack(shared / "models" / "test-pack")  # same recognizer: the same embedding space and face thresholds
    assert pack.id == test_pack.id and pack.calibrated and test_pack.calibrated
    assert (pack.thresholds.high, pack.thresholds.low, pack.thresholds.verify) == (test_pack.thresholds.high, test_pack.thresholds.low, test_pack.thresholds.verify)
    assert sorted(p.name for p in (data / "models").iterdir()) == [bd.DEFAULT_NAME]  # no staging left
    assert not (data / "cache" / f"build-{bd.DEFAULT_NAME}").exists()  # the source pack is cleaned up

    def refuse(analyzer, image, names):  # fault injected: any measuring fails the test
        raise AssertionError(f"measured {image}")

    monkeypatch.setattr(pad_features, "photo_candidates", refuse)
    assert main(["--data-dir", str(data), "liveness", "build-default", "--labels", str(labels)]) == 0
    assert f"ready: {pack.root}" in capsys.readouterr().out

    found = resolve_pack(load_settings(data_dir=data, environ={}, overrides={"models": bd.DEFAULT_NAME}))
    assert found.root == pack.root and found.liveness_fusion == pack.liveness_fusion

    monkeypatch.setattr(pad_features, "photo_candidates", counted)
    computed.clear()
    rebuilt = bd.build_default(data, shared, rebuild=True, labels=[labels], runs=1)  # every frame from the cache
    assert computed == [] and rebuilt.trained is not None and rebuilt.pack.root == pack.root
    assert len([f for f in rebuilt.pack.liveness_fusion.features if "@" in f]) < len([f for f in pack.liveness_fusion.features if "@" in f])
    assert sorted(p.name for p in (data / "models").iterdir()) == [bd.DEFAULT_NAME]


def test_a_missing_shared_folder_or_model_is_named_with_the_option_to_fix_it(tmp_path, faces_dir, capsys):
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "liveness", "build-default", "--shared", str(tmp_path / "nowhere")]) != 0
    err = capsys.readouterr().err
    assert str(tmp_path / "nowhere") in err and "--shared DIR" in err

    shared = tmp_path / "shared"
    shutil.copytree(faces_dir.parent / "models" / "test-pack", shared / "models" / "test-pack")
    with pytest.raises(KioskError, match="minifas_celeba_128.onnx: model not found") as missing:
        bd.build_default(data, shared)
    assert "--shared" in (missing.value.hint or "")
    (shared / "models" / "liveness-extra").mkdir(parents=True)
    shutil.copy(faces_dir.parent / "models" / bd.EXTRA_MODEL.relative_to("models"), shared / bd.EXTRA_MODEL)
    with pytest.raises(KioskError, match="labelled attacks not found: .*spoof-context"):
        bd.build_default(data, shared)
    assert not (data / "models").exists()


def test_a_full_disk_or_a_folder_it_cannot_write_is_a_clear_error_and_leaves_no_pack(tmp_path, faces_dir, monkeypatch):
    labels = _few_frames(faces_dir, tmp_path / "few.csv")

    def full(*args, **kwargs):  # fault injected: the disk fills while the source pack is copied
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bd, "import_files", full)
    with pytest.raises(KioskError, match="is full") as err:
        bd.build_default(tmp_path / "data", faces_dir.parent, labels=[labels])
    assert "--data-dir" in (err.value.hint or "")
    assert not (tmp_path / "data" / "models" / bd.DEFAULT_NAME).exists()

    def refused(*args, **kwargs):  # fault injected: the data folder is not writable
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "data" / "cache"))

    monkeypatch.setattr(bd, "import_files", refused)
    with pytest.raises(KioskError, match="cache: Permission denied") as err:
        bd.build_default(tmp_path / "data", faces_dir.parent, labels=[labels])
    assert "writable" in (err.value.hint or "")


def test_a_pack_without_a_fusion_or_a_path_as_name_is_refused(tmp_path, models_dir):
    data = tmp_path / "data"
    from kiosk.engine.pack_import import import_pack

    import_pack(models_dir, data / "models", "plain")
    with pytest.raises(KioskError, match="without a trained liveness fusion") as err:
        bd.build_default(data, models_dir, name="plain")
    assert "--rebuild" in (err.value.hint or "")
    with pytest.raises(KioskError, match="not a plain pack name"):
        bd.build_default(data, models_dir, name="../elsewhere")
