"""Passive liveness with Silent-Face MiniFASNet models, averaged over the pack's crops.

Each model sees the face box enlarged by its own scale (2.7, 4.0), as in Silent-Face's
``CropImage``, so the context around the face (screen bezels, paper edges) is visible.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.engine.pack import ModelPack, PackFile
from kiosk.engine.providers import LoadedSession, create_session


def scaled_crop_box(box: np.ndarray, frame_w: int, frame_h: int, scale: float) -> tuple[int, int, int, int]:
    """Silent-Face's enlarged box (x1, y1, x2, y2), shrunk to fit the frame when needed."""
    x1, y1, x2, y2 = [float(v) for v in box]
    box_w, box_h = max(1.0, x2 - x1), max(1.0, y2 - y1)
    scale = min((frame_h - 1) / box_h, (frame_w - 1) / box_w, scale)
    new_w, new_h = box_w * scale, box_h * scale
    cx, cy = x1 + box_w / 2, y1 + box_h / 2
    left, top = cx - new_w / 2, cy - new_h / 2
    right, bottom = cx + new_w / 2, cy + new_h / 2
    if left < 0:
        right, left = right - left, 0
    if top < 0:
        bottom, top = bottom - top, 0
    if right > frame_w - 1:
        left, right = left - (right - frame_w + 1), frame_w - 1
    if bottom > frame_h - 1:
        top, bottom = top - (bottom - frame_h + 1), frame_h - 1
    return int(max(0, left)), int(max(0, top)), int(right), int(bottom)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max()
    exp = np.exp(shifted)
    return exp / exp.sum()


class LivenessChecker:
    """Probability that a face is live (not a photo or a screen), in [0, 1]."""

    def __init__(self, pack: ModelPack, providers: list[str], threads: int) -> None:
        self.models: list[tuple[PackFile, LoadedSession]] = [
            (entry, create_session(pack.path(entry), providers, threads)) for entry in pack.liveness
        ]

    @property
    def available(self) -> bool:
        return bool(self.models)

    @property
    def providers(self) -> list[str]:
        return [loaded.provider for _, loaded in self.models]

    def score(self, frame: np.ndarray, box: np.ndarray) -> float:
        h, w = frame.shape[:2]
        scores = []
        for entry, loaded in self.models:
            size_h, size_w = entry.input_size or (80, 80)
            x1, y1, x2, y2 = scaled_crop_box(box, w, h, entry.crop_scale or 1.0)
            crop = frame[y1 : y2 + 1, x1 : x2 + 1]
            crop = cv2.resize(crop, (size_w, size_h))
            if entry.color == "RGB":
                crop = crop[:, :, ::-1]
            blob = ((crop.astype(np.float32) - entry.mean) / entry.std).transpose(2, 0, 1)[None]
            session = loaded.session
            logits = session.run(None, {session.get_inputs()[0].name: np.ascontiguousarray(blob)})[0][0]
            scores.append(float(_softmax(logits)[entry.live_index]))
        return float(np.mean(scores)) if scores else 1.0
