"""Three kiosks, one real PostgreSQL: enroll on A with real photos and the real pack,
recognised on B and C; delete on B, gone on A and C; an offline kiosk catches up; the
server dump holds no name, no external id and no template bytes."""

from __future__ import annotations

import csv
import subprocess
from collections import defaultdict

import numpy as np
import pytest

from kiosk.flows.enroll import template_from_photos
from kiosk.store.seal import encode
from tests.fleet.pg import PG_BIN


@pytest.fixture(scope="module")
def deepface(faces_dir):
    folder = faces_dir / "deepface"
    people = defaultdict(list)
    with open(folder / "identities.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            people[row["identity"]].append(folder / row["image"])
    return {pid: sorted(photos) for pid, photos in sorted(people.items())}


def enroll_real(kiosk, pack, analyzer, deepface, pids, names):
    """Enroll from all but the last photo of each identity; returns {pid: (probe photo, template vector)}."""
    out = {}
    with kiosk.registry(pack) as reg:
        for pid in pids:
            photos = deepface[pid]
            tmpl, _ = template_from_photos(analyzer, photos[:-1], outlier_cosine=reg.bands.low)
            reg.enroll(names[pid], f"EMP-{pid}", tmpl)
            out[pid] = (photos[-1], tmpl.vector)
    return out


def identify(kiosk, pack, analyzer, photo):
    embedding = analyzer.embed_image(photo, policy="largest").embedding
    with kiosk.registry(pack) as reg:
        return reg.identify(embedding)


def test_enroll_on_a_recognised_on_b_and_c_delete_on_b_gone_everywhere(joined, fleet, pg, pack, analyzer, deepface):
    a, b, c = joined["A"], joined["B"], joined["C"]
    pids = ["P02", "P03", "P04"]
    names = {"P02": "Zelda Quarrington", "P03": "김민준 Hanbit", "P04": "Yusuf Oyelaran"}
    enrolled = enroll_real(a, pack, analyzer, deepface, pids, names)
    assert a.sync(pack).pushed == 3
    for k in (b, c):
        assert k.sync(pack).pulled == 3
        assert k.people(pack) == {f"EMP-{pid}": names[pid] for pid in pids}
        for pid, (probe, _) in enrolled.items():
            decision = identify(k, pack, analyzer, probe)
            assert decision.outcome == "accept" and decision.person.external_id == f"EMP-{pid}", (k.name, pid, decision)

    with b.registry(pack) as reg:
        reg.delete(reg.person("EMP-P03").id)
    assert b.sync(pack).pushed == 1
    for k in (a, c):
        k.sync(pack)
        assert "EMP-P03" not in k.people(pack)
        decision = identify(k, pack, analyzer, enrolled["P03"][0])
        assert decision.person is None or decision.person.external_id != "EMP-P03"
        with k.registry(pack) as reg:
            assert reg.check().ok

    # The dump: names, external ids and template bytes (float32 and the int8 stored form) are absent.
    dump = subprocess.run(
        [str(PG_BIN / "pg_dump"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres", "--inserts", fleet.dbname],
        check=True, capture_output=True,
    ).stdout
    assert b"fleet_people" in dump and dump.count(b"INSERT INTO public.fleet_people") == 3
    for pid in pids:
        for needle in (names[pid].encode(), f"EMP-{pid}".encode(), pid.encode()):
            assert needle not in dump, needle
        vector = enrolled[pid][1]
        for blob in (encode(vector), np.asarray(vector, np.float32).tobytes()):
            for chunk in (blob[:16], blob[100:116], blob[-16:]):
                assert chunk not in dump and chunk.hex().encode() not in dump
    assert "김민준".encode() not in dump


def test_offline_kiosk_catches_up(joined, pack):
    from tests.store.conftest import random_vectors, template

    a, b, c = joined["A"], joined["B"], joined["C"]
    vectors = random_vectors(4, pack.embedding_size, 3)
    with a.registry(pack) as reg:
        for i, v in enumerate(vectors[:3]):
            reg.enroll(f"Person {i}", f"E{i}", template(v))
    a.sync(pack)
    b.sync(pack)
    with b.registry(pack) as reg:
        reg.delete(reg.person("E1").id)
        reg.re_enroll(reg.person("E2").id, template(vectors[3]))
    b.sync(pack)
    a.sync(pack)
    # C was offline for all of it: one round brings it to the fleet's state.
    c.sync(pack)
    assert c.people(pack) == a.people(pack) == b.people(pack) == {"E0": "Person 0", "E2": "Person 2"}
    with c.registry(pack) as reg:
        assert reg.identify(vectors[3]).person.external_id == "E2"
        assert reg.identify(vectors[2]).person is None or reg.identify(vectors[2]).score < 0.99
        assert reg.check().ok
