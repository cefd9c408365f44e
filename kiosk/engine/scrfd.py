"""SCRFD decoding: letterbox a frame, run the network, turn its outputs into faces.

This is InsightFace's ``model_zoo/scrfd.py`` (MIT) reduced to what the kiosk runs: the
keypoint models (9 outputs: 3 strides x 2 anchors, or 15: 5 strides x 1 anchor), NMS at
0.4, one image per call. It replaces the ``insightface`` dependency: 0.7.3 is an sdist
with a Cython extension (Windows needed the MSVC build tools), 2.1 loads its whole app
from the package ``__init__`` and its ``scrfd.py`` can no longer be loaded by path, and
both pulled ``onnx`` (about 190 ms) onto the detection import path. The arithmetic below
matches InsightFace's step for step (the same boxes, scores and keypoints on the shared
photos, checked against 0.7.3 when this replaced it; see docs/architecture.md).
"""

from __future__ import annotations

import cv2
import numpy as np
import onnxruntime as ort

from kiosk.errors import ModelPackError

NMS_THRESHOLD = 0.4
_LAYOUTS = {9: ((8, 16, 32), 2), 15: ((8, 16, 32, 64, 128), 1)}  # outputs -> (strides, anchors per cell)


class Scrfd:
    """One SCRFD network on a session the caller made (provider choice stays the caller's)."""

    def __init__(self, session: ort.InferenceSession, name: str, mean: float, std: float, threshold: float) -> None:
        outputs = session.get_outputs()
        if len(outputs) not in _LAYOUTS:
            raise ModelPackError(
                f"{name}: detector has {len(outputs)} outputs; only SCRFD with keypoints (9 or 15) is supported"
            )
        self.session = session
        self.input_name = session.get_inputs()[0].name
        self.output_names = [o.name for o in outputs]
        self.batched = len(outputs[0].shape) == 3
        self.strides, self.anchors = _LAYOUTS[len(outputs)]
        self.mean, self.std, self.threshold = mean, std, threshold
        self._centers: dict[tuple[int, int, int], np.ndarray] = {}

    def _anchor_centers(self, height: int, width: int, stride: int) -> np.ndarray:
        key = (height, width, stride)
        if key not in self._centers:
            centers = np.stack(tuple(np.mgrid[:height, :width][::-1]), axis=-1).astype(np.float32)
            centers = (centers * stride).reshape((-1, 2))
            if self.anchors > 1:
                centers = np.stack([centers] * self.anchors, axis=1).reshape((-1, 2))
            self._centers[key] = centers
        return self._centers[key]

    def _forward(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Scores, boxes and keypoints above the threshold, in network-input pixels."""
        size = (image.shape[1], image.shape[0])
        mean = (self.mean, self.mean, self.mean)
        blob = cv2.dnn.blobFromImage(image, 1.0 / self.std, size, mean, swapRB=True)
        outs = self.session.run(self.output_names, {self.input_name: blob})
        levels = len(self.strides)
        scores_all, boxes_all, kps_all = [], [], []
        for idx, stride in enumerate(self.strides):
            scores, box_d, kps_d = (outs[idx + levels * k] for k in range(3))
            if self.batched:
                scores, box_d, kps_d = scores[0], box_d[0], kps_d[0]
            centers = self._anchor_centers(blob.shape[2] // stride, blob.shape[3] // stride, stride)
            keep = np.where(scores >= self.threshold)[0]
            box_d, kps_d = box_d * stride, kps_d * stride
            boxes = np.stack(
                [centers[:, 0] - box_d[:, 0], centers[:, 1] - box_d[:, 1],
                 centers[:, 0] + box_d[:, 2], centers[:, 1] + box_d[:, 3]],
                axis=-1,
            )  # fmt: skip
            kps = (np.tile(centers, 5) + kps_d).reshape((-1, 5, 2))
            scores_all.append(scores[keep])
            boxes_all.append(boxes[keep])
            kps_all.append(kps[keep])
        return np.vstack(scores_all), np.vstack(boxes_all), np.vstack(kps_all)

    def detect(self, frame: np.ndarray, input_size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """``(dets Nx5 [x1 y1 x2 y2 score], keypoints Nx5x2)`` in frame pixels, best first."""
        width, height = input_size
        if frame.shape[0] / frame.shape[1] > height / width:
            new_h, new_w = height, int(height / (frame.shape[0] / frame.shape[1]))
        else:
            new_w, new_h = width, int(width * (frame.shape[0] / frame.shape[1]))
        scale = new_h / frame.shape[0]
        canvas = np.zeros((height, width, 3), dtype=np.uint8)
        canvas[:new_h, :new_w] = cv2.resize(frame, (new_w, new_h))
        scores, boxes, kps = self._forward(canvas)
        order = scores.ravel().argsort()[::-1]
        dets = np.hstack((boxes / scale, scores)).astype(np.float32, copy=False)[order]
        keep = nms(dets, NMS_THRESHOLD)
        return dets[keep], (kps / scale)[order][keep]


def nms(dets: np.ndarray, threshold: float) -> list[int]:
    """Greedy non-maximum suppression over score-sorted ``dets``; InsightFace's +1 pixel areas."""
    x1, y1, x2, y2, scores = (dets[:, i] for i in range(5))
    areas = (x2 - x1 + 1) * (y2 - y1 + 1)
    order = scores.argsort()[::-1]
    keep = []
    while order.size > 0:
        i = order[0]
        keep.append(int(i))
        w = np.maximum(0.0, np.minimum(x2[i], x2[order[1:]]) - np.maximum(x1[i], x1[order[1:]]) + 1)
        h = np.maximum(0.0, np.minimum(y2[i], y2[order[1:]]) - np.maximum(y1[i], y1[order[1:]]) + 1)
        inter = w * h
        overlap = inter / (areas[i] + areas[order[1:]] - inter)
        order = order[np.where(overlap <= threshold)[0] + 1]
    return keep
