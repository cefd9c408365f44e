"""SCRFD decoding (``kiosk/engine/scrfd.py``): what it refuses and how it suppresses.

Detection on real photos with the real test pack is covered by test_analyzer.py; its
output was checked bit-identical to insightface 0.7.3 when this module replaced it.
"""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

from kiosk.engine.scrfd import Scrfd, nms
from kiosk.errors import ModelPackError


def _session_with_outputs(path, count: int) -> ort.InferenceSession:
    inp = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 32, 32])
    outs = [helper.make_tensor_value_info(f"y{i}", TensorProto.FLOAT, [1, 3, 32, 32]) for i in range(count)]
    nodes = [helper.make_node("Identity", ["x"], [f"y{i}"]) for i in range(count)]
    graph = helper.make_graph(nodes, "g", [inp], outs)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8), str(path))
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def test_a_detector_without_keypoints_is_refused_naming_the_file(tmp_path):
    session = _session_with_outputs(tmp_path / "det.onnx", 6)  # SCRFD without keypoints: 3 strides x (score, box)
    with pytest.raises(ModelPackError, match=r"det.onnx: detector has 6 outputs; only SCRFD with keypoints \(9 or 15\)"):
        Scrfd(session, "det.onnx", 127.5, 128.0, 0.5)


def test_nms_keeps_the_best_of_overlapping_boxes_and_every_separate_one():
    dets = np.array(
        [
            [10, 10, 50, 50, 0.9],
            [12, 12, 52, 52, 0.8],  # overlaps the first (IoU ~0.82): suppressed
            [100, 100, 140, 140, 0.7],  # elsewhere: kept
            [10, 10, 50, 30, 0.95],  # inside the first but IoU ~0.51 with it: suppresses it at 0.4
        ],
        np.float32,
    )
    assert nms(dets, 0.4) == [3, 2]
    assert nms(dets, 0.9) == [3, 0, 1, 2]  # nothing overlaps that much
