"""The linear probe on the liveness networks' embeddings, beside a fusion's own inputs (issue 20, candidate (f)).

A fusion that reads the selected runs' embeddings (``<file>@<scale>:e<k>``, 128 numbers a run) as
well as their class log-ratios cannot fit 512 weights on a few thousand rows from eight rooms
without learning the rooms. Measured leave-one-source-out (docs/capture.md, "A linear probe on the
networks' own embeddings"): the embeddings' principal components (the PCA fitted on the training
rows only, no labels) beside the class features and cues, one standardised L2 logistic, the PCA
size and C chosen by an inner held-out split of the training rows, took the class-only fusion's
mean APCER / BPCER per sign-in capture on the context rooms from 2.2% / 1.9% to 1.4% / 0.9% (the genuine side of NUAA and of the
never-trained recapture crops is refused more: the figures and their limits are there).

The fitted pipeline is then folded into one ``Logistic`` over the raw inputs (the PCA and both
standardisations are linear), so the pack's fusion stays the one ONNX layer the kiosk already runs
(``pad_fusion.onnx_bytes``) and a frame costs the same model runs as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kiosk.engine.pad_fusion import Logistic

# What the inner held-out split chooses from: the L2 strengths and the principal components kept
# (the reference measurement's sets; it took 32 components in 9 of 10 folds).
PROBE_C = (0.001, 0.01, 0.1, 1.0)
PCA_SIZES = (8, 16, 32, 64, 128)


@dataclass(frozen=True)
class Projection:
    """The ``embedded`` columns standardised and projected on ``basis``, then the ``kept`` columns as they are."""

    embedded: tuple[int, ...]  # column indices of the raw rows read as embedding dimensions
    kept: tuple[int, ...]  # column indices passed unchanged (class features, scene cues)
    mean: np.ndarray  # [E] of the embedded columns on the rows the PCA was fitted on
    std: np.ndarray  # [E]
    basis: np.ndarray  # [E, K] principal axes (the identity when nothing is reduced)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, np.float64)
        reduced = ((x[:, list(self.embedded)] - self.mean) / self.std) @ self.basis
        return np.hstack([reduced, x[:, list(self.kept)]])

    @property
    def columns(self) -> tuple[int, ...]:
        """The raw columns a folded model reads, in its weights' order."""
        return self.embedded + self.kept


def principal(x: np.ndarray, embedded: Sequence[int], kept: Sequence[int], size: int | None) -> Projection:
    """The first ``size`` principal components of the standardised ``embedded`` columns of ``x`` (None: all, unrotated)."""
    block = np.asarray(x, np.float64)[:, list(embedded)]
    mean, std = block.mean(0), block.std(0) + 1e-9
    if size is None:
        basis = np.eye(block.shape[1])
    else:
        _, _, vt = np.linalg.svd((block - mean) / std, full_matrices=False)
        basis = vt[:size].T
    return Projection(tuple(embedded), tuple(kept), mean, std, basis)


def fold(model: Logistic, projection: Projection) -> Logistic:
    """``model`` (fitted on ``projection(x)``) as the same logistic over the raw ``projection.columns`` of ``x``.

    decision = sum_j (pc_j - m_j) / s_j * w_j + rest + b, with pc = ((e - mean) / std) @ basis, is
    ((e - mean) / std) @ (basis @ (w / s)) - m @ (w / s) + rest + b: the embedding's weights are
    ``basis @ (w / s)`` on its own standardisation, the kept inputs keep theirs.
    """
    k = projection.basis.shape[1]
    scaled = model.weights[:k] / model.std[:k]
    return Logistic(
        np.concatenate([projection.mean, model.mean[k:]]),
        np.concatenate([projection.std, model.std[k:]]),
        np.concatenate([projection.basis @ scaled, model.weights[k:]]),
        float(model.bias - model.mean[:k] @ scaled),
    )
