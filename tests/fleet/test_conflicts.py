"""The conflict rules on a real server: a delete wins over a concurrent re-enroll (in
either push order); otherwise the higher revision wins (the first to reach the server);
the same external id enrolled at two kiosks at once ends as one person and the loser is
told. Each outcome is in the audit log of the kiosks involved."""

from __future__ import annotations

import numpy as np
import pytest

from tests.store.conftest import random_vectors, template


def audit_lines(kiosk, pack, event="fleet_conflict"):
    with kiosk.registry(pack) as reg:
        return [(e.decision, e.detail) for e in reg.audit_log(event=event)]


@pytest.fixture
def shared_person(joined, pack):
    """E1 enrolled on A and synced to every kiosk (revision 1 everywhere)."""
    vectors = random_vectors(3, pack.embedding_size, 11)
    with joined["A"].registry(pack) as reg:
        reg.enroll("Shared Person", "E1", template(vectors[0]))
    for k in joined.values():
        k.sync(pack)
    return vectors


@pytest.mark.parametrize("first", ["delete", "re_enroll"])
def test_delete_wins_over_concurrent_re_enroll(joined, shared_person, pack, first):
    a, b, c = joined["A"], joined["B"], joined["C"]
    with b.registry(pack) as reg:
        reg.delete(reg.person("E1").id)
    with c.registry(pack) as reg:
        reg.re_enroll(reg.person("E1").id, template(shared_person[1]))
    order = [b, c] if first == "delete" else [c, b]
    reports = {k.name: k.sync(pack) for k in order}
    for k in (a, b, c):
        k.sync(pack)
        assert "E1" not in k.people(pack), k.name
        with k.registry(pack) as reg:
            assert reg.identify(shared_person[1]).person is None
    if first == "delete":
        assert reports["B"].conflicts == [] and len(reports["C"].conflicts) == 1
        assert "a delete wins" in reports["C"].conflicts[0]
        assert audit_lines(c, pack)[0][0] == "lost"
    else:  # the re-enroll reached the server first; the delete overrides it and says so
        assert len(reports["B"].conflicts) == 1 and audit_lines(b, pack)[0][0] == "won"
        assert [d for d, _ in audit_lines(a, pack)] == ["settled"]
        assert [d for d, _ in audit_lines(c, pack)] == ["settled"]


def test_concurrent_re_enrolls_first_on_the_server_wins(joined, shared_person, pack):
    b, c = joined["B"], joined["C"]
    with b.registry(pack) as reg:
        reg.re_enroll(reg.person("E1").id, template(shared_person[1]))
    with c.registry(pack) as reg:
        reg.re_enroll(reg.person("E1").id, template(shared_person[2]))
    assert b.sync(pack).conflicts == []
    lost = c.sync(pack).conflicts
    assert len(lost) == 1 and "higher revision wins" in lost[0]
    for k in joined.values():
        k.sync(pack)
        with k.registry(pack) as reg:
            decision = reg.identify(shared_person[1])
            assert decision.person.external_id == "E1" and decision.score > 0.99, k.name
            assert reg.identify(shared_person[2]).score < 0.5  # C's template is gone everywhere


def test_same_id_enrolled_at_two_kiosks_ends_as_one_person(joined, pack):
    a, b = joined["A"], joined["B"]
    v = random_vectors(2, pack.embedding_size, 21)
    with a.registry(pack) as reg:
        reg.enroll("Ana from A", "DUP-7", template(v[0]))
    with b.registry(pack) as reg:
        reg.enroll("Bea from B", "DUP-7", template(v[1]))
    assert a.sync(pack).conflicts == []
    told = b.sync(pack).conflicts
    assert len(told) == 1 and told[0].startswith("DUP-7: this kiosk's change was not kept")
    for k in joined.values():
        k.sync(pack)
        assert k.people(pack) == {"DUP-7": "Ana from A"}, k.name
        with k.registry(pack) as reg:
            assert reg.check().ok
            assert len(reg.matcher) == 1 and np.isclose(reg.identify(v[0]).score, 1.0, atol=3e-3)
    assert audit_lines(b, pack)[0][0] == "lost"
