"""AES-256-GCM sealing of templates, on top of SQLCipher's page encryption.

Why a second layer: SQLCipher protects the file at rest, but anyone with the key (or
a bug that copies rows) could move a template onto another person. The seal binds
each vector to its person id, template id and model pack id as associated data, so a
moved or edited row fails to open and is reported as tampering.

Templates are unit vectors, so only their direction is stored: int8, scaled so the
largest component is 127 (``encode``/``decode``). Against any probe this moves the
cosine similarity by about 3e-4 (tested: under 2e-3 worst case), far below any
threshold or margin, and start-up reads and decrypts a quarter of the float32 bytes
(SQLCipher page decryption is the dominant cost: see docs/benchmarks.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.errors import TamperError

VERSION = b"\x01"
NONCE_BYTES = 12
STORED_DTYPE = np.dtype("i1")


def encode(vector: np.ndarray) -> bytes:
    v = np.asarray(vector, dtype=np.float32).reshape(-1)
    peak = float(np.max(np.abs(v))) if v.size else 0.0
    if not np.isfinite(peak) or peak == 0.0:
        raise ValueError("cannot store a zero or non-finite template")
    return bytes(np.rint(v * (127.0 / peak)).astype(STORED_DTYPE).tobytes())


def encode_rows(matrix: np.ndarray) -> np.ndarray:
    """``encode`` for many rows at once (a fleet pull seals thousands): the same int8 values,
    one NumPy pass instead of a few calls per row. Row ``i``'s bytes are ``codes[i].tobytes()``.
    Int8 rows that already peak at 127 (a fleet record carries ``encode`` output) come back as
    they are: ``encode`` would give the same bytes."""
    if matrix.dtype == STORED_DTYPE and matrix.size and np.all(np.max(np.abs(matrix.astype(np.int16)), axis=1) == 127):
        return matrix
    rows = np.asarray(matrix, dtype=np.float32)
    peaks = np.max(np.abs(rows), axis=1, keepdims=True) if rows.size else np.zeros((len(rows), 1), np.float32)
    if not np.all(np.isfinite(peaks)) or np.any(peaks == 0.0):
        raise ValueError("cannot store a zero or non-finite template")
    return np.rint(rows * (np.float32(127.0) / peaks)).astype(STORED_DTYPE)


def decode(data: bytes, dim: int) -> np.ndarray:
    """Rows of unit float32 vectors from concatenated ``encode`` outputs."""
    matrix = np.frombuffer(data, dtype=STORED_DTYPE).reshape(-1, dim).astype(np.float32)
    norms = np.sqrt(np.einsum("ij,ij->i", matrix, matrix))
    matrix /= np.where(norms > 0, norms, 1.0)[:, None]
    return matrix
HKDF_INFO = b"FaceKiosk template seal v1"


def associated_data(person_id: int, template_id: str, pack_id: str) -> bytes:
    return f"{person_id}\x00{template_id}\x00{pack_id}".encode()


def face_associated_data(person_id: int) -> bytes:
    """Never equal to a template's (those start with the person id's digits)."""
    return f"face\x00{person_id}".encode()


class Sealer:
    """Seals and opens vectors with a key derived from the database key."""

    def __init__(self, db_key: bytes) -> None:
        seal_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(db_key)
        self._aead = AESGCM(seal_key)

    def seal(self, vector: np.ndarray, *, person_id: int, template_id: str, pack_id: str) -> bytes:
        return self.seal_code(encode(vector), person_id=person_id, template_id=template_id, pack_id=pack_id)

    def seal_code(self, code: bytes, *, person_id: int, template_id: str, pack_id: str) -> bytes:
        """Seal a template already ``encode``d (``encode_rows`` for a batch): the bulk path of a fleet pull."""
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self._aead.encrypt(nonce, code, associated_data(person_id, template_id, pack_id))

    def open(self, blob: bytes, *, person_id: int, template_id: str, pack_id: str) -> np.ndarray:
        plain = self.open_bytes(blob, person_id=person_id, template_id=template_id, pack_id=pack_id)
        vector: np.ndarray = decode(plain, len(plain) // STORED_DTYPE.itemsize)[0]
        return vector

    def open_bytes(self, blob: bytes, *, person_id: int, template_id: str, pack_id: str) -> bytes:
        """The stored (``encode``) bytes; the bulk loader joins these without NumPy per row."""
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

    def seal_face(self, image: bytes, *, person_id: int) -> bytes:
        """A face crop (encoded image bytes), bound to its person like a template."""
        nonce = os.urandom(NONCE_BYTES)
        return VERSION + nonce + self._aead.encrypt(nonce, image, face_associated_data(person_id))

    def open_face(self, blob: bytes, *, person_id: int) -> bytes:
        if len(blob) <= 1 + NONCE_BYTES or blob[:1] != VERSION:
            raise TamperError(f"the face picture of person {person_id} is not sealed")
        try:
            return self._aead.decrypt(blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :], face_associated_data(person_id))
        except InvalidTag:
            raise TamperError(
                f"the face picture of person {person_id} failed its seal: it was altered or moved from another person",
                hint="run `kiosk db check`, then re-enroll the person",
            ) from None

    def open_rows(self, rows: Iterable[tuple[str, int, bytes]], pack_id: str) -> tuple[list[int], list[bytes], list[TamperError]]:
        """Bulk open for start-up: ``(template_id, person_id, sealed)`` rows of one pack ->
        owners, stored bytes, and the rows that failed (left out). The loop is written
        for speed (bound locals, no per-row NumPy), since it runs once per template."""
        owners: list[int] = []
        chunks: list[bytes] = []
        failed: list[TamperError] = []
        decrypt, suffix, head = self._aead.decrypt, f"\x00{pack_id}".encode(), 1 + NONCE_BYTES
        for template_id, person_id, blob in rows:
            try:
                if blob[:1] != VERSION:
                    raise InvalidTag
                chunks.append(decrypt(blob[1:head], blob[head:], f"{person_id}\x00{template_id}".encode() + suffix))
            except InvalidTag:
                try:
                    self.open_bytes(blob, person_id=person_id, template_id=template_id, pack_id=pack_id)
                except TamperError as exc:
                    failed.append(exc)
                continue
            owners.append(person_id)
        return owners, chunks, failed
