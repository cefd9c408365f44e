"""What a model change without re-enrolling costs in accuracy (issue 24 section 3).

Each of the 13 deepface identities is enrolled from its first usable photo with the test pack
(its 112 px face crop kept, as the kiosk keeps it); every other single-face photo of them is
held out. A second pack is built from the test pack: its recognizer with a fixed random
orthonormal projection appended (``--dim=N`` values, default 128; 512 is a pure rotation: the
same geometry under another pack id). Then, with that pack active, the held-out photos are
identified against (a) templates migrated from the stored crops (``kiosk models migrate``'s
flow) and (b) templates enrolled from the original photos with the new pack, side by side:
accepted correctly, and top-1 correct whatever the band.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path

import numpy as np

from kiosk.config import load_settings
from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.embedder import FaceEmbedder
from kiosk.engine.pack import ModelPack, load_pack, resolve_pack
from kiosk.engine.pack_import import import_pack
from kiosk.errors import KioskError
from kiosk.flows.enroll import read_photos, save
from kiosk.flows.migrate import migrate
from kiosk.match.bands import effective_thresholds
from kiosk.match.types import Outcome
from kiosk.registry import Registry

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FACES = SHARED / "faces" / "deepface"


def projected_pack(pack: ModelPack, dest: Path, dim: int = 128, seed: int = 7) -> Path:
    """The test pack with its recognizer's output projected to ``dim`` values: a new recognizer
    (another hash, another pack id, perhaps another embedding size), built, never downloaded."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    src = dest / "src"
    src.mkdir(parents=True)
    for entry in (pack.detector, *pack.liveness):
        shutil.copy(pack.path(entry), src / entry.file)
    model = onnx.load(str(pack.path(pack.recognizer)))
    graph = model.graph
    out = graph.output[0]
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((pack.embedding_size, dim)))
    graph.initializer.append(numpy_helper.from_array(q.astype(np.float32), "kiosk_projection"))
    graph.node.append(helper.make_node("MatMul", [out.name, "kiosk_projection"], ["kiosk_projected"]))
    first = out.type.tensor_type.shape.dim[0]
    graph.output.remove(out)
    graph.output.append(helper.make_tensor_value_info("kiosk_projected", TensorProto.FLOAT, [first.dim_param or first.dim_value or 1, dim]))
    onnx.save(model, str(src / "recognizer_projected.onnx"))
    return import_pack(src, dest / "models", f"projected{dim}").root


def _photos() -> dict[str, list[Path]]:
    by_id: dict[str, list[Path]] = {}
    with open(FACES / "identities.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_id.setdefault(row["identity"], []).append(FACES / row["image"])
    return by_id


def _score(registry: Registry, analyzer: FaceAnalyzer, held: list[tuple[str, Path]]) -> tuple[int, int, int, float]:
    """Accepted correctly, top-1 correct, photos tried, mean score of the right person when top-1."""
    accepted = top1 = tried = 0
    scores: list[float] = []
    for pid, photo in held:
        try:
            probe = analyzer.embed_image(photo, policy="single").embedding
        except KioskError:
            continue
        tried += 1
        decision = registry.identify(probe)
        right = decision.person is not None and decision.person.external_id == pid
        top1 += right
        accepted += right and decision.outcome == Outcome.ACCEPT
        if right:
            scores.append(decision.score)
    return accepted, top1, tried, float(np.mean(scores)) if scores else float("nan")


def main(argv: list[str]) -> str:
    dim = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--dim=")), 128)
    work = Path(tempfile.mkdtemp(prefix="kiosk-migrate-bench-"))
    try:
        old_settings = load_settings(data_dir=work / "a", overrides={"models": str(SHARED / "models" / "test-pack")})
        old_pack = resolve_pack(old_settings)
        old_analyzer = FaceAnalyzer.from_settings(old_pack, old_settings)
        new_pack = load_pack(projected_pack(old_pack, work / "pack", dim))
        held: list[tuple[str, Path]] = []
        enrolled: dict[str, Path] = {}
        with Registry.open(old_settings, old_pack) as registry:
            for pid, photos in _photos().items():
                for i, photo in enumerate(photos):
                    batch = read_photos(old_analyzer, [photo])
                    if batch.observations:
                        save(registry, pid, pid, batch.template(registry.bands.low), face=batch.best_crop, allow_duplicate=True)
                        enrolled[pid] = photo
                        held += [(pid, p) for p in photos[i + 1 :]]
                        break
            new_settings = load_settings(data_dir=work / "a", overrides={"models": str(new_pack.root)})
            embedder = FaceEmbedder(new_pack, ["CPUExecutionProvider"], 0)
            report = migrate(
                registry, embedder, new_pack, duplicate=effective_thresholds(new_pack.thresholds, new_settings.match).duplicate,
                min_sharpness=new_settings.login.min_sharpness,
            )
        new_analyzer = FaceAnalyzer.from_settings(new_pack, new_settings)
        with Registry.open(new_settings, new_pack) as migrated:
            from_crops = _score(migrated, new_analyzer, held)
        photo_settings = load_settings(data_dir=work / "b", overrides={"models": str(new_pack.root)})
        with Registry.open(photo_settings, new_pack) as direct:
            for pid, photo in enrolled.items():
                batch = read_photos(new_analyzer, [photo])
                save(direct, pid, pid, batch.template(direct.bands.low), allow_duplicate=True)
            from_photos = _score(direct, new_analyzer, held)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [
        "## Model migration from stored crops (issue 24)\n",
        f"New pack: the test pack's recognizer projected to {dim} values ({new_pack.id}); {len(enrolled)} people enrolled "
        f"from one photo each, {from_crops[2]} held-out photos; migrated {report.migrated}, not migrated {len(report.unmigrated)}, "
        f"look-alike pairs {len(report.conflicts)}.\n",
        "| new pack's templates from | accepted correctly | top-1 correct | mean score of the right person |",
        "|---|---:|---:|---:|",
        f"| the stored 112 px crops (`kiosk models migrate`) | {from_crops[0]}/{from_crops[2]} | {from_crops[1]}/{from_crops[2]} | {from_crops[3]:.3f} |",
        f"| the original photos (re-enrolling) | {from_photos[0]}/{from_photos[2]} | {from_photos[1]}/{from_photos[2]} | {from_photos[3]:.3f} |",
    ]
    return "\n".join(rows)
