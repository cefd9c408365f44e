"""Quality-augmented copies of labelled liveness photos, both classes alike, with a labels CSV (issue 20, research).

    uv run --frozen python scripts/pad_augment.py OUT --labels ../shared/faces/spoof-context/labels.csv \
        --labels ../shared/faces/spoof-dev/print-nuaa/labels.csv [--copies 2] [--seed 20] [--crops PACK]

The fusion trained on eight webcam rooms refuses genuine faces from material unlike them (NUAA's
2010 low-resolution webcam, tight selfie crops): "low quality" may have been learned as "attack".
Each copy degrades a photo the way other cameras do, live and spoof alike, so quality alone stops
telling the classes apart: copy 0 is a low-resolution camera (down-scaled to 0.35-0.6 and back up,
sensor noise, JPEG at quality 30-60), copy 1 other light and optics (gamma, brightness, white
balance, a Gaussian blur, JPEG). Written as ``OUT/<source>/<copy>/<file>`` with ``OUT/labels.csv``
naming each copy's ORIGINAL source (``image,label,attack,source``), so a copy is held out with its
frame and never trains the model judged on that frame's source. The copies are then measured by the
kiosk's own path (``pad_features.measure_rows`` through ``scripts/pad_genuine.py``).
Deterministic: the random draws are seeded by the seed, the copy and the photo's path.

``--mild`` writes instead one copy of both kinds at milder strengths (``mild``) per photo, as
``OUT/<source>/mild/<file>.png``. ``--crops PACK`` writes instead one tight crop of each photo's largest face (found by PACK's
detector): the detector box made square and 5% larger, resized to 336 px, JPEG 90 (the framing of
``spoof-dev/recapture-crops``), as ``OUT/<source>/crop/<file>.jpg``: the kiosk's path then pads it
for detection and gives it no scene cues, as it does the recapture crops.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.cli.liveness_train import labelled_items  # noqa: E402
from kiosk.config import load_settings  # noqa: E402
from kiosk.engine.analyzer import FaceAnalyzer  # noqa: E402
from kiosk.engine.images import load_image  # noqa: E402
from kiosk.engine.pack import load_pack  # noqa: E402

CROP = 336  # the recapture crops' size


def rng_for(seed: int, copy: int, path: Path) -> np.random.Generator:
    digest = hashlib.sha1(f"{seed}|{copy}|{path.as_posix()}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR) if ok else None
    assert decoded is not None
    return np.asarray(decoded, np.uint8)


def low_resolution(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A smaller sensor: down-scaled and back, read noise, strong JPEG."""
    h, w = image.shape[:2]
    s = rng.uniform(0.35, 0.6)
    small = cv2.resize(image, (max(8, round(w * s)), max(8, round(h * s))), interpolation=cv2.INTER_AREA)
    out = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    out += np.asarray(rng.normal(0.0, rng.uniform(2.0, 7.0), out.shape), np.float32)
    return jpeg(np.clip(out, 0, 255).astype(np.uint8), int(rng.integers(30, 61)))


def other_light(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Other light and optics: gamma, brightness, white balance, a soft lens, JPEG."""
    out = image.astype(np.float32) / 255.0
    out = out ** rng.uniform(0.7, 1.4)
    out *= rng.uniform(0.75, 1.25)
    out *= rng.uniform(0.85, 1.15, 3).astype(np.float32)  # per BGR channel
    out8 = np.clip(out * 255.0, 0, 255).astype(np.uint8)
    sigma = rng.uniform(0.6, 1.8)
    return jpeg(np.asarray(cv2.GaussianBlur(out8, (0, 0), sigma), np.uint8), int(rng.integers(30, 61)))


def mild(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Both kinds at milder strengths in one copy: down-scale 0.6-0.85, light and colour within 10%, a touch of blur, JPEG 60-85."""
    h, w = image.shape[:2]
    s = rng.uniform(0.6, 0.85)
    small = cv2.resize(image, (max(8, round(w * s)), max(8, round(h * s))), interpolation=cv2.INTER_AREA)
    out = (cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32) / 255.0) ** rng.uniform(0.85, 1.15)
    out *= rng.uniform(0.9, 1.1) * rng.uniform(0.93, 1.07, 3).astype(np.float32)
    out8 = np.clip(out * 255.0 + rng.normal(0.0, 2.0, out.shape), 0, 255).astype(np.uint8)
    sigma = rng.uniform(0.0, 0.8)
    if sigma > 0.3:
        out8 = np.asarray(cv2.GaussianBlur(out8, (0, 0), sigma), np.uint8)
    return jpeg(out8, int(rng.integers(60, 86)))


AUGMENTS = (low_resolution, other_light)


def tight_crop(analyzer: FaceAnalyzer, image: np.ndarray) -> np.ndarray | None:
    """The largest face's detector box, square and 5% larger, at ``CROP`` px; None without a face."""
    faces = analyzer.analyze(image)
    if not faces:
        return None
    x1, y1, x2, y2 = (float(v) for v in faces[0].box[:4])
    cx, cy, side = (x1 + x2) / 2, (y1 + y2) / 2, max(x2 - x1, y2 - y1) * 1.05
    h, w = image.shape[:2]
    left, top = int(max(0, cx - side / 2)), int(max(0, cy - side / 2))
    right, bottom = int(min(w, cx + side / 2)), int(min(h, cy + side / 2))
    return cv2.resize(image[top:bottom, left:right], (CROP, CROP), interpolation=cv2.INTER_CUBIC)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--labels", type=Path, action="append", required=True)
    parser.add_argument("--copies", type=int, default=2, help=f"copies per photo, cycling through the {len(AUGMENTS)} degradations")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--crops", type=Path, metavar="PACK", help="write one tight face crop per photo instead (PACK's detector)")
    parser.add_argument("--mild", action="store_true", help="write one milder copy per photo instead (OUT/<source>/mild/)")
    args = parser.parse_args(argv)
    items = labelled_items(args.labels, None)
    analyzer = None
    if args.crops:
        pack = load_pack(args.crops)
        settings = load_settings(environ={}, overrides={"models": str(pack.root), "runtime.providers": "CPUExecutionProvider", "runtime.intra_op_threads": 1})
        analyzer = FaceAnalyzer.from_settings(pack, settings)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "labels.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["image", "label", "attack", "source"])
        for n, (path, live, source) in enumerate(items, start=1):
            image = load_image(path)
            name = f"{path.parent.name}_{path.stem}"
            outputs: list[tuple[Path, np.ndarray | None]]
            if analyzer is not None:
                outputs = [(Path(source) / "crop" / f"{name}.jpg", tight_crop(analyzer, image))]
            elif args.mild:
                outputs = [(Path(source) / "mild" / f"{name}.png", mild(image, rng_for(args.seed, 2, path)))]
            else:
                outputs = [
                    (Path(source) / str(copy) / f"{name}.png", AUGMENTS[copy % len(AUGMENTS)](image, rng_for(args.seed, copy, path)))
                    for copy in range(args.copies)
                ]
            for rel, copied in outputs:
                if copied is None:  # no face to crop
                    continue
                (args.out / rel).parent.mkdir(parents=True, exist_ok=True)
                cv2.imwrite(str(args.out / rel), copied, [cv2.IMWRITE_JPEG_QUALITY, 90] if rel.suffix == ".jpg" else [])
                writer.writerow([rel.as_posix(), "live" if live else "spoof", "" if live else source, source])
            if n % 200 == 0:
                print(f"augmented {n}/{len(items)}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
