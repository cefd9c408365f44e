"""The optional stronger passive check: the CelebA-Spoof model and a learned fusion, identified on import and verified.

The fusion here is trained in the test on 32 photos (8 live + 8 attacks from each spoof-dev
set), so what is asserted is the plumbing and the three antispoof samples (all on the right
side of 0.5); the held-out figures of a fusion trained on all 800 are in docs/capture.md.
"""

from __future__ import annotations

import shutil

import numpy as np
import onnxruntime as ort
import pytest

from kiosk.config import load_settings
from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.pack import LIVENESS, LIVENESS_FUSION, REFLECT, load_pack, write_manifest
from kiosk.engine.pack_import import import_pack
from kiosk.engine.pad_eval import read_labels
from kiosk.engine.pad_fusion import default_features, fit_logistic, held_out_decisions, image_features, write_onnx
from kiosk.errors import ModelPackError

EXTRA = "minifas_celeba_128.onnx"


def test_logistic_fit_and_its_onnx_agree(tmp_path):
    rng = np.random.default_rng(1)
    x = np.vstack([rng.normal(1.0, 1.0, (60, 3)), rng.normal(-1.0, 1.0, (60, 3))]) * [1.0, 0.1, 5.0]
    live = np.r_[np.ones(60, bool), np.zeros(60, bool)]
    model = fit_logistic(x, live)
    assert ((model.decision(x) > 0) == live).mean() > 0.85
    held = held_out_decisions(x, live, np.arange(len(x)))
    assert ((held > 0) == live).mean() > 0.8
    path = write_onnx(model, ("a.onnx@1", "b.onnx@2", "c.onnx@3"), tmp_path / "f.onnx")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(None, {"features": x.astype(np.float32)})[0][:, 0]
    assert np.allclose(got, model.probability(x), atol=1e-5)


@pytest.fixture(scope="module")
def strong_pack(tmp_path_factory, models_dir, faces_dir):
    """Test pack + the CelebA-Spoof model, imported; then a fusion trained on 32 spoof-dev photos, imported again."""
    root = tmp_path_factory.mktemp("strong")
    src = root / "src"
    src.mkdir()
    for f in models_dir.glob("*.onnx"):
        shutil.copy(f, src / f.name)
    shutil.copy(faces_dir.parent / "models" / "liveness-extra" / EXTRA, src / EXTRA)
    pack = import_pack(src, root / "models", "strong")
    settings = load_settings(data_dir=root, environ={}, overrides={"models": str(pack.root), "runtime.providers": "CPUExecutionProvider"})
    analyzer = FaceAnalyzer.from_settings(pack, settings)
    features = default_features(pack)
    compute = image_features(analyzer, features)
    x, live = [], []
    for name in ("print-nuaa", "recapture-crops"):
        csv_path = faces_dir / "spoof-dev" / name / "labels.csv"
        rows = read_labels(csv_path)
        for label in ("live", "spoof"):
            for row in [r for r in rows if r.label == label][::25][:8]:
                x.append(compute(csv_path.parent / row.image))
                live.append(label == "live")
    write_onnx(fit_logistic(np.asarray(x), np.asarray(live)), features, src / "liveness_fusion.onnx")
    return import_pack(src, root / "models", "strong")


def test_import_identifies_the_extra_model_and_the_fusion_by_their_graphs(strong_pack):
    by_file = {f.file: f for f in strong_pack.files}
    extra = by_file[EXTRA]
    assert (extra.role, extra.input_size, extra.crop_scale, extra.fill, extra.live_index, extra.color) == (LIVENESS, (128, 128), 1.5, REFLECT, 0, "RGB")
    fusion = strong_pack.liveness_fusion
    assert fusion.role == LIVENESS_FUSION and len(fusion.features) == 6
    assert {f.rpartition("@")[0] for f in fusion.features} == {f.file for f in strong_pack.liveness}
    assert load_pack(strong_pack.root).liveness_fusion == fusion  # the manifest round-trips


def test_fusion_scores_the_antispoof_samples(strong_pack, faces_dir):
    """Measured with the 32-photo fusion: image_T1 0.94, image_F1 0.25, image_F2 0.22 (threshold 0.5)."""
    settings = load_settings(environ={}, overrides={"models": str(strong_pack.root), "runtime.providers": "CPUExecutionProvider"})
    analyzer = FaceAnalyzer.from_settings(strong_pack, settings)
    assert len(analyzer.liveness_checker.providers) == 4  # three liveness models and the fusion
    scores = {n: analyzer.liveness_image(faces_dir / "antispoof" / n) for n in ("image_T1.jpg", "image_F1.jpg", "image_F2.jpg")}
    assert scores["image_T1.jpg"] >= 0.5 > max(scores["image_F1.jpg"], scores["image_F2.jpg"]), scores


def test_an_altered_fusion_model_is_refused(strong_pack, tmp_path):
    copy = tmp_path / "p"
    shutil.copytree(strong_pack.root, copy)
    with open(copy / "liveness_fusion.onnx", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelPackError, match="liveness_fusion.onnx: sha256 mismatch"):
        load_pack(copy)


def test_a_fusion_naming_a_missing_model_is_refused(strong_pack, tmp_path):
    copy = tmp_path / "p"
    shutil.copytree(strong_pack.root, copy)
    pack = load_pack(copy)
    without_extra = [f for f in pack.files if f.file != EXTRA]
    from dataclasses import replace

    write_manifest(replace(pack, files=tuple(without_extra)), copy / "pack.toml")
    with pytest.raises(ModelPackError, match=f"needs feature '{EXTRA}@"):
        load_pack(copy)
