"""Camera stand-ins cut from ../shared/video, shared by the worker tests with and without Qt."""

from __future__ import annotations

import cv2
import numpy as np

HAMILTON = "short_hamilton_clip.mp4"
# Frames 84-98 of the Hamilton clip: one man facing the camera (yaw +18..-2, face ~110 px,
# found by running the analyzer on every frame). Played forwards and backwards, they make
# a camera stand-in on which a login succeeds whenever it starts, however slow the machine.
FACING = list(range(84, 99)) + list(range(97, 85, -1))


def read_frames(video):
    """Every frame of ``video`` (BGR), in order."""
    cap = cv2.VideoCapture(str(video))
    frames = []
    while True:
        ok, image = cap.read()
        if not ok:
            break
        frames.append(image)
    cap.release()
    return frames


def write_clip(video, out, indices, fps=30.0, blank=False):
    """Those frames of ``video`` (or grey frames of its size) as an MJPG .avi, which every OpenCV build reads."""
    frames = read_frames(video)
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    for i in indices:
        writer.write(np.full_like(frames[0], 120) if blank else frames[i])
    writer.release()
    return out
