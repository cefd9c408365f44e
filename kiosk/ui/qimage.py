"""NumPy BGR frames to ``QImage`` for the preview."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def bgr_to_qimage(frame: np.ndarray) -> QImage:
    """A deep copy, so the image outlives the frame buffer the camera reuses.

    ``Format_BGR888`` takes OpenCV's byte order as is: no per-pixel conversion in Python.
    Grayscale frames become ``Format_Grayscale8``.
    """
    if frame.dtype != np.uint8:
        raise ValueError(f"expected a uint8 image, got {frame.dtype}")
    data = np.ascontiguousarray(frame)
    if data.ndim == 2:
        h, w = data.shape
        return QImage(data.data, w, h, data.strides[0], QImage.Format.Format_Grayscale8).copy()
    if data.ndim != 3 or data.shape[2] != 3:
        raise ValueError(f"expected an HxWx3 BGR image, got shape {data.shape}")
    h, w, _ = data.shape
    return QImage(data.data, w, h, data.strides[0], QImage.Format.Format_BGR888).copy()
