"""Each refusal is one clear line and an exit code, never a traceback, and leaves the
kiosk out of the fleet: wrong passphrase, another fleet's key, a forged key, a bad URL,
a remote server without verified TLS, an unreachable server, a newer server schema."""

from __future__ import annotations

import pytest

from kiosk.fleet.keys import FleetKey, read_key_file, write_key_file
from kiosk.fleet.central import check_url
from tests.fleet.conftest import PASSPHRASE, environment
from tests.fleet.pg import free_port


def test_wrong_passphrase_and_wrong_keys(fleet, pg, make_kiosk, capsys, tmp_path, pack):
    k = make_kiosk("W")
    k_env = dict(k.env)

    def join(key_file, passphrase=PASSPHRASE, url=fleet.url):
        capsys.readouterr()
        with environment(**{**k_env, "KIOSK_FLEET_PASSPHRASE": passphrase}):
            from kiosk.cli.main import main

            rc = main(["fleet", "join", "--server", url, "--key", str(key_file), "--name", "W"])
        err = capsys.readouterr().err.strip()
        assert "Traceback" not in err and len(err.splitlines()) <= 1, err
        return rc, err

    assert join(fleet.key_file, "not the passphrase") == (11, f"error: cannot open fleet key file {fleet.key_file}: wrong passphrase or the file was altered")

    other_db = pg.new_database()
    other_key = tmp_path / "other.key"
    with environment(KIOSK_FLEET_PASSPHRASE=PASSPHRASE):
        from kiosk.cli.main import main

        assert main(["fleet", "create", "--server", pg.url(other_db, "fleet_owner"), "--key-out", str(other_key)]) == 0
    rc, err = join(other_key)
    assert rc == 11 and "belongs to fleet" in err

    real = read_key_file(fleet.key_file, PASSPHRASE)
    forged = tmp_path / "forged.key"
    write_key_file(forged, PASSPHRASE, FleetKey(real.fleet_uuid, real.generation, FleetKey.new().record_key, real.id_key))
    rc, err = join(forged)
    assert rc == 11 and "does not open fleet" in err

    rc, err = join(fleet.key_file, url="host=127.0.0.1 dbname")
    assert rc == 2 and "bad fleet server URL" in err
    rc, err = join(fleet.key_file, url=f"postgresql://kiosk@127.0.0.1:{free_port()}/{fleet.dbname}")
    assert rc == 12 and "cannot reach the fleet server" in err

    with pg.admin(fleet.dbname) as conn:
        conn.execute("INSERT INTO fleet_schema_version(version) VALUES (99)")
    rc, err = join(fleet.key_file)
    assert rc == 12 and "version 99, newer than this kiosk" in err and "update the kiosk software" in err

    with k.registry(pack) as reg:
        assert reg.db.conn.execute("SELECT count(*) FROM fleet_state").fetchone()[0] == 0  # never joined
    assert not (k.data / "fleet.key").exists()


@pytest.mark.parametrize(
    "url, ok",
    [
        ("postgresql://kiosk@127.0.0.1/fleet", True),
        ("postgresql://kiosk@localhost:5433/fleet", True),
        ("host=/var/run/postgresql dbname=fleet", True),
        ("postgresql://kiosk@db.example/fleet", False),
        ("postgresql://kiosk@db.example/fleet?sslmode=require", False),
        ("postgresql://kiosk@db.example/fleet?sslmode=verify-full", True),
        ("postgresql://kiosk@127.0.0.1,db.example/fleet", False),
    ],
)
def test_tls_required_except_loopback(url, ok):
    from kiosk.errors import ConfigError

    if ok:
        check_url(url)
    else:
        with pytest.raises(ConfigError, match="TLS with a verified server certificate is required"):
            check_url(url)


def test_not_in_a_fleet(make_kiosk, capsys):
    k = make_kiosk("Q")
    assert k.cli("fleet", "sync", "--once") == 12
    assert "this kiosk is not in a fleet" in capsys.readouterr().err


def test_create_as_a_kiosk_role_is_refused_cleanly(pg, tmp_path, capsys):
    from tests.fleet.conftest import environment
    from kiosk.cli.main import main

    dbname = pg.new_database()
    capsys.readouterr()
    with environment(KIOSK_FLEET_PASSPHRASE=PASSPHRASE):
        rc = main(["fleet", "create", "--server", pg.url(dbname), "--key-out", str(tmp_path / "k")])
    err = capsys.readouterr().err.strip()
    assert rc == 12 and len(err.splitlines()) == 1 and "refused: permission denied" in err and "schema owner" in err, err
    assert not (tmp_path / "k").exists()
