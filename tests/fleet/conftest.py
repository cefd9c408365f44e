"""Fixtures for fleet sync: one real PostgreSQL cluster per session, a fresh fleet
database per test, and kiosks that each have their own data folder and database key."""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.cli.main import main as kiosk_main
from kiosk.config import load_settings
from kiosk.fleet.sync import FleetSync
from kiosk.registry import Registry
from kiosk.store.keys import EnvKeyStore
from tests.fleet.pg import Cluster

PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="session")
def pg():
    try:
        cluster = Cluster()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield cluster
    cluster.close()


@contextlib.contextmanager
def environment(**values: str):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@dataclass
class Kiosk:
    name: str
    data: Path
    db_key: str
    models: Path

    @property
    def env(self) -> dict[str, str]:
        return {"KIOSK_DATA_DIR": str(self.data), "KIOSK_DB_KEY": self.db_key, "KIOSK_FLEET_PASSPHRASE": PASSPHRASE}

    def settings(self):
        return load_settings(data_dir=self.data, overrides={"models": str(self.models)})

    def registry(self, pack) -> Registry:
        return Registry.open(self.settings(), pack, key_store=EnvKeyStore(self.db_key))

    def cli(self, *args: str, capsys=None) -> int:
        with environment(**self.env):
            return kiosk_main(list(args))

    def sync(self, pack) -> None:
        with self.registry(pack) as reg:
            return FleetSync(reg, self.data).once()

    def people(self, pack) -> dict[str, str]:
        with self.registry(pack) as reg:
            return {p.external_id: p.name for p in reg.people()}


@dataclass
class Fleet:
    dbname: str
    url: str  # as the kiosk role
    owner_url: str
    key_file: Path


@pytest.fixture
def fleet(pg, tmp_path) -> Fleet:
    dbname = pg.new_database()
    f = Fleet(dbname, pg.url(dbname), pg.url(dbname, "fleet_owner"), tmp_path / "fleet.key")
    with environment(KIOSK_FLEET_PASSPHRASE=PASSPHRASE, KIOSK_DATA_DIR=str(tmp_path / "creator")):
        assert kiosk_main(["fleet", "create", "--server", f.owner_url, "--key-out", str(f.key_file)]) == 0
    return f


@pytest.fixture
def make_kiosk(tmp_path, models_dir):
    def make(name: str) -> Kiosk:
        return Kiosk(name, tmp_path / f"kiosk-{name}", secrets.token_hex(32), models_dir)

    return make


@pytest.fixture
def joined(fleet, make_kiosk):
    """Kiosks A, B and C joined to the test's fleet."""
    kiosks = {}
    for name in "ABC":
        k = make_kiosk(name)
        assert k.cli("fleet", "join", "--server", fleet.url, "--key", str(fleet.key_file), "--name", name) == 0
        kiosks[name] = k
    return kiosks
