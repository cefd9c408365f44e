"""Leaving (with and without the local people), rotating the key (old-key kiosks are cut
off until they join with the new file; a rotation killed half-way is finished by the
next sync), status, templates of another pack, and what the kiosk role may do."""

from __future__ import annotations

import json

import psycopg
import pytest

from kiosk.store.backup import BackupPerson, write_bundle
from kiosk.store.people import TemplateRecord
from tests.fleet.conftest import PASSPHRASE
from tests.fleet.test_faults import Paused
from tests.store.conftest import random_vectors, template

# The whole module is in the full suite only: about 30 s of a 20-minute run on 2 loaded cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow


@pytest.fixture
def synced(joined, pack):
    v = random_vectors(2, pack.embedding_size, 41)
    with joined["A"].registry(pack) as reg:
        reg.enroll("First", "F1", template(v[0]))
        reg.enroll("Second", "F2", template(v[1]))
    for k in [*joined.values(), *joined.values()]:
        k.sync(pack)
    return v


def test_leave_drops_local_people_unless_kept(joined, synced, fleet, pg, pack, capsys):
    a, b, c = joined["A"], joined["B"], joined["C"]
    assert b.cli("fleet", "leave") == 0
    assert b.people(pack) == {}
    assert c.cli("fleet", "leave", "--keep-people") == 0
    assert c.people(pack) == {"F1": "First", "F2": "Second"}
    with c.registry(pack) as reg:  # no longer in a fleet: nothing is journaled
        reg.delete(reg.person("F1").id)
        assert reg.db.conn.execute("SELECT count(*) FROM fleet_journal").fetchone()[0] == 0
    assert c.cli("fleet", "sync", "--once") == 12
    a.sync(pack)
    assert a.people(pack) == {"F1": "First", "F2": "Second"}
    with pg.admin(fleet.dbname) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM fleet_kiosks ORDER BY name")] == ["A"]


def test_rotate_key_cuts_off_old_keys(joined, synced, fleet, pack, tmp_path, capsys):
    a, b, c = joined["A"], joined["B"], joined["C"]
    new_key = tmp_path / "fleet-2.key"
    assert a.cli("fleet", "rotate-key", "--key-out", str(new_key)) == 0
    capsys.readouterr()
    assert b.cli("fleet", "sync", "--once") == 12
    assert "fleet key was rotated" in capsys.readouterr().err
    with a.registry(pack) as reg:
        reg.enroll("Third", "F3", template(random_vectors(1, pack.embedding_size, 42)[0]))
    a.sync(pack)
    assert b.cli("fleet", "join", "--server", fleet.url, "--key", str(new_key), "--name", "B") == 0
    b.sync(pack)
    assert b.people(pack) == {"F1": "First", "F2": "Second", "F3": "Third"}
    assert c.cli("fleet", "join", "--server", fleet.url, "--key", str(fleet.key_file), "--name", "C") == 11  # old file refused

    # A second rotation killed after the server re-sealed, before the kiosk kept its key.
    newer = tmp_path / "fleet-3.key"
    Paused(a, "fleet:rotated-not-committed", tmp_path, command=("fleet", "rotate-key", "--key-out", str(newer))).kill()
    assert a.sync(pack).pushed == 0  # finishes the rotation: the staged key is the server's now
    with a.registry(pack) as reg:
        reg.delete(reg.person("F2").id)
    a.sync(pack)
    assert b.cli("fleet", "join", "--server", fleet.url, "--key", str(newer), "--name", "B") == 0
    b.sync(pack)
    assert b.people(pack) == {"F1": "First", "F3": "Third"}


def test_status_and_other_pack_templates(joined, synced, pack, tmp_path, capsys):
    a, b = joined["A"], joined["B"]
    bundle = tmp_path / "other.bak"
    other = TemplateRecord("other-pack@0123abcd", random_vectors(1, 128, 43)[0], 0.9, 3, "2026-01-01T00:00:00+00:00")
    write_bundle(bundle, PASSPHRASE, [BackupPerson("O1", "Other Pack Person", "active", "2026-01-01T00:00:00+00:00", [other])])
    with a.registry(pack) as reg:
        reg.import_backup(bundle, PASSPHRASE)
    a.sync(pack)
    b.sync(pack)
    with b.registry(pack) as reg:
        flagged = {p.external_id: p.needs_reenroll for p in reg.people()}
        assert flagged == {"F1": False, "F2": False, "O1": True}  # kept, marked, never compared
        assert len(reg.matcher) == 2 and reg.check().ok
    capsys.readouterr()
    assert b.cli("fleet", "status", "--json") == 0
    status = json.loads(capsys.readouterr().out)
    assert status["people_on_server"] == 3 and status["people_here"] == 3 and status["backlog"] == 0
    assert status["kiosk"] == "B" and status["last_error"] is None and {k["name"] for k in status["kiosks"]} == {"A", "B", "C"}


def test_kiosk_role_reads_and_writes_only_fleet_rows(joined, synced, fleet, pg):
    with psycopg.connect(fleet.url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM fleet_people").fetchone()[0] == 2
        for statement in ("DELETE FROM fleet_people", "DROP TABLE fleet_people", "CREATE TABLE x (y int)", "DELETE FROM fleet_events", "ALTER TABLE fleet_meta ADD COLUMN z int"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        events = conn.execute("SELECT DISTINCT event FROM fleet_events WHERE kiosk = 'A'").fetchall()
        assert ("enroll",) in events
        columns = {r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'fleet_events'")}
        assert columns == {"id", "kiosk", "local_id", "time", "event", "decision", "score"}  # no person, no detail


def test_revoked_kiosk_stops_before_pushing(joined, synced, fleet, pg, pack, capsys):
    a, b = joined["A"], joined["B"]
    with pg.admin(fleet.dbname) as conn:
        conn.execute("UPDATE fleet_kiosks SET revoked = true WHERE name = 'B'")
    with b.registry(pack) as reg:
        reg.delete(reg.person("F1").id)
    capsys.readouterr()
    assert b.cli("fleet", "sync", "--once") == 12
    assert "kiosk 'B' was revoked from the fleet" in capsys.readouterr().err
    a.sync(pack)
    assert "F1" in a.people(pack)


def test_revoke_stops_the_kiosk_and_takes_its_login(fleet, pg, make_kiosk, pack, capsys):
    """`kiosk fleet revoke`: as the schema owner (no CREATEROLE) the flag is set and the kiosk's
    next round is refused, but its login stays, said in one line; as a role that may alter roles
    the login goes and its open session is ended. A role outside fleet_kiosk is never locked."""
    from kiosk.cli.main import main
    from tests.fleet.conftest import environment

    with pg.admin() as conn:
        conn.execute("DROP ROLE IF EXISTS kiosk_lobby")
        conn.execute("CREATE ROLE kiosk_lobby LOGIN IN ROLE fleet_kiosk")
    lobby = make_kiosk("Lobby")
    assert lobby.cli("fleet", "join", "--server", pg.url(fleet.dbname, "kiosk_lobby"), "--key", str(fleet.key_file), "--name", "Lobby") == 0
    lobby.sync(pack)
    capsys.readouterr()

    def revoke(*args: str, url: str = fleet.owner_url) -> tuple[int, str, str]:
        with environment(KIOSK_DATA_DIR=str(lobby.data.parent / "operator")):
            rc = main(["fleet", "revoke", *args, "--server", url])
        out, err = capsys.readouterr()
        assert "Traceback" not in err and len(err.strip().splitlines()) <= 1, err
        return rc, out, err.strip()

    assert revoke("Nobody") == (9, "", f"error: no kiosk named 'Nobody' in the fleet on {fleet.owner_url.split('@')[1]} (`kiosk fleet status` lists the kiosks)")
    rc, _, err = revoke("Lobby", "--role", "fleet_owner")
    assert rc == 12 and "role 'fleet_owner' is not a kiosk role" in err
    rc, _, err = revoke("Lobby", "--role", "kiosk_lobby")
    assert rc == 12 and "kiosk 'Lobby' is revoked, but role 'kiosk_lobby' keeps its login" in err and "ALTER ROLE kiosk_lobby NOLOGIN" in err
    assert lobby.cli("fleet", "sync", "--once") == 12
    assert "kiosk 'Lobby' was revoked from the fleet" in capsys.readouterr().err

    session = psycopg.connect(pg.url(fleet.dbname, "kiosk_lobby"))  # the kiosk still connected
    rc, out, _ = revoke("Lobby", "--role", "kiosk_lobby", url=pg.url(fleet.dbname, "postgres"))
    assert rc == 0 and "role 'kiosk_lobby' can no longer log in (1 open session(s) ended)" in out and "rotate-key" in out
    with pytest.raises(psycopg.OperationalError):
        session.execute("SELECT 1")
    session.close()
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(pg.url(fleet.dbname, "kiosk_lobby"))
    with pg.admin(fleet.dbname) as conn:
        assert conn.execute("SELECT revoked FROM fleet_kiosks WHERE name = 'Lobby'").fetchone() == (True,)
        assert conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'kiosk'").fetchone() == (True,)  # the others' role untouched


def test_status_names_the_kiosks_the_server_has_not_seen_lately(joined, fleet, pack, capsys):
    """A sync round touches the kiosk's ``last_seen``; A's is set 20 minutes back on the server,
    as a kiosk that stopped 20 minutes ago leaves it (the server's state written directly: fault injection)."""
    a, b = joined["A"], joined["B"]
    a.sync(pack)
    b.sync(pack)
    with psycopg.connect(fleet.owner_url, autocommit=True) as conn:
        conn.execute("UPDATE fleet_kiosks SET last_seen = now() - interval '20 minutes' WHERE name = 'A'")
        conn.execute("UPDATE fleet_kiosks SET last_seen = now() - interval '2 hours' WHERE name = 'C'")
        conn.execute("UPDATE fleet_kiosks SET revoked = true WHERE name = 'C'")  # revoked: expected to be quiet
    capsys.readouterr()
    assert b.cli("fleet", "status", "--json") == 0  # events.silent_after_min: 15 by default
    status = json.loads(capsys.readouterr().out)
    assert status["silent"] == ["A"] and status["silent_after_s"] == 900
    assert b.cli("fleet", "status", "--silent-after", "30") == 0
    out = capsys.readouterr().out
    assert "silent for more than" not in out
    assert b.cli("fleet", "status", "--silent-after", "10") == 0
    assert "silent for more than 10 min: 'A' (last seen 20" in capsys.readouterr().out
