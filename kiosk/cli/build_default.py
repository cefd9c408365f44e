"""``kiosk liveness build-default``: the pack the README's first command runs, built once on this machine.

Trained weights are never committed or shipped (the attack sets carry no licence), so each machine
builds its own from ``../shared``: the test pack's files plus the CelebA-Spoof model, assembled by
``kiosk models import``'s code, trained on spoof-context and NUAA by ``kiosk liveness train``'s code
(``train_pack``). Every photo's features go to ``<data dir>/cache`` as they are measured, so a build
that is stopped resumes where it was; the pack is written beside its place and renamed into it, so
a stop never leaves a half pack under its name. Once built, the command returns at once.
"""

from __future__ import annotations

import errno
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk import paths
from kiosk.cli.context import CliContext
from kiosk.cli.liveness_train import TrainedPack, duration, labelled_items, print_report, progress_line, train_pack
from kiosk.engine.pack import MANIFEST, ModelPack, load_pack, write_manifest
from kiosk.engine.pack_import import import_files
from kiosk.engine.pad_fusion import SELECTED_RUNS
from kiosk.errors import KioskError, ModelPackError

DEFAULT_NAME = "pad-trained"
TEST_PACK = Path("models/test-pack")
EXTRA_MODEL = Path("models/liveness-extra/minifas_celeba_128.onnx")
TRAIN_LABELS = (Path("faces/spoof-context/labels.csv"), Path("faces/spoof-dev/print-nuaa/labels.csv"))
NEEDS_MB = 60  # the source pack, the new pack and the feature cache, with room to spare
SHARED_HINT = "put the shared folder beside this checkout (../shared) or pass --shared DIR"


@dataclass(frozen=True)
class BuildResult:
    """The pack under its name, and what was trained now (None: it was built before and nothing was measured)."""

    pack: ModelPack
    trained: TrainedPack | None


def default_shared() -> Path:
    """``../shared`` beside the checkout, where the models and labelled photos live."""
    return paths.resources_dir().parent.parent / "shared"


def check_name(name: str) -> str:
    """A pack name is one plain folder name under ``<data dir>/models`` (what ``--models NAME`` finds)."""
    if not name or name != Path(name).name or name.startswith(".") or "\\" in name:
        raise KioskError(f"--name {name!r}: not a plain pack name", hint=f"a folder name such as {DEFAULT_NAME}, no path")
    return name


def source_models(shared: Path) -> list[Path]:
    """The test pack's ONNX files and the CelebA-Spoof model: the source pack docs/capture.md documents."""
    if not shared.is_dir():
        raise KioskError(f"{shared}: the shared folder is not there", hint=SHARED_HINT)
    folder = shared / TEST_PACK
    files = sorted(folder.glob("*.onnx")) if folder.is_dir() else []
    if not files:
        raise KioskError(f"{folder}: no test pack models (*.onnx) there", hint=SHARED_HINT)
    extra = shared / EXTRA_MODEL
    if not extra.is_file():
        raise KioskError(f"{extra}: model not found", hint=SHARED_HINT)
    return [*files, extra]


def training_labels(shared: Path) -> list[Path]:
    """spoof-context's and NUAA's labels; a missing one is named."""
    files = [shared / p for p in TRAIN_LABELS]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise KioskError(f"labelled attacks not found: {', '.join(missing)}", hint=SHARED_HINT)
    return files


def as_test_pack(source: ModelPack, test: ModelPack) -> ModelPack:
    """The assembled source pack under the test pack's name, face thresholds and licence.

    Its recognizer is the test pack's own file, so the embedding space is the same: people
    enrolled under the test pack keep their templates, and the face thresholds calibrated for
    that recognizer still hold (an imported pack's defaults, 0.45 / 0.30 uncalibrated, would
    change who is accepted). Only the passive check is new.
    """
    if source.recognizer.sha256 != test.recognizer.sha256:
        raise KioskError(f"{source.root}: its recognizer is not the test pack's", hint=SHARED_HINT)
    pack = replace(
        source,
        name=test.name,
        thresholds=test.thresholds,
        calibrated=test.calibrated,
        licence=f"{test.licence} {EXTRA_MODEL.name}: Apache-2.0 (trained on CelebA-Spoof).",
    )
    write_manifest(pack, source.root / MANIFEST)
    return load_pack(source.root)


def built(out: Path) -> ModelPack:
    """The pack already at ``out``, hash-verified and carrying a trained fusion, or an error saying how to replace it."""
    try:
        pack = load_pack(out)
    except ModelPackError as exc:
        raise KioskError(f"{out}: not a usable pack ({exc.message})", hint="--rebuild builds it again") from None
    if pack.liveness_fusion is None:
        raise KioskError(f"{out}: a pack without a trained liveness fusion", hint="--rebuild replaces it, or give another --name")
    return pack


def build_default(
    data_dir: Path,
    shared: Path,
    name: str = DEFAULT_NAME,
    rebuild: bool = False,
    labels: Sequence[Path] | None = None,
    runs: int = SELECTED_RUNS,
    measuring: Callable[[int, int, str], None] | None = None,
    held_out: Callable[[int, int, str], None] | None = None,
) -> BuildResult:
    """``<data dir>/models/<name>``: returned as it is when built before, else assembled, trained and written.

    ``labels`` replaces the shared training labels (tests train on a few photos with it).
    """
    out = data_dir / "models" / check_name(name)
    if out.exists() and not rebuild:
        return BuildResult(built(out), None)
    models = source_models(shared)
    items = labelled_items(list(labels) if labels else training_labels(shared), None)
    cache = data_dir / "cache"
    work = cache / f"build-{name}"  # not under models/: an unfinished build is never a pack the kiosk could pick
    try:
        shutil.rmtree(work, ignore_errors=True)
        source = as_test_pack(import_files(models, work, f"{name}-source", str(shared)), load_pack(shared / TEST_PACK))
        fresh = work / "new" / name if out.exists() else out
        trained = train_pack(source, items, fresh, data_dir, cache, runs, measuring, held_out)
        if fresh != out:
            out.rename(work / "old")
            fresh.rename(out)
        shutil.rmtree(work, ignore_errors=True)
        pack = load_pack(out)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise KioskError(
                f"the disk holding {data_dir} is full",
                hint=f"free about {NEEDS_MB} MB, or pass --data-dir on another disk; the photos measured so far are kept in {cache}",
            ) from None
        raise KioskError(
            f"{exc.filename or data_dir}: {exc.strerror or exc}",
            hint="the data folder must be writable, and no kiosk may be running on the pack --rebuild replaces",
        ) from None
    return BuildResult(pack, replace(trained, pack=pack))


def run_build_default(ctx: CliContext) -> int:
    args = ctx.args
    shared = Path(args.shared).expanduser() if args.shared else default_shared()
    started = time.monotonic()
    result = build_default(
        ctx.settings.data_dir,
        shared,
        args.name,
        args.rebuild,
        labels=[Path(p) for p in args.labels] if args.labels else None,
        measuring=progress_line("measuring"),
        held_out=progress_line("held out", 1),
    )
    if result.trained is None:
        print(f"ready: {result.pack.root} (built before, hash-verified; --rebuild builds it again)")
    else:
        print_report(result.trained, as_json=False)
        print(f"built in {duration(time.monotonic() - started)}")
    data_dir = f" --data-dir {args.data_dir}" if args.data_dir else ""
    print(f"run the kiosk with it: kiosk{data_dir} --models {args.name} run")
    return 0
