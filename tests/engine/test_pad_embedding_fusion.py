"""The fusion on the networks' own embeddings (issue 20, candidate (f)) as the product trains and runs it.

On 32 real in-context frames of ../shared/faces/spoof-context (4 sources x 4 live + 4 attacks) and
the test pack's two MiniFASNets: the kiosk's one run per (model, scale) gives both the logits and the
embedding, ``pad_train.fit`` puts the selected runs' embeddings in the fusion, and the folded logistic
over the raw inputs scores exactly what the unfolded pipeline (PCA, standardisation, logistic) scores.
No figures are asserted: 8 frames per source say nothing about accuracy (docs/capture.md has them).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.images import load_image
from kiosk.engine.liveness import LivenessChecker
from kiosk.engine.pack import load_pack, parse_feature
from kiosk.engine.pad_features import candidate_names, measure_rows
from kiosk.engine.pad_fusion import Logistic, fit_logistic, onnx_bytes
from kiosk.engine.pad_probe import fold, principal
from kiosk.engine.pad_train import HeldOut, TrainedFusion, fill_missing, fit, is_embedding, run_of, write_trained_pack
from kiosk.errors import ModelPackError
from tests.context_rows import context_rows
from tests.embedding_reference import tap_embedding

PER_LABEL = 4


@pytest.fixture(scope="module")
def rows(analyzer, faces_dir, tmp_path_factory):
    """Every candidate feature (class log-ratios, embeddings, scene cues) of 32 real frames, as ``kiosk liveness train`` measures them."""
    items = [(faces_dir / "spoof-context" / r["image"], r["label"] == "live", r["source"]) for r in context_rows(faces_dir, PER_LABEL)]
    names, found = measure_rows(analyzer, items, tmp_path_factory.mktemp("cache"))
    x = np.asarray([r.values for r in found], np.float64)
    return names, x, np.asarray([r.live for r in found]), np.asarray([r.source for r in found]), [r.image for r in found]


def test_the_candidates_carry_each_runs_embedding_from_the_same_run(analyzer, pack):
    checker = analyzer.liveness_checker
    names = candidate_names(checker)
    runs = {run_of(n) for n in names if not n.startswith("scene:") and not is_embedding(n)}
    # every run of the test pack's two MiniFASNets (5 scales each) gives 128 embedding dimensions
    assert len(runs) == 10 and sum(is_embedding(n) for n in names) == 10 * 128
    for entry, loaded in checker.models:
        assert [o.name for o in loaded.session.get_outputs()][1] == tap_embedding(pack.path(entry)).embedding


def test_features_reads_the_embedding_of_the_kiosks_own_run(analyzer, pack, faces_dir):
    checker = analyzer.liveness_checker
    frame, face = analyzer.photo_face(load_image(sorted((faces_dir / "spoof-context" / "sudipto" / "fake").iterdir())[0]), "largest")
    entry, loaded = checker.models[0]
    names = tuple(f"{entry.file}@2.7:e{k}" for k in range(128)) + (f"{entry.file}@2.7:0",)
    values = checker.features(frame, face.box, names)
    logits, embedding = tap_embedding(pack.path(entry)).run(LivenessChecker.blob(frame, face.box, entry, 2.7))
    assert np.allclose(values[:128], embedding, atol=1e-5)
    assert np.allclose(checker.logits(frame, face.box, entry, loaded, 2.7), logits, atol=1e-5)
    with pytest.raises(ModelPackError, match="no such embedding dimension"):
        checker.features(frame, face.box, (f"{entry.file}@2.7:e128",))


def test_the_folded_logistic_is_the_pca_pipeline_on_real_rows(rows):
    names, x, live, _, _ = rows
    x = fill_missing(x)
    embedded = [i for i, n in enumerate(names) if is_embedding(n) and run_of(n) in ("MiniFASNetV2.onnx@2.7", "MiniFASNetV2.onnx@4")]
    kept = [i for i, n in enumerate(names) if n.startswith("MiniFASNetV2.onnx@2.7:") and not is_embedding(n)]
    for size in (8, 16, None):
        projection = principal(x, embedded, kept, size)
        model = fit_logistic(projection(x), live, 0.1)
        folded = fold(model, projection)
        assert len(folded.weights) == len(embedded) + len(kept)
        assert np.abs(folded.probability(x[:, list(projection.columns)]) - model.probability(projection(x))).max() < 1e-9


def test_fit_adds_the_selected_runs_embeddings_and_the_kiosk_computes_its_inputs(rows, analyzer):
    names, x, live, sources, images = rows
    features, model, standard, low, high = fit(names, x, live, sources, runs=2)
    runs = {run_of(n) for n in features if "@" in n and not is_embedding(n)}
    embedded = [n for n in features if is_embedding(n)]
    assert len(runs) == 2 and {run_of(n) for n in embedded} == runs and len(embedded) == 2 * 128
    assert low <= standard <= high
    # the fusion as the pack stores it (float32 ONNX) on what the kiosk computes from the frame
    session = ort.InferenceSession(onnx_bytes(model, features), providers=["CPUExecutionProvider"])
    checker = analyzer.liveness_checker
    col = [list(names).index(n) for n in features]
    for i in (0, len(images) - 1):
        frame, face = analyzer.photo_face(load_image(Path(images[i])), "largest")
        computed = checker.features(frame, face.box, features)
        assert np.allclose(computed, fill_missing(x)[i, col], atol=1e-4)
        onnx_p = float(session.run(None, {"features": computed[None]})[0][0, 0])
        assert abs(onnx_p - float(model.probability(fill_missing(x)[i : i + 1, col])[0])) < 1e-3


def test_a_model_that_cannot_be_tapped_keeps_its_session_and_offers_no_embedding(models_dir, settings, tmp_path):
    """A liveness model ending in a Softmax (no classifier MatMul at the output) still scores, without embeddings."""
    from kiosk.engine.pack_import import import_pack

    src = tmp_path / "src"
    src.mkdir()
    for f in models_dir.glob("*.onnx"):
        shutil.copy(f, src / f.name)
    source = load_pack(models_dir)
    entry = source.liveness[0]
    model = onnx.load(str(src / entry.file))
    model.graph.node.append(onnx.helper.make_node("Identity", [model.graph.output[0].name], ["scores"]))
    model.graph.output[0].name = "scores"
    onnx.save(model, str(src / entry.file))
    pack = import_pack(src, tmp_path / "models", "untapped")
    checker = FaceAnalyzer.from_settings(pack, settings).liveness_checker
    assert checker.embedding_size(entry.file) == 0 and checker.embedding_size(pack.liveness[1].file) == 128
    assert not any(is_embedding(n) and parse_feature(n).file == entry.file for n in candidate_names(checker))
    assert len(checker.by_file(entry.file)[1].session.get_outputs()) == 1  # the file's own session
    # a fusion reading that model's embedding is refused when the pack loads, naming the model
    features = (f"{entry.file}@2.7:e0", f"{pack.liveness[1].file}@2.7:e0")
    model = Logistic(np.zeros(2), np.ones(2), np.ones(2), 0.0)
    trained = TrainedFusion(features, model, onnx_bytes(model, features), 0.5, 0.4, 0.6, HeldOut("none", (), np.zeros(0)))
    fused = write_trained_pack(pack, trained, tmp_path / "fused")
    with pytest.raises(ModelPackError, match=f"embedding of {entry.file}, whose classifier cannot be tapped"):
        LivenessChecker(fused, ["CPUExecutionProvider"], 1)


def test_the_train_report_shows_each_runs_embedding_once():
    from kiosk.cli.liveness_train import short_features

    names = ["c.onnx@1.5", *(f"c.onnx@1.5:e{k}" for k in range(128)), "v.onnx@2:0", "v.onnx@2:e0", "scene:ring_brightness"]
    assert short_features(names) == ["c.onnx@1.5", "c.onnx@1.5:e0..e127", "v.onnx@2:0", "v.onnx@2:e0", "scene:ring_brightness"]
