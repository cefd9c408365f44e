"""Where the 32-byte database key lives: one interface, three stores.

- ``EnvKeyStore``: ``KIOSK_DB_KEY`` (64 hex digits), for tests and automation.
- ``FileKeyStore`` with ``PlainWrap``: a key file that must be mode 0600 (POSIX).
- ``FileKeyStore`` with ``DpapiWrap``: the key wrapped by Windows DPAPI, machine scope.

A file store also keeps a *pending* key beside the current one while ``db rekey``
runs, so a crash at any point leaves a key that opens the database (see rekey.py).
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.errors import KeyStoreError
from kiosk.store import dpapi
from kiosk.fsutil import atomic_write, sync_dir

KEY_BYTES = 32
ENV_VAR = "KIOSK_DB_KEY"


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def parse_hex_key(text: str, origin: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise KeyStoreError(f"{origin} is not a hex key", hint=f"it needs {KEY_BYTES * 2} hex digits") from None
    if len(key) != KEY_BYTES:
        raise KeyStoreError(f"{origin} holds a {len(key)}-byte key", hint=f"it needs {KEY_BYTES * 2} hex digits")
    return key


class KeyStore(Protocol):
    @property
    def description(self) -> str: ...

    def load(self) -> bytes | None: ...
    def create(self) -> bytes: ...
    def pending(self) -> bytes | None: ...
    def stage(self, key: bytes) -> None: ...
    def commit(self) -> None: ...
    def discard(self) -> None: ...


@dataclass
class EnvKeyStore:
    """The key given in the environment; it cannot be replaced from here, so no rekey."""

    value: str
    description: str = f"environment variable {ENV_VAR}"

    def load(self) -> bytes:
        return parse_hex_key(self.value, ENV_VAR)

    def create(self) -> bytes:
        return self.load()

    def pending(self) -> None:
        return None

    def stage(self, key: bytes) -> None:
        raise KeyStoreError(
            f"the database key comes from {ENV_VAR}, which the kiosk cannot change",
            hint=f"unset {ENV_VAR} to rekey with the machine key store",
        )

    def commit(self) -> None:  # nothing is ever staged
        return None

    def discard(self) -> None:
        return None


class KeyWrap(Protocol):
    name: str
    check_permissions: bool

    def wrap(self, key: bytes) -> bytes: ...
    def unwrap(self, blob: bytes, origin: Path) -> bytes: ...


class PlainWrap:
    """Hex text in a file only its owner can read: the protection is the file mode."""

    name = "key file"
    check_permissions = True

    def wrap(self, key: bytes) -> bytes:
        return key.hex().encode("ascii") + b"\n"

    def unwrap(self, blob: bytes, origin: Path) -> bytes:
        return parse_hex_key(blob.decode("ascii", "replace"), f"key file {origin}")


class DpapiWrap:
    """DPAPI machine scope: any account on this machine can unwrap it, no other machine can."""

    name = "DPAPI-protected key file"
    check_permissions = False  # NTFS ACLs come from the installer; DPAPI binds the key to the machine

    def wrap(self, key: bytes) -> bytes:
        return dpapi.protect(key)

    def unwrap(self, blob: bytes, origin: Path) -> bytes:
        try:
            key = dpapi.unprotect(blob)
        except OSError as exc:
            raise KeyStoreError(f"cannot unwrap the database key in {origin}: {exc}", hint="it was made on another machine or is damaged") from None
        if len(key) != KEY_BYTES:
            raise KeyStoreError(f"{origin} does not hold a {KEY_BYTES}-byte key")
        return key


def loose_permission_problem(mode: int) -> str | None:
    """Why a key file's mode is too open, or None when only the owner can touch it."""
    if stat.S_IMODE(mode) & 0o077:
        return f"it is readable or writable by other users (mode {stat.S_IMODE(mode):04o})"
    return None


@dataclass
class FileKeyStore:
    path: Path
    wrapper: KeyWrap

    @property
    def description(self) -> str:
        return f"{self.wrapper.name} {self.path}"

    @property
    def pending_path(self) -> Path:
        return self.path.with_name(self.path.name + ".new")

    def _read(self, path: Path) -> bytes | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        if self.wrapper.check_permissions and os.name == "posix":
            problem = loose_permission_problem(st.st_mode)
            if problem:
                raise KeyStoreError(f"refusing key file {path}: {problem}", hint=f"run: chmod 600 {path}")
        try:
            blob = path.read_bytes()
        except OSError as exc:
            raise KeyStoreError(f"cannot read key file {path}: {exc.strerror}") from None
        return self.wrapper.unwrap(blob, path)

    def load(self) -> bytes | None:
        return self._read(self.path)

    def create(self) -> bytes:
        key = new_key()
        atomic_write(self.path, self.wrapper.wrap(key), mode=0o600)
        return key

    def pending(self) -> bytes | None:
        return self._read(self.pending_path)

    def stage(self, key: bytes) -> None:
        atomic_write(self.pending_path, self.wrapper.wrap(key), mode=0o600)

    def commit(self) -> None:
        os.replace(self.pending_path, self.path)
        sync_dir(self.path.parent)

    def discard(self) -> None:
        self.pending_path.unlink(missing_ok=True)


def key_store_for(db_path: Path, platform: str = sys.platform, environ: Mapping[str, str] = os.environ) -> KeyStore:
    """``KIOSK_DB_KEY`` wins; else DPAPI on Windows, else a 0600 key file beside the database."""
    if environ.get(ENV_VAR):
        return EnvKeyStore(environ[ENV_VAR])
    if platform == "win32":
        return FileKeyStore(db_path.with_name(db_path.name + ".key.dpapi"), DpapiWrap())
    return FileKeyStore(db_path.with_name(db_path.name + ".key"), PlainWrap())
