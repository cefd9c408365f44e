"""Model packs: a folder of ONNX files described by a ``pack.toml`` manifest.

The manifest names each file's role, hash and input conventions, the embedding size
and the calibrated thresholds, so no code assumes a file name, a vector size or a
threshold. ``pack.id`` is stamped on every stored template: when the recognizer
changes, the id changes and the kiosk asks for re-enrollment instead of comparing
incompatible vectors.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

import tomli_w

from kiosk import paths
from kiosk.config import Settings
from kiosk.fsutil import atomic_write, sha256_file
from kiosk.engine.scene_cues import CUES as SCENE_CUES
from kiosk.errors import ModelPackError

import tomllib

MANIFEST = "pack.toml"
DETECTOR, RECOGNIZER, LIVENESS = "detector", "recognizer", "liveness"
# Optional: a small learned model that fuses the liveness models' scores into one (see liveness.py).
LIVENESS_FUSION = "liveness_fusion"
FEATURES_KEY = "kiosk.liveness_features"  # ONNX metadata of a fusion model: its inputs, comma-separated
# Models some packs carry that the kiosk recognises but does not run.
AUXILIARY = ("landmark_2d", "landmark_3d", "attributes")
ROLES = (DETECTOR, RECOGNIZER, LIVENESS, LIVENESS_FUSION, *AUXILIARY)
SHRINK, REFLECT = "shrink", "reflect"  # liveness crop beyond the frame: moved/shrunk inside it, or mirrored


@dataclass(frozen=True)
class PackFile:
    """One ONNX file of a pack and how to feed it."""

    role: str
    file: str
    sha256: str
    color: str = "RGB"  # channel order the model expects
    mean: float = 127.5
    std: float = 127.5
    input_size: tuple[int, int] | None = None  # (height, width) when fixed by the model
    crop_scale: float | None = None  # liveness: face box scale of the crop
    live_index: int = 1  # liveness: softmax index of the "real" class
    fill: str = SHRINK  # liveness: how a crop reaching past the frame is made (Silent-Face shrinks, others mirror)
    features: tuple[str, ...] = ()  # liveness_fusion: its inputs, "<liveness file>@<crop scale>", in order

    def to_toml(self) -> dict[str, Any]:
        out = {"role": self.role, "file": self.file, "sha256": self.sha256, "color": self.color, "mean": self.mean, "std": self.std}
        if self.input_size is not None:
            out["input_size"] = list(self.input_size)
        if self.crop_scale is not None:
            out["crop_scale"] = self.crop_scale
            out["live_index"] = self.live_index
        if self.fill != SHRINK:
            out["fill"] = self.fill
        if self.features:
            out["features"] = list(self.features)
        return out


@dataclass(frozen=True)
class Thresholds:
    """Cosine-similarity decision thresholds and the passive-liveness threshold."""

    high: float = 0.45
    low: float = 0.30
    liveness: float = 0.5
    # The 1:1 (card + face) accept threshold, calibrated at a stated FAR (``kiosk models
    # calibrate --verify-far``); None: verification uses ``high`` as identification does.
    verify: float | None = None

    # The ``adaptive`` security level's grey band (issue 20): a capture scoring below
    # ``liveness_low`` is refused, at or above ``liveness_high`` accepted as ``standard`` is, in
    # between asked for the head turn. A pack without a band (None) asks every capture at or above
    # ``liveness`` to turn, as ``strict`` does: no band is trusted that was not measured.
    liveness_low: float | None = None
    liveness_high: float | None = None

    @property
    def band_measured(self) -> bool:
        """Whether the pack carries an ``adaptive`` band chosen on held-out data (``auto`` then runs ``adaptive``)."""
        return self.liveness_low is not None and self.liveness_high is not None

    @property
    def band(self) -> tuple[float, float]:
        """(refuse below, accept from) for ``adaptive``; without a measured band, (liveness, above 1)."""
        low = self.liveness if self.liveness_low is None else self.liveness_low
        high = math.inf if self.liveness_high is None else self.liveness_high
        return low, high

    def to_toml(self) -> dict[str, Any]:
        out = {"high": self.high, "low": self.low, "liveness": self.liveness}
        if self.liveness_low is not None:
            out["liveness_low"] = self.liveness_low
        if self.liveness_high is not None:
            out["liveness_high"] = self.liveness_high
        if self.verify is not None:
            out["verify"] = self.verify
        return out


@dataclass(frozen=True)
class ModelPack:
    name: str
    root: Path
    embedding_size: int
    files: tuple[PackFile, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)
    licence: str = ""
    calibrated: bool = False
    manifest_path: Path | None = None

    @property
    def id(self) -> str:
        """Stable identity of the embedding space: pack name + recognizer hash prefix."""
        return f"{self.name}@{self.recognizer.sha256[:12]}"

    @property
    def detector(self) -> PackFile:
        return self._one(DETECTOR)

    @property
    def recognizer(self) -> PackFile:
        return self._one(RECOGNIZER)

    @property
    def liveness(self) -> tuple[PackFile, ...]:
        return tuple(f for f in self.files if f.role == LIVENESS)

    @property
    def liveness_fusion(self) -> PackFile | None:
        """The optional fusion model; its features must name this pack's liveness files."""
        found = [f for f in self.files if f.role == LIVENESS_FUSION]
        if len(found) > 1:
            raise ModelPackError(f"pack {self.name!r} has {len(found)} liveness_fusion models, at most one is allowed")
        if not found:
            return None
        names = {f.file for f in self.liveness}
        for feature in found[0].features:
            parsed = parse_feature(feature)
            if feature not in SCENE_CUES and (parsed is None or parsed.file not in names):
                raise ModelPackError(
                    f"pack {self.name!r}: {found[0].file} needs feature {feature!r}, "
                    f"which is not '<liveness file>@<scale>[:<class> or :e<dimension>]' of this pack nor a scene cue ({', '.join(SCENE_CUES)})"
                )
        return found[0]

    def _one(self, role: str) -> PackFile:
        found = [f for f in self.files if f.role == role]
        if len(found) != 1:
            raise ModelPackError(f"pack {self.name!r} needs exactly one {role}, has {len(found)}")
        return found[0]

    def path(self, entry: PackFile) -> Path:
        return self.root / entry.file

    def verify(self) -> None:
        """Every file present and matching its hash; the first problem raises, naming the file."""
        self._one(DETECTOR)
        self._one(RECOGNIZER)
        _ = self.liveness_fusion  # reading it checks that its features must be this pack's models
        for entry in self.files:
            target = self.path(entry)
            if not target.is_file():
                raise ModelPackError(f"{target}: missing from pack {self.name!r}")
            digest = sha256_file(target)
            if digest != entry.sha256:
                raise ModelPackError(
                    f"{target}: sha256 mismatch (expected {entry.sha256[:16]}…, found {digest[:16]}…); the file was altered or replaced"
                )

    def to_toml(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "licence": self.licence,
            "embedding_size": self.embedding_size,
            "calibrated": self.calibrated,
            "thresholds": self.thresholds.to_toml(),
            "models": [f.to_toml() for f in self.files],
        }

    def with_thresholds(self, thresholds: Thresholds) -> ModelPack:
        return replace(self, thresholds=thresholds, calibrated=True)


def parse_manifest(text: str, root: Path, origin: str) -> ModelPack:
    """A ``ModelPack`` from manifest text; a malformed manifest names the bad key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelPackError(f"{origin}: not valid TOML ({exc})") from None
    try:
        files = []
        for i, raw in enumerate(data["models"]):
            role = raw["role"]
            if role not in ROLES:
                raise ModelPackError(f"{origin}: models[{i}] ({raw.get('file')}): unknown role {role!r}")
            size = raw.get("input_size")
            files.append(
                PackFile(
                    role=role,
                    file=str(raw["file"]),
                    sha256=str(raw["sha256"]).lower(),
                    color=str(raw.get("color", "RGB")).upper(),
                    mean=float(raw.get("mean", 127.5)),
                    std=float(raw.get("std", 127.5)),
                    input_size=(int(size[0]), int(size[1])) if size else None,
                    crop_scale=float(raw["crop_scale"]) if "crop_scale" in raw else None,
                    live_index=int(raw.get("live_index", 1)),
                    fill=_choice(raw.get("fill", SHRINK), (SHRINK, REFLECT), f"{origin}: models[{i}].fill"),
                    features=tuple(str(x) for x in raw.get("features", ())),
                )
            )
        th = data.get("thresholds", {})
        thresholds = Thresholds(
            high=float(th.get("high", 0.45)),
            low=float(th.get("low", 0.30)),
            liveness=float(th.get("liveness", 0.5)),
            liveness_low=float(th["liveness_low"]) if "liveness_low" in th else None,
            liveness_high=float(th["liveness_high"]) if "liveness_high" in th else None,
            verify=float(th["verify"]) if "verify" in th else None,
        )
        pack = ModelPack(
            name=str(data["name"]),
            root=root,
            embedding_size=int(data["embedding_size"]),
            files=tuple(files),
            thresholds=thresholds,
            licence=str(data.get("licence", "")),
            calibrated=bool(data.get("calibrated", False)),
            manifest_path=Path(origin),
        )
    except KeyError as exc:
        raise ModelPackError(f"{origin}: missing key {exc.args[0]!r}") from None
    except (TypeError, ValueError, IndexError) as exc:
        raise ModelPackError(f"{origin}: malformed manifest ({exc})") from None
    if not thresholds.low <= thresholds.high:
        raise ModelPackError(f"{origin}: thresholds.low must be <= thresholds.high")
    band_low, band_high = thresholds.band
    if not band_low <= thresholds.liveness <= band_high:
        raise ModelPackError(f"{origin}: thresholds must satisfy liveness_low <= liveness <= liveness_high")
    return pack


def _choice(value: object, allowed: tuple[str, ...], key: str) -> str:
    if value not in allowed:
        raise ModelPackError(f"{key}: {value!r} is not one of {', '.join(allowed)}")
    return str(value)


class FeatureKind(Enum):
    """What a model-run feature of a fusion reads from one run of a liveness model."""

    LIVE_LOGIT = "live logit"  # ``<file>@<scale>``: log p_live / (1 - p_live)
    LOG_RATIO = "log ratio"  # ``<file>@<scale>:<k>``: log p_live - log p_k
    EMBEDDING = "embedding"  # ``<file>@<scale>:e<k>``: dimension k of the classifier's input (liveness_embedding)


@dataclass(frozen=True)
class Feature:
    """One parsed model-run feature name: which model, at which crop scale, and what of its run."""

    file: str
    scale: float
    kind: FeatureKind
    index: int | None = None  # the class k of a log ratio, the dimension k of an embedding

    @property
    def run(self) -> tuple[str, float]:
        return self.file, self.scale


@functools.cache
def parse_feature(feature: str) -> Feature | None:
    """``<file>@<scale>`` (the live logit), ``<file>@<scale>:<k>`` (log p_live - log p_k) or ``<file>@<scale>:e<k>``
    (embedding dimension k) -> its ``Feature``; None if malformed. Cached: a fusion's few hundred names
    are read on every sign-in frame and every training step."""
    name, _, rest = feature.rpartition("@")
    scale, _, other = rest.partition(":")
    if not name or not _is_number(scale):
        return None
    if not other:
        return Feature(name, float(scale), FeatureKind.LIVE_LOGIT)
    if other.isdigit():
        return Feature(name, float(scale), FeatureKind.LOG_RATIO, int(other))
    if other.startswith("e") and other[1:].isdigit():
        return Feature(name, float(scale), FeatureKind.EMBEDDING, int(other[1:]))
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_manifest(pack: ModelPack, target: Path) -> Path:
    """Write ``pack.toml`` atomically."""
    header = "# Face kiosk model pack manifest (written by `kiosk models import` / `calibrate`)\n"
    atomic_write(target, (header + tomli_w.dumps(pack.to_toml())).encode("utf-8"), mode=0o644)
    return target


def bundled_manifests() -> list[Path]:
    """Manifests shipped in ``resources/packs/<name>/pack.toml``."""
    root = paths.resources_dir() / "packs"
    return sorted(root.glob(f"*/{MANIFEST}")) if root.is_dir() else []


def load_pack(folder: Path, *, verify: bool = True) -> ModelPack:
    """Open the pack in ``folder``: its own ``pack.toml``, else a bundled manifest for it.

    A folder without a manifest (e.g. the read-only shared test pack) is matched with a
    manifest under ``resources/packs/`` of the same folder name, or whose files it holds.
    """
    folder = Path(folder).expanduser().resolve()
    if not folder.is_dir():
        raise ModelPackError(f"{folder}: model pack folder not found")
    manifest = folder / MANIFEST
    candidates = [manifest] if manifest.is_file() else _matching_bundled(folder)
    if not candidates:
        raise ModelPackError(
            f"{folder}: no {MANIFEST} here and no bundled manifest matches; run `kiosk models import {folder}` first"
        )
    pack = parse_manifest(candidates[0].read_text(encoding="utf-8"), folder, str(candidates[0]))
    if verify:
        pack.verify()
    return pack


def _matching_bundled(folder: Path) -> list[Path]:
    by_name = [m for m in bundled_manifests() if m.parent.name == folder.name]
    if by_name:
        return by_name
    present = {p.name for p in folder.glob("*.onnx")}
    out = []
    for manifest in bundled_manifests():
        try:
            listed = {f.file for f in parse_manifest(manifest.read_text(encoding="utf-8"), folder, str(manifest)).files}
        except ModelPackError:
            continue
        if listed and listed <= present:
            out.append(manifest)
    return out


def installed_folders(settings: Settings) -> Iterable[tuple[str, Path]]:
    """Packs installed on this machine, in lookup order: the data folder, then the bundle."""
    for label, base in (("data folder", settings.data_dir / "models"), ("bundle", paths.bundled_models_dir())):
        if base.is_dir():
            for sub in sorted(p for p in base.iterdir() if p.is_dir()):
                yield label, sub


def pack_folder(spec: str | Path, data_dir: Path) -> Path:
    """A pack folder, or the bare name of a pack under ``<data dir>/models`` (a folder of that name here wins).

    So a README can say ``--models pad-trained`` for what ``kiosk liveness build-default`` built,
    without knowing the platform's data folder. Anything else is returned as given, for
    ``load_pack`` to refuse with its own message.
    """
    path = Path(spec).expanduser()
    if path.is_dir() or len(path.parts) != 1 or str(spec).startswith("."):
        return path
    in_data = data_dir / "models" / path.name
    return in_data if in_data.is_dir() else path


def resolve_pack(settings: Settings, *, verify: bool = True) -> ModelPack:
    """The active, verified pack; nothing is ever downloaded.

    A pack named by ``--models``, ``KIOSK_MODELS`` or the config (a folder, or the name of one
    under ``<data dir>/models``) is used or refused as it is; otherwise the first installed
    pack that verifies wins.
    """
    if settings.models is not None:
        return load_pack(pack_folder(settings.models, settings.data_dir), verify=verify)
    tried = []
    for label, folder in installed_folders(settings):
        try:
            return load_pack(folder, verify=verify)
        except ModelPackError as exc:
            tried.append(f"{label}: {exc}")
    detail = "; ".join(tried) if tried else f"looked in {settings.data_dir / 'models'} and the bundle"
    raise ModelPackError(
        f"no model pack found ({detail})",
        hint="pass --models PACK_FOLDER, set KIOSK_MODELS, or `kiosk models import SRC`",
    )


_SCALE_IN_NAME = re.compile(r"(\d+(?:\.\d+)?)_\d+x\d+")
KNOWN_LIVENESS_SCALES = {"minifasnetv2": 2.7, "minifasnetv1se": 4.0, "minifasnetv1": 4.0}


def liveness_crop_scale(file_name: str) -> float | None:
    """Silent-Face names its models ``2.7_80x80_MiniFASNetV2``; the bare names are known too."""
    match = _SCALE_IN_NAME.search(file_name)
    if match:
        return float(match.group(1))
    stem = Path(file_name).stem.lower()
    for name, scale in KNOWN_LIVENESS_SCALES.items():
        if stem.endswith(name):
            return scale
    return None
