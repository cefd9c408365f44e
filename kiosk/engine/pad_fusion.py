"""Training the optional ``liveness_fusion`` model: a logistic regression on liveness logits, as ONNX.

Used by ``scripts/train_liveness_fusion.py``; kept in the engine so the tests train one
too. NumPy only (no scikit-learn in the product): Newton's method on the L2-penalised
log-loss, the standardisation folded into the exported graph, so the kiosk runs
``sigmoid(((x - mean) / std) @ w + b)`` with ONNX Runtime like any other pack model.

Why logistic on model logits only: on ../shared/faces/spoof-dev, adding cheap image statistics
(spectrum bands, saturation, highlights) looked better inside one data set and worse across
data sets (trained on recaptures, it accepted 13-16% of the prints that the logits alone reject
entirely): they learn the data set, not the attack. The logits of the same models at other crop
scales, with every class's log-ratio, carried over (docs/capture.md); which runs, is chosen by
``select_runs`` on held-out folds, not by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kiosk.engine.liveness import LivenessChecker
from kiosk.engine.pack import FEATURES_KEY, REFLECT

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer

C = 0.1  # inverse L2 strength (as scikit-learn's C): measured 0.1 and 1.0, 0.1 carried better across data sets


# Crop scales every liveness model is tried at when features are selected: the face alone (1.0) to
# Silent-Face's widest (4.0); a mirrored-crop model (CelebA-Spoof's, trained at 1.5) to 3.0.
CANDIDATE_SCALES = (1.0, 1.5, 2.0, 2.7, 4.0)
CANDIDATE_SCALES_REFLECT = (1.0, 1.5, 2.2, 3.0)
SELECTED_RUNS = 4  # model runs per frame: 4 keeps the gated frame within 1.2x of the pair's cost (docs/benchmarks.md)


def run_features(checker: LivenessChecker, file: str, scale: float) -> tuple[str, ...]:
    """The features one model run gives: log p_live - log p_k for every other class k (the live logit of a 2-class model).

    A 3-class Silent-Face model tells two kinds of spoof apart; on ../shared/faces/spoof-dev
    keeping both log-ratios instead of one live logit cut held-out recapture APCER at BPCER 5%
    from 39% to 19% with 4 selected runs (docs/capture.md).
    """
    entry, loaded = checker.by_file(file)
    classes = loaded.session.get_outputs()[0].shape[-1]
    if not isinstance(classes, int) or classes <= 2:
        return (f"{file}@{scale:g}",)
    return tuple(f"{file}@{scale:g}:{k}" for k in range(classes) if k != entry.live_index)


def embedding_features(checker: LivenessChecker, file: str, scale: float) -> tuple[str, ...]:
    """The embedding dimensions one model run gives (``<file>@<scale>:e<k>``); none when its classifier cannot be tapped."""
    return tuple(f"{file}@{scale:g}:e{k}" for k in range(checker.embedding_size(file)))


def candidate_runs(checker: LivenessChecker) -> tuple[tuple[str, float], ...]:
    """Every (liveness file, crop scale) the selection may choose from."""
    return tuple(
        (entry.file, scale)
        for entry, _ in checker.models
        for scale in (CANDIDATE_SCALES_REFLECT if entry.fill == REFLECT else CANDIDATE_SCALES)
    )


def select_runs(
    columns: dict[tuple[str, float], np.ndarray],
    live: np.ndarray,
    groups: np.ndarray,
    sources: np.ndarray,
    runs: int = SELECTED_RUNS,
    c: float = C,
) -> list[tuple[str, float]]:
    """Greedy forward selection of model runs, each step adding the one with the lowest worst held-out APCER.

    ``columns`` maps a run to its ``[N, k]`` features. The APCER is that of each source
    (labels file) at the highest threshold refusing at most 5% of *every* source's live
    photos, from 5 folds by group: a run earns its place only by what it does on photos
    the fit never saw. The selection itself looks at those folds, so its figures are a
    little optimistic; the script also reports each source predicted from the others.
    """
    chosen: list[tuple[str, float]] = []
    for _ in range(min(runs, len(columns))):
        best: tuple[float, tuple[str, float]] | None = None
        for run in columns:
            if run in chosen:
                continue
            x = np.hstack([columns[r] for r in chosen + [run]])
            held = held_out_decisions(x, live, groups, c=c)
            worst = max(operating_apcer(held, live, sources).values())
            if best is None or worst < best[0]:
                best = (worst, run)
        assert best is not None  # the range leaves an unchosen run at every step
        chosen.append(best[1])
    return chosen


def operating_apcer(decision: np.ndarray, live: np.ndarray, sources: np.ndarray, target: float = 0.05) -> dict[str, float]:
    """APCER of each source with attacks, at the highest threshold refusing at most ``target`` of every source's live photos."""
    thresholds = []
    for source in np.unique(sources):
        lives = np.sort(decision[(sources == source) & live])
        if len(lives):
            thresholds.append(lives[int(np.floor(target * len(lives) + 1e-9))])
    t = min(thresholds)
    return {
        str(source): float(np.mean(decision[(sources == source) & ~live] >= t))
        for source in np.unique(sources)
        if ((sources == source) & ~live).any()
    }


@dataclass(frozen=True)
class Logistic:
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray
    bias: float

    def decision(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(((np.asarray(x, np.float64) - self.mean) / self.std) @ self.weights + self.bias)

    def probability(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-self.decision(x))))


def fit_logistic(x: np.ndarray, live: np.ndarray, c: float = C, iterations: int = 50, toward: np.ndarray | None = None) -> Logistic:
    """Minimise sum(log-loss) + ||w - w0||^2 / (2c) (bias not penalised) by Newton's method.

    ``w0`` is zero, or ``toward``: weights on the raw features (a check the kiosk already trusts),
    so a fit on a few dozen rows stays near that check unless the rows argue otherwise.
    """
    x = np.asarray(x, np.float64)
    y = np.asarray(live, np.float64)
    mean, std = x.mean(0), x.std(0)
    std[std < 1e-9] = 1.0
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    penalty = np.eye(z.shape[1]) / c
    penalty[-1, -1] = 0.0
    prior = np.zeros(z.shape[1])
    if toward is not None:
        prior[:-1] = np.asarray(toward, np.float64) * std  # the same weights on the standardised features
    theta = prior.copy()
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-z @ theta))
        gradient = z.T @ (p - y) + penalty @ (theta - prior)
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty + 1e-9 * np.eye(z.shape[1])
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return Logistic(mean, std, theta[:-1], float(theta[-1]))


def held_out_decisions(x: np.ndarray, live: np.ndarray, groups: np.ndarray, folds: int = 5, c: float = C) -> np.ndarray:
    """Each sample's decision from a model that never saw its group (a person, a source), ``folds`` folds."""
    unique = np.unique(groups)
    order = np.random.default_rng(0).permutation(len(unique))
    fold_of = {g: i % folds for i, g in zip(range(len(unique)), unique[order])}
    fold = np.array([fold_of[g] for g in groups])
    out = np.zeros(len(x))
    for k in range(folds):
        test = fold == k
        if test.any() and (~test).any():
            out[test] = fit_logistic(x[~test], live[~test], c).decision(x[test])
    return out


def write_onnx(model: Logistic, features: tuple[str, ...], target: Path) -> Path:
    """The fitted model as ``[N, F] -> [N, 1]`` live probability, its features in the metadata."""
    Path(target).write_bytes(onnx_bytes(model, features))
    return Path(target)


def onnx_bytes(model: Logistic, features: tuple[str, ...]) -> bytes:
    """The serialised ONNX graph ``sigmoid(((x - mean) / std) @ w + b)``, its input names in ``FEATURES_KEY``."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    n = len(features)
    consts = [
        numpy_helper.from_array(model.mean.astype(np.float32).reshape(1, n), "mean"),
        numpy_helper.from_array(model.std.astype(np.float32).reshape(1, n), "std"),
        numpy_helper.from_array(model.weights.astype(np.float32).reshape(n, 1), "weights"),
        numpy_helper.from_array(np.array([[model.bias]], np.float32), "bias"),
    ]
    nodes = [
        helper.make_node("Sub", ["features", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "std"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "weights"], ["weighted"]),
        helper.make_node("Add", ["weighted", "bias"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], ["live"]),
    ]
    graph = helper.make_graph(
        nodes,
        "liveness_fusion",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, n])],
        [helper.make_tensor_value_info("live", TensorProto.FLOAT, [None, 1])],
        initializer=consts,
    )
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="kiosk train_liveness_fusion")
    onnx_model.ir_version = 8  # readable by every onnxruntime the kiosk supports
    helper.set_model_props(onnx_model, {FEATURES_KEY: ",".join(features)})
    onnx.checker.check_model(onnx_model)
    return bytes(onnx_model.SerializeToString())


def read_logistic(path: Path) -> Logistic:
    """The ``Logistic`` of a fusion file written by ``onnx_bytes`` (its mean, std, weights and bias initializers)."""
    import onnx
    from onnx import numpy_helper

    found = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in onnx.load(str(path)).graph.initializer}
    return Logistic(found["mean"].ravel(), found["std"].ravel(), found["weights"].ravel(), float(found["bias"].ravel()[0]))


def image_features(analyzer: FaceAnalyzer, features: tuple[str, ...]) -> Callable[[Path], np.ndarray]:
    """``path -> feature vector`` of a photo's largest face (a tight crop is padded, as ``kiosk liveness eval`` does)."""

    def compute(path: Path) -> np.ndarray:
        from kiosk.engine.images import load_image

        frame, obs = analyzer.photo_face(load_image(path), "largest")
        return analyzer.liveness_checker.features(frame, obs.box, features)

    return compute
