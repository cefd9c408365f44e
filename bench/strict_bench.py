"""Presentation-attack figures on synthetic still attacks presented as video, and real head turns (issue 12).

    python -m bench strict [--photos N] [--liveness-pack PACK]

For each of the first N deepface portraits, five presentations of the same still photo,
each a sequence of frames (8 facing the camera, then a hand's movement; bench/attacks.py):
a print moved without turning (``moved``), a print rotated and tilted (``tilted``), a print
bent around its vertical axis, bowed towards and away from the camera, rotated and tilted
(``bent``), a phone with bezel, glare, moiré and fingers, rotated and tilted (``phone``).

* strict: the head-turn challenge (both side orders) on every analyzed face of the sequence;
  an attack counts as accepted when either order passes;
* standard: the passive check on the facing frame of each print/phone (APCER at the
  pack's threshold), for the test pack and, with --liveness-pack, a stronger pack;
* BPCER of strict on the real head turns of ../shared/video (the segments the tests use).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from bench.attacks import MOVES, SWEEP, held_sheet, phone_sheet, print_sheet
from kiosk.capture.challenge import LEFT, RIGHT, HeadTurnChallenge
from kiosk.capture.sources import VideoSource
from kiosk.config import load_settings
from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.images import load_image
from kiosk.engine.pack import resolve_pack

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KIOSK_SHARED", REPO.parent / "shared"))
MODELS = Path(os.environ.get("KIOSK_MODELS", SHARED / "models" / "test-pack"))
# The real head turns of tests/capture/test_challenge.py: (video, first frame, last frame, order done).
REAL_TURNS = [("short_hamilton_clip.mp4", 99, 170, (RIGHT, LEFT)), ("friends_in_video.mp4", 116, 250, (LEFT, RIGHT))]
FACING = 8


def background() -> np.ndarray:
    """A still room-like backdrop with edges (a shelf, a door frame) and sensor noise, no face."""
    rng = np.random.default_rng(7)
    h, w = 480, 640
    img = np.tile(np.linspace(150, 95, w, dtype=np.float32), (h, 1))[..., None].repeat(3, 2) * [1.0, 0.97, 0.9]
    cv2.rectangle(img, (40, 60), (170, 470), (70, 80, 95), 6)
    cv2.line(img, (420, 140), (640, 140), (60, 60, 60), 5)
    img += rng.normal(0, 3, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def sequences(photo: np.ndarray, back: np.ndarray, seed: int) -> dict[str, list[np.ndarray]]:
    printed, phone = print_sheet(photo), phone_sheet(photo, seed)
    facing = [held_sheet(printed, back)] * FACING
    return {
        "moved": facing + [held_sheet(printed, back, 0, 0, r, shift=(dx, dy), scale=s) for dx, dy, s, r in MOVES],
        "tilted": facing + [held_sheet(printed, back, *pose) for pose in SWEEP],
        "bent": facing
        + [held_sheet(printed, back, *pose, bend=0.12) for pose in SWEEP]
        + [held_sheet(printed, back, *pose, bend=-0.12) for pose in SWEEP],
        "bent strongly": facing
        + [held_sheet(printed, back, *pose, bend=0.25) for pose in SWEEP]
        + [held_sheet(printed, back, *pose, bend=-0.25) for pose in SWEEP],
        "phone": [held_sheet(phone, back)] * FACING + [held_sheet(phone, back, *pose) for pose in SWEEP],
    }


def challenge_passes(faces: list, profile) -> bool:
    """Either side order completes on these faces (a hand can try both)."""
    for order in ((LEFT, RIGHT), (RIGHT, LEFT)):
        challenge = HeadTurnChallenge(min_yaw=profile.challenge_yaw, min_parallax=profile.challenge_parallax, order=order)
        for face in faces:
            challenge.update(face)
        if challenge.passed:
            return True
    return False


def real_turn_faces(analyzer: FaceAnalyzer, video: Path, start: int, stop: int) -> list:
    """The face nearest the previous one on every other frame (a 60 ms analysis interval)."""
    faces, previous = [], None
    with VideoSource(video) as source:
        for index in range(stop):
            frame = source.read()
            if index < start or (index - start) % 2:
                continue
            found = analyzer.analyze(frame.image)
            if not found:
                continue
            if previous is not None:
                centre = (previous.box[:2] + previous.box[2:]) / 2
                found.sort(key=lambda o: np.linalg.norm((o.box[:2] + o.box[2:]) / 2 - centre))
            previous = found[0]
            faces.append(previous)
    return faces


def _analyzer(folder: Path, tmp: str) -> FaceAnalyzer:
    settings = load_settings(data_dir=Path(tmp), environ={}, overrides={"models": str(folder), "runtime.providers": "CPUExecutionProvider"})
    return FaceAnalyzer.from_settings(resolve_pack(settings), settings)


def main(argv: list[str]) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench strict")
    parser.add_argument("--photos", type=int, default=8, help="deepface portraits to attack with (default 8)")
    parser.add_argument("--liveness-pack", type=Path, help="also score the passive check of this pack")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    names = sorted((p for p in (SHARED / "faces" / "deepface").glob("img*.jpg") if p.stem[3:].isdigit()), key=lambda p: int(p.stem[3:]))[: args.photos]
    back = background()
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        analyzer = _analyzer(MODELS, tmp)
        stronger = _analyzer(args.liveness_pack, tmp) if args.liveness_pack else None
        profile = load_settings(data_dir=Path(tmp), environ={}).login
        accepted: dict[str, list[bool]] = {}
        passive: dict[str, dict[str, list[float]]] = {}
        for seed, path in enumerate(names):
            photo = load_image(path)
            for kind, frames in sequences(photo, back, seed).items():
                faces = [found[0] for found in (analyzer.analyze(f) for f in frames) if found]
                accepted.setdefault(kind, []).append(challenge_passes(faces, profile))
                found = analyzer.analyze(frames[0]) if kind in ("tilted", "phone") else []
                for name, a in (("test pack", analyzer), ("stronger", stronger)):
                    if a is not None and found:  # the facing frame of the print and of the phone
                        passive.setdefault(name, {}).setdefault("print" if kind == "tilted" else "phone", []).append(a.liveness(frames[0], found[0]))
            print(f"{path.name}: done", file=sys.stderr, flush=True)
        real = [challenge_passes(real_turn_faces(analyzer, SHARED / "video" / v, a, b), profile) for v, a, b, _ in REAL_TURNS]
    lines = [
        "## Strict and standard on synthetic still attacks (issue 12)",
        "",
        f"{len(names)} deepface portraits ({names[0].name}..{names[-1].name}), each presented five ways "
        f"({FACING} facing frames, then the movement; bench/attacks.py), login profile "
        f"(challenge_yaw {profile.challenge_yaw:g}, challenge_parallax {profile.challenge_parallax:g}).",
        "",
        "| attack (still photo as video) | sequences | frames each | strict: challenge passed (APCER) |",
        "|---|---:|---:|---:|",
    ]
    lengths = {k: len(v) for k, v in sequences(load_image(names[0]), back, 0).items()}
    for kind, values in accepted.items():
        lines.append(f"| {kind} | {len(values)} | {lengths[kind]} | {sum(values)} ({np.mean(values):.0%}) |")
    lines += [
        "",
        f"Real head turns ({len(REAL_TURNS)} segments of ../shared/video): {sum(real)} passed, BPCER {1 - np.mean(real):.0%}.",
        "",
        "| passive check (standard), facing frame | attack | photos | median live score | APCER at 0.5 |",
        "|---|---|---:|---:|---:|",
    ]
    for name, kinds in passive.items():
        for kind, scores in kinds.items():
            values = np.asarray(scores)
            lines.append(f"| {name} | {kind} | {len(values)} | {np.median(values):.3f} | {np.mean(values >= 0.5):.0%} |")
    lines.append(f"\n_whole run {time.perf_counter() - started:.0f} s_")
    return "\n".join(lines)
