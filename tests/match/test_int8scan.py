"""The exact int8 scan in float32 chunks: the same scores as the integer product it replaced, no new memory."""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root, for bench.*
from bench import realish  # noqa: E402
from bench.store_bench import integer_scores  # noqa: E402  (the int32 product the scan replaced)
from kiosk.match import int8rows  # noqa: E402
from kiosk.match.matcher import Matcher  # noqa: E402
from kiosk.match.topk import best_rows  # noqa: E402


def realish_rows(n: int, dim: int, seed: int) -> np.ndarray:
    """Rows shaped like real templates (``bench/realish.py``'s mixing over a pool that shares a
    mean direction, so scores spread and near-ties occur, unlike near-orthogonal random rows)."""
    rng = np.random.default_rng(seed)
    mean = rng.standard_normal(dim).astype(np.float32)
    pool = mean + rng.standard_normal((64, dim)).astype(np.float32)
    return realish.padding(pool / np.linalg.norm(pool, axis=1, keepdims=True), n, seed=seed)


@pytest.mark.parametrize("dim", [512, 128, 1024])
def test_chunked_scan_gives_the_integer_products_scores_rounded_to_float32(dim: int) -> None:
    """Several chunks and a partial last one; up to 1040 dimensions every partial sum is an
    integer float32 holds exactly, so only the final rounding to float32 differs."""
    rows = realish_rows(9_000, dim, dim)
    codes, scales = int8rows.quantize(rows)
    for probe in realish_rows(5, dim, dim + 1):
        got = int8rows.scores(codes, scales, probe)
        want = integer_scores(codes, scales, probe)
        assert got.dtype == np.float32 and got.shape == (9_000,)
        assert np.array_equal(got, want.astype(np.float32))


def test_matcher_top_k_matches_the_integer_product_ids_and_scores() -> None:
    rows = realish_rows(12_000, 512, 3)
    owners = np.arange(12_000, dtype=np.int64)
    matcher = Matcher(512)
    matcher.load(owners, rows)
    codes, scales = int8rows.quantize(rows)
    rng = np.random.default_rng(4)
    for i in rng.choice(12_000, size=10, replace=False):
        probe = rows[i] + 0.8 * realish_rows(1, 512, int(i))[0]  # a genuine-like probe of row i
        want = integer_scores(codes, scales, probe / np.linalg.norm(probe))
        best = best_rows(want, 10)
        hits = matcher.top_k(probe, 10)
        assert [h.person_id for h in hits] == best.tolist()
        assert np.allclose([h.score for h in hits], np.minimum(want[best], 1.0), atol=1e-5, rtol=0)


def test_a_scan_allocates_no_chunk_buffer_per_query() -> None:
    """The float32 chunk buffer (4 MiB) is kept between queries: a scan of 100k rows allocates
    its 400 KB of scores and small per-chunk temporaries only."""
    codes, scales = int8rows.quantize(realish_rows(100_000, 512, 9))
    probe = realish_rows(1, 512, 10)[0]
    int8rows.scores(codes, scales, probe)  # the first query on this thread makes the buffer
    tracemalloc.start()
    try:
        int8rows.scores(codes, scales, probe)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20
