"""The crops MiniFASNet sees, per labelled photo, for fine-tuning the network outside the product (research, issue 20).

    uv run --frozen python scripts/finetune_crops.py OUT.npz \
        --labels ../shared/faces/spoof-context/labels.csv --labels ../shared/faces/spoof-dev/print-nuaa/labels.csv \
        --labels ../shared/faces/spoof-dev/recapture-crops/labels.csv [--pack ../shared/models/test-pack]

Writes, per photo whose largest face is found, the 80x80 BGR crop the kiosk feeds each of the pack's
Silent-Face models (``liveness.model_crop``: MiniFASNetV2 at 2.7, MiniFASNetV1SE at 4.0), the ONNX
model's logits on that crop (so a converted copy can be checked against them), and the label, source
and file name. The face is found as ``pad_features.photo_candidates`` finds it (a tight crop is padded
for detection), so the fine-tuned network is judged on what the fusion was judged on. Photos without a
face are listed on stderr and left out. ``scripts/finetune_minifasnet.py`` trains on the file; the file
holds face images from ../shared: keep it under /tmp, never commit it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.cli.liveness_train import labelled_items  # noqa: E402
from kiosk.config import load_settings  # noqa: E402
from kiosk.engine.analyzer import FaceAnalyzer, pad_for_detection  # noqa: E402
from kiosk.engine.images import load_image  # noqa: E402
from kiosk.engine.liveness import model_crop  # noqa: E402
from kiosk.engine.pack import load_pack  # noqa: E402
from kiosk.errors import ImageError, KioskError  # noqa: E402

RUNS = {"v2": "MiniFASNetV2.onnx", "v1se": "MiniFASNetV1SE.onnx"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--labels", type=Path, action="append", required=True)
    parser.add_argument("--pack", type=Path, default=REPO.parent / "shared" / "models" / "test-pack")
    args = parser.parse_args(argv)
    pack = load_pack(args.pack)
    # one thread: the machine's cores are shared, and a crop is cheap next to the detector
    overrides = {"models": str(pack.root), "runtime.providers": "CPUExecutionProvider", "runtime.intra_op_threads": 1}
    analyzer = FaceAnalyzer.from_settings(pack, load_settings(environ={}, overrides=overrides))
    checker = analyzer.liveness_checker
    models = {key: checker.by_file(file) for key, file in RUNS.items()}
    items = labelled_items(args.labels, None)
    crops: dict[str, list[np.ndarray]] = {key: [] for key in RUNS}
    logits: dict[str, list[np.ndarray]] = {key: [] for key in RUNS}
    kept: list[tuple[str, bool, str, bool]] = []
    for done, (path, live, source) in enumerate(items, start=1):
        try:
            frame = load_image(path)
        except ImageError as exc:
            print(f"skipped {path}: {exc.message}", file=sys.stderr)
            continue
        faces = analyzer.analyze(frame)
        padded = not faces
        if padded:
            frame, _ = pad_for_detection(frame)
            faces = analyzer.analyze(frame)
        if not faces:
            print(f"skipped {path}: no face", file=sys.stderr)
            continue
        box = faces[0].box
        for key, (entry, loaded) in models.items():
            crops[key].append(model_crop(frame, box, entry, entry.crop_scale or 1.0))
            logits[key].append(checker.logits(frame, box, entry, loaded, entry.crop_scale or 1.0))
        kept.append((str(path), live, source, padded))
        if done % 200 == 0:
            print(f"cropped {done}/{len(items)}", file=sys.stderr, flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {
        "image": np.asarray([k[0] for k in kept]),
        "live": np.asarray([k[1] for k in kept]),
        "source": np.asarray([k[2] for k in kept]),
        "padded": np.asarray([k[3] for k in kept]),
        **{f"crop_{key}": np.asarray(crops[key], np.uint8) for key in RUNS},
        **{f"logits_{key}": np.asarray(logits[key], np.float32) for key in RUNS},
    }
    np.savez_compressed(args.out, **arrays)  # type: ignore[arg-type]  # numpy's stub takes a ** key for allow_pickle; these are arrays
    print(f"wrote {len(kept)} of {len(items)} photos to {args.out}")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KioskError as exc:  # a bad labels file, a missing pack or image: one line naming it, and the hint
        raise SystemExit(f"error: {exc}") from None
