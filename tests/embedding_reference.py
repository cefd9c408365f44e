"""An independent session on a liveness model's tapped graph: the tests' reference for the kiosk's own run.

The kiosk reads a network's embedding from the session ``LivenessChecker`` builds on
``liveness_embedding.tap_graph``'s bytes. The tests compare it with this separate CPU session on
the same graph, built here so that the product carries only the path it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from kiosk.engine.liveness_embedding import tap_graph


@dataclass(frozen=True)
class ReferenceTap:
    """A CPU session returning (logits, embedding), and the classifier that maps one to the other."""

    session: ort.InferenceSession
    embedding: str  # the graph value read as the embedding
    classifier: np.ndarray  # [D, classes]: logits = embedding @ classifier (MiniFASNet's classifier has no bias)

    @property
    def size(self) -> int:
        return int(self.classifier.shape[0])

    def run(self, blob: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The logits and the embedding of one ``[1, 3, H, W]`` input blob, as float64 vectors."""
        name = self.session.get_inputs()[0].name
        logits, embedding = self.session.run(None, {name: np.ascontiguousarray(blob, np.float32)})
        return np.asarray(logits[0], np.float64), np.asarray(embedding, np.float64).reshape(-1)


def tap_embedding(path: Path) -> ReferenceTap:
    """A one-thread CPU session of the model at ``path`` with its classifier's input as a second output."""
    tapped = tap_graph(path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(tapped.model, sess_options=options, providers=["CPUExecutionProvider"])
    return ReferenceTap(session, tapped.embedding, tapped.classifier)
