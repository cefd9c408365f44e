"""Image-quality measures of an aligned face and the grading of an observation.

Sharpness is measured on the aligned crop, so it describes the face and not the
background, and is comparable between large and small faces.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from kiosk.config import CaptureProfile
from kiosk.engine import types as r
from kiosk.engine.types import FaceObservation


def sharpness(aligned_bgr: np.ndarray) -> float:
    """Variance of the Laplacian over the inner face (eyes to mouth)."""
    gray = cv2.cvtColor(aligned_bgr, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    inner = gray[h // 4 : h - h // 8, w // 6 : w - w // 6]
    return float(cv2.Laplacian(inner, cv2.CV_64F).var())


def exposure(aligned_bgr: np.ndarray) -> float:
    """Mean luminance (0..255) of the inner face."""
    gray = cv2.cvtColor(aligned_bgr, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    return float(gray[h // 4 : h - h // 8, w // 6 : w - w // 6].mean())


def reasons_for(obs: FaceObservation, gates: CaptureProfile) -> list[str]:
    reasons: list[str] = []
    if obs.size < gates.min_face_px:
        reasons.append(r.TOO_SMALL)
    if obs.det_score < gates.min_det_score:
        reasons.append(r.LOW_SCORE)
    if obs.yaw > gates.max_yaw:
        reasons.append(r.TURNED_RIGHT)
    elif obs.yaw < -gates.max_yaw:
        reasons.append(r.TURNED_LEFT)
    if obs.pitch > gates.max_pitch:
        reasons.append(r.LOOKING_UP)
    elif obs.pitch < -gates.max_pitch:
        reasons.append(r.LOOKING_DOWN)
    if obs.exposure < gates.min_exposure:
        reasons.append(r.TOO_DARK)
    elif obs.exposure > gates.max_exposure:
        reasons.append(r.TOO_BRIGHT)
    if obs.sharpness < gates.min_sharpness:
        reasons.append(r.BLURRY)
    return reasons


def quality_score(obs: FaceObservation, gates: CaptureProfile) -> float:
    """A [0, 1] weight: each factor saturates at 1 once comfortably past its gate."""
    size = min(1.0, obs.size / (2.0 * gates.min_face_px))
    sharp = min(1.0, obs.sharpness / (2.0 * gates.min_sharpness)) if gates.min_sharpness > 0 else 1.0
    pose = max(0.0, 1.0 - (abs(obs.yaw) / 90.0) ** 2 - (abs(obs.pitch) / 90.0) ** 2)
    mid = (gates.min_exposure + gates.max_exposure) / 2.0
    half = max(1.0, (gates.max_exposure - gates.min_exposure) / 2.0)
    light = max(0.0, 1.0 - max(0.0, abs(obs.exposure - mid) - half / 2.0) / half)
    score = min(1.0, max(0.0, obs.det_score))
    return math.sqrt(size * sharp * pose * light * score)


def assess(obs: FaceObservation, gates: CaptureProfile) -> FaceObservation:
    """Grade ``obs`` against ``gates`` in place (reasons and quality) and return it."""
    obs.reasons = reasons_for(obs, gates)
    obs.quality = quality_score(obs, gates)
    return obs
