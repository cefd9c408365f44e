"""Turning a folder or zip of ONNX files into a pack: each file's role read from its graph.

Roles are recognised from input and output shapes, not file names, so InsightFace's
``buffalo_l``/``buffalo_s`` folders and renamed files import alike.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import onnx

from kiosk.engine.pack import (
    DETECTOR,
    FEATURES_KEY,
    LIVENESS,
    LIVENESS_FUSION,
    MANIFEST,
    REFLECT,
    RECOGNIZER,
    ModelPack,
    PackFile,
    Thresholds,
    liveness_crop_scale,
    write_manifest,
)
from kiosk.errors import ModelPackError
from kiosk.fsutil import sha256_file

SCRFD_OUTPUTS_WITH_KEYPOINTS = (9, 15)
SCRFD_OUTPUTS_WITHOUT_KEYPOINTS = (6, 10)
NORMALIZING_OPS = ("Sub", "Mul")


@dataclass(frozen=True)
class GraphShape:
    input_dims: tuple[int | None, ...]  # None for symbolic dims
    output_dims: tuple[tuple[int | None, ...], ...]
    first_ops: tuple[str, ...]
    metadata: tuple[tuple[str, str], ...] = ()


def read_graph_shape(path: Path) -> GraphShape:
    try:
        model = onnx.load(str(path), load_external_data=False)
    except Exception as exc:  # onnx raises DecodeError and friends
        raise ModelPackError(f"{path.name}: not a readable ONNX model ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    initializers = {i.name for i in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initializers]
    if len(inputs) != 1:
        raise ModelPackError(f"{path.name}: expected one image input, found {len(inputs)}")

    def dims(value_info: onnx.ValueInfoProto) -> tuple[int | None, ...]:
        return tuple(d.dim_value if d.HasField("dim_value") else None for d in value_info.type.tensor_type.shape.dim)

    return GraphShape(
        input_dims=dims(inputs[0]),
        output_dims=tuple(dims(o) for o in model.graph.output),
        first_ops=tuple(n.op_type for n in model.graph.node[:8]),
        metadata=tuple((p.key, p.value) for p in model.metadata_props),
    )


def classify(name: str, shape: GraphShape, sha256: str) -> PackFile:
    """The ``PackFile`` for one model, or a ``ModelPackError`` naming the file and why."""
    d = shape.input_dims
    if len(d) == 2 and len(shape.output_dims) == 1:
        return _fusion(name, shape, sha256)
    if len(d) != 4 or d[1] != 3:
        raise ModelPackError(f"{name}: wrong input shape {list(d)}; expected [N, 3, H, W]")
    height, width = d[2], d[3]
    outputs = shape.output_dims
    fixed = (height, width) if height and width else None
    if len(outputs) in SCRFD_OUTPUTS_WITH_KEYPOINTS:
        return PackFile(DETECTOR, name, sha256, color="RGB", mean=127.5, std=128.0, input_size=fixed)
    if len(outputs) in SCRFD_OUTPUTS_WITHOUT_KEYPOINTS:
        raise ModelPackError(f"{name}: a face detector without keypoints; alignment needs a 5-keypoint detector (SCRFD *_kps)")
    if len(outputs) != 1:
        raise ModelPackError(f"{name}: unknown role (input {list(d)}, {len(outputs)} outputs)")
    out = outputs[0]
    last = out[-1] if out else None
    if height == width == 112 and last and last >= 64:
        normalizes_inside = any(op in NORMALIZING_OPS for op in shape.first_ops)
        mean, std = (0.0, 1.0) if normalizes_inside else (127.5, 127.5)
        return PackFile(RECOGNIZER, name, sha256, color="RGB", mean=mean, std=std, input_size=(112, 112))
    if height == width == 80 and last in (2, 3):
        scale = liveness_crop_scale(name)
        if scale is None:
            raise ModelPackError(f"{name}: liveness model with unknown crop scale; name it like 2.7_80x80_MiniFASNetV2.onnx")
        return PackFile(LIVENESS, name, sha256, color="BGR", mean=0.0, std=1.0, input_size=(80, 80), crop_scale=scale, live_index=1)
    if height == width == 128 and last == 2:
        # The CelebA-Spoof MiniFAS of face-antispoof-onnx (../shared/models/liveness-extra/README.md):
        # a square crop of 1.5x the box, mirrored past the frame, RGB / 255, logits [real, spoof].
        return PackFile(LIVENESS, name, sha256, color="RGB", mean=0.0, std=255.0, input_size=(128, 128), crop_scale=1.5, live_index=0, fill=REFLECT)
    if height == width == 192 and last in (212, 3309):
        return PackFile("landmark_2d" if last == 212 else "landmark_3d", name, sha256, input_size=(192, 192))
    if height == width == 96 and last == 3:
        return PackFile("attributes", name, sha256, input_size=(96, 96))
    raise ModelPackError(f"{name}: unknown role (input {list(d)}, output {list(out)})")


def _fusion(name: str, shape: GraphShape, sha256: str) -> PackFile:
    """A ``[N, F]`` -> live probability model; its ``F`` input names come from its metadata."""
    listed = dict(shape.metadata).get(FEATURES_KEY, "")
    features = tuple(f.strip() for f in listed.split(",") if f.strip())
    if not features:
        raise ModelPackError(f"{name}: a [N, F] model without the {FEATURES_KEY!r} metadata; train it with scripts/train_liveness_fusion.py")
    if shape.input_dims[1] not in (None, len(features)):
        raise ModelPackError(f"{name}: input has {shape.input_dims[1]} features but its metadata lists {len(features)}")
    return PackFile(LIVENESS_FUSION, name, sha256, mean=0.0, std=1.0, features=features)


def _collect_sources(src: Path, staging: Path) -> list[Path]:
    """The ONNX files of a folder, or of a zip extracted (safely) into ``staging``."""
    if src.is_dir():
        return sorted(src.rglob("*.onnx"))
    if src.is_file() and zipfile.is_zipfile(src):
        staging.mkdir(parents=True, exist_ok=True)
        out = []
        with zipfile.ZipFile(src) as archive:
            for member in archive.infolist():
                base = Path(member.filename).name
                if member.is_dir() or not base.lower().endswith(".onnx"):
                    continue
                target = staging / base  # flattened: no path from the archive is trusted
                with archive.open(member) as fin, open(target, "wb") as fout:
                    shutil.copyfileobj(fin, fout)
                out.append(target)
        return sorted(out)
    raise ModelPackError(f"{src}: not a folder or a zip file of ONNX models")


def import_pack(src: Path, dest_root: Path, name: str | None = None) -> ModelPack:
    """Copy the models of a folder or zip into ``dest_root/<name>`` and write a manifest for them."""
    src = Path(src).expanduser().resolve()
    name = name or (src.stem if src.is_file() else src.name)
    staging = dest_root / f".{name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        return import_files(_collect_sources(src, staging), dest_root, name, str(src))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def import_files(sources: Sequence[Path], dest_root: Path, name: str, origin: str) -> ModelPack:
    """Copy ONNX files from anywhere into ``dest_root/<name>`` as one pack (``origin`` names them in errors).

    ``kiosk liveness build-default`` assembles its source pack from two shared folders with this,
    the code ``kiosk models import`` runs, rather than a hand-copied folder.
    """
    if not sources:
        raise ModelPackError(f"{origin}: no .onnx files found")
    dest = dest_root / name
    entries = []
    for path in sources:
        digest = sha256_file(path)
        entries.append((path, classify(path.name, read_graph_shape(path), digest)))
    roles = [e.role for _, e in entries]
    for role in (DETECTOR, RECOGNIZER):
        if roles.count(role) != 1:
            raise ModelPackError(f"{origin}: a pack needs exactly one {role}, found {roles.count(role)}")
    recognizer_path = next(p for p, e in entries if e.role == RECOGNIZER)
    embedding_size = read_graph_shape(recognizer_path).output_dims[0][-1]
    if embedding_size is None:
        raise ModelPackError(f"{recognizer_path.name}: the embedding length is symbolic", hint="export the recognizer with a fixed output size")
    dest.mkdir(parents=True, exist_ok=True)
    for path, _ in entries:
        if path.resolve() != (dest / path.name).resolve():
            shutil.copy2(path, dest / path.name)
    pack = ModelPack(
        name=name,
        root=dest,
        embedding_size=embedding_size,
        files=tuple(e for _, e in entries),
        thresholds=Thresholds(),
        licence="Set by the operator: use only models you are licensed to use.",
        calibrated=False,
    )
    write_manifest(pack, dest / MANIFEST)
    pack.verify()
    return pack
