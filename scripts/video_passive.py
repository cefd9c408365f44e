"""The real people of ../shared/video through the login gates and a pack's passive check, per sign-in window.

    uv run --frozen python scripts/video_passive.py PACK [PACK ...] [--video-dir ../shared/video] [--every 8]

Every ``--every``-th frame of each clip goes through the login profile's gates; the largest face that
passes is scored by the pack's passive check, with the frame cue for ``standard`` and without it for
``adaptive``, as the kiosk runs each. The scores of a
clip are replayed through the session's own rule (``pad_capture.capture_verdicts``: a window starting
at every gated frame, ``min_valid_frames`` needed) at ``standard`` and ``adaptive``. The people are
genuine, so every refused window is a real person refused once (they would try again) and every
``turn`` a head turn asked of them. Prints one line per pack and clip.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.config import ADAPTIVE, CaptureProfile, level_gates, load_settings  # noqa: E402
from kiosk.engine.analyzer import FaceAnalyzer  # noqa: E402
from kiosk.engine.pack import load_pack  # noqa: E402
from kiosk.engine.pad_capture import Passive, capture_verdicts  # noqa: E402


def gated_scores(analyzer: FaceAnalyzer, video: Path, every: int, gates: CaptureProfile) -> tuple[list[float], list[float]]:
    """The passive score of the largest gated face of every ``every``-th frame of ``video``: as ``standard``
    scores it (the gates' frame cue) and as ``adaptive`` does (``config.level_gates``: without the cue)."""
    capture = cv2.VideoCapture(str(video))
    scores: list[float] = []
    without_cue: list[float] = []
    index = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        index += 1
        if index % every:
            continue
        faces = analyzer.analyze(frame, gates)
        if faces and faces[0].passed:
            without_cue.append(analyzer.liveness(frame, faces[0], level_gates(gates, ADAPTIVE)))
            scores.append(analyzer.liveness(frame, faces[0], gates))
    capture.release()
    return scores, without_cue


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packs", type=Path, nargs="+")
    parser.add_argument("--video-dir", type=Path, default=REPO.parent / "shared" / "video")
    parser.add_argument("--every", type=int, default=8)
    args = parser.parse_args(argv)
    videos = sorted(args.video_dir.glob("*.mp4"))
    if not videos:
        raise SystemExit(f"error: no .mp4 clips in {args.video_dir} (--video-dir)")
    for root in args.packs:
        pack = load_pack(root)
        settings = load_settings(environ={}, overrides={"models": str(root), "runtime.providers": "CPUExecutionProvider"})
        analyzer = FaceAnalyzer.from_settings(pack, settings)
        gates = settings.login
        th = pack.thresholds
        for video in videos:
            scores, without_cue = gated_scores(analyzer, video, args.every, gates)
            standard = capture_verdicts(scores, gates.min_valid_frames, th.liveness, th.liveness, gates.max_frames)
            adaptive = capture_verdicts(without_cue, gates.min_valid_frames, *th.band, gates.max_frames)
            under = int((np.asarray(scores) < th.liveness).sum())
            print(
                f"{root} {video.name}: {len(scores)} gated frames, {under} under {th.liveness:g}; {len(standard)} windows: "
                f"standard refused {sum(v is Passive.SPOOF for v in standard)}; adaptive refused "
                f"{sum(v is Passive.SPOOF for v in adaptive)}, asked to turn {sum(v is Passive.TURN for v in adaptive)}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
