"""Annotated frames for ``kiosk capture --save-debug``: what the session saw and why it said no."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from kiosk.capture.types import FrameReport
from kiosk.errors import KioskError

ACCEPTED = (80, 220, 60)
REJECTED = (0, 170, 255)
OTHER = (160, 160, 160)
KEYPOINT_COLOURS = ((255, 0, 0), (0, 0, 255), (0, 255, 0), (255, 0, 255), (0, 255, 255))


def annotate(image: np.ndarray, report: FrameReport) -> np.ndarray:
    """A copy of ``image`` with every face box, the chosen face's keypoints and measurements, and the verdict."""
    canvas = image.copy()
    scale = max(0.8, min(canvas.shape[:2]) / 720)
    for obs in report.observations:
        chosen = obs is report.chosen
        colour = (ACCEPTED if report.accepted else REJECTED) if chosen else OTHER
        x1, y1, x2, y2 = (int(round(v)) for v in obs.box)
        cv2.rectangle(canvas, (x1, y1), (x2, y2), colour, 2 if chosen else 1)
        if not chosen:
            continue
        for (x, y), dot in zip(obs.keypoints, KEYPOINT_COLOURS):
            cv2.circle(canvas, (int(round(x)), int(round(y))), max(2, int(3 * scale)), dot, -1)
        live = "-" if obs.liveness is None else f"{obs.liveness:.2f}"
        lines = [
            f"yaw {obs.yaw:+.0f} pitch {obs.pitch:+.0f} roll {obs.roll:+.0f}",
            f"size {obs.size:.0f} det {obs.det_score:.2f} live {live}",
            f"sharp {obs.sharpness:.0f} exp {obs.exposure:.0f} q {obs.quality:.2f}",
        ]
        for i, line in enumerate(lines):
            _text(canvas, line, (x1, y2 + int((18 + 18 * i) * scale)), colour, scale)
    verdict = "ACCEPTED" if report.accepted else ("rejected: " + ", ".join(report.reasons) if report.reasons else "")
    _text(canvas, f"frame {report.index}  {verdict}", (8, int(24 * scale)), ACCEPTED if report.accepted else REJECTED, scale)
    if report.guidance_text:
        _text(canvas, report.guidance_text, (8, int(50 * scale)), (255, 255, 255), scale)
    return canvas


def _text(canvas: np.ndarray, text: str, origin: tuple[int, int], colour: tuple[int, int, int], scale: float) -> None:
    cv2.putText(canvas, text, origin, cv2.FONT_HERSHEY_SIMPLEX, 0.5 * scale, (0, 0, 0), max(2, int(4 * scale)), cv2.LINE_AA)
    cv2.putText(canvas, text, origin, cv2.FONT_HERSHEY_SIMPLEX, 0.5 * scale, colour, max(1, int(1.5 * scale)), cv2.LINE_AA)


def save_annotated(folder: Path, image: np.ndarray, report: FrameReport) -> Path:
    path = Path(folder) / f"frame_{report.index:05d}.jpg"
    if not cv2.imwrite(str(path), annotate(image, report)):
        raise KioskError(f"cannot write {path}", hint="is the folder writable?")
    return path
