"""Sealed fleet records: a person (or their deletion) as the server stores it.

Each record is AES-256-GCM under the fleet's record key with the fleet uuid, the
person's fleet id, the record's revision and the writer's pack id as associated
data, so the server (or anyone with a dump) can neither read a record nor move it to
another person, revision or pack. Deletions are sealed too: a forged tombstone fails
to open and is refused, it does not delete anyone.

The payload is JSON with each template as its int8 direction (``kiosk.store.seal.encode``),
the same bytes the local store keeps: 512 bytes per 512-d template.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import uuid

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.errors import AuthError, TamperError
from kiosk.fleet.keys import FleetKey
from kiosk.store.backup import BackupPerson
from kiosk.store.people import TemplateRecord
from kiosk.store.seal import STORED_DTYPE, encode

VERSION = b"\x01"
NONCE_BYTES = 12
KEY_CHECK_TEXT = b"kiosk fleet key check"
_JSON = json.JSONDecoder()


class RecordSealer:
    def __init__(self, key: FleetKey) -> None:
        self.key = key
        self._aead = AESGCM(key.record_key)
        self._prefix = f"kiosk fleet record v1\x00{key.fleet_uuid}\x00".encode()

    def fleet_id(self, external_id: str) -> str:
        """The person's id on the server: keyed, so the server cannot guess it from an id list."""
        digest = hmac.new(self.key.id_key, b"fleet id\x00" + external_id.encode("utf-8"), hashlib.sha256).digest()
        return str(uuid.UUID(bytes=digest[:16]))

    def _ad(self, fleet_id: str, rev: int, pack_id: str) -> bytes:
        return self._prefix + f"{fleet_id}\x00{rev}\x00{pack_id}".encode()

    def _seal(self, plain: bytes, ad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self._aead.encrypt(nonce, plain, ad)

    def _open(self, blob: bytes, ad: bytes) -> bytes | None:
        if len(blob) <= 1 + NONCE_BYTES or blob[:1] != VERSION:
            return None
        try:
            return self._aead.decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], ad)
        except InvalidTag:
            return None

    def seal(self, fleet_id: str, rev: int, pack_id: str, external_id: str, person: BackupPerson | None, note: str | None = None) -> bytes:
        """``person`` None seals a deletion; ``note`` says which conflict this write settled."""
        if person is None:
            payload = {"deleted": True, "external_id": external_id, "note": note}
        else:
            payload = {
                "deleted": False,
                "external_id": person.external_id,
                "name": person.name,
                "status": person.status,
                "created": person.created,
                "note": note,
                "templates": [
                    {"pack_id": t.pack_id, "data": base64.b64encode(encode(t.vector)).decode("ascii"), "quality": t.quality, "frames_used": t.frames_used, "created": t.created}
                    | ({"label": t.label} if t.label else {})
                    | ({"kind": t.kind} if t.kind != "enrolled" else {})
                    for t in person.templates
                ],
            }
        return self._seal(json.dumps(payload, ensure_ascii=False).encode("utf-8"), self._ad(fleet_id, rev, pack_id))

    def open(self, fleet_id: str, rev: int, pack_id: str, blob: bytes) -> tuple[str, BackupPerson | None, str | None]:
        """``(external_id, person or None for a deletion, conflict note)``; ``TamperError`` if the seal fails."""
        plain = self._open(bytes(blob), self._ad(fleet_id, rev, pack_id))
        if plain is None:
            raise TamperError(
                f"fleet record {fleet_id} (revision {rev}) failed its seal: it was altered on the server or sealed with another fleet key",
                hint="run `kiosk fleet status`; if the fleet key was rotated, join again with the new key file",
            )
        data, _ = _JSON.raw_decode(plain.decode("utf-8"))  # our own compact JSON: no encoding sniffing or whitespace scan
        if data["deleted"]:
            return data["external_id"], None, data.get("note")
        # The int8 direction as stored (``encode`` output, largest component 127), not as float32:
        # the local store seals the same bytes again (``encode_rows`` passes them through) and the
        # matcher takes int8 rows as they are; every other reader converts with np.asarray.
        templates = [
            TemplateRecord(
                t["pack_id"], np.frombuffer(binascii.a2b_base64(t["data"]), dtype=STORED_DTYPE), float(t["quality"]), int(t["frames_used"]), t["created"],
                str(t.get("label", "")), str(t.get("kind", "enrolled")),
            )
            for t in data["templates"]
        ]
        return data["external_id"], BackupPerson(data["external_id"], data["name"], data["status"], data["created"], templates), data.get("note")

    def key_check(self) -> bytes:
        """Stored on the server so a kiosk with the wrong key is refused before it reads anything."""
        return self._seal(KEY_CHECK_TEXT, self._prefix + str(self.key.generation).encode())

    def verify(self, blob: bytes, server: str) -> None:
        if self._open(bytes(blob), self._prefix + str(self.key.generation).encode()) != KEY_CHECK_TEXT:
            raise AuthError(
                f"this fleet key (generation {self.key.generation}) does not open fleet {self.key.fleet_uuid} on {server}",
                hint="the key file belongs to another fleet, or the key was rotated: join with the newest key file",
            )
