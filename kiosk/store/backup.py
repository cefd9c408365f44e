"""Encrypted backup bundles to move enrollments between kiosks.

A bundle is ``MAGIC``, a length-prefixed JSON header (KDF parameters, salt, nonce) and
one AES-256-GCM ciphertext of the JSON payload, with the header as associated data, so
neither part can be edited. The key comes from the passphrase through scrypt; the
database key never leaves the kiosk, and templates (and face crops, an optional field
that older bundles lack) are re-sealed on import under the target's key and new person ids.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.errors import AuthError, KioskError, StoreError
from kiosk.clock import utc_now
from kiosk.fsutil import atomic_write
from kiosk.store.people import TemplateRecord

MAGIC = b"KIOSKBAK1\n"
FORMAT = 1
MIN_PASSPHRASE = 8
SCRYPT = {"n": 2**15, "r": 8, "p": 1}


@dataclass(frozen=True)
class BackupPerson:
    external_id: str
    name: str
    status: str
    created: str
    templates: list[TemplateRecord]
    face: bytes | None = None  # the face crop (kiosk/store/faces.py); a backup without one restores without
    punches: list[tuple[str, str]] = field(default_factory=list)  # attendance (UTC ISO time, "in"/"out"); older bundles have none


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=2**27)


def _encode(people: list[BackupPerson]) -> bytes:
    return json.dumps(
        {
            "format": FORMAT,
            "created": utc_now(),
            "people": [
                {
                    "external_id": p.external_id,
                    "name": p.name,
                    "status": p.status,
                    "created": p.created,
                    "templates": [
                        {
                            "pack_id": t.pack_id,
                            "vector": base64.b64encode(np.asarray(t.vector, dtype="<f4").tobytes()).decode("ascii"),
                            "quality": t.quality,
                            "frames_used": t.frames_used,
                            "created": t.created,
                            **({"label": t.label} if t.label else {}),
                            **({"kind": t.kind} if t.kind != "enrolled" else {}),
                        }
                        for t in p.templates
                    ],
                    **({"face": base64.b64encode(p.face).decode("ascii")} if p.face else {}),
                    **({"punches": [{"time": t, "direction": d} for t, d in p.punches]} if p.punches else {}),
                }
                for p in people
            ],
        },
        ensure_ascii=False,
    ).encode("utf-8")


def _punch(entry: dict[str, Any]) -> tuple[str, str]:
    """(UTC ISO time, direction) of a bundle's punch; a ValueError names what is wrong."""
    time, direction = str(entry["time"]), entry["direction"]
    if direction not in ("in", "out"):
        raise ValueError(f"punch direction {direction!r}")
    if datetime.fromisoformat(time).utcoffset() is None:
        raise ValueError(f"punch time {time!r} has no time zone")
    return time, str(direction)


def _decode(payload: bytes, origin: Path) -> list[BackupPerson]:
    try:
        data = json.loads(payload)
        if data.get("format") != FORMAT:
            raise StoreError(f"backup {origin} has format {data.get('format')!r}; this kiosk reads format {FORMAT}")
        return [
            BackupPerson(
                p["external_id"],
                p["name"],
                p.get("status", "active"),
                p.get("created") or utc_now(),
                [
                    TemplateRecord(
                        t["pack_id"], np.frombuffer(base64.b64decode(t["vector"]), dtype="<f4"), float(t["quality"]), int(t["frames_used"]), t["created"],
                        str(t.get("label", "")), str(t.get("kind", "enrolled")),
                    )
                    for t in p["templates"]
                ],
                base64.b64decode(p["face"]) if p.get("face") else None,
                [_punch(k) for k in p.get("punches", [])],
            )
            for p in data["people"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"backup {origin} is damaged ({exc})") from None


def write_sealed_file(path: Path, magic: bytes, passphrase: str, payload: bytes, what: str, header_extra: dict[str, Any] | None = None) -> None:
    """``magic``, a length-prefixed JSON header (scrypt parameters, salt, nonce and
    ``header_extra``), then AES-256-GCM of ``payload`` with the header as associated data.
    Shared by backups and fleet key files."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise KioskError(f"a {what} passphrase needs at least {MIN_PASSPHRASE} characters")
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps({"kdf": "scrypt", **SCRYPT, "salt": salt.hex(), "nonce": nonce.hex(), **(header_extra or {})}).encode("ascii")
    key = _derive(passphrase, salt, **SCRYPT)
    sealed = AESGCM(key).encrypt(nonce, payload, header)
    atomic_write(Path(path), magic + struct.pack(">I", len(header)) + header + sealed, mode=0o600)


def read_sealed_file(path: Path, magic: bytes, passphrase: str, what: str) -> tuple[dict[str, Any], bytes]:
    """(header, payload) of a ``write_sealed_file`` file; ``AuthError`` on a wrong passphrase."""
    path = Path(path)
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read {what} {path}: {exc.strerror}") from None
    if not blob.startswith(magic) or len(blob) < len(magic) + 4:
        raise StoreError(f"{path} is not a {what}")
    (size,) = struct.unpack(">I", blob[len(magic) : len(magic) + 4])
    start = len(magic) + 4
    header_bytes, sealed = blob[start : start + size], blob[start + size :]
    try:
        header = json.loads(header_bytes)
        key = _derive(passphrase, bytes.fromhex(header["salt"]), int(header["n"]), int(header["r"]), int(header["p"]))
        nonce = bytes.fromhex(header["nonce"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"{what} {path} has a damaged header ({exc})") from None
    try:
        return header, AESGCM(key).decrypt(nonce, sealed, header_bytes)
    except InvalidTag:
        raise AuthError(f"cannot open {what} {path}: wrong passphrase or the file was altered") from None


def write_bundle(path: Path, passphrase: str, people: list[BackupPerson]) -> None:
    write_sealed_file(path, MAGIC, passphrase, _encode(people), "backup")


def read_bundle(path: Path, passphrase: str) -> list[BackupPerson]:
    return _decode(read_sealed_file(path, MAGIC, passphrase, "kiosk backup")[1], Path(path))
