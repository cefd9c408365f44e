"""Per-frame engine cost, stage by stage, against insightface's ``FaceAnalysis.get()``.

Both sides run the same pack files on the same video frames, on CPU, interleaved frame
by frame so a noisy shared machine slows them alike. Frames are grouped by what the
login gates make of them (with the analyzer of the same detector size):

* no face: nothing detected; both sides pay one detection;
* fails a gate: a face is found but the frame is refused (several people, too small,
  turned, blurred, dark...): our gated path stops after ``analyze``, while
  ``FaceAnalysis.get()`` still embeds every face;
* passes: exactly one face passing every gate: our gated path embeds it and checks
  liveness.

Target (issue 2): gated path >= 2x faster than ``FaceAnalysis.get()`` on frames that fail
a gate, and no slower on frames that pass.

insightface is no kiosk dependency (issue 11); bring it for this bench only:
``uv run --frozen --extra dev --with insightface==0.7.3 python -m bench engine``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from kiosk.config import load_settings
from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.pack import ModelPack, resolve_pack

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KIOSK_SHARED", REPO.parent / "shared"))
MODELS = Path(os.environ.get("KIOSK_MODELS", SHARED / "models" / "test-pack"))
VIDEOS = ("short_hamilton_clip.mp4", "friends_in_video.mp4", "friends_2.mp4")
SIZES = (320, 640)
STAGES = ("detect", "analyze", "+embed", "+liveness", "gated", "FaceAnalysis.get")
GROUPS = ("no face", "fails a gate", "passes")


def sample_frames(video: Path, count: int) -> list[np.ndarray]:
    """``count`` frames spread evenly over the whole video."""
    capture = cv2.VideoCapture(str(video))
    if not capture.isOpened():
        raise SystemExit(f"cannot open {video}")
    total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    wanted = set(np.linspace(0, max(total - 1, 0), count).round().astype(int).tolist())
    frames, index = [], 0
    while len(frames) < len(wanted):
        ok, frame = capture.read()
        if not ok:
            break
        if index in wanted:
            frames.append(frame)
        index += 1
    capture.release()
    return frames


def insightface_app(pack: ModelPack, det_size: int, det_thresh: float, workdir: Path):
    """``FaceAnalysis`` on the pack's own detector and recognizer files (linked or copied, never downloaded)."""
    from insightface.app import FaceAnalysis  # heavy import (matplotlib, scikit-image): bench only

    warnings.filterwarnings("ignore", category=FutureWarning, module="insightface")  # its scikit-image calls
    folder = workdir / "models" / pack.name
    folder.mkdir(parents=True, exist_ok=True)
    for entry in (pack.detector, pack.recognizer):
        link = folder / entry.file
        if not link.exists():
            try:
                link.symlink_to(pack.path(entry).resolve())
            except OSError:  # Windows without the symlink privilege
                shutil.copy2(pack.path(entry), link)
    with contextlib.redirect_stdout(io.StringIO()):  # it prints every model it finds
        app = FaceAnalysis(
            name=pack.name, root=str(workdir), allowed_modules=["detection", "recognition"], providers=["CPUExecutionProvider"]
        )
        app.prepare(ctx_id=-1, det_thresh=det_thresh, det_size=(det_size, det_size))
    return app


@dataclass
class Side:
    """One detector size: our analyzer, FaceAnalysis, and the timings per group and stage."""

    size: int
    ours: FaceAnalyzer
    theirs: object
    ms: dict[str, dict[str, list[float]]] = field(default_factory=lambda: {g: {s: [] for s in STAGES} for g in GROUPS})

    def run(self, frame: np.ndarray, theirs_first: bool) -> None:
        """Time every stage on ``frame``.

        Which side goes first alternates, and the detect-only call comes last: a session
        that has just run on the same frame runs it again faster (warm caches), so
        each timed path starts after some other session, as in a real stream of frames.
        """
        timings: dict[str, float] = {}
        if theirs_first:
            timings["FaceAnalysis.get"] = _timed(lambda: self.theirs.get(frame))
        group = self._ours(frame, timings)
        if not theirs_first:
            timings["FaceAnalysis.get"] = _timed(lambda: self.theirs.get(frame))
        timings["detect"] = _timed(lambda: self.ours.detector.detect(frame))
        for stage, ms in timings.items():
            self.ms[group][stage].append(ms)

    def _ours(self, frame: np.ndarray, timings: dict[str, float]) -> str:
        """One pass through the stages, timed cumulatively: analyze, then the largest face's
        embedding, then its liveness. The gated path is this pass stopped after analyze
        unless the frame passes, which is exactly what a capture session runs. Returns
        the frame's group."""
        gates = self.ours.default_gates
        started = time.perf_counter()
        faces = self.ours.analyze(frame, gates)
        timings["analyze"] = _since(started)
        if faces:
            self.ours.embed(frame, faces[0])
        timings["+embed"] = _since(started)
        if faces:
            self.ours.liveness(frame, faces[0])
        timings["+liveness"] = _since(started)
        passes = bool(faces) and _passes(faces, gates.face_policy)
        timings["gated"] = timings["+liveness"] if passes else timings["analyze"]
        return "no face" if not faces else "passes" if passes else "fails a gate"


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return _since(started)


def _passes(faces: list, policy: str) -> bool:
    return faces[0].passed and (policy == "largest" or len(faces) == 1)


def _stat(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def _cell(values: list[float]) -> str:
    return f"{_stat(values, 50):.1f} / {_stat(values, 90):.1f}" if values else "–"


def _ratio(theirs: list[float], ours: list[float]) -> float:
    """Median of per-frame ratios: both were timed on the same frame moments apart, so a burst
    of load from other processes on this shared machine hits numerator and denominator alike."""
    return float(np.median(np.asarray(theirs) / np.asarray(ours))) if theirs and ours else float("nan")


def _times(ratio: float) -> str:
    return "–" if np.isnan(ratio) else f"{ratio:.2f}x"


def render(sides: list[Side], frames: int, elapsed: float, providers: dict[str, str]) -> str:
    lines = [
        "## Engine (issue 2)",
        "",
        f"{frames} frames ({frames // len(VIDEOS)} spread over each of {', '.join(VIDEOS)}), login gates, "
        f"CPU ({', '.join(sorted(set(providers.values())))}), both sides interleaved frame by frame, taking turns to go first; "
        f"median / p90 in ms. `analyze` = detection + pose + quality + gates; `+embed` and `+liveness` add the "
        f"largest face's embedding and liveness whatever the gates say; `gated` is the capture path (embedding "
        f"and liveness only for a frame that passes); `FaceAnalysis.get` detects and embeds every face found.",
        "",
        "| det size | frames | stage | " + " | ".join(GROUPS) + " |",
        "|---|---|---|" + "---|" * len(GROUPS),
    ]
    for side in sides:
        counts = "/".join(str(len(side.ms[g]["detect"])) for g in GROUPS)
        for stage in STAGES:
            cells = [_cell(side.ms[g][stage]) for g in GROUPS]
            lines.append(f"| {side.size} | {counts} | {stage} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "FaceAnalysis.get ÷ ours, median of per-frame ratios (above 1: ours faster). `passes, same work` compares "
        "`+embed` (detection, quality, one embedding) with FaceAnalysis.get, which has no liveness step.",
        "",
        "| det size | no face (gated) | fails a gate (gated; target >= 2) | passes (gated, with liveness; target >= 1) | passes, same work (+embed) | targets |",
        "|---|---|---|---|---|---|",
    ]
    for side in sides:
        r = {g: _ratio(side.ms[g]["FaceAnalysis.get"], side.ms[g]["gated"]) for g in GROUPS}
        same_work = _ratio(side.ms["passes"]["FaceAnalysis.get"], side.ms["passes"]["+embed"])
        if np.isnan(r["fails a gate"]) or np.isnan(r["passes"]):
            met = "not measured (no frame in a group)"
        else:
            met = "met" if r["fails a gate"] >= 2.0 and r["passes"] >= 1.0 else "NOT met"
        lines.append(
            f"| {side.size} | {_times(r['no face'])} | {_times(r['fails a gate'])} | {_times(r['passes'])} | {_times(same_work)} | {met} |"
        )
    lines += ["", f"_frame groups: no face / fails a gate / passes; whole run {elapsed:.0f} s_"]
    return "\n".join(lines)


def _side_by_side(frames: list[np.ndarray], analyzer: FaceAnalyzer, first: Callable, second: Callable) -> list[tuple[float, float, float]]:
    """(analyze + embed, ``first``, ``second``) in ms on each frame passing the login gates.

    ``first`` and ``second`` get (frame, largest face) and are timed right after the common
    part, alternating which goes first, so both see the same warm caches on average.
    """
    gates = analyzer.default_gates
    rows = []
    for index, frame in enumerate(frames):
        started = time.perf_counter()
        faces = analyzer.analyze(frame, gates)
        if not faces or not _passes(faces, gates.face_policy):
            continue
        analyzer.embed(frame, faces[0])
        common = _since(started)
        order = ((0, first), (1, second)) if index % 2 else ((1, second), (0, first))
        ms = [0.0, 0.0]
        for slot, call in order:
            ms[slot] = _timed(lambda call=call: call(frame, faces[0]))
        rows.append((common, ms[0], ms[1]))
    return rows


def liveness_cost(frames: list[np.ndarray], base: FaceAnalyzer, stronger: FaceAnalyzer) -> str:
    """Gated per-frame cost with a stronger passive check (issue 12: within 1.2x of the pack's own).

    On the frames that pass the login gates (the only ones liveness runs on), detection,
    gates and embedding are timed once and each pack's liveness right after, alternating
    which goes first; the ratio is per frame, (analyze + embed + stronger liveness) over
    (analyze + embed + base liveness).
    """
    rows = _side_by_side(frames, base, lambda frame, face: base.liveness(frame, face), lambda frame, face: stronger.liveness(frame, face))
    if not rows:
        return "no frame passed the gates: liveness cost not measured"
    common, lb, ls = (np.asarray(c) for c in zip(*rows))
    ratio = float(np.median((common + ls) / (common + lb)))
    files = ", ".join(f.file for f in stronger.pack.liveness) + (f" + fusion {stronger.pack.liveness_fusion.file}" if stronger.pack.liveness_fusion else "")
    return "\n".join(
        [
            "### Stronger passive check (issue 12)",
            "",
            f"{len(rows)} frames passing the login gates (detector input {base.detector.input_size[0]}); "
            f"pack `{base.pack.name}` vs `{stronger.pack.name}` ({files}); median / p90 in ms.",
            "",
            "| stage | median / p90 |",
            "|---|---|",
            f"| analyze + embed | {_cell(list(common))} |",
            f"| liveness, {base.pack.name} | {_cell(list(lb))} |",
            f"| liveness, {stronger.pack.name} | {_cell(list(ls))} |",
            "",
            f"Gated per-frame cost, stronger ÷ base, median of per-frame ratios: **{ratio:.2f}x** "
            f"(target <= 1.2x: {'met' if ratio <= 1.2 else 'NOT met'}).",
        ]
    )


def frame_cue_cost(frames: list[np.ndarray], analyzer: FaceAnalyzer) -> str:
    """Gated per-frame cost with the enclosing-frame cue against without it (issue 12: within 1.2x).

    The cue runs where the passive check does, on the frames that pass the login gates: on
    those, detection, gates and embedding are timed once, then the liveness step with the cue
    off and on, alternating which goes first; the ratio is per frame, as in ``liveness_cost``.
    """
    gates = analyzer.default_gates
    off, on = dataclasses.replace(gates, frame_cue=False), dataclasses.replace(gates, frame_cue=True)
    rows = _side_by_side(frames, analyzer, lambda frame, face: analyzer.liveness(frame, face, off), lambda frame, face: analyzer.liveness(frame, face, on))
    if not rows:
        return "no frame passed the gates: frame cue cost not measured"
    common, without, with_cue = (np.asarray(c) for c in zip(*rows))
    ratio = float(np.median((common + with_cue) / (common + without)))
    return "\n".join(
        [
            "### Enclosing-frame cue (issue 12)",
            "",
            f"{len(rows)} frames passing the login gates (detector input {analyzer.detector.input_size[0]}), pack `{analyzer.pack.name}`; "
            "median / p90 in ms.",
            "",
            "| stage | median / p90 |",
            "|---|---|",
            f"| analyze + embed | {_cell(list(common))} |",
            f"| liveness, frame cue off | {_cell(list(without))} |",
            f"| liveness, frame cue on | {_cell(list(with_cue))} |",
            "",
            f"Gated per-frame cost, cue on ÷ off, median of per-frame ratios: **{ratio:.2f}x** "
            f"(target <= 1.2x: {'met' if ratio <= 1.2 else 'NOT met'}).",
        ]
    )


def main(argv: list[str]) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench engine")
    parser.add_argument("--frames", type=int, default=30, help="frames per video (default 30)")
    parser.add_argument("--liveness-pack", type=Path, help="also time this pack's passive check against the test pack's (issue 12)")
    parser.add_argument("--frame-cue", action="store_true", help="only time the enclosing-frame cue, on and off (no insightface needed)")
    args = parser.parse_args(argv)
    if args.liveness_pack:
        return _liveness_only(args)
    if args.frame_cue:
        return _frame_cue_only(args)
    started = time.perf_counter()
    frames = _frames(args)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        sides = []
        for size in SIZES:
            settings = load_settings(
                data_dir=Path(tmp),
                environ={},
                overrides={"models": str(MODELS), "runtime.providers": "CPUExecutionProvider", "runtime.det_size": size},
            )
            pack = resolve_pack(settings)
            ours = FaceAnalyzer.from_settings(pack, settings)
            sides.append(Side(size, ours, insightface_app(pack, size, settings.runtime.det_threshold, Path(tmp))))
        for side in sides:
            side.theirs.get(frames[0])  # first run allocates: keep it out of the figures
        for index, frame in enumerate(frames):
            for side in sides:
                side.run(frame, theirs_first=index % 2 == 1)
    report = render(sides, len(frames), time.perf_counter() - started, sides[0].ours.providers)
    return report + "\n\n" + frame_cue_cost(frames, sides[0].ours)


def _frames(args) -> list[np.ndarray]:
    return [f for name in VIDEOS for f in sample_frames(SHARED / "video" / name, args.frames)]


def _cpu_analyzer(models: Path, data_dir: Path) -> FaceAnalyzer:
    settings = load_settings(data_dir=data_dir, environ={}, overrides={"models": str(models), "runtime.providers": "CPUExecutionProvider"})
    return FaceAnalyzer.from_settings(resolve_pack(settings), settings)


def _liveness_only(args) -> str:
    frames = _frames(args)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        return liveness_cost(frames, *(_cpu_analyzer(folder, Path(tmp)) for folder in (MODELS, args.liveness_pack)))


def _frame_cue_only(args) -> str:
    frames = _frames(args)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        return frame_cue_cost(frames, _cpu_analyzer(MODELS, Path(tmp)))
