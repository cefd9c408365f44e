"""The fleet key: made by ``kiosk fleet create``, carried to each kiosk in a
passphrase-wrapped file, kept on the kiosk by the local key store.

A fleet key is two secrets: the *record key* seals every record (rotated by
``kiosk fleet rotate-key``), the *id key* turns an external id into the person's
fleet id (HMAC), so two kiosks enrolling the same id meet on the same server row
while the server never sees the id. The id key stays across rotations (fleet ids
are stable); a revoked kiosk must lose its server role as well (``kiosk fleet revoke --role``).

On the kiosk the record key lives in a key store like the database key
(``fleet.key``, 0600, or DPAPI on Windows, staged and committed for rotation);
the id key, fleet uuid and generation sit in the encrypted database.
"""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import StoreError
from kiosk.store.backup import read_sealed_file, write_sealed_file
from kiosk.store.keys import DpapiWrap, FileKeyStore, PlainWrap, new_key

MAGIC = b"KIOSKFLEETKEY1\n"
LOCAL_KEY_FILE = "fleet.key"
PASSPHRASE_ENV = "KIOSK_FLEET_PASSPHRASE"


@dataclass(frozen=True)
class FleetKey:
    fleet_uuid: str
    generation: int
    record_key: bytes
    id_key: bytes

    @classmethod
    def new(cls) -> FleetKey:
        return cls(str(uuid.uuid4()), 1, new_key(), new_key())

    def rotated(self) -> FleetKey:
        return FleetKey(self.fleet_uuid, self.generation + 1, new_key(), self.id_key)


def write_key_file(path: Path, passphrase: str, key: FleetKey) -> None:
    """The two secrets sealed under the passphrase; fleet uuid and generation in the header."""
    write_sealed_file(path, MAGIC, passphrase, key.record_key + key.id_key, "fleet key", {"fleet": key.fleet_uuid, "generation": key.generation})


def read_key_file(path: Path, passphrase: str) -> FleetKey:
    header, plain = read_sealed_file(path, MAGIC, passphrase, "fleet key file")
    try:
        if len(plain) != 64:
            raise ValueError(f"{len(plain)} key bytes")
        return FleetKey(str(header["fleet"]), int(header["generation"]), plain[:32], plain[32:])
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"fleet key file {path} is damaged ({exc})") from None


def local_key_store(data_dir: Path, platform: str = sys.platform) -> FileKeyStore:
    """The record key beside the database, wrapped like the database key."""
    if platform == "win32":
        return FileKeyStore(Path(data_dir) / (LOCAL_KEY_FILE + ".dpapi"), DpapiWrap())
    return FileKeyStore(Path(data_dir) / LOCAL_KEY_FILE, PlainWrap())
