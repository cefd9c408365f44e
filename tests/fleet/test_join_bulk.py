"""A new kiosk joining a fleet of thousands: the catch-up pull inserts the people it does not
have in bulk (kiosk/fleet/sync.py, Registry.apply_remote) and must give exactly what the
per-person path gave: every person, look, label, status and deletion; templates sealed to
their person (``db check``); the matrix holding the active people of this pack only; and a
kiosk killed in the middle of the catch-up resumes with nothing lost or duplicated."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.engine.pack import ModelPack
from kiosk.errors import KioskError
from kiosk.fleet.keys import read_key_file
from kiosk.fleet.records import RecordSealer
from kiosk.registry import Registry
from kiosk.store import people as people_store
from kiosk.store.backup import BackupPerson
from kiosk.store.people import RECENT, TemplateRecord
from kiosk.store.seal import encode
from tests.fleet.conftest import PASSPHRASE, Fleet, Kiosk
from tests.fleet.seed import seed_records
from tests.fleet.test_faults import Paused
from tests.store.conftest import random_vectors, template

CREATED = "2026-01-01T00:00:00+00:00"


def sealer_of(fleet: Fleet) -> RecordSealer:
    return RecordSealer(read_key_file(fleet.key_file, PASSPHRASE))


def people(pack: ModelPack, start: int, count: int) -> list[BackupPerson]:
    vectors = random_vectors(count, pack.embedding_size, seed=start)
    return [
        BackupPerson(f"P{start + i:05d}", f"Person {start + i}", "active", CREATED, [TemplateRecord(pack.id, vectors[i], 0.8, 5, CREATED)])
        for i in range(count)
    ]


def join(kiosk: Kiosk, fleet: Fleet) -> None:
    assert kiosk.cli("fleet", "join", "--server", fleet.url, "--key", str(fleet.key_file), "--name", kiosk.name) == 0


def stored_codes(reg: Registry, external_id: str) -> list[bytes]:
    """The int8 bytes of a person's templates as this kiosk sealed them."""
    ref = people_store.find_by_external_id(reg.db, external_id)
    assert ref is not None, external_id
    return sorted(encode(t.vector) for t in people_store.template_records(reg.db, ref.id))


def test_catch_up_inserts_everyone_like_the_per_person_path(fleet: Fleet, make_kiosk: Callable[[str], Kiosk], pack: ModelPack) -> None:
    crowd = people(pack, 0, 4994)
    looks = random_vectors(2, pack.embedding_size, seed=99)
    two_looks = BackupPerson(
        "LOOKS", "Two Looks", "active", CREATED,
        [TemplateRecord(pack.id, looks[0], 0.9, 5, CREATED, "glasses"), TemplateRecord(pack.id, looks[1], 0.7, 3, "2026-02-01T00:00:00+00:00", "", RECENT)],
    )
    disabled = BackupPerson("OFF", "Disabled One", "disabled", CREATED, [TemplateRecord(pack.id, random_vectors(1, pack.embedding_size, 7)[0], 0.8, 5, CREATED)])
    other_size = BackupPerson("OTHER", "Other Pack", "active", CREATED, [TemplateRecord("another-pack", random_vectors(1, 128, 8)[0], 0.8, 5, CREATED)])
    seed_records(fleet.url, sealer_of(fleet), pack.id, [*crowd[:2500], two_looks, disabled, "GONE", other_size, *crowd[2500:]])
    # 4994 + 3 people + 1 deletion = 4998 records: pages of 2000 then 4000 (a full page doubles the next).

    k = make_kiosk("new")
    join(k, fleet)
    report = k.sync(pack)
    assert report.pulled == 4998 and report.tampered == []
    assert gc.isenabled()  # paused for the pull only
    with k.registry(pack) as reg:
        assert reg.check().ok
        assert reg.db.conn.execute("SELECT count(*) FROM people").fetchone()[0] == 4997
        assert reg.db.conn.execute("SELECT count(*) FROM audit WHERE event = 'fleet_pull'").fetchone()[0] == 2  # two local transactions
        assert len(reg.matcher) == 4994 + 2  # the disabled person and the other pack's template stay out
        for person in (crowd[0], crowd[2500], crowd[-1]):
            assert reg.identify(person.templates[0].vector).person.external_id == person.external_id
            assert stored_codes(reg, person.external_id) == [encode(person.templates[0].vector)]
        assert reg.identify(looks[1]).person.external_id == "LOOKS"
        found = {(lk.label, lk.kind, lk.quality) for lk in reg.looks(reg.person("LOOKS").id)}
        assert found == {("glasses", "enrolled", 0.9), ("", RECENT, 0.7)}
        assert [p.status for p in reg.people("Disabled One")] == ["disabled"]
        assert [(p.templates, p.needs_reenroll) for p in reg.people("Other Pack")] == [(1, True)]
        assert reg.find_person("GONE") is None
        known = reg.db.conn.execute("SELECT count(*), sum(tombstone) FROM fleet_records").fetchone()
        assert tuple(known) == (4998, 1)
        ids = [r[0] for r in reg.db.conn.execute("SELECT id FROM people ORDER BY id")]
        assert ids == list(range(ids[0], ids[0] + 4997))  # one id each, none reused


def test_catch_up_after_a_local_person_keeps_ids_unique(fleet: Fleet, make_kiosk: Callable[[str], Kiosk], pack: ModelPack) -> None:
    """Ids given up front start above every id ever used, deleted ones included (AUTOINCREMENT)."""
    k = make_kiosk("new")
    with k.registry(pack) as reg:
        reg.enroll("Left Early", "EARLY", template(random_vectors(1, pack.embedding_size, 1)[0]))
        reg.delete(reg.person("EARLY").id)
    seed_records(fleet.url, sealer_of(fleet), pack.id, people(pack, 0, 50))
    join(k, fleet)
    k.sync(pack)
    with k.registry(pack) as reg:
        assert reg.check().ok
        assert reg.db.conn.execute("SELECT min(id) FROM people").fetchone()[0] == 2
        assert len(reg.matcher) == 50


@pytest.mark.parametrize("committed", [0, 2000], ids=["killed-in-first-page", "killed-after-a-page"])
def test_kiosk_killed_mid_join_resumes_and_loses_nothing(fleet: Fleet, make_kiosk: Callable[[str], Kiosk], pack: ModelPack, tmp_path: Path, committed: int) -> None:
    """A SIGKILL inside a page's local transaction (the bulk insert done, not committed):
    the pages committed before stay, the killed one is pulled again, nobody twice."""
    sealer = sealer_of(fleet)
    everyone = people(pack, 0, committed + 3000)
    k = make_kiosk("new")
    join(k, fleet)
    if committed:
        seed_records(fleet.url, sealer, pack.id, everyone[:committed])
        k.sync(pack)
    seed_records(fleet.url, sealer, pack.id, everyone[committed:])
    Paused(k, "fleet:pull-page-applied", tmp_path).kill()
    with k.registry(pack) as reg:
        assert reg.check().ok
        assert reg.db.conn.execute("SELECT count(*) FROM people").fetchone()[0] == committed
        assert len(reg.matcher) == committed
    report = k.sync(pack)
    assert report.pulled == 3000
    with k.registry(pack) as reg:
        assert reg.check().ok
        assert reg.db.conn.execute("SELECT count(*), count(DISTINCT external_id) FROM people").fetchone() == (committed + 3000,) * 2
        assert reg.db.conn.execute("SELECT count(*) FROM templates").fetchone()[0] == committed + 3000
        assert len(reg.matcher) == committed + 3000
        for person in (everyone[0], everyone[committed], everyone[-1]):
            assert reg.identify(person.templates[0].vector).person.external_id == person.external_id


def test_a_record_without_a_name_is_refused_by_name_and_the_page_kept_out(fleet: Fleet, make_kiosk: Callable[[str], Kiosk], pack: ModelPack) -> None:
    """Another kiosk's bad record stops the page with an error naming the person; nothing of the page is applied."""
    crowd = people(pack, 0, 3)
    nameless = BackupPerson("NONAME", " ", "active", CREATED, crowd[0].templates)
    seed_records(fleet.url, sealer_of(fleet), pack.id, [*crowd[1:], nameless])
    k = make_kiosk("new")
    join(k, fleet)
    with pytest.raises(KioskError, match="'NONAME'"):
        k.sync(pack)
    with k.registry(pack) as reg:
        assert reg.db.conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
        assert len(reg.matcher) == 0
