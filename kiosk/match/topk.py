"""Cosine top-k over a matrix of unit vectors: the one way the matcher and the actor gallery score.

One query is a matrix-vector product done with ``einsum`` on the calling thread.
BLAS (``@``) splits a matrix-vector product over both cores, and whenever the other
core is busy (ONNX inference on the kiosk) it waits for it: p50 at 10k templates
went from 0.9 ms to 17 ms that way.
"""

from __future__ import annotations

import numpy as np


def cosine_scores(matrix: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """One score per row of ``matrix`` (rows and ``unit`` already L2-normalized)."""
    scores: np.ndarray = np.einsum("ij,j->i", matrix, unit)
    return scores


def best_rows(scores: np.ndarray, m: int) -> np.ndarray:
    """Indices of the ``m`` highest scores, best first (ties keep row order)."""
    n = len(scores)
    m = max(0, min(m, n))
    rows = np.argpartition(-scores, m - 1)[:m] if 0 < m < n else np.arange(n)[:m]
    return rows[np.argsort(-scores[rows], kind="stable")]
