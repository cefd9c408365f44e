"""The pictures of an enrollment: which face crop is kept, and which pictures were used or not, and why.

Every photo or capture frame that reached the embedder already has its 112 px aligned
crop (``FaceObservation.aligned``, the recognizer's own input), so the review step can
show each one at no extra model cost. The crop kept with the person is that of the
best-quality observation that went into the template; it is stored as a JPEG (quality
90: 5.5 to 6.6 KB on four deepface photos, a PNG 27 to 32 KB) and sealed by the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.engine.images import decode_image
from kiosk.engine.types import MULTIPLE_FACES, NO_FACE, OUTLIER, UNREADABLE, AggregatedTemplate, FaceObservation, Rejection
from kiosk.errors import FaceNotFoundError, MultipleFacesError
from kiosk.gallery.thumbnails import encode_jpeg

CROP_PX = 112
JPEG_QUALITY = 90
# A capture rejects dozens of frames; the review shows one example of each reason, at most this many.
MAX_REJECTED_SHOWN = 6


@dataclass(frozen=True)
class Picture:
    """One photo or capture frame of an enrollment, as the review step shows it.

    ``reason`` is empty when used, else a ``Rejection`` (outlier, no face, multiple faces,
    unreadable, or a capture gate's reason); its words are ``kiosk.flows.reasons``'.
    ``crop`` is None when no face could be cut out (no face, unreadable file).
    """

    source: str  # a photo's file name; "" for a capture frame
    used: bool
    reason: str = ""
    crop: np.ndarray | None = None
    similarity: float | None = None  # cosine to the template, for used pictures and outliers


def encode_crop(crop: np.ndarray) -> bytes:
    """A 112 px face crop as JPEG bytes (what the store seals)."""
    image = np.ascontiguousarray(crop, dtype=np.uint8)
    if image.shape[:2] != (CROP_PX, CROP_PX):
        image = cv2.resize(image, (CROP_PX, CROP_PX), interpolation=cv2.INTER_AREA)
    return encode_jpeg(image, JPEG_QUALITY)


def decode_crop(data: bytes) -> np.ndarray:
    return decode_image(data, name="face crop")


def encode_png(image: np.ndarray) -> bytes:
    """For ``kiosk users face --out FILE.png`` (the store keeps JPEG)."""
    return cv2.imencode(".png", image)[1].tobytes()


def reason_of(exc: BaseException) -> Rejection:
    """The review reason for a photo that could not be used."""
    if isinstance(exc, MultipleFacesError):
        return MULTIPLE_FACES
    if isinstance(exc, FaceNotFoundError):
        return NO_FACE
    return UNREADABLE  # ImageError: the file could not be read or decoded


def outlier_flags(observations: Sequence[FaceObservation], template: AggregatedTemplate) -> tuple[list[bool], list[float]]:
    """Which observations the template left out, and each one's cosine to it.

    ``aggregate`` counts its outliers but does not name them; they are the ones least
    like the template (it dropped them by their cosine to a provisional mean), so the
    ``template.outliers`` lowest cosines are marked.
    """
    cosines = [float(o.embedding @ template.vector) if o.embedding is not None else -1.0 for o in observations]
    flags = [False] * len(observations)
    for i in sorted(range(len(cosines)), key=cosines.__getitem__)[: template.outliers]:
        flags[i] = True
    return flags, cosines


def review(observations: Sequence[FaceObservation], sources: Sequence[str], template: AggregatedTemplate) -> tuple[list[Picture], np.ndarray | None]:
    """The used and outlier pictures of a template, and the crop to keep (best quality among the used)."""
    flags, cosines = outlier_flags(observations, template)
    pictures = [
        Picture(source, used=not outlier, reason=OUTLIER if outlier else "", crop=obs.aligned, similarity=cosine)
        for obs, source, outlier, cosine in zip(observations, sources, flags, cosines)
    ]
    used = [(obs.quality, cosine, i) for i, (obs, outlier, cosine) in enumerate(zip(observations, flags, cosines)) if not outlier and obs.aligned is not None]
    best = observations[max(used)[2]].aligned if used else None
    return pictures, best
