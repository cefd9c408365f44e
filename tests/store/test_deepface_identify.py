"""Real photos end to end: enroll each deepface identity from half of their photos,
identify the other half with the real models and the store's decision bands.

13 identities, 65 photos: 37 enroll (one template per person, aggregated from up
to 4 photos), 28 probe. Asserted: 0 probes accepted as another person, and at least
26 of 28 accepted as their own person (the rest may retry/reject). Measured with the
test pack on CPU (pack thresholds high/low from its manifest, margin 0.05):
28 accept as own, 0 retry, 0 reject, 0 wrong. The int8 matcher (int8 rows and query)
gives every probe the float32 templates' top-1, every score within 0.01 (measured: 0.0013 at most).
"""

from __future__ import annotations

import csv
from collections import defaultdict

import numpy as np
import pytest

from kiosk.flows.enroll import template_from_photos
from kiosk.registry import Registry

# The whole module is in the full suite only: about 29 s of a 20-minute run on 2 loaded cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def identities(faces_dir):
    folder = faces_dir / "deepface"
    people = defaultdict(list)
    names = {}
    with open(folder / "identities.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            people[row["identity"]].append(folder / row["image"])
            names[row["identity"]] = row["name"] or row["identity"]  # only P01 is named
    return {pid: (names[pid], sorted(photos)) for pid, photos in sorted(people.items())}


def test_half_enrolled_half_identified(identities, analyzer, registry_settings, pack, capsys):
    outcomes = defaultdict(int)
    wrong = []
    with Registry.open(registry_settings, pack) as registry:
        probes, enrolled_vectors = [], []
        for pid, (name, photos) in identities.items():
            half = (len(photos) + 1) // 2
            enrolled, rest = photos[:half], photos[half:]
            tmpl, _skips = template_from_photos(analyzer, enrolled, outlier_cosine=registry.bands.low)
            registry.enroll(name, pid, tmpl, allow_duplicate=False)
            enrolled_vectors.append(tmpl.vector)
            probes += [(pid, p) for p in rest]
        assert len(registry.people()) == len(identities) == 13
        registry.reload()  # the matrix now holds what the seals give back, in enrollment order
        ids = [registry.person(pid).id for pid in identities]  # enrollment order
        float32 = np.stack(enrolled_vectors)
        worst = 0.0
        for pid, photo in probes:
            embedding = analyzer.embed_image(photo, policy="largest").embedding
            # The int8 seals, the int8 matcher rows and the int8 query against float32 templates:
            want = float32 @ embedding
            got = np.array([registry.matcher.score_person(i, embedding) for i in ids])
            worst = max(worst, float(np.abs(got - want).max()))
            assert np.abs(got - want).max() < 0.01
            assert registry.matcher.top_k(embedding, 1)[0].person_id == ids[int(np.argmax(want))]  # the same top-1
            decision = registry.identify(embedding)
            own = decision.person is not None and decision.person.external_id == pid
            outcomes[(decision.outcome, "own" if own else "other")] += 1
            if decision.outcome == "accept" and not own:
                wrong.append((pid, photo.name, decision.person.external_id, round(decision.score, 3)))
    with capsys.disabled():
        print(f"\ndeepface: {len(probes)} probes, outcomes {dict(outcomes)}, int8 matcher vs float32: max score difference {worst:.4f}")
    assert len(probes) == 28
    assert wrong == []  # never another person
    accepted_own = outcomes[("accept", "own")]
    assert accepted_own >= 26, outcomes
