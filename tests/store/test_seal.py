"""The template seal on its own: round trip, binding to person/template/pack, int8 precision."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.errors import TamperError
from kiosk.store.keys import new_key
from kiosk.store.seal import Sealer
from tests.store.conftest import random_vectors


@pytest.mark.parametrize("dim", [128, 512])
def test_round_trip_moves_scores_by_thousandths_at_most(dim):
    """Stored int8 directions, 200 templates x 400 probes: median drift < 5e-4, max < 3e-3
    (measured 2-4e-4 and 1.7-2.8e-3; real embeddings: see test_deepface_identify)."""
    sealer = Sealer(new_key())
    vectors = random_vectors(200, dim, 1)
    back = np.stack(
        [sealer.open(sealer.seal(v, person_id=i, template_id=f"t{i}", pack_id="p"), person_id=i, template_id=f"t{i}", pack_id="p") for i, v in enumerate(vectors)]
    )
    assert back.dtype == np.float32 and back.shape == vectors.shape
    assert np.allclose(np.linalg.norm(back, axis=1), 1.0, atol=1e-6)
    probes = np.concatenate([vectors, random_vectors(200, dim, 2)])
    drift = np.abs(back @ probes.T - vectors @ probes.T)
    assert drift.max() < 3e-3 and np.median(drift) < 5e-4
    with pytest.raises(ValueError):
        sealer.seal(np.zeros(dim, np.float32), person_id=1, template_id="z", pack_id="p")


@pytest.mark.parametrize("field", ["person_id", "template_id", "pack_id"])
def test_seal_is_bound_to_person_template_and_pack(field):
    sealer = Sealer(new_key())
    where = {"person_id": 1, "template_id": "abc", "pack_id": "pack@1"}
    blob = sealer.seal(random_vectors(1, 128)[0], **where)
    moved = dict(where, **{field: {"person_id": 2, "template_id": "abd", "pack_id": "pack@2"}[field]})
    with pytest.raises(TamperError, match="altered or moved"):
        sealer.open(blob, **moved)


def test_other_key_and_flipped_bits_fail_and_bulk_open_reports_them():
    key = new_key()
    sealer = Sealer(key)
    good = sealer.seal(random_vectors(1, 64)[0], person_id=1, template_id="a", pack_id="p")
    with pytest.raises(TamperError):
        Sealer(new_key()).open(good, person_id=1, template_id="a", pack_id="p")
    flipped = good[:-1] + bytes([good[-1] ^ 1])
    owners, chunks, failed = Sealer(key).open_rows([("a", 1, good), ("b", 2, flipped), ("c", 3, b"\x09junk")], "p")
    assert owners == [1] and len(chunks) == 1 and len(failed) == 2
    assert "person 2" in failed[0].message and "not a sealed template" in failed[1].message
