"""Face-centred square thumbnails, encoded in memory (``cv2.imwrite`` fails on non-ASCII Windows paths)."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from kiosk.errors import ImageError

CONTEXT = 1.8  # crop side as a multiple of the face box's longer side: hair and chin included


def face_thumbnail(image: np.ndarray, box: Sequence[float], size: int = 256) -> np.ndarray:
    """A ``size`` x ``size`` crop centred on the face; parts outside the photo are padded grey."""
    x1, y1, x2, y2 = (float(v) for v in box)
    side = max(x2 - x1, y2 - y1) * CONTEXT
    if side < 2:
        raise ImageError("face box too small for a thumbnail")
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    left, top = int(round(cx - side / 2)), int(round(cy - side / 2))
    n = int(round(side))
    h, w = image.shape[:2]
    pad = max(0, -left, -top, left + n - w, top + n - h)
    if pad:
        image = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(128, 128, 128))
    crop = image[top + pad : top + pad + n, left + pad : left + pad + n]
    interpolation = cv2.INTER_AREA if n > size else cv2.INTER_CUBIC
    return cv2.resize(crop, (size, size), interpolation=interpolation)


def encode_jpeg(image: np.ndarray, quality: int = 90) -> bytes:
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ImageError("cannot encode thumbnail as JPEG")
    return buffer.tobytes()
