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
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

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


def run_worker(analyzer, settings, clip: Path, seconds: float, settle_s: float, face_index: int | None = None, capture: bool = True) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.camera_worker import start_camera_worker, stop_camera_worker
    from kiosk.ui.widgets.preview import PreviewWidget

    app = QApplication.instance() or QApplication([])
    preview = PreviewWidget()
    preview.resize(762, 600)
    preview.show()
    marks: dict[int, list[float]] = {face_index: []} if face_index is not None else {}
    results: list[tuple[float, str]] = []
    thread, worker = start_camera_worker(str(clip), analyzer, settings, opener=lambda spec: Recorder(open_source(spec, settings.camera), marks))
    worker.frame_ready.connect(preview.set_frame)

    def on_result(result) -> None:
        results.append((time.monotonic(), result.outcome))
        worker.start_capture("login")

    worker.result.connect(on_result)
    if capture:
        worker.start_capture("login")

    def wait(s: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(s * 1000), loop.quit)
        loop.exec()

    wait(settle_s)
    cpu0, wall0 = time.process_time(), time.monotonic()
    wait(seconds)
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    stop_camera_worker(thread, worker, 10000)
    preview.close()
    app.processEvents()
    latencies = []
    for t in marks.get(face_index, []):
        oks = [r for r, outcome in results if r > t and outcome == "ok"]
        if oks and t >= wall0:
            latencies.append(oks[0] - t)
    return {"cpu_per_s": cpu / wall, "latencies": latencies, "results": len(results)}


def main(argv: list[str]) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser(prog="python -m bench rest")
    parser.add_argument("--seconds", type=float, default=12.0, help="measured seconds per scene and mode (default 12)")
    parser.add_argument("--empty-s", type=float, default=8.0, help="empty seconds before each walk-in (default 8)")
    parser.add_argument("--walk-ins", type=int, default=3, help="walk-ins per mode (default 3)")
    parser.add_argument("--also-interval-ms", type=int, default=0, help="a third mode: resting with this camera.rest_interval_ms")
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
        empty = empty_frames(args.empty_s, 1)
        clips = {
            "empty": write_clip(empty_frames(6.0, 2), FPS, Path(tmp) / "empty.avi"),
            "signing in": write_clip(visitor, FPS, Path(tmp) / "visitor.avi"),
            "walk-in": write_clip(empty + visitor, FPS, Path(tmp) / "walkin.avi"),
        }
        modes = [("today (never rests)", today), (f"resting (after {resting.camera.rest_after_s:g} s, {resting.camera.rest_interval_ms} ms)", resting)]
        if args.also_interval_ms:
            slower = load_settings(data_dir=Path(tmp), environ={}, overrides={**overrides, "camera.rest_interval_ms": args.also_interval_ms})
            modes.append((f"resting (after {slower.camera.rest_after_s:g} s, {args.also_interval_ms} ms)", slower))
        rows: dict[str, dict[str, dict]] = {label: {} for label, _ in modes}
        load = os.getloadavg()[0]
        settle = resting.camera.rest_after_s + 2.0
        for scene in ("empty", "signing in"):
            for label, settings in modes:
                rows[label][scene] = run_worker(analyzer, settings, clips[scene], args.seconds, settle)
        floor = run_worker(analyzer, today, clips["empty"], args.seconds, 2.0, capture=False)["cpu_per_s"]
        loop_s = len(empty + visitor) / FPS
        for label, settings in modes:
            rows[label]["walk-in"] = run_worker(analyzer, settings, clips["walk-in"], args.walk_ins * loop_s, 0.5, face_index=len(empty))
        lines = [
            f"Pack `{analyzer.pack.id}`, detector input {resting.runtime.det_size}, CPU provider; {os.cpu_count()} CPUs, "
            f"load average {load:.1f} at the start; {args.seconds:g} s measured per scene after {settle:g} s to settle; "
            f"walk-in: {args.empty_s:g} s empty, then the visitor, {args.walk_ins} times.",
            "",
            "| mode | empty: CPU s / s | signing in: CPU s / s | walk-in: CPU s / s | walk-in -> ok result s (each) |",
            "|---|---|---|---|---|",
        ]
        for label, _ in modes:
            r = rows[label]
            lat = ", ".join(f"{x:.2f}" for x in r["walk-in"]["latencies"]) or "none"
            lines.append(f"| {label} | {r['empty']['cpu_per_s']:.3f} | {r['signing in']['cpu_per_s']:.3f} | {r['walk-in']['cpu_per_s']:.3f} | {lat} |")
        t, s = (rows[label] for label, _ in modes[:2])
        lines += ["", f"No capture at all (preview and video decoding only), empty scene: {floor:.3f} CPU s / s.", "", f"Resting / today: empty {s['empty']['cpu_per_s'] / t['empty']['cpu_per_s']:.2f}, signing in {s['signing in']['cpu_per_s'] / t['signing in']['cpu_per_s']:.2f}. Target: empty <= 0.15 CPU s / s; walk-in <= 1.0 s."]
    return "\n".join(lines)
