"""Reading images safely: every bad file becomes an ``ImageError`` that says what is wrong.

Decoding goes through bytes (``np.fromfile`` + ``cv2.imdecode``) so non-ASCII paths work on
Windows, where ``cv2.imread`` fails on them. The pixel count is read from the header
before decoding, so a 20000x20000 picture is decoded at reduced size instead of
allocating over a gigabyte.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from kiosk.errors import ImageError

# The one list of photo file types every folder reader and file dialog uses.
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif", ".tif", ".tiff", ".jp2", ".pgm", ".ppm"})
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_PIXELS = 400_000_000  # beyond this the file is refused outright
TARGET_PIXELS = 16_000_000  # larger images are decoded at 1/2, 1/4 or 1/8 size
# OpenCV prints "[ERROR] can't read header" for every bad file on top of our one clear line.
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)

_REDUCED = ((2, cv2.IMREAD_REDUCED_COLOR_2), (4, cv2.IMREAD_REDUCED_COLOR_4), (8, cv2.IMREAD_REDUCED_COLOR_8))


def load_image(path: str | Path) -> np.ndarray:
    """An HxWx3 uint8 BGR image, EXIF orientation applied, or a clear ``ImageError``."""
    path = Path(path)
    if not path.exists():
        raise ImageError(f"{path}: no such file")
    if path.is_dir():
        raise ImageError(f"{path}: is a folder, not an image")
    try:
        size = path.stat().st_size
        if size == 0:
            raise ImageError(f"{path}: empty file")
        if size > MAX_FILE_BYTES:
            raise ImageError(f"{path}: file too large ({size // (1024 * 1024)} MB, limit {MAX_FILE_BYTES // (1024 * 1024)} MB)")
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as exc:
        raise ImageError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_image(data.tobytes(), name=str(path))


def decode_image(data: bytes, name: str = "image") -> np.ndarray:
    """Decode encoded image bytes (JPEG, PNG, BMP, WebP, TIFF...) to 8-bit BGR."""
    if not data:
        raise ImageError(f"{name}: empty file")
    buffer = np.frombuffer(data, dtype=np.uint8)
    dims = header_size(data)
    flag = cv2.IMREAD_COLOR
    if dims is not None:
        width, height = dims
        pixels = width * height
        if pixels > MAX_PIXELS:
            raise ImageError(f"{name}: image too large ({width}x{height}, limit {MAX_PIXELS // 1_000_000} megapixels)")
        for factor, reduced in _REDUCED:
            if pixels / (factor * factor) <= TARGET_PIXELS or factor == 8:
                if pixels > TARGET_PIXELS:
                    flag = reduced
                break
    try:
        image = cv2.imdecode(buffer, flag)
    except cv2.error as exc:
        raise ImageError(f"{name}: cannot decode ({str(exc).strip().splitlines()[-1]})") from None
    if image is None:
        raise ImageError(f"{name}: not an image, or a format that cannot be read")
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ImageError(f"{name}: unsupported pixel format {image.dtype} {image.shape}")
    if min(image.shape[:2]) < 8:
        raise ImageError(f"{name}: image too small ({image.shape[1]}x{image.shape[0]} pixels)")
    return image


def header_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG or JPEG header without decoding pixels; None if unknown."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            length = int.from_bytes(data[i + 2 : i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                return int.from_bytes(data[i + 7 : i + 9], "big"), int.from_bytes(data[i + 5 : i + 7], "big")
            i += 2 + length
    return None


def as_bgr(frame: np.ndarray) -> np.ndarray:
    """Accept grayscale, BGRA or 16-bit frames from any source and return 8-bit BGR."""
    if not isinstance(frame, np.ndarray) or frame.ndim not in (2, 3) or frame.size == 0:
        raise ImageError("frame is not an image array")
    if frame.dtype == np.uint16:
        frame = (frame >> 8).astype(np.uint8)
    elif frame.dtype != np.uint8:
        raise ImageError(f"unsupported frame type {frame.dtype}")
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    if frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    if frame.shape[2] == 1:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    return frame
