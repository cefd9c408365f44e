"""Sealed fleet records without a server: the associated data binds a record to its
fleet, person, revision and pack; fleet ids are keyed; key files need their passphrase."""

from __future__ import annotations

import stat

import numpy as np
import pytest

from kiosk.errors import AuthError, KioskError, TamperError
from kiosk.fleet.keys import FleetKey, read_key_file, write_key_file
from kiosk.fleet.records import RecordSealer
from kiosk.store.backup import BackupPerson
from kiosk.store.people import TemplateRecord
from tests.store.conftest import random_vectors


@pytest.fixture
def sealer():
    return RecordSealer(FleetKey.new())


def person(vector) -> BackupPerson:
    return BackupPerson("E-77", "Jo Bloggs", "active", "2026-01-01T00:00:00+00:00", [TemplateRecord("pack@1", vector, 0.8, 5, "2026-01-01T00:00:00+00:00")])


def test_round_trip_and_bindings(sealer):
    v = random_vectors(1, 512, 1)[0]
    fid = sealer.fleet_id("E-77")
    blob = sealer.seal(fid, 3, "pack@1", "E-77", person(v))
    ext, back, note = sealer.open(fid, 3, "pack@1", blob)
    assert (ext, back.name, note) == ("E-77", "Jo Bloggs", None)
    restored = back.templates[0].vector
    assert float(restored @ v / np.linalg.norm(restored)) > 0.999  # the int8 direction
    for moved in ((sealer.fleet_id("E-78"), 3, "pack@1"), (fid, 4, "pack@1"), (fid, 3, "pack@2")):
        with pytest.raises(TamperError):
            sealer.open(*moved, blob)
    with pytest.raises(TamperError):
        RecordSealer(FleetKey.new()).open(fid, 3, "pack@1", blob)
    assert b"Jo Bloggs" not in blob and b"E-77" not in blob
    tomb = sealer.seal(fid, 4, "pack@1", "E-77", None, "deleted at A")
    assert sealer.open(fid, 4, "pack@1", tomb) == ("E-77", None, "deleted at A")


def test_fleet_ids_are_keyed_and_stable(sealer):
    assert sealer.fleet_id("E1") == sealer.fleet_id("E1") != sealer.fleet_id("E2")
    assert RecordSealer(FleetKey.new()).fleet_id("E1") != sealer.fleet_id("E1")
    assert RecordSealer(sealer.key.rotated()).fleet_id("E1") == sealer.fleet_id("E1")  # rotation keeps fleet ids


def test_key_file_is_owner_only_and_needs_its_passphrase(tmp_path):
    key = FleetKey.new()
    path = tmp_path / "fleet.key"
    write_key_file(path, "a long passphrase", key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_key_file(path, "a long passphrase") == key
    with pytest.raises(AuthError, match="wrong passphrase"):
        read_key_file(path, "another passphrase")
    with pytest.raises(KioskError, match="at least 8 characters"):
        write_key_file(tmp_path / "short.key", "short", key)
    path.write_bytes(b"garbage")
    with pytest.raises(KioskError, match="is not a fleet key file"):
        read_key_file(path, "a long passphrase")
