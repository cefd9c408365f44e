"""Passive liveness: the pack's anti-spoofing models, averaged, or fused by a learned model.

Each model sees the face box enlarged by its own scale (2.7, 4.0), as in Silent-Face's
``CropImage``, so the context around the face (screen bezels, paper edges) is visible.
A model trained with another convention says so in the manifest: the CelebA-Spoof
MiniFAS of ../shared/models/liveness-extra wants a square crop of 1.5x the box, the
part outside the frame mirrored (``fill = "reflect"``), RGB / 255.

When the pack carries a ``liveness_fusion`` model, the score is that model's output on the
features it names: ``<file>@<scale>`` is the live logit (log p/(1-p)) of a liveness model run
on a crop of that scale, ``<file>@<scale>:<k>`` its log p_live - log p_k for class k (Silent-Face's
three classes are live and two kinds of spoof), ``<file>@<scale>:e<k>`` dimension k of the network's
embedding (its classifier's input, ``liveness_embedding``: read from the same run, so a fusion on the
embeddings costs no extra model run). A model run at several scales sees the face alone
and the face with its surroundings; on ../shared/faces/spoof-dev a logistic fusion of four runs
(V2 at 1.5 and 2.0, V1SE at 1.0, CelebA at 1.5, all class log-ratios) accepted 16.5-19% of
held-out recaptures at BPCER 5% where the pair's mean accepts 58%, and none of the prints
(docs/capture.md; selected and trained by scripts/train_liveness_fusion.py). Without one, the
score is the mean of the models' probabilities at their own scales.
"""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.engine.liveness_embedding import TappedGraph, tap_graph
from kiosk.engine.pack import REFLECT, FeatureKind, ModelPack, PackFile, parse_feature
from kiosk.engine.providers import LoadedSession, create_session
from kiosk.engine.scene_cues import CUES, scene_cue
from kiosk.errors import ModelPackError

LOGIT_CLIP = 1e-6  # probabilities are clipped to [1e-6, 1 - 1e-6] before the logit
LOG_RATIO_CLIP = float(np.log(1 / LOGIT_CLIP))  # and a log-ratio of two classes to the same range


def scaled_crop_box(box: np.ndarray, frame_w: int, frame_h: int, scale: float) -> tuple[int, int, int, int]:
    """Silent-Face's enlarged box (x1, y1, x2, y2), shrunk to fit the frame when needed."""
    x1, y1, x2, y2 = [float(v) for v in box]
    box_w, box_h = max(1.0, x2 - x1), max(1.0, y2 - y1)
    scale = min((frame_h - 1) / box_h, (frame_w - 1) / box_w, scale)
    new_w, new_h = box_w * scale, box_h * scale
    cx, cy = x1 + box_w / 2, y1 + box_h / 2
    left, top = cx - new_w / 2, cy - new_h / 2
    right, bottom = cx + new_w / 2, cy + new_h / 2
    if left < 0:
        right, left = right - left, 0
    if top < 0:
        bottom, top = bottom - top, 0
    if right > frame_w - 1:
        left, right = left - (right - frame_w + 1), frame_w - 1
    if bottom > frame_h - 1:
        top, bottom = top - (bottom - frame_h + 1), frame_h - 1
    return int(max(0, left)), int(max(0, top)), int(right), int(bottom)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max()
    return np.asarray(shifted - np.log(np.exp(shifted).sum()))


def reflected_square(frame: np.ndarray, box: np.ndarray, scale: float) -> np.ndarray:
    """A square of side max(box w, h) x ``scale`` centred on the box, the part outside the frame mirrored."""
    x1, y1, x2, y2 = [float(v) for v in box]
    side = max(1, int(round(max(x2 - x1, y2 - y1) * scale)))
    left, top = int(round((x1 + x2 - side) / 2)), int(round((y1 + y2 - side) / 2))
    h, w = frame.shape[:2]
    pad = max(0, -left, -top, left + side - w, top + side - h)
    if pad:
        # REFLECT_101 cannot mirror further than the frame is wide: repeat it for a very small frame.
        frame = cv2.copyMakeBorder(frame, pad, pad, pad, pad, cv2.BORDER_REFLECT_101 if pad < min(h, w) else cv2.BORDER_REPLICATE)
    return frame[top + pad : top + pad + side, left + pad : left + pad + side]


def model_crop(frame: np.ndarray, box: np.ndarray, entry: PackFile, scale: float) -> np.ndarray:
    """The image a liveness model sees (its input size, its colour order, not yet normalised).

    One definition, so scripts that train or verify a copy of the network (scripts/finetune_crops.py)
    feed it exactly what the kiosk feeds the ONNX model.
    """
    size_h, size_w = entry.input_size or (80, 80)
    if entry.fill == REFLECT:
        crop = reflected_square(frame, box, scale)
    else:
        h, w = frame.shape[:2]
        x1, y1, x2, y2 = scaled_crop_box(box, w, h, scale)
        crop = frame[y1 : y2 + 1, x1 : x2 + 1]
    crop = cv2.resize(crop, (size_w, size_h))
    return crop[:, :, ::-1] if entry.color == "RGB" else crop


def live_logit(probability: float) -> float:
    p = min(max(probability, LOGIT_CLIP), 1.0 - LOGIT_CLIP)
    return float(np.log(p / (1.0 - p)))


class LivenessChecker:
    """Probability that a face is live (not a photo or a screen), in [0, 1]."""

    def __init__(self, pack: ModelPack, providers: list[str], threads: int) -> None:
        # A model whose classifier can be tapped runs from the tapped graph (logits and embedding in
        # one run); one that cannot keeps its file's session and offers no embedding features.
        self.taps: dict[str, TappedGraph | None] = {entry.file: _tap_or_none(pack, entry) for entry in pack.liveness}
        self.models: list[tuple[PackFile, LoadedSession]] = [
            (entry, create_session(pack.path(entry), providers, threads, _bytes(self.taps[entry.file]))) for entry in pack.liveness
        ]
        fusion = pack.liveness_fusion
        self.fusion: tuple[PackFile, LoadedSession] | None = (
            (fusion, create_session(pack.path(fusion), providers, threads)) if fusion is not None else None
        )
        self._by_file = {entry.file: (entry, loaded) for entry, loaded in self.models}
        if fusion is not None:
            untapped = sorted({p.file for n in fusion.features if (p := parse_feature(n)) and p.kind is FeatureKind.EMBEDDING and self.taps.get(p.file) is None})
            if untapped:
                # refused when the pack loads, not on every sign-in frame
                raise ModelPackError(
                    f"{fusion.file} reads the embedding of {', '.join(untapped)}, whose classifier cannot be tapped",
                    hint="retrain the fusion on this pack (kiosk liveness train) or use the pack it was trained with",
                )

    def by_file(self, file: str) -> tuple[PackFile, LoadedSession]:
        return self._by_file[file]

    @property
    def available(self) -> bool:
        return bool(self.models)

    @property
    def providers(self) -> list[str]:
        loaded = [loaded for _, loaded in self.models] + ([self.fusion[1]] if self.fusion else [])
        return [item.provider for item in loaded]

    def probability(self, frame: np.ndarray, box: np.ndarray, entry: PackFile, loaded: LoadedSession, scale: float) -> float:
        """One model's live probability on the crop of ``scale`` around ``box``."""
        return float(np.exp(_log_softmax(self.logits(frame, box, entry, loaded, scale))[entry.live_index]))

    def logits(self, frame: np.ndarray, box: np.ndarray, entry: PackFile, loaded: LoadedSession, scale: float) -> np.ndarray:
        """One model's raw class logits on the crop of ``scale`` around ``box``."""
        return self.run(frame, box, entry, loaded, scale)[0]

    def run(self, frame: np.ndarray, box: np.ndarray, entry: PackFile, loaded: LoadedSession, scale: float) -> tuple[np.ndarray, np.ndarray | None]:
        """One model's raw class logits and its embedding (None when the model is not tapped), from one run."""
        blob = self.blob(frame, box, entry, scale)
        session = loaded.session
        outputs = session.run(None, {session.get_inputs()[0].name: blob})
        embedding = np.asarray(outputs[1], np.float64).reshape(-1) if len(outputs) > 1 else None
        return np.asarray(outputs[0][0], np.float64), embedding

    def embedding_size(self, file: str) -> int:
        """The size of ``file``'s embedding; 0 when it cannot be tapped."""
        tap = self.taps.get(file)
        return tap.size if tap is not None else 0

    @staticmethod
    def blob(frame: np.ndarray, box: np.ndarray, entry: PackFile, scale: float) -> np.ndarray:
        """The ``[1, 3, H, W]`` input of ``entry``: ``model_crop`` normalised (also what an embedding tap reads)."""
        crop = model_crop(frame, box, entry, scale)
        return np.ascontiguousarray(((crop.astype(np.float32) - entry.mean) / entry.std).transpose(2, 0, 1)[None])

    def features(self, frame: np.ndarray, box: np.ndarray, names: tuple[str, ...], surroundings: bool = True) -> np.ndarray:
        """The fusion model's inputs, in order: ``<file>@<scale>`` the live logit, ``<file>@<scale>:<k>`` log p_live - log p_k,
        ``<file>@<scale>:e<k>`` embedding dimension k, ``scene:<cue>`` a scene cue (``scene_cues``; neutral when the
        frame has no real ``surroundings``).

        Each (model, scale) runs once however many of its classes and dimensions are named.
        """
        runs: dict[tuple[str, float], tuple[np.ndarray, np.ndarray | None]] = {}
        out = []
        for name in names:
            if name in CUES:
                out.append(scene_cue(name, frame, box, surroundings))
                continue
            parsed = parse_feature(name)
            if parsed is None:
                raise ModelPackError(
                    f"liveness fusion feature {name!r} is malformed", hint="expected <file>@<scale>, <file>@<scale>:<k> or <file>@<scale>:e<k>"
                )
            entry, loaded = self._by_file[parsed.file]
            if parsed.run not in runs:
                logits, embedding = self.run(frame, box, entry, loaded, parsed.scale)
                runs[parsed.run] = _log_softmax(logits), embedding
            log_p, embedding = runs[parsed.run]
            live = log_p[entry.live_index]
            if parsed.kind is FeatureKind.EMBEDDING:
                if embedding is None or parsed.index is None or parsed.index >= len(embedding):
                    raise ModelPackError(
                        f"liveness fusion feature {name!r}: {parsed.file} offers no such embedding dimension",
                        hint="its classifier cannot be tapped (not a MiniFASNet-style model); retrain the fusion on this pack",
                    )
                out.append(float(embedding[parsed.index]))
            elif parsed.kind is FeatureKind.LIVE_LOGIT:
                out.append(live_logit(float(np.exp(live))))
            else:
                out.append(float(np.clip(live - log_p[parsed.index], -LOG_RATIO_CLIP, LOG_RATIO_CLIP)))
        return np.asarray(out, np.float32)

    def score(self, frame: np.ndarray, box: np.ndarray, surroundings: bool = True) -> float:
        """Live probability of the face at ``box``; ``surroundings`` False for a tight crop padded for detection."""
        if self.fusion is not None:
            entry, loaded = self.fusion
            x = self.features(frame, box, entry.features, surroundings)[None]
            session = loaded.session
            return float(np.ravel(session.run(None, {session.get_inputs()[0].name: x})[0])[0])
        scores = [self.probability(frame, box, entry, loaded, entry.crop_scale or 1.0) for entry, loaded in self.models]
        return float(np.mean(scores)) if scores else 1.0


def _tap_or_none(pack: ModelPack, entry: PackFile) -> TappedGraph | None:
    try:
        return tap_graph(pack.path(entry))
    except ModelPackError:
        return None


def _bytes(tap: TappedGraph | None) -> bytes | None:
    return tap.model if tap is not None else None
