"""Presentation-attack figures on synthetic still attacks presented as video, and real head turns (issue 12).

    python -m bench strict [--photos N] [--liveness-pack PACK]

For each of the first N deepface portraits, presentations of the same still photo, each a
sequence of frames (8 facing the camera, then a hand's movement; bench/attacks.py): a print
moved without turning (``moved``), a print rotated and tilted (``tilted``), a print bent
around its vertical axis by 12, 25, 32 and 40% of its width, bowed towards and away from
the camera, rotated and tilted (``bent N%``), a phone with bezel, glare, moiré and fingers,
rotated and tilted (``phone``).

* strict: the head-turn challenge (both side orders) on every analyzed face of the sequence;
  an attack counts as accepted when either order passes; reported for the geometry alone
  and for the shipped rule (geometry and a live passive score on each turned frame);
* standard: the passive check on the facing frame of each print/phone (APCER at the
  pack's threshold), for the test pack and, with --liveness-pack, a stronger pack;
* BPCER of strict on every real head turn found in ../shared/video (bench/footage.py).
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
from bench.footage import VIDEOS, face_tracks, turn_segments
from kiosk.capture.challenge import LEFT, RIGHT, HeadTurnChallenge
from kiosk.config import load_settings
from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.images import load_image
from kiosk.engine.pack import resolve_pack

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KIOSK_SHARED", REPO.parent / "shared"))
MODELS = Path(os.environ.get("KIOSK_MODELS", SHARED / "models" / "test-pack"))
FACING = 8
BENDS = (0.12, 0.25, 0.32, 0.40)  # sagitta over width; 0.5 would be a half cylinder


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
        **{
            f"bent {bend:.0%}": facing
            + [held_sheet(printed, back, *pose, bend=bend) for pose in SWEEP]
            + [held_sheet(printed, back, *pose, bend=-bend) for pose in SWEEP]
            for bend in BENDS
        },
        "phone": [held_sheet(phone, back)] * FACING + [held_sheet(phone, back, *pose) for pose in SWEEP],
    }


def challenge_passes(faces: list, profile, min_live: float | None = None) -> bool:
    """Either side order completes on these faces (a hand can try both)."""
    return any(_passes_in(faces, order, profile, min_live) for order in ((LEFT, RIGHT), (RIGHT, LEFT)))


def analyzed(analyzer: FaceAnalyzer, frames: list[np.ndarray]) -> list:
    """The largest face of each frame, liveness scored; a frame repeated (the facing ones) is analyzed once."""
    seen: dict[int, object] = {}
    faces = []
    for frame in frames:
        if id(frame) not in seen:
            found = analyzer.analyze(frame)
            if found:
                analyzer.liveness(frame, found[0])
            seen[id(frame)] = found[0] if found else None
        if seen[id(frame)] is not None:
            faces.append(seen[id(frame)])
    return faces


def _passes_in(faces: list, order: tuple[str, str], profile, min_live: float | None = None) -> bool:
    """The challenge in this order completes on these faces."""
    challenge = HeadTurnChallenge(min_yaw=profile.challenge_yaw, min_parallax=profile.challenge_parallax, min_live=min_live, order=order)
    for face in faces:
        challenge.update(face)
    return challenge.passed


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
        live = analyzer.pack.thresholds.liveness
        accepted: dict[str, list[tuple[bool, bool]]] = {}
        passive: dict[str, dict[str, list[float]]] = {}
        for seed, path in enumerate(names):
            photo = load_image(path)
            for kind, frames in sequences(photo, back, seed).items():
                faces = analyzed(analyzer, frames)
                accepted.setdefault(kind, []).append((challenge_passes(faces, profile), challenge_passes(faces, profile, live)))
                found = analyzer.analyze(frames[0]) if kind in ("tilted", "phone") else []
                for name, a in (("test pack", analyzer), ("stronger", stronger)):
                    if a is not None and found:  # the facing frame of the print and of the phone
                        passive.setdefault(name, {}).setdefault("print" if kind == "tilted" else "phone", []).append(a.liveness(frames[0], found[0]))
            print(f"{path.name}: done", file=sys.stderr, flush=True)
        real: list[tuple[str, int, bool, bool]] = []
        for video in VIDEOS:
            for track in face_tracks(analyzer, SHARED / "video" / video):
                for faces, order in turn_segments(track):
                    real.append((video, len(faces), _passes_in(faces, order, profile), _passes_in(faces, order, profile, live)))
            print(f"{video}: done", file=sys.stderr, flush=True)
    lines = [
        "## Strict and standard on synthetic still attacks (issue 12)",
        "",
        f"{len(names)} deepface portraits ({names[0].name}..{names[-1].name}), each presented {len(accepted)} ways "
        f"({FACING} facing frames, then the movement; bench/attacks.py), login profile "
        f"(challenge_yaw {profile.challenge_yaw:g}, challenge_parallax {profile.challenge_parallax:g}).",
        "",
        "| attack (still photo as video) | sequences | frames each | geometry alone passed | strict (geometry + live turned frames) passed: APCER |",
        "|---|---:|---:|---:|---:|",
    ]
    lengths = {k: len(v) for k, v in sequences(load_image(names[0]), back, 0).items()}
    for kind, values in accepted.items():
        geometry, strict = np.array(values).T
        lines.append(f"| {kind} | {len(values)} | {lengths[kind]} | {geometry.sum()} ({geometry.mean():.0%}) | {strict.sum()} ({strict.mean():.0%}) |")
    passed_geometry = [r[2] for r in real]
    passed = [r[3] for r in real]
    lines += [
        "",
        f"Real head turns found in ../shared/video (bench/footage.py: {len(real)} segments, "
        + ", ".join(f"{v}: {sum(1 for r in real if r[0] == v)}" for v in VIDEOS)
        + f"): geometry alone passes {sum(passed_geometry)}, BPCER {1 - np.mean(passed_geometry):.1%}; "
        f"strict (geometry + live turned frames) passes {sum(passed)}, BPCER {1 - np.mean(passed):.1%}.",
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
