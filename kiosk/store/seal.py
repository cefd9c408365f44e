"""AES-256-GCM sealing of templates, on top of SQLCipher's page encryption.

Why a second layer: SQLCipher protects the file at rest, but anyone with the key (or
a bug that copies rows) could move a template onto another person. The seal binds
each vector to its person id, template id and model pack id as associated data, so a
moved or edited row fails to open and is reported as tampering.
"""

from __future__ import annotations

import os

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.errors import TamperError

VERSION = b"\x01"
NONCE_BYTES = 12
HKDF_INFO = b"FaceKiosk template seal v1"


def associated_data(person_id: int, template_id: str, pack_id: str) -> bytes:
    return f"{person_id}\x00{template_id}\x00{pack_id}".encode()


class Sealer:
    """Seals and opens float32 vectors with a key derived from the database key."""

    def __init__(self, db_key: bytes) -> None:
        seal_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(db_key)
        self._aead = AESGCM(seal_key)

    def seal(self, vector: np.ndarray, *, person_id: int, template_id: str, pack_id: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        plain = np.ascontiguousarray(vector, dtype="<f4").tobytes()
        return VERSION + nonce + self._aead.encrypt(nonce, plain, associated_data(person_id, template_id, pack_id))

    def open(self, blob: bytes, *, person_id: int, template_id: str, pack_id: str) -> np.ndarray:
        return np.frombuffer(self.open_bytes(blob, person_id=person_id, template_id=template_id, pack_id=pack_id), dtype="<f4")

    def open_bytes(self, blob: bytes, *, person_id: int, template_id: str, pack_id: str) -> bytes:
        """The little-endian float32 bytes; the bulk loader joins these without NumPy per row."""
        if len(blob) <= 1 + NONCE_BYTES or blob[:1] != VERSION:
            raise TamperError(f"template {template_id} of person {person_id} is not a sealed template")
        nonce = blob[1 : 1 + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, blob[1 + NONCE_BYTES :], associated_data(person_id, template_id, pack_id))
        except InvalidTag:
            raise TamperError(
                f"template {template_id} of person {person_id} failed its seal: it was altered or moved from another person",
                hint="run `kiosk db check`, then re-enroll the person or restore from a backup",
            ) from None
