"""Template rows as int8 with one float32 scale per row, scored exactly in float32 chunks.

A unit 512-d template is 512 bytes + 4 instead of 2 KB: 1M templates fit in about
0.5 GB (float32: 2 GB). The quantization is the template seal's (``kiosk.store.seal``:
the largest component becomes 127), so the rows hold exactly what the database
stores; the query is quantized the same way and each row's score is its int8 x int8
dot product times the two scales. Scores move by under 0.01 from float32 (tested on
real embeddings).

The dot products are computed in float32 a chunk of rows at a time (``scores``): the
int8 rows are converted into one reused float32 buffer and ``np.vecdot`` (one thread,
see ``topk.py`` for why no BLAS ``@``) scores it while it is still in cache. Every
product and partial sum is an integer below 2**24 up to 1040 dimensions, so float32
gives exactly the int32 result: the same scores as NumPy's integer product, which is
not BLAS and ran compute-bound 1.6x slower than the float32 rows it replaced
(docs/benchmarks.md, "The exact int8 scan").
"""

from __future__ import annotations

import threading

import numpy as np

PEAK = 127.0
_CHUNK = 65_536  # rows quantized at a time: no float32 temporary the size of the whole matrix
# Bytes of float32 rows scored at a time (2,048 rows at 512-d). Measured at 1M rows: 1 MiB
# buffers 115 ms CPU, 2 MiB (the L2) 106, 4 MiB 100, 8 MiB 99, 16 MiB 163 (docs/benchmarks.md).
_SCAN_BYTES = 4 << 20
_scan = threading.local()  # each thread's float32 chunk buffer, kept between queries


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
    """Cosine of each row with the unit vector ``unit`` (float32, one per row): the exact scan
    and the two-stage search's rescoring both score here."""
    q_codes, q_scale = quantize(unit.reshape(1, -1))
    query = q_codes[0].astype(np.float32)
    buffer = _buffer(codes.shape[1])
    cosines = np.empty(len(codes), dtype=np.float32)
    for start in range(0, len(codes), len(buffer)):
        end = min(start + len(buffer), len(codes))
        block = buffer[: end - start]
        block[...] = codes[start:end]
        np.vecdot(block, query, out=cosines[start:end])
        cosines[start:end] *= scales[start:end] * q_scale[0]
    return cosines


def _buffer(dim: int) -> np.ndarray:
    """This thread's float32 chunk buffer for ``dim``-wide rows (allocated once, not per query:
    a fresh 4 MiB array would be fresh pages to fault in every time)."""
    buffer: np.ndarray | None = getattr(_scan, "buffer", None)
    if buffer is None or buffer.shape[1] != dim:
        buffer = np.empty((max(1, _SCAN_BYTES // (4 * dim)), dim), dtype=np.float32)
        _scan.buffer = buffer
    return buffer
