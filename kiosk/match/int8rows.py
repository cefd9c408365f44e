"""Template rows as int8 with one float32 scale per row, scored with an integer kernel.

A unit 512-d template is 512 bytes + 4 instead of 2 KB: 1M templates fit in about
0.5 GB (float32: 2 GB). The quantization is the template seal's (``kiosk.store.seal``:
the largest component becomes 127), so the rows hold exactly what the database
stores; the query is quantized the same way and one int8 x int8 -> int32
matrix-vector product (``einsum``, one thread, see ``topk.py`` for why) scores
everyone. Scores move by under 0.01 from float32 (tested on real embeddings).

NumPy's integer products are not BLAS: they run compute-bound (about 2.7 G
multiply-adds a second per core here), slower per row than the float32 product that
reads 4x the bytes; the figures are in docs/benchmarks.md (`bench store`). Memory
was the point: a float16 matrix with chunked float32 conversion was 4x slower again
for twice the memory, so it was left out.
"""

from __future__ import annotations

import numpy as np

PEAK = 127.0
_CHUNK = 65_536  # rows quantized at a time: no float32 temporary the size of the whole matrix


def quantize(matrix: np.ndarray, out: np.ndarray | None = None, scales: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Int8 codes of each row's direction (largest component 127, as the seal stores it) and the
    scale that makes them unit length again (as the seal's ``decode`` does), so a row scores the
    same whether it came from the database or from an enrollment."""
    matrix = np.asarray(matrix, dtype=np.float32)
    codes = np.empty(matrix.shape, dtype=np.int8) if out is None else out
    for start in range(0, matrix.shape[0], _CHUNK):
        block = matrix[start : start + _CHUNK]
        peak = np.max(np.abs(block), axis=1)
        codes[start : start + len(block)] = np.rint(block * (PEAK / np.where(peak > 0, peak, 1.0))[:, None])
    scale = unit_scales(codes)
    if scales is not None:
        scales[...] = scale
    return codes, scale if scales is None else scales


def unit_scales(codes: np.ndarray) -> np.ndarray:
    """Per-row scales that make int8 rows of any peak unit length (1 / their length; 1 for a zero row)."""
    out = np.empty(len(codes), dtype=np.float32)
    for start in range(0, len(codes), _CHUNK):
        block = codes[start : start + _CHUNK].astype(np.float32)
        norms = np.sqrt(np.einsum("ij,ij->i", block, block))
        out[start : start + len(block)] = 1.0 / np.where(norms > 0, norms, 1.0)
    return out


def scores(codes: np.ndarray, scales: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """Cosine of each row with the unit vector ``unit`` (float32, one per row)."""
    q_codes, q_scale = quantize(unit.reshape(1, -1))
    dots = np.einsum("ij,j->i", codes, q_codes[0], dtype=np.int32)
    cosines: np.ndarray = dots * (scales * q_scale[0])
    return cosines
