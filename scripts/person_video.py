"""Make a stand-in camera: a video of photos with small jitter in position and scale.

    python scripts/person_video.py OUT.avi PHOTO [PHOTO ...] [--frames 120] [--fps 15]

OpenCV opens a video file exactly as a camera, so the kiosk (``kiosk run --camera
OUT.avi``), the UI tests and the screenshot script use these to stand in for a
person at the kiosk. MJPG in .avi is written and read back by every OpenCV build,
unlike most mp4 codecs. Each photo sits in a dark frame, its edges on three or four
sides of the face: the enclosing-frame cue (``login.frame_cue``, on by default) rightly
refuses such a video as a photo, so turn it off to sign in with one
(``KIOSK_LOGIN_FRAME_CUE=0``), as the UI tests and the screenshot script do.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kiosk.engine.images import load_image  # noqa: E402


def make_person_video(
    photos: Sequence[Path], out: Path, *, frames: int = 120, size: tuple[int, int] = (640, 480), fps: float = 15.0, seed: int = 0
) -> Path:
    """Each photo in turn (equal shares of ``frames``), fitted into the frame and jittered by a few pixels."""
    rng = np.random.default_rng(seed)
    w, h = size
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    if not writer.isOpened():
        raise RuntimeError("OpenCV cannot write MJPG .avi here")
    images = [load_image(p) for p in photos]
    try:
        for i in range(frames):
            img = images[(i * len(images)) // frames]
            scale = min(w / img.shape[1], h / img.shape[0]) * rng.uniform(0.96, 1.0)
            dx = (w - img.shape[1] * scale) / 2 + rng.uniform(-4, 4)
            dy = (h - img.shape[0] * scale) / 2 + rng.uniform(-4, 4)
            m = np.float32([[scale, 0, dx], [0, scale, dy]])
            writer.write(cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_AREA, borderValue=(40, 40, 40)))
    finally:
        writer.release()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("photos", type=Path, nargs="+")
    parser.add_argument("--frames", type=int, default=120)
    parser.add_argument("--fps", type=float, default=15.0)
    args = parser.parse_args(argv)
    print(make_person_video(args.photos, args.out, frames=args.frames, fps=args.fps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
