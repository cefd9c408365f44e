"""Bad image files give a clear ImageError (or a correct result), never a crash."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.engine.images import header_size, load_image
from kiosk.errors import ImageError


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.fixture
def face_photo(faces_dir):
    return faces_dir / "deepface" / "img1.jpg"


def test_corrupt_jpeg_is_refused_or_decoded(tmp_path, face_photo):
    """A JPEG cut in half: OpenCV may decode what is there; either way no crash and 8-bit BGR out."""
    data = face_photo.read_bytes()
    truncated = _write(tmp_path / "half.jpg", data[: len(data) // 2])
    try:
        image = load_image(truncated)
    except ImageError as exc:
        assert "half.jpg" in str(exc)
    else:
        assert image.dtype == np.uint8 and image.ndim == 3


def test_garbage_bytes_are_refused(tmp_path):
    path = _write(tmp_path / "noise.jpg", b"\xff\xd8" + bytes(np.random.default_rng(0).integers(0, 255, 5000, dtype=np.uint8)))
    with pytest.raises(ImageError, match="noise.jpg"):
        load_image(path)


def test_empty_file(tmp_path):
    with pytest.raises(ImageError, match="empty file"):
        load_image(_write(tmp_path / "empty.jpg", b""))


def test_text_file_renamed_jpg(tmp_path):
    with pytest.raises(ImageError, match="not an image"):
        load_image(_write(tmp_path / "notes.jpg", b"this is not a picture\n"))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImageError, match="no such file"):
        load_image(tmp_path / "absent.png")
    with pytest.raises(ImageError, match="folder"):
        load_image(tmp_path)


def test_one_pixel_image(tmp_path):
    path = tmp_path / "dot.png"
    cv2.imwrite(str(path), np.zeros((1, 1, 3), np.uint8))
    with pytest.raises(ImageError, match="too small"):
        load_image(path)


@pytest.mark.slow
def test_huge_image_is_refused_without_decoding(tmp_path):
    """20000x20000 (400 MP) is at the limit: read from the header, refused or reduced, never 1.2 GB."""
    # A real PNG of 20000x20000 compresses to a few hundred KB when it is one colour.
    big = np.zeros((20000, 20000), np.uint8)
    path = tmp_path / "huge.png"
    ok, encoded = cv2.imencode(".png", big, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    assert ok
    path.write_bytes(encoded.tobytes())
    del big
    assert header_size(path.read_bytes()) == (20000, 20000)
    image = load_image(path)
    # Decoded at 1/8 size: 2500x2500.
    assert image.shape == (2500, 2500, 3)


def test_oversized_header_is_refused(tmp_path):
    path = tmp_path / "bomb.png"
    ok, encoded = cv2.imencode(".png", np.zeros((8, 8), np.uint8))
    data = bytearray(encoded.tobytes())
    data[16:20] = (30000).to_bytes(4, "big")
    data[20:24] = (30000).to_bytes(4, "big")
    path.write_bytes(bytes(data))
    with pytest.raises(ImageError, match="too large"):
        load_image(path)


@pytest.mark.parametrize("kind", ["gray", "rgba", "16bit"])
def test_pixel_formats_become_bgr(tmp_path, face_photo, kind, analyzer):
    """Grayscale, RGBA and 16-bit PNGs load as 8-bit BGR and the face is still found."""
    bgr = cv2.resize(load_image(face_photo), (600, 800))
    if kind == "gray":
        data = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    elif kind == "rgba":
        data = cv2.cvtColor(bgr, cv2.COLOR_BGR2BGRA)
    else:
        data = bgr.astype(np.uint16) * 257
    path = tmp_path / f"{kind}.png"
    cv2.imwrite(str(path), data)
    image = load_image(path)
    assert image.dtype == np.uint8 and image.shape == (800, 600, 3)
    if kind == "16bit":
        assert np.abs(image.astype(int) - bgr.astype(int)).max() <= 1
    assert len(analyzer.analyze(image)) == 1


def test_non_ascii_path(tmp_path, face_photo):
    target = tmp_path / "배우 (사진)" / "얼굴 1.jpg"
    target.parent.mkdir()
    target.write_bytes(face_photo.read_bytes())
    assert load_image(target).ndim == 3
