"""The template seal on its own: round trip, binding to person/template/pack, half-float precision."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.errors import TamperError
from kiosk.store.keys import new_key
from kiosk.store.seal import Sealer
from tests.store.conftest import random_vectors


def test_round_trip_loses_under_a_thousandth_of_cosine():
    sealer = Sealer(new_key())
    vectors = random_vectors(200, 512, 1)
    worst = 0.0
    for i, v in enumerate(vectors):
        back = sealer.open(sealer.seal(v, person_id=i, template_id=f"t{i}", pack_id="p"), person_id=i, template_id=f"t{i}", pack_id="p")
        assert back.dtype == np.float32 and back.shape == v.shape
        worst = max(worst, abs(1.0 - float(back @ v) / float(np.linalg.norm(back))))
    assert worst < 1e-3


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
