"""A liveness network's own embedding: the input of its final classifier, read with ONNX Runtime.

Every MiniFASNet (Silent-Face's and the CelebA-Spoof one) ends in ``Flatten -> MatMul ->
BatchNormalization -> MatMul (classifier) -> output``: the classifier's input (128 numbers) is the
network's embedding, and a logistic on it is the network's last layer retrained on other data
(issue 20: the attacks a kiosk camera sees, which the networks never saw). Same forward pass as
the logits, so reading it costs nothing per frame.

The pack's file is read and hash-checked as always; the graph is changed in memory only (one more
graph output: the classifier's non-weight input, found from the node that produces the graph's
output), and the session is built from those bytes. Nothing is written to the pack folder.
``LivenessChecker`` builds every tappable model's session this way (``tap_graph``, with the configured
providers), so the kiosk's logits and a fusion's ``:e<k>`` features come from one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kiosk.errors import ModelPackError


@dataclass(frozen=True)
class TappedGraph:
    """A liveness model's graph with its embedding as a second output, serialised, and its classifier."""

    model: bytes
    embedding: str
    classifier: np.ndarray  # [D, classes]

    @property
    def size(self) -> int:
        return int(self.classifier.shape[0])


def tap_graph(path: Path) -> TappedGraph:
    """The model at ``path`` with the classifier's input added as a second graph output.

    The classifier is the MatMul (or Gemm) node producing the graph's only output; its input that is
    not an initializer is the embedding. A model ending otherwise is refused with its last node named.
    """
    import onnx
    from onnx import numpy_helper

    try:
        model = onnx.load(str(path))
    except Exception as exc:  # noqa: BLE001 - onnx raises protobuf's and its own errors
        raise ModelPackError(f"{path.name}: cannot be read as ONNX ({exc})", hint="the pack's file is damaged") from None
    graph = model.graph
    if len(graph.output) != 1:
        raise ModelPackError(f"{path.name}: has {len(graph.output)} outputs, expected 1", hint="only single-output liveness classifiers are tapped")
    output = graph.output[0].name
    producer = next((n for n in graph.node if output in n.output), None)
    weights = {t.name: t for t in graph.initializer}
    if producer is None or producer.op_type not in ("MatMul", "Gemm"):
        found = producer.op_type if producer is not None else "no node"
        raise ModelPackError(f"{path.name}: its output comes from {found}, not a MatMul classifier", hint="not a MiniFASNet-style model")
    inputs = [name for name in producer.input[:2] if name not in weights]
    kernels = [name for name in producer.input[:2] if name in weights]
    if len(inputs) != 1 or len(kernels) != 1 or (producer.op_type == "Gemm" and len(producer.input) > 2):
        raise ModelPackError(f"{path.name}: the classifier {producer.name or producer.op_type} is not input x weights", hint="not a MiniFASNet-style model")
    classifier = numpy_helper.to_array(weights[kernels[0]]).astype(np.float64)
    if producer.op_type == "Gemm" and any(a.name == "transB" and a.i for a in producer.attribute):
        classifier = classifier.T
    graph.output.append(onnx.helper.make_empty_tensor_value_info(inputs[0]))
    return TappedGraph(model.SerializeToString(), inputs[0], classifier)
