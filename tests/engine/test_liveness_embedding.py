"""The liveness networks' own embeddings (issue 20): read from the unchanged forward pass, on real frames.

The tapped session must give the same logits as the pack's own session (the graph gains an output,
nothing else), and the classifier's weights applied to the embedding must give those logits back:
that is what makes a logistic on the embedding "the network's last layer, retrained".
"""

from __future__ import annotations

import numpy as np
import onnx
import pytest

from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.images import load_image
from kiosk.engine.liveness import LivenessChecker
from kiosk.errors import ModelPackError
from kiosk.fsutil import sha256_file
from tests.embedding_reference import tap_embedding

FRAMES = ("spoof-context/yashpatil/real", "spoof-context/yashpatil/fake", "antispoof")


@pytest.fixture(scope="module")
def faces(pack, settings, faces_dir):
    """One real frame and its largest face's box from each folder (a live webcam frame, a replay, a phone photo)."""
    analyzer = FaceAnalyzer.from_settings(pack, settings)
    out = []
    for folder in FRAMES:
        image = sorted(p for p in (faces_dir / folder).iterdir() if p.suffix.lower() in (".jpg", ".png"))[0]
        frame, face = analyzer.photo_face(load_image(image), "largest")
        out.append((frame, face.box))
    return analyzer.liveness_checker, out


def test_the_embedding_gives_the_networks_own_logits(faces, pack):
    checker, frames = faces
    for entry, loaded in checker.models:
        before = sha256_file(pack.path(entry))
        tap = tap_embedding(pack.path(entry))
        assert sha256_file(pack.path(entry)) == before == entry.sha256  # the pack's file is read, never written
        assert tap.size == 128  # Silent-Face's MiniFASNets: 128-d after the BatchNormalization
        embeddings = []
        for frame, box in frames:
            for scale in (1.0, entry.crop_scale or 2.7):
                blob = LivenessChecker.blob(frame, box, entry, scale)
                logits, embedding = tap.run(blob)
                assert np.allclose(logits, checker.logits(frame, box, entry, loaded, scale), atol=1e-5)
                assert np.allclose(embedding @ tap.classifier, logits, atol=1e-3)
                embeddings.append(embedding)
        assert np.linalg.norm(embeddings[0] - embeddings[-1]) > 1.0  # a live face and a phone photo differ


def test_a_model_not_ending_in_a_classifier_is_refused(tmp_path, pack):
    entry = pack.liveness[0]
    model = onnx.load(str(pack.path(entry)))
    softmax = onnx.helper.make_node("Softmax", [model.graph.output[0].name], ["probabilities"])
    model.graph.node.append(softmax)
    model.graph.output[0].name = "probabilities"
    path = tmp_path / "softmax.onnx"
    onnx.save(model, str(path))
    with pytest.raises(ModelPackError, match="Softmax, not a MatMul"):
        tap_embedding(path)
