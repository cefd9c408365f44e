"""Rest and wake (issue 15): CPU per wall second with nobody there and while someone signs in, and walk-in latency.

The real ``CameraWorker`` and a shown ``PreviewWidget`` (offscreen Qt) on video files
paced at their own fps, a login capture restarted whenever one ends (as the attract
screen does), today's path (``camera.rest_after_s`` = 0) and the resting one side by
side in one run, taking turns. CPU is this process's CPU time (``time.process_time``:
all threads, the preview and the video decoding included) over wall time.

* empty: frame 980 of friends_2.mp4 (the detector finds no face) at 640x360 with fresh
  sensor-like noise (sigma 2) on each frame, MJPEG;
* signing in: the Hamilton clip from frame 82 (one man facing the camera), looped;
* walk-in: the empty scene for ``--empty-s`` seconds, then the Hamilton frames, looped;
  latency from the grabber reading the first face frame to the capture's ``ok`` result.

The empty scene runs in ``--rounds`` rounds, every mode in turn, with a resting mode
whose preview shows every frame (``camera.rest_preview_fps`` 0) beside the default;
``--compare-preview`` adds the previous round's resting path (that, with
``Format_BGR888`` frames, which the painter converts on every scaled paint), so each
change is measured side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from statistics import median
import tempfile
import time
from pathlib import Path
from unittest import mock

import cv2
import numpy as np

from bench.capture_bench import MODELS, SHARED, read_frames, write_clip
from kiosk.capture.sources import open_source
from kiosk.config import load_settings
from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.pack import resolve_pack

SIZE = (640, 360)
FPS = 29.97


def empty_frames(seconds: float, seed: int) -> list[np.ndarray]:
    still = cv2.resize(read_frames(SHARED / "video" / "friends_2.mp4", 980, 981)[0][0], SIZE, interpolation=cv2.INTER_AREA)
    rng = np.random.default_rng(seed)
    return [np.clip(still + rng.normal(0, 2, still.shape), 0, 255).astype(np.uint8) for _ in range(int(seconds * FPS))]


def bgr888_qimage(frame: np.ndarray):
    """The preview frame before issue 15's second round: BGR888, converted by the painter on each paint."""
    from PySide6.QtGui import QImage

    data = np.ascontiguousarray(frame)
    h, w, _ = data.shape
    return QImage(data.data, w, h, data.strides[0], QImage.Format.Format_BGR888).copy()


class Recorder:
    """Wraps a real source to note when each frame index was read (the walk-in's start)."""

    def __init__(self, source, marks: dict[int, list[float]]) -> None:
        self.source, self.marks = source, marks
        self.live = source.live

    def __getattr__(self, name):
        return getattr(self.source, name)

    def read(self):
        frame = self.source.read()
        if frame.index in self.marks:
            self.marks[frame.index].append(time.monotonic())
        return frame


def run_worker(analyzer, settings, clip: Path, seconds: float, settle_s: float, face_index: int | None = None, capture: bool = True, old_preview: bool = False) -> dict:
    with mock.patch("kiosk.ui.camera_worker.bgr_to_qimage", bgr888_qimage) if old_preview else contextlib.nullcontext():
        return _run_worker(analyzer, settings, clip, seconds, settle_s, face_index, capture)


def _run_worker(analyzer, settings, clip: Path, seconds: float, settle_s: float, face_index: int | None, capture: bool) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.capture.commands import CaptureEnded, PreviewFrame
    from kiosk.ui.camera_worker import start_camera_worker
    from kiosk.ui.widgets.preview import PreviewWidget

    app = QApplication.instance() or QApplication([])
    preview = PreviewWidget()
    preview.resize(762, 600)
    preview.show()
    marks: dict[int, list[float]] = {face_index: []} if face_index is not None else {}
    results: list[tuple[float, str]] = []
    worker = start_camera_worker(str(clip), analyzer, settings, opener=lambda spec: Recorder(open_source(spec, settings.camera), marks))

    def on_result(result) -> None:
        results.append((time.monotonic(), result.outcome))
        worker.start_capture("login", unattended=True)

    def on_output(output) -> None:
        match output:
            case PreviewFrame(image):
                preview.set_frame(image)
            case CaptureEnded(result):
                on_result(result)

    worker.signals.output.connect(on_output)
    if capture:
        worker.start_capture("login", unattended=True)

    def wait(s: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(s * 1000), loop.quit)
        loop.exec()

    wait(settle_s)
    cpu0, wall0 = time.process_time(), time.monotonic()
    wait(seconds)
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    worker.stop_and_join(10)
    preview.close()
    app.processEvents()
    latencies = []  # (seconds, outcomes of the captures that ended before it without a template)
    for t in marks.get(face_index, []):
        oks = [r for r, outcome in results if r > t and outcome == "ok"]
        if oks and t >= wall0:
            latencies.append((oks[0] - t, [outcome for r, outcome in results if t < r < oks[0]]))
    return {"cpu_per_s": cpu / wall, "latencies": latencies, "results": len(results)}


def main(argv: list[str]) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser(prog="python -m bench rest")
    parser.add_argument("--seconds", type=float, default=12.0, help="measured seconds per scene and mode (default 12)")
    parser.add_argument("--empty-s", type=float, default=8.0, help="empty seconds before each walk-in (default 8)")
    parser.add_argument("--walk-ins", type=int, default=3, help="walk-ins per mode (default 3)")
    parser.add_argument("--also-interval-ms", type=int, default=0, help="a third mode: resting with this camera.rest_interval_ms")
    parser.add_argument("--rounds", type=int, default=3, help="empty-scene rounds, every mode in turn (default 3)")
    parser.add_argument("--compare-preview", action="store_true", help="also the previous round's BGR888 preview, on the empty scene")
    parser.add_argument("--det-size", type=int, default=0, help="runtime.det_size (default: the settings' default)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kiosk-rest-bench-") as tmp:
        overrides = {"models": str(MODELS), "runtime.providers": "CPUExecutionProvider"}
        if args.det_size:
            overrides["runtime.det_size"] = args.det_size
        resting = load_settings(data_dir=Path(tmp), environ={}, overrides=overrides)
        today = load_settings(data_dir=Path(tmp), environ={}, overrides={**overrides, "camera.rest_after_s": 0})
        analyzer = FaceAnalyzer.from_settings(resolve_pack(resting), resting)
        visitor, _ = read_frames(SHARED / "video" / "short_hamilton_clip.mp4", 82, 275)
        empty_part = empty_frames(args.empty_s, 1)
        empty_frames_list = empty_part + visitor
        clips = {
            "empty": write_clip(empty_frames(6.0, 2), FPS, Path(tmp) / "empty.avi"),
            "signing in": write_clip(visitor, FPS, Path(tmp) / "visitor.avi"),
            "walk-in": write_clip(empty_frames_list, FPS, Path(tmp) / "walkin.avi"),
        }
        full_preview = load_settings(data_dir=Path(tmp), environ={}, overrides={**overrides, "camera.rest_preview_fps": 0})
        rested = f"resting (after {resting.camera.rest_after_s:g} s, {resting.camera.rest_interval_ms} ms"
        modes = [("today (never rests)", today), (f"{rested}, preview {resting.camera.rest_preview_fps} fps at rest)", resting)]
        # The empty scene also without this round's changes, one at a time (the previous round's resting path last).
        empty_only = [(f"{rested}, preview every frame)", full_preview, False)]
        if args.compare_preview:
            empty_only.append((f"{rested}, preview every frame, BGR888: the previous round)", full_preview, True))
        if args.also_interval_ms:
            slower = load_settings(data_dir=Path(tmp), environ={}, overrides={**overrides, "camera.rest_interval_ms": args.also_interval_ms})
            empty_only.append((f"resting (after {slower.camera.rest_after_s:g} s, {args.also_interval_ms} ms, preview {slower.camera.rest_preview_fps} fps at rest)", slower, False))
        empty_modes = [(label, settings, False) for label, settings in modes] + empty_only
        load = os.getloadavg()[0]
        settle = resting.camera.rest_after_s + 2.0
        empty: dict[str, list[float]] = {label: [] for label, _, _ in empty_modes}
        floors: list[float] = []
        for _ in range(args.rounds):  # taking turns, so the machine's drift spreads over every mode
            for label, settings, old_preview in empty_modes:
                empty[label].append(run_worker(analyzer, settings, clips["empty"], args.seconds, settle, old_preview=old_preview)["cpu_per_s"])
            floors.append(run_worker(analyzer, today, clips["empty"], args.seconds, 2.0, capture=False)["cpu_per_s"])
        rows: dict[str, dict[str, dict]] = {label: {} for label, _ in modes}
        for label, settings in modes:
            rows[label]["signing in"] = run_worker(analyzer, settings, clips["signing in"], args.seconds, settle)
        loop_s = len(empty_frames_list) / FPS
        for label, settings in modes:
            rows[label]["walk-in"] = run_worker(analyzer, settings, clips["walk-in"], args.walk_ins * loop_s, 0.5, face_index=len(empty_part))
        lines = [
            f"Pack `{analyzer.pack.id}`, login detector input {resting.login.det_size or resting.runtime.det_size}, CPU provider; {os.cpu_count()} CPUs, "
            f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; empty scene: {args.rounds} rounds of {args.seconds:g} s "
            f"per mode after {settle:g} s to settle (median, then each); signing in: {args.seconds:g} s; "
            f"walk-in: {args.empty_s:g} s empty, then the visitor, {args.walk_ins} times.",
            "",
            "| mode | empty: CPU s / s (median; each) | signing in: CPU s / s | walk-in: CPU s / s | walk-in -> ok result s (each) |",
            "|---|---|---|---|---|",
        ]
        for label, _, _ in empty_modes:
            r = rows.get(label, {})
            cells = [f"{median(empty[label]):.3f}; " + ", ".join(f"{x:.3f}" for x in empty[label])]
            if r:
                lat = ", ".join(f"{x:.2f}" + (f" (after {' + '.join(before)})" if before else "") for x, before in r["walk-in"]["latencies"]) or "none"
                cells += [f"{r['signing in']['cpu_per_s']:.3f}", f"{r['walk-in']['cpu_per_s']:.3f}", lat]
            else:
                cells += ["–", "–", "–"]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines += ["", f"No capture at all (a 30 fps preview and video decoding only), empty scene: {median(floors):.3f} CPU s / s (each: {', '.join(f'{x:.3f}' for x in floors)})."]
        per_round = {label: [x / t for x, t in zip(empty[label], empty[modes[0][0]])] for label, _, _ in empty_modes[1:]}
        ratios = ", ".join(f"{label} {median(v):.2f}" for label, v in per_round.items())
        t, s = (rows[label] for label, _ in modes[:2])
        lines += ["", f"Empty scene / today, median of the rounds' ratios: {ratios}. Signing in, resting / today: {s['signing in']['cpu_per_s'] / t['signing in']['cpu_per_s']:.2f}. Target: empty <= 0.15 CPU s / s; walk-in <= 1.0 s."]
    return "\n".join(lines)
