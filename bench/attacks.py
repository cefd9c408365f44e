"""Synthetic presentation attacks made from ../shared photos: test material only, never shipped or committed.

A photo is drawn as a flat or bent sheet (a print) or inside a phone (black bezel,
glare, a screen's moiré, fingers on the edge) held at arm's length in front of a
still background, and moved, rotated and tilted as a hand does (``SWEEP``). The
camera is a pinhole; the sheet is cut into vertical strips so a bent one is drawn
strip by strip, each strip a plane.
"""

from __future__ import annotations

import cv2
import numpy as np

SIZE = (640, 480)
# (yaw, pitch, roll) per frame: a photo turned on its vertical axis to both sides, with the tilt and wobble of a hand.
SWEEP = (
    [(y, 5, 0) for y in (0, -15, -30, -45, -55)]
    + [(y, 0, -5) for y in (-40, -20, 0, 20, 40, 55)]
    + [(y, -10, 5) for y in (45, 30, 15, 0)]
    + [(-30, -30, 15), (-30, -25, 10), (30, 30, 0), (30, 25, 5), (0, 0, 0)]
)
# A still photo moved without turning: across, nearer, further, with a little roll.
MOVES = [(dx, dy, s, r) for dx, dy, s, r in ((0, 0, 1.0, 0), (-60, 0, 1.0, 0), (60, 10, 1.0, 3), (0, -20, 1.2, -3), (30, 20, 0.85, 0), (0, 0, 1.0, 8), (-40, 0, 1.1, -8), (0, 0, 1.0, 0))]
STRIPS = 24


def _rotation(yaw: float, pitch: float, roll: float) -> np.ndarray:
    a, b, c = np.radians([pitch, yaw, roll])
    rx = np.array([[1, 0, 0], [0, np.cos(a), -np.sin(a)], [0, np.sin(a), np.cos(a)]])
    ry = np.array([[np.cos(b), 0, np.sin(b)], [0, 1, 0], [-np.sin(b), 0, np.cos(b)]])
    rz = np.array([[np.cos(c), -np.sin(c), 0], [np.sin(c), np.cos(c), 0], [0, 0, 1]])
    return rz @ ry @ rx


def held_sheet(
    sheet: np.ndarray,
    background: np.ndarray,
    yaw: float = 0.0,
    pitch: float = 0.0,
    roll: float = 0.0,
    *,
    bend: float = 0.0,
    shift: tuple[float, float] = (0.0, 0.0),
    scale: float = 1.0,
    size: tuple[int, int] = SIZE,
) -> np.ndarray:
    """``sheet`` seen by the camera in front of ``background``, rotated by (yaw, pitch, roll) degrees.

    ``bend`` is the sagitta of a sheet bent around its vertical axis, as a fraction of its
    width (+: the middle towards the camera, as a print held by its edges bows).
    """
    h, w = sheet.shape[:2]
    k = min(size[0] * 0.6 / w, size[1] * 0.8 / h) * scale
    focal = 1.2 * size[0]
    out = cv2.resize(background, size)
    rot = _rotation(yaw, pitch, roll)
    edges = np.linspace(0, w, STRIPS + 1)
    half = w / 2

    def depth(x: np.ndarray) -> np.ndarray:
        u = (x - half) / half  # -1..1 across the sheet
        return -bend * w * (1 - u**2)  # negative z: towards the camera

    for left, right in zip(edges[:-1], edges[1:]):
        right = min(float(w), right + 1.0)  # one column of overlap: no seam between strips
        xs = np.array([left, right, right, left])
        ys = np.array([0, 0, h, h], float)
        pts = np.stack([xs - half, ys - h / 2, depth(xs)], 1) * k
        p = pts @ rot.T + [0, 0, focal]
        dst = (p[:, :2] / p[:, 2:] * focal + np.array(size) / 2 + shift).astype(np.float32)
        x0, x1 = int(np.floor(left)), min(w, int(np.ceil(right)) + 1)
        strip = sheet[:, x0:x1]
        src = np.array([[left - x0, 0], [right - x0, 0], [right - x0, h], [left - x0, h]], np.float32)
        m = cv2.getPerspectiveTransform(src, dst)
        warped = cv2.warpPerspective(strip, m, size, borderMode=cv2.BORDER_REPLICATE)  # no black at strip edges
        inside = cv2.warpPerspective(np.full(strip.shape[:2], 255, np.uint8), m, size) >= 128
        out[inside] = warped[inside]
    return out


def print_sheet(photo: np.ndarray) -> np.ndarray:
    """The photo as a print: a white paper margin, colours a little flatter than the original."""
    flat = cv2.addWeighted(photo, 0.85, np.full_like(photo, 235), 0.15, 0)
    margin = max(8, photo.shape[1] // 12)
    return cv2.copyMakeBorder(flat, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=(245, 245, 245))


def phone_sheet(photo: np.ndarray, seed: int = 0) -> np.ndarray:
    """The photo on a phone: black bezel, a diagonal glare, a faint moiré, two fingers over the edge."""
    rng = np.random.default_rng(seed)
    h, w = photo.shape[:2]
    screen = photo.astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    period = rng.uniform(3.0, 6.0)
    screen *= 1.0 + 0.05 * np.sin(2 * np.pi * (xx * 0.9 + yy * 0.4) / period)[..., None]
    glare = np.clip(1.0 - np.abs((xx / w + yy / h) - rng.uniform(0.6, 1.2)) * 4.0, 0, 1) * 90
    screen = np.clip(screen + glare[..., None], 0, 255).astype(np.uint8)
    bezel = max(10, w // 14)
    phone = cv2.copyMakeBorder(screen, bezel * 2, bezel * 2, bezel, bezel, cv2.BORDER_CONSTANT, value=(18, 18, 18))
    ph, pw = phone.shape[:2]
    for cy in (int(ph * 0.55), int(ph * 0.7)):  # fingers around the right edge
        cv2.ellipse(phone, (pw - bezel // 3, cy), (bezel * 2, bezel), 0, 0, 360, (120, 150, 200), -1)
    return phone
