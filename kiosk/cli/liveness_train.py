"""``kiosk liveness train``: measure labelled photos once, train the fusion held out by source, write a verified pack."""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.cli.context import CliContext, emit_json
from kiosk.cli.models_cmd import _pack_folder
from kiosk.engine.pack import ModelPack, load_pack
from kiosk.engine.pad_eval import LIVE, LabelledImage, read_labels
from kiosk.engine.pad_fusion import SELECTED_RUNS
from kiosk.engine.pad_train import TrainedFusion, is_embedding
from kiosk.errors import KioskError

LISTED = 5  # missing images named in an error before "and N more"


def labelled_items(csv_paths: list[Path], root: Path | None) -> list[tuple[Path, bool, str]]:
    """``(image path, live, source)`` of every row; a bad row or a missing image is an error naming them all at once.

    The source is the row's ``source`` column, else its CSV's folder name when several CSVs are
    given (each is then held out in turn), else one source (held out in blocks of file order).
    """
    items: list[tuple[Path, bool, str]] = []
    problems: list[str] = []
    missing: list[str] = []
    for csv_path in csv_paths:
        rows: list[LabelledImage] = read_labels(csv_path)
        if not rows:
            raise KioskError(f"{csv_path}: no rows", hint="the header must be image,label[,attack][,source]")
        base = root or csv_path.parent
        for row in rows:
            if row.problem:
                problems.append(f"{csv_path}: {row.problem}")
                continue
            path = base / row.image
            if not path.is_file():
                missing.append(str(path))
                continue
            source = row.source or (csv_path.parent.name if len(csv_paths) > 1 else "all")
            items.append((path, row.label == LIVE, source))
    if problems:
        raise KioskError(f"{len(problems)} bad row(s): " + "; ".join(problems[:LISTED]) + _more(problems), hint="label must be live or spoof")
    if missing:
        raise KioskError(
            f"{len(missing)} image(s) not found: " + ", ".join(missing[:LISTED]) + _more(missing),
            hint="image paths are relative to each CSV's folder unless --root DIR is given",
        )
    labels = {live for _, live, _ in items}
    if labels != {True, False}:
        raise KioskError("training needs both live and spoof rows", hint="label each row live or spoof")
    return items


def _more(listed: list[str]) -> str:
    return f" and {len(listed) - LISTED} more" if len(listed) > LISTED else ""


RATE_WINDOW = 50  # recent photos the rate is measured over: cached photos at the start of a resumed run do not count


def progress_line(verb: str, every: int = 100, clock: Callable[[], float] = time.monotonic) -> Callable[[int, int, str], None]:
    """A ``(done, total, current)`` callback writing the count, the rate and the time left to stderr.

    The rate is over the last ``RATE_WINDOW`` photos, so a resumed build whose first photos come
    from the cache soon shows the true rate. On a terminal one line is rewritten; else a line
    every ``every`` photos.
    """
    tty = sys.stderr.isatty()
    recent: deque[tuple[float, int]] = deque(maxlen=RATE_WINDOW)

    def show(done: int, total: int, current: str) -> None:
        now = clock()
        recent.append((now, done))
        (t0, d0) = recent[0]
        rate = (done - d0) / (now - t0) if now > t0 and done > d0 else None
        pace = "" if rate is None else f"  {rate:.1f}/s, {duration((total - done) / rate)} left"
        if tty:
            sys.stderr.write(f"\r{verb} {done}/{total}{pace}  {current[-40:]}\x1b[K" + ("\n" if done == total else ""))
        elif done == total or done % every == 0:
            sys.stderr.write(f"{verb} {done}/{total}{pace}\n")
        sys.stderr.flush()

    return show


def duration(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def out_folder(ctx: CliContext, spec: str) -> Path:
    """A bare name is a pack under ``<data dir>/models`` (where ``kiosk run`` finds installed packs); else a path."""
    path = Path(spec).expanduser()
    if len(path.parts) == 1 and not spec.startswith("."):
        return ctx.settings.data_dir / "models" / spec
    return path


@dataclass(frozen=True)
class TrainedPack:
    """What ``train_pack`` wrote and measured: the pack, its fusion with the held-out figures, the photos used and left out."""

    pack: ModelPack
    trained: TrainedFusion
    images: int
    skipped: tuple[tuple[str, str], ...]


def train_pack(
    source: ModelPack,
    items: list[tuple[Path, bool, str]],
    out: Path,
    data_dir: Path,
    cache: Path,
    runs: int = SELECTED_RUNS,
    measuring: Callable[[int, int, str], None] | None = None,
    held_out: Callable[[int, int, str], None] | None = None,
) -> TrainedPack:
    """Measure ``items`` once into ``cache``, train the fusion held out by source, write a verified pack at ``out``.

    The one training path: ``kiosk liveness train`` and ``kiosk liveness build-default`` both run it.
    """
    from kiosk.config import load_settings
    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.engine.pad_features import measure_rows, trainable_names
    from kiosk.engine.pad_train import columns, train_fusion, write_trained_pack

    settings = load_settings(
        data_dir=data_dir, environ={}, overrides={"models": str(source.root), "runtime.providers": "CPUExecutionProvider"}
    )
    analyzer = FaceAnalyzer.from_settings(source, settings)
    if not analyzer.liveness_checker.available:
        raise KioskError(f"{source.root}: the pack has no liveness model to train a fusion on")
    skipped: list[tuple[str, str]] = []
    names, rows = measure_rows(analyzer, items, cache, measuring, skipped)
    # the kiosk computes the model runs and its own scene cues; the other measured cues did not help
    trainable = trainable_names(analyzer.liveness_checker)
    x = columns(names, np.asarray([r.values for r in rows]), trainable)
    trained = train_fusion(trainable, x, [r.live for r in rows], [r.source for r in rows], runs, progress=held_out)
    return TrainedPack(write_trained_pack(source, trained, out), trained, len(rows), tuple(skipped))


def run_train(ctx: CliContext) -> int:
    args = ctx.args
    if args.runs < 1:
        raise KioskError(f"--runs {args.runs}: must be at least 1")
    items = labelled_items([Path(p) for p in args.labels], Path(args.root) if args.root else None)
    out = out_folder(ctx, args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise KioskError(f"{out}: already exists and is not empty", hint="give --out a new folder")
    pack = load_pack(_pack_folder(ctx, args.pack))
    cache = Path(args.cache).expanduser() if args.cache else ctx.settings.data_dir / "cache"
    result = train_pack(pack, items, out, ctx.settings.data_dir, cache, args.runs, progress_line("measuring"), progress_line("held out", 1))
    print_report(result, args.json)
    return 0


def print_report(result: TrainedPack, as_json: bool) -> None:
    """The skipped photos on stderr, then the held-out table (or its JSON) on stdout."""
    for image, why in result.skipped:
        print(f"skipped {image}: {why}", file=sys.stderr)
    report = _report(result.trained, result.pack.root, result.images, list(result.skipped))
    if as_json:
        emit_json(report)
    else:
        print(format_train(report))


def _report(trained: TrainedFusion, out: Path, used: int, skipped: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "pack": str(out),
        "images": used,
        "skipped": [{"image": i, "why": w} for i, w in skipped],
        "features": list(trained.features),
        "thresholds": {"liveness": trained.liveness, "liveness_low": trained.liveness_low, "liveness_high": trained.liveness_high},
        **trained.held_out.to_dict(),
    }


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def short_features(names: Sequence[str]) -> list[str]:
    """``names`` with each run's embedding dimensions shown once as ``<file>@<scale>:e0..e127`` (a fusion reads 512 of them)."""
    out: list[str] = []
    first: dict[str, int] = {}  # a run's place in ``out``
    for name in names:
        if not is_embedding(name):
            out.append(name)
            continue
        run, _, dim = name.rpartition(":")
        if run not in first:
            first[run] = len(out)
            out.append(f"{run}:{dim}")
        else:
            out[first[run]] = f"{out[first[run]].partition('..')[0]}..{dim}"
    return out


def format_train(report: dict[str, Any]) -> str:
    t = report["thresholds"]
    lines = [
        f"written:    {report['pack']} (hash-verified)",
        f"images:     {report['images']} used, {len(report['skipped'])} skipped",
        f"features:   {', '.join(short_features(report['features']))}",
        f"thresholds: liveness {t['liveness']:.2f} (BPCER <= 5% held out); adaptive band {t['liveness_low']:.2f} .. {t['liveness_high']:.2f}",
        f"held out ({report['held_out']}), each at the threshold chosen without it:",
        "  source                live  spoof | standard: threshold  APCER   BPCER | adaptive: band        APCER   BPCER   turn",
    ]
    for f in report["sources"]:
        a = f["adaptive"]
        band = f"{a['band'][0]:.2f}..{a['band'][1]:.2f}"
        lines.append(
            f"  {f['source'][:20]:20} {f['live']:5} {f['spoof']:6} | {f['threshold']:19.2f}  {_pct(f['apcer']):7} {_pct(f['bpcer']):7}"
            f" | {band:>15}  {_pct(a['apcer']):7} {_pct(a['bpcer']):7} {_pct(a['asked_to_turn'])}"
        )
    return "\n".join(lines)
