"""A pack variant: the active pack's models with another liveness fusion and its liveness thresholds.

A taught fusion (``pad_train.train_fusion`` via ``site_liveness``) becomes a complete pack folder of its own under
``<data>/models/``: every model of the active pack except its old fusion, copied, plus the
new fusion, with a hash-verified manifest, exactly what ``load_pack`` expects. The manifest
keeps the active pack's *name*: ``pack.id`` (name + recognizer hash) is stamped on every
stored template, so the same recognizer under the same name never asks anyone to re-enroll.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kiosk.clock import utc_now
from kiosk.engine.pack import ModelPack
from kiosk.engine.pad_train import TrainedFusion, write_trained_pack

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

    ``pad_train.write_trained_pack`` (staged, hash-verified, renamed into place, the pack's name
    kept), with the trained thresholds rounded to 4 places: ``liveness`` (standard) and the adaptive
    band (``liveness_low``, ``liveness_high``), so every security level works with the taught pack.
    """
    rounded = replace(
        trained,
        liveness=round(float(trained.liveness), 4),
        liveness_low=round(float(trained.liveness_low), 4),
        liveness_high=round(float(trained.liveness_high), 4),
    )
    return write_trained_pack(pack, rounded, target, fusion_file=FUSION_FILE)
