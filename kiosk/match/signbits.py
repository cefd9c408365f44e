"""Sign bits of each template row: the coarse stage of the two-stage search (issue 24).

A full scan of 1M int8 rows reads 0.5 GB per query, which two cores cannot do in 20 ms
(memory bandwidth). One bit per dimension (the sign: 64 bytes a row at 512-d) keeps the
angle: two unit vectors at angle t disagree on about t/pi of their signs, so the rows
nearest the query in Hamming distance are, with a wide enough shortlist, the rows with
the highest cosine. The matcher rescores that shortlist exactly from its int8 rows.

The Hamming kernel is plain NumPy in cache-sized chunks: XOR against the query tiled to
the chunk (a flat, contiguous ufunc: broadcasting the 8-word row made the XOR alone 11 ms at
1M), ``bitwise_count`` per 64-bit word, then the eight word counts of a row summed inside one
uint64 (five whole-array passes instead of an 8-wide reduction).
"""

from __future__ import annotations

import numpy as np

_CHUNK = 16_384  # rows per step: about 1 MB of bits and 1 MB of XOR at 512-d, in L2
_BYTES = np.uint64(0x00FF00FF00FF00FF)  # every other byte of a word
_LANES = np.uint64(0x0001000100010001)  # sums the four 16-bit lanes into the top one


def words(dim: int) -> int:
    """64-bit words a row of ``dim`` sign bits takes (the tail is zero in every row and query)."""
    return -(-dim // 64)


def pack(codes: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Sign bits of int8 rows, one bit per dimension set where the value is negative (a query is
    packed from its int8 codes too, so a component that rounds to 0 counts the same on both sides)."""
    n, dim = codes.shape
    w = words(dim)
    bits = np.empty((n, w), dtype=np.uint64) if out is None else out
    for start in range(0, n, _CHUNK):
        block = np.packbits(codes[start : start + _CHUNK] < 0, axis=1)
        if block.shape[1] < 8 * w:  # a size that is not a multiple of 64: zero tail
            block = np.pad(block, ((0, 0), (0, 8 * w - block.shape[1])))
        bits[start : start + len(block)] = block.view(np.uint64)
    return bits


def distances(bits: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Hamming distance (uint16) of each row of ``bits`` to the one packed ``query`` row."""
    n, w = bits.shape
    out = np.empty(n, dtype=np.uint16)
    flat = bits.reshape(-1)
    tiled = np.tile(query.reshape(-1), _CHUNK)
    xor = np.empty(_CHUNK * w, dtype=np.uint64)
    counts = np.empty(_CHUNK * w, dtype=np.uint8)
    lanes = np.empty(_CHUNK * w // 8, dtype=np.uint64)
    for start in range(0, n, _CHUNK):
        m = min(_CHUNK, n - start)
        np.bitwise_xor(flat[start * w : (start + m) * w], tiled[: m * w], out=xor[: m * w])
        np.bitwise_count(xor[: m * w], out=counts[: m * w])
        if w % 8:
            np.sum(counts[: m * w].reshape(m, w), axis=1, dtype=np.uint16, out=out[start : start + m])
        else:
            sums = lanes[: m * w // 8]
            _sum_eights(counts[: m * w].view(np.uint64), sums)
            if w == 8:  # 512-d: one uint64 a row already holds the row's distance
                np.copyto(out[start : start + m], sums, casting="unsafe")
            else:
                np.sum(sums.reshape(m, w // 8), axis=1, dtype=np.uint16, out=out[start : start + m])
    return out


def _sum_eights(packed: np.ndarray, out: np.ndarray) -> None:
    """Each uint64 of ``packed`` holds eight word counts (<= 64 each): their sum, into ``out``.
    Neighbouring bytes are added first (<= 128: no carry), every other byte is kept as a 16-bit
    lane, and one multiply sums the four lanes into the top one."""
    np.right_shift(packed, np.uint64(8), out=out)
    np.add(out, packed, out=out)
    np.bitwise_and(out, _BYTES, out=out)
    np.multiply(out, _LANES, out=out)
    np.right_shift(out, np.uint64(48), out=out)


def nearest(dist: np.ndarray, m: int) -> np.ndarray:
    """Indices of at least the ``m`` smallest distances (every row tied with the m-th comes too),
    in row order: a histogram of the 0..dim distances finds the cut-off without sorting 1M values."""
    if m >= len(dist):
        return np.arange(len(dist))
    cut = int(np.searchsorted(np.cumsum(np.bincount(dist)), m))
    return np.flatnonzero(dist <= cut)
