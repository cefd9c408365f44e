"""Matcher and decision bands on synthetic unit vectors (NumPy only, no models needed)."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.errors import StoreError
from kiosk.match.bands import Bands
from kiosk.match.matcher import Matcher
from kiosk.match.types import Match, PersonRef

DIM = 64


def unit(rng, n=1):
    v = rng.standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def near(v, cosine, rng):
    """A unit vector with exactly ``cosine`` similarity to unit ``v``."""
    noise = rng.standard_normal(v.shape).astype(np.float32)
    noise -= (noise @ v) * v
    noise /= np.linalg.norm(noise)
    return (cosine * v + np.sqrt(1 - cosine**2) * noise).astype(np.float32)


def person(i):
    return PersonRef(i, f"E{i}", f"Person {i}")


@pytest.fixture
def rng():
    return np.random.default_rng(7)


def test_identify_ranks_people_by_their_best_template(rng):
    vectors = unit(rng, 5)
    m = Matcher(DIM)
    for i, v in enumerate(vectors):
        m.add(i, v)
    # Person 2 gets a second template that matches the probe better than the first.
    probe = near(vectors[2], 0.5, rng)
    m.add(2, near(probe, 0.9, rng))
    top = m.top_k(probe, k=3)
    assert top[0][0] == 2
    assert top[0][1] == pytest.approx(0.9, abs=0.01)  # int8 rows: within 0.01 of float32
    assert len({pid for pid, _ in top}) == 3  # distinct people, never the same one twice


def test_per_person_fallback_when_one_person_crowds_the_top(rng):
    base = unit(rng)[0]
    m = Matcher(DIM)
    for _ in range(100):  # far more rows than the shortlist of 4k+16
        m.add(1, near(base, 0.95, rng))
    m.add(2, near(base, 0.6, rng))
    top = m.top_k(base, k=2)
    assert [pid for pid, _ in top] == [1, 2]
    assert top[1][1] == pytest.approx(0.6, abs=0.01)


def test_add_and_remove_match_a_full_reload(rng):
    vectors = unit(rng, 300)
    owners = np.arange(300) % 120
    m = Matcher(DIM)
    for pid, v in zip(owners, vectors):
        m.add(int(pid), v)
    for pid in (0, 55, 119, 7):
        m.remove_person(pid)
    keep = ~np.isin(owners, (0, 55, 119, 7))
    fresh = Matcher(DIM)
    fresh.load(owners[keep], vectors[keep])
    assert len(m) == len(fresh) == int(keep.sum())
    for probe in unit(rng, 20):
        got, want = m.top_k(probe, 5), fresh.top_k(probe, 5)
        assert [g[0] for g in got] == [w[0] for w in want]
        assert [g[1] for g in got] == pytest.approx([w[1] for w in want], abs=1e-5)
    assert m.score_person(55, vectors[55]) is None
    assert 55 not in m.people


def test_exclude_and_score_person(rng):
    v = unit(rng, 3)
    m = Matcher(DIM)
    for i in range(3):
        m.add(i, v[i])
    assert m.score_person(1, v[1]) == pytest.approx(1.0, abs=0.01)
    assert all(pid != 1 for pid, _ in m.top_k(v[1], 3, exclude=1))


def test_wrong_size_and_zero_vectors_are_refused(rng):
    m = Matcher(DIM)
    with pytest.raises(StoreError, match="values"):
        m.add(1, np.ones(DIM + 1, np.float32))
    with pytest.raises(StoreError, match="zero"):
        m.add(1, np.zeros(DIM, np.float32))
    assert m.top_k(unit(rng)[0]) == []


@pytest.mark.parametrize("dim", [128, 512])
def test_int8_rows_score_like_float32(dim):
    """Synthetic look-alike sets (10 people near each probe): the same ranking and scores within 0.01."""
    rng = np.random.default_rng(dim)
    probes = rng.standard_normal((20, dim)).astype(np.float32)
    probes /= np.linalg.norm(probes, axis=1, keepdims=True)
    rows, owners = [], []
    for i, p in enumerate(probes):
        for j, cosine in enumerate(np.linspace(0.35, 0.8, 10)):  # 0.05 apart: far wider than int8 error
            noise = rng.standard_normal(dim).astype(np.float32)
            noise -= (noise @ p) * p
            rows.append(cosine * p + np.sqrt(1 - cosine**2) * noise / np.linalg.norm(noise))
            owners.append(i * 10 + j)
    matrix = np.stack(rows).astype(np.float32)
    m = Matcher(dim)
    m.load(np.array(owners), matrix)
    for p in probes:
        want = matrix @ p
        order = np.argsort(-want)[:5]
        got = m.top_k(p, 5)
        assert [h.person_id for h in got] == [owners[r] for r in order]
        assert np.abs(np.array([h.score for h in got]) - want[order]).max() < 0.01


def test_memory_per_row_is_the_embedding_in_bytes_plus_scale_and_owner(rng):
    m = Matcher(512)
    m.load(np.arange(1000), np.tile(np.eye(512, dtype=np.float32), (2, 1))[:1000])
    assert m.nbytes == 1000 * (512 + 4 + 8)  # float32 rows alone were 2048 bytes
    m.add(5000, np.ones(512, np.float32))  # grows by doubling
    assert m.nbytes == 2000 * (512 + 4 + 8) and len(m) == 1001
    assert m.score_person(5000, np.ones(512, np.float32)) == pytest.approx(1.0, abs=0.01)
    m.remove_person(5000)
    assert len(m) == 1000 and 5000 not in m.people


BANDS = Bands(high=0.40, low=0.30, margin=0.05)


@pytest.mark.parametrize(
    ("scores", "outcome"),
    [
        ([0.80, 0.20], "accept"),
        ([0.40, 0.10], "accept"),  # at the high threshold counts
        ([0.80, 0.77], "retry"),  # a look-alike too close behind
        ([0.35, 0.10], "retry"),  # grey zone
        ([0.30, 0.10], "retry"),  # at the low threshold is still grey
        ([0.29, 0.10], "reject"),
        ([0.90], "accept"),  # nobody else enrolled
    ],
)
def test_decision_bands(scores, outcome):
    decision = BANDS.decide([Match(person(i), s) for i, s in enumerate(scores)])
    assert decision.outcome == outcome
    assert decision.person == person(0)
    if len(scores) > 1:
        assert decision.margin == pytest.approx(scores[0] - scores[1])


def test_empty_gallery_rejects():
    decision = BANDS.decide([])
    assert decision.outcome == "reject" and decision.person is None
    assert decision.to_dict()["decision"] == "reject"


def test_bands_come_from_the_pack_unless_overridden():
    from kiosk.config import MatchSettings
    from kiosk.engine.pack import Thresholds

    pack = Thresholds(high=0.42, low=0.31)
    assert Bands.from_settings(pack, MatchSettings()) == Bands(0.42, 0.31, MatchSettings().margin)
    assert Bands.from_settings(pack, MatchSettings(high=0.5, margin=0.1)) == Bands(0.5, 0.31, 0.1)


def test_sealed_int8_rows_load_as_their_unit_vectors(rng):
    """Start-up hands the matcher the database's int8 rows as they are: the same as loading the float rows."""
    from kiosk.store.seal import STORED_DTYPE, encode

    vectors = unit(rng, 50)
    codes = np.frombuffer(b"".join(encode(v) for v in vectors), dtype=STORED_DTYPE).reshape(50, DIM)
    sealed, floats = Matcher(DIM), Matcher(DIM)
    sealed.load_codes(np.arange(50), codes)
    floats.load(np.arange(50), vectors)
    for probe in unit(rng, 10):
        got, want = sealed.top_k(probe, 5), floats.top_k(probe, 5)
        assert [h.person_id for h in got] == [h.person_id for h in want]
        assert [h.score for h in got] == pytest.approx([h.score for h in want], abs=1e-5)
    sealed.remove_person(3)  # the rows are writable (a view of the database's bytes would not be)
    assert 3 not in sealed.people and len(sealed) == 49
    with pytest.raises(StoreError, match="expected"):
        sealed.load_codes(np.arange(3), codes)


def test_add_many_is_the_same_as_adding_one_by_one(rng):
    vectors, owners = unit(rng, 150), np.arange(150) % 70
    one, many = Matcher(DIM), Matcher(DIM)
    for pid, v in zip(owners, vectors):
        one.add(int(pid), v)
    many.add_many(owners[:100], vectors[:100])  # grows past the first capacity at once
    many.add_many(owners[100:], 3 * vectors[100:])  # only the direction counts
    assert len(many) == len(one) == 150 and many.people == one.people
    for probe in unit(rng, 10):
        assert many.top_k(probe, 5) == one.top_k(probe, 5)
    with pytest.raises(StoreError, match="zero"):
        many.add_many(np.array([1, 2]), np.stack([vectors[0], np.zeros(DIM, np.float32)]))
    with pytest.raises(StoreError, match="values"):
        many.add_many(np.array([1]), np.ones((1, DIM + 1), np.float32))
    assert len(many) == 150  # a refused batch adds nothing


def test_the_one_to_one_band_is_the_setting_else_the_pack_verify_else_high():
    """1:1 keeps the 1:N retry width below its own threshold and never asks for a margin."""
    from dataclasses import replace

    from kiosk.config import MatchSettings
    from kiosk.engine.pack import Thresholds

    pack = Thresholds(high=0.42, low=0.31)
    assert Bands.from_settings(pack, MatchSettings()).one_to_one() == Bands(0.42, 0.31, 0.0)
    calibrated = replace(pack, verify=0.30)
    one = Bands.from_settings(calibrated, MatchSettings()).one_to_one()
    assert (one.high, one.low, one.margin) == (0.30, pytest.approx(0.19), 0.0)
    assert Bands.from_settings(calibrated, MatchSettings(verify_high=0.36)).one_to_one().high == 0.36
    assert Bands.from_settings(calibrated, MatchSettings()).high == 0.42  # 1:N unchanged
    assert Bands.from_settings(calibrated, MatchSettings()).one_to_one().outcome(0.33) == "accept"
