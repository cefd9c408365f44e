"""``Matcher.add_codes``: int8 rows as the database seals them (a fleet pull's new people) score
exactly as the same rows loaded at start-up (``load_codes``) and within int8 rounding of the
float32 rows given to ``add_many``; bad shapes or dtypes are refused."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.errors import StoreError
from kiosk.match.matcher import Matcher
from kiosk.store.seal import encode_rows

DIM = 64


def test_add_codes_scores_like_a_restart_and_like_float_rows() -> None:
    rng = np.random.default_rng(5)
    rows = rng.standard_normal((300, DIM)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    owners = np.arange(1, 301)
    codes = encode_rows(rows)
    pulled, restarted, floats = Matcher(DIM), Matcher(DIM), Matcher(DIM)
    pulled.add_codes(owners[:100], codes[:100])
    pulled.add_codes(owners[100:], codes[100:])  # a second page grows the matrix
    restarted.load_codes(owners, codes)
    floats.add_many(owners, rows)
    for probe in rows[[0, 150, 299]]:
        got, same = pulled.top_k(probe, 5), restarted.top_k(probe, 5)
        assert got == same
        assert [h.person_id for h in got] == [h.person_id for h in floats.top_k(probe, 5)]
        assert max(abs(a.score - b.score) for a, b in zip(got, floats.top_k(probe, 5))) < 0.01
    assert len(pulled) == 300 and pulled.people == frozenset(owners.tolist())


def test_add_codes_refuses_float_rows_and_wrong_sizes() -> None:
    m = Matcher(DIM)
    with pytest.raises(StoreError, match="int8 rows"):
        m.add_codes(np.array([1]), np.zeros((1, DIM), dtype=np.float32))
    with pytest.raises(StoreError, match=f"expected {DIM} values"):
        m.add_codes(np.array([1]), np.zeros((1, DIM + 1), dtype=np.int8))
    assert len(m) == 0


def test_encode_rows_passes_sealed_int8_rows_through_and_re_encodes_others() -> None:
    rng = np.random.default_rng(9)
    codes = encode_rows(rng.standard_normal((10, DIM)).astype(np.float32))
    assert encode_rows(codes) is codes  # already encode() output: the bytes the seal stores
    halved = (codes // 2).astype(np.int8)  # same directions, peak 63 or 64
    assert np.array_equal(encode_rows(halved), encode_rows(halved.astype(np.float32)))
    assert np.abs(encode_rows(halved).astype(np.int16)).max(axis=1).tolist() == [127] * 10
