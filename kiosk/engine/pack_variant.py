"""A pack variant: the active pack's models with another liveness fusion and its liveness thresholds.

A taught fusion (``pad_train.train_fusion`` via ``site_liveness``) becomes a complete pack folder of its own under
``<data>/models/``: every model of the active pack except its old fusion, copied, plus the
new fusion, with a hash-verified manifest, exactly what ``load_pack`` expects. The manifest
keeps the active pack's *name*: ``pack.id`` (name + recognizer hash) is stamped on every
stored template, so the same recognizer under the same name never asks anyone to re-enroll.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from kiosk.clock import utc_now
from kiosk.engine.pack import LIVENESS_FUSION, MANIFEST, ModelPack, load_pack, write_manifest
from kiosk.engine.pack_import import classify, read_graph_shape
from kiosk.engine.pad_train import TrainedFusion
from kiosk.fsutil import sha256_file

FUSION_FILE = "liveness_fusion_taught.onnx"


def variant_folder(models_dir: Path, pack: ModelPack) -> Path:
    """A new folder name for a taught variant of ``pack``: the pack's name and the time, never reused."""
    stamp = utc_now("seconds")[:19].replace("-", "").replace(":", "")
    target = models_dir / f"{pack.name}-taught-{stamp}"
    n = 1
    while target.exists():
        n += 1
        target = models_dir / f"{pack.name}-taught-{stamp}-{n}"
    return target


def write_variant(pack: ModelPack, trained: TrainedFusion, target: Path) -> ModelPack:
    """Write the variant into the new folder ``target`` and return it loaded and verified.

    Its thresholds are the trained ones: ``liveness`` (standard) and the adaptive band
    (``liveness_low``, ``liveness_high``), so every security level works with the taught pack.

    Written under a hidden staging name and renamed at the end, so a crash never leaves a
    half pack that the lookup could pick.
    """
    staging = target.parent / f".{target.name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        kept = [entry for entry in pack.files if entry.role != LIVENESS_FUSION]
        for entry in kept:
            shutil.copy2(pack.path(entry), staging / entry.file)
        fusion_path = staging / FUSION_FILE
        fusion_path.write_bytes(trained.onnx)
        fusion = classify(FUSION_FILE, read_graph_shape(fusion_path), sha256_file(fusion_path))
        variant = replace(
            pack,
            root=staging,
            files=(*kept, fusion),
            thresholds=replace(
                pack.thresholds,
                liveness=round(float(trained.liveness), 4),
                liveness_low=round(float(trained.liveness_low), 4),
                liveness_high=round(float(trained.liveness_high), 4),
            ),
            manifest_path=None,
        )
        write_manifest(variant, staging / MANIFEST)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return load_pack(target)
