"""Admin PINs: scrypt hashes, failed-attempt counting, lockout with growing back-off.

There is no default PIN: ``has_admin()`` is false on a fresh kiosk and the UI asks
for one on first start. After ``FREE_ATTEMPTS`` wrong PINs each further failure locks
the admin for twice as long as the last (30 s, 60 s, ... capped at an hour).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Callable

from kiosk.errors import AuthError, KioskError
from kiosk.clock import utc_now
from kiosk.store.db import Database

MIN_PIN_DIGITS = 6
FREE_ATTEMPTS = 3
BASE_LOCK_S = 30.0
MAX_LOCK_S = 3600.0
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def validate_pin(pin: str) -> None:
    if not (pin.isdigit() and pin.isascii()) or len(pin) < MIN_PIN_DIGITS:
        raise KioskError(f"a PIN must be at least {MIN_PIN_DIGITS} digits (0-9 only)")


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    scheme, n, r, p, salt, digest = stored.split("$")
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(got, bytes.fromhex(digest))


def lock_seconds(failed_attempts: int, free_attempts: int = FREE_ATTEMPTS) -> float:
    """How long the account is locked after this many consecutive failures: nothing for the
    first ``free_attempts``, then 30 s doubling per further failure, capped at an hour
    (the admin: 3 free; a visitor's claimed id: 5, kiosk/store/attempts.py)."""
    if failed_attempts < free_attempts:
        return 0.0
    return float(min(MAX_LOCK_S, BASE_LOCK_S * 2.0 ** (failed_attempts - free_attempts)))


def has_admin(db: Database) -> bool:
    return db.conn.execute("SELECT 1 FROM admins LIMIT 1").fetchone() is not None


def set_pin(db: Database, name: str, pin: str) -> None:
    if not name.strip():
        raise KioskError("an admin needs a name")
    validate_pin(pin)
    now = utc_now()
    db.conn.execute(
        "INSERT INTO admins(name, pin_hash, failed_attempts, locked_until, created, updated) VALUES (?, ?, 0, 0, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET pin_hash = excluded.pin_hash, failed_attempts = 0, locked_until = 0, updated = excluded.updated",
        (name, hash_pin(pin), now, now),
    )


def check_pin(db: Database, name: str, pin: str, clock: Callable[[], float] = time.time) -> None:
    """Return on success; raise ``AuthError`` with ``retry_after`` on failure or lockout.

    The failure count is committed before the error leaves, so killing the process
    (or pulling the plug) after a wrong guess never resets the back-off.
    """
    now = clock()
    row = db.conn.execute("SELECT pin_hash, failed_attempts, locked_until FROM admins WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise AuthError("wrong admin name or PIN")
    stored, failed, locked_until = row[0], int(row[1]), float(row[2])
    if locked_until > now:
        wait = math.ceil(locked_until - now)
        raise AuthError(f"too many wrong PINs: try again in {wait} s", retry_after=wait)
    if pin_matches(pin, stored):
        if failed:
            db.conn.execute("UPDATE admins SET failed_attempts = 0, locked_until = 0 WHERE name = ?", (name,))
        return
    failed += 1
    lock = lock_seconds(failed)
    db.conn.execute("UPDATE admins SET failed_attempts = ?, locked_until = ? WHERE name = ?", (failed, now + lock if lock else 0, name))
    if lock:
        raise AuthError(f"wrong PIN; locked for {math.ceil(lock)} s", retry_after=math.ceil(lock))
    left = FREE_ATTEMPTS - failed
    raise AuthError(f"wrong PIN ({left} {'try' if left == 1 else 'tries'} left before a lockout)")


# --- first start: the one-time setup code ------------------------------------------------
# A fresh kiosk takes no PIN from the screen unless an operator armed it from this computer
# (`kiosk admin set-pin --setup-code`, which the installer runs): the code it prints is asked
# for before the first PIN is chosen, so whoever first touches the screen cannot take the kiosk.
# Kept hashed in the database's ``settings`` table with its wrong-attempt count; it is used up
# by the PIN it lets set, and by SETUP_CODE_ATTEMPTS wrong tries.
SETUP_CODE_KEY = "admin_setup_code"
SETUP_CODE_DIGITS = 8
SETUP_CODE_ATTEMPTS = 5


def issue_setup_code(db: Database) -> str:
    """A fresh code (any earlier one no longer works); only its hash is stored."""
    code = f"{secrets.randbelow(10**SETUP_CODE_DIGITS):0{SETUP_CODE_DIGITS}d}"
    _store_code(db, hash_pin(code), 0)
    return code


def setup_armed(db: Database) -> bool:
    return db.conn.execute("SELECT 1 FROM settings WHERE key = ?", (SETUP_CODE_KEY,)).fetchone() is not None


def _store_code(db: Database, stored: str, failed: int) -> None:
    db.conn.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (SETUP_CODE_KEY, f"{failed}:{stored}"),
    )


def check_setup_code(db: Database, code: str) -> None:
    """Return when ``code`` is the armed one; else count the try and raise ``AuthError`` (the
    last allowed wrong try deletes the code: a new one must be issued from the computer)."""
    row = db.conn.execute("SELECT value FROM settings WHERE key = ?", (SETUP_CODE_KEY,)).fetchone()
    if row is None:
        raise AuthError("no setup code is armed: run `kiosk admin set-pin` on this computer")
    failed_text, _, stored = str(row[0]).partition(":")
    if code.isdigit() and pin_matches(code, stored):
        return
    failed = int(failed_text) + 1
    if failed >= SETUP_CODE_ATTEMPTS:
        drop_setup_code(db)
        raise AuthError("wrong setup code; it is used up: run `kiosk admin set-pin --setup-code` for a new one")
    _store_code(db, stored, failed)
    left = SETUP_CODE_ATTEMPTS - failed
    raise AuthError(f"wrong setup code ({left} {'try' if left == 1 else 'tries'} left)")


def drop_setup_code(db: Database) -> None:
    db.conn.execute("DELETE FROM settings WHERE key = ?", (SETUP_CODE_KEY,))
