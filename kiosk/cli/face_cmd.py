"""``kiosk embed`` and ``kiosk compare``: the engine on photos."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.context import CliContext, emit_json
from kiosk.engine.images import IMAGE_EXTENSIONS
from kiosk.errors import KioskError
from kiosk.match.bands import Bands


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("embed", help="detect, grade and embed the face in each photo")
    p.add_argument("target", type=Path, help="an image, or a folder of images")
    p.add_argument("--json", action="store_true", help="one JSON object with every image, embeddings included")
    p.set_defaults(func=cmd_embed)

    p = subparsers.add_parser("compare", help="similarity of the faces in two photos and the band it falls in")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_compare)


def image_paths(target: Path) -> list[Path]:
    """The image itself, or the images of a folder (recursively, sorted)."""
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS)
    return [target]


def cmd_embed(ctx: CliContext) -> int:
    results: list[dict[str, Any]] = []
    failures = 0
    for path in image_paths(ctx.args.target):
        try:
            obs = ctx.analyzer.embed_image(path, policy="largest")
        except KioskError as exc:
            failures += 1
            results.append({"image": str(path), "error": str(exc)})
            if not ctx.args.json:
                print(f"error: {exc}", file=sys.stderr)
            continue
        embedding = obs.embedded()
        row = {"image": str(path), "face": obs.to_dict(), "embedding": [round(float(v), 6) for v in embedding]}
        results.append(row)
        if not ctx.args.json:
            reasons = ", ".join(obs.reasons) or "passes login gates"
            print(f"{path}: {len(embedding)}-d embedding, quality {obs.quality:.2f} ({reasons})")
    if ctx.args.json:
        emit_json({"pack": ctx.pack.id, "images": results})
    if not results:
        print(f"{ctx.args.target}: no images found", file=sys.stderr)
        return 4
    return 4 if failures else 0


def cmd_compare(ctx: CliContext) -> int:
    a = ctx.analyzer.embed_image(ctx.args.a, policy="largest")
    b = ctx.analyzer.embed_image(ctx.args.b, policy="largest")
    score = float(a.embedded() @ b.embedded())
    bands = Bands.from_settings(ctx.pack.thresholds, ctx.settings.match)
    verdict = bands.outcome(score)
    t = bands
    if ctx.args.json:
        emit_json({"score": round(score, 4), "band": verdict, "high": t.high, "low": t.low, "pack": ctx.pack.id})
    else:
        words = {"accept": "same person", "retry": "uncertain", "reject": "different people"}[verdict]
        print(f"score {score:.3f}: {verdict} ({words}; high {t.high:.2f}, low {t.low:.2f})")
    return 0
