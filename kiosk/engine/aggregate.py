"""Several observations of one person -> one template.

Outliers (a frame where the detector latched onto someone else, a motion-smeared
crop) are dropped by their cosine to a provisional mean; the rest are averaged with
their quality as weight and re-normalized.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kiosk.engine.types import AggregatedTemplate, FaceObservation
from kiosk.errors import NotEnoughFramesError


def aggregate_vectors(
    vectors: Sequence[np.ndarray] | np.ndarray,
    weights: Sequence[float] | np.ndarray | None = None,
    *,
    min_valid: int,
    outlier_cosine: float,
) -> AggregatedTemplate:
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2 or len(matrix) < max(1, min_valid):
        raise NotEnoughFramesError(f"need {min_valid} good face observations, have {0 if matrix.ndim != 2 else len(matrix)}")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = matrix / np.maximum(norms, 1e-12)
    w = np.ones(len(matrix), np.float32) if weights is None else np.clip(np.asarray(weights, np.float32), 1e-3, None)
    # Provisional mean: the medoid-weighted mean is robust to a minority of outliers.
    sims = matrix @ matrix.T
    medoid = int(np.argmax(sims.sum(axis=1)))
    provisional = matrix[sims[medoid] >= outlier_cosine].mean(axis=0)
    provisional /= max(float(np.linalg.norm(provisional)), 1e-12)
    keep = matrix @ provisional >= outlier_cosine
    kept = int(keep.sum())
    if kept < min_valid:
        raise NotEnoughFramesError(
            f"only {kept} of {len(matrix)} observations agree with each other (need {min_valid}); "
            "hold still and make sure only one person is in view"
        )
    mean = (matrix[keep] * w[keep, None]).sum(axis=0)
    mean /= max(float(np.linalg.norm(mean)), 1e-12)
    return AggregatedTemplate(
        vector=mean.astype(np.float32),
        frames_used=kept,
        outliers=len(matrix) - kept,
        quality=float(w[keep].mean()) if weights is not None else 1.0,
    )


def aggregate(observations: Sequence[FaceObservation], *, min_valid: int, outlier_cosine: float) -> AggregatedTemplate:
    """Fuse the observations that carry embeddings; see ``aggregate_vectors``."""
    usable = [(o.embedding, max(o.quality, 1e-3)) for o in observations if o.embedding is not None]
    if len(usable) < max(1, min_valid):
        raise NotEnoughFramesError(f"need {min_valid} good face observations, have {len(usable)}")
    return aggregate_vectors(
        [vector for vector, _ in usable],
        [weight for _, weight in usable],
        min_valid=min_valid,
        outlier_cosine=outlier_cosine,
    )
