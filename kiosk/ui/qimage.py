"""NumPy BGR frames to ``QImage`` for the preview."""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtGui import QImage


def bgr_to_qimage(frame: np.ndarray) -> QImage:
    """A deep copy in ``Format_RGB32``, so the image outlives the frame buffer the camera reuses.

    ``Format_RGB32`` is what Qt's raster painter draws without converting: a 640x360
    ``Format_BGR888`` image cost 1.97 ms per smooth-scaled paint against 0.74 ms for
    RGB32 (issue 15, 0.04 of a core at 30 fps), while OpenCV's BGR -> BGRA (the same
    bytes as RGB32 on a little-endian machine) costs 0.08 ms here, copy included.
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
    bgra = cv2.cvtColor(data, cv2.COLOR_BGR2BGRA)
    return QImage(bgra.data, w, h, bgra.strides[0], QImage.Format.Format_RGB32).copy()
