"""Five-point similarity alignment to the ArcFace template (same as InsightFace's ``norm_crop``).

Implemented with NumPy (Umeyama) rather than through ``insightface.utils``, whose import
pulls scikit-image into the process and the bundle.
"""

from __future__ import annotations

import cv2
import numpy as np

# ArcFace reference landmarks for a 112x112 crop: eyes, nose, mouth corners.
ARCFACE_112 = np.array(
    [
        [38.2946, 51.6963],
        [73.5318, 51.5014],
        [56.0252, 71.7366],
        [41.5493, 92.3655],
        [70.7299, 92.2041],
    ],
    dtype=np.float32,
)


def similarity_transform(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """2x3 similarity (rotation, uniform scale, translation) mapping src onto dst, least squares."""
    src = src.astype(np.float64)
    dst = dst.astype(np.float64)
    n = src.shape[0]
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    src_c, dst_c = src - src_mean, dst - dst_mean
    cov = dst_c.T @ src_c / n
    u, s, vt = np.linalg.svd(cov)
    d = np.ones(2)
    if np.linalg.det(cov) < 0:
        d[1] = -1
    rotation = u @ np.diag(d) @ vt
    var_src = (src_c**2).sum() / n
    scale = (s * d).sum() / var_src if var_src > 0 else 1.0
    matrix = np.zeros((2, 3))
    matrix[:, :2] = scale * rotation
    matrix[:, 2] = dst_mean - scale * rotation @ src_mean
    return matrix


def align_face(frame: np.ndarray, keypoints: np.ndarray, size: int = 112) -> np.ndarray:
    """The face warped to the ArcFace template at ``size`` x ``size`` pixels."""
    template = ARCFACE_112 * (size / 112.0)
    matrix = similarity_transform(np.asarray(keypoints, dtype=np.float32), template)
    return cv2.warpAffine(frame, matrix, (size, size), borderValue=0.0)
