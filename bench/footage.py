"""Real head turns in ../shared/video, and following faces through them (bench and tests share this).

``REAL_TURNS`` are the two segments the tests replay (chosen by hand, quick). The bench
enlarges the sample: ``face_tracks`` follows every face of a video by its box and
``turn_segments`` cuts each track into stretches where the detector's yaw, against the
stretch's first frame (which passes the login yaw gate, as a challenge's reference does),
reaches ``min_yaw`` both ways for ``hold`` frames each; over the three videos that gives
15 real turns (docs/capture.md, "Real head turns").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kiosk.capture.sources import VideoSource
from kiosk.errors import SourceEndedError

# (video, first frame, last frame, the order the person turns: the person's own left first or right first)
REAL_TURNS = [
    ("short_hamilton_clip.mp4", 99, 170, ("right", "left")),
    ("friends_in_video.mp4", 116, 250, ("left", "right")),
]
VIDEOS = ("short_hamilton_clip.mp4", "friends_in_video.mp4", "friends_2.mp4")


def tracked_faces(
    analyzer, video: Path, start: int, stop: int, step: int = 2, live: bool = False, near: tuple[float, float] | None = None
) -> list:
    """The face nearest the previous one on every ``step``-th frame from ``start`` (2: a 60 ms analysis interval).

    ``live``: also score each face's passive liveness, as a strict session does on the challenge's frames.
    ``near``: the (x, y) pixel the first face is nearest to (default: the largest face), for footage
    where the person turning is not the largest face.
    """
    previous, faces = None, []
    with VideoSource(video) as source:
        for index in range(stop):
            frame = source.read()
            if index < start or (index - start) % step:
                continue
            found = analyzer.analyze(frame.image)
            if not found:
                continue
            if previous is not None or near is not None:
                centre = np.asarray(near, np.float32) if previous is None else (previous.box[:2] + previous.box[2:]) / 2
                found.sort(key=lambda o: np.linalg.norm((o.box[:2] + o.box[2:]) / 2 - centre))
            previous = found[0]
            if live:
                analyzer.liveness(frame.image, previous)
            faces.append(previous)
    return faces


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - w * h
    return float(w * h / union) if union > 0 else 0.0


def face_tracks(analyzer, video: Path, step: int = 2, min_px: float = 60, min_len: int = 10) -> list[list[tuple[int, object]]]:
    """Every face of at least ``min_px`` on every ``step``-th frame, chained into tracks by box overlap.

    A track is ``[(frame index, FaceObservation with liveness scored), ...]``; a face joins the
    track it overlaps most (IoU > 0.3, seen in the last 3 analyzed frames), else starts one.
    """
    tracks: list[list[tuple[int, object]]] = []
    with VideoSource(video) as source:
        index = -1
        while True:
            try:
                frame = source.read()
            except SourceEndedError:
                break
            index += 1
            if index % step:
                continue
            taken: set[int] = set()
            for face in analyzer.analyze(frame.image):
                if face.size < min_px:
                    continue
                analyzer.liveness(frame.image, face)
                candidates = [
                    (overlap, i)
                    for i, t in enumerate(tracks)
                    if i not in taken and index - t[-1][0] <= 3 * step and (overlap := _iou(t[-1][1].box, face.box)) > 0.3
                ]
                if candidates:
                    i = max(candidates)[1]
                    tracks[i].append((index, face))
                else:
                    i = len(tracks)
                    tracks.append([(index, face)])
                taken.add(i)
    return [t for t in tracks if len(t) >= min_len]


def turn_segments(
    track: list, min_yaw: float = 15.0, hold: int = 2, max_yaw: float = 25.0, longest: int = 130, extra: int = 12
) -> list[tuple[list, tuple[str, str]]]:
    """Non-overlapping real turns in one track: (faces from the reference on, the order turned).

    A segment starts at a face within ``max_yaw`` (the login gate a challenge's reference passed),
    ends once the yaw against it has reached ``min_yaw`` both ways for ``hold`` faces each, and
    keeps ``extra`` faces after that (someone asked to turn goes on turning for a moment).
    A gap of more than two analyzed frames ends a candidate (the face was lost).
    """
    segments, start = [], 0
    while start < len(track):
        index0, reference = track[start]
        reached: dict[int, int] = {}
        streak = {1: 0, -1: 0}
        end = None
        if abs(reference.yaw) <= max_yaw:
            for j in range(start + 1, min(len(track), start + longest)):
                if track[j][0] - track[j - 1][0] > 4:
                    break
                dyaw = track[j][1].yaw - reference.yaw
                for side in (1, -1):
                    streak[side] = streak[side] + 1 if dyaw * side >= min_yaw else 0
                    if streak[side] >= hold:
                        reached.setdefault(side, j)
                if len(reached) == 2:
                    end = j
                    break
        if end is None:
            start += 1
            continue
        order = ("left", "right") if reached[1] < reached[-1] else ("right", "left")
        segments.append(([face for _, face in track[start : end + 1 + extra]], order))
        start = end + 1
    return segments
