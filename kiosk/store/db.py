"""Open the SQLCipher database: key, verify, pragmas, migrations, and clear errors.

A wrong key and a damaged file both surface in SQLCipher as "file is not a database"
on the first query (PRAGMA key itself always succeeds); the key check therefore runs
one read before anything can write, so a refused database is never modified.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3

from kiosk.clock import utc_now
from kiosk.errors import KeyStoreError, StoreError
from kiosk.events.types import EventSource
from kiosk.store import rekey as _rekey
from kiosk.fsutil import fsync_file, sync_dir
from kiosk.store.keys import KeyStore, key_store_for
from kiosk.store.schema import LATEST, MIGRATIONS
from kiosk.store.seal import Sealer

DB_FILE = "kiosk.db"
BUSY_TIMEOUT_MS = 10_000
# SQLCipher settings that are not stored in the (encrypted) file, so every connection
# repeats them. 16 KiB pages with HMAC-SHA256 decrypt about 1.7x faster than the 4 KiB /
# HMAC-SHA512 defaults here (SHA-NI hardware), which is what start-up loading spends on.
PAGE_SIZE = 16384
CIPHER_PRAGMAS = (f"cipher_page_size = {PAGE_SIZE}", "cipher_hmac_algorithm = HMAC_SHA256")


def damaged(path: Path, detail: str) -> StoreError:
    return StoreError(
        f"database {path} is damaged ({detail})",
        hint="nothing was changed; move the file aside and restore with `kiosk users import BACKUP` from your latest backup",
    )


def connect(path: Path, key: bytes) -> sqlcipher3.Connection:
    """A connection with the raw key applied and verified by one read."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        # SQLCipher logs page failures to stderr itself; the errors raised here say it once.
        conn.execute("PRAGMA cipher_log_level = NONE").fetchall()
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        for pragma in CIPHER_PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if "file is not a database" in str(exc):
            raise KeyStoreError(
                f"wrong database key for {path}",
                hint="the key store holds another key, or the file is damaged: restore it from a backup with `kiosk users import`",
            ) from None
        raise damaged(path, str(exc)) from None
    return conn


class Database:
    """One open, keyed, migrated database with its template sealer."""

    def __init__(self, path: Path, conn: sqlcipher3.Connection, key: bytes, key_store: KeyStore) -> None:
        self.path = path
        self.conn = conn
        self.key_store = key_store
        self.sealer = Sealer(key)
        self.closed = False
        # Stamped on every event this connection writes with an audit row (kiosk/store/audit.py):
        # the registry, the event sender and the supervisor each set theirs; None: no kiosk name.
        self.event_source: EventSource | None = None

    @classmethod
    def open(cls, path: Path, key_store: KeyStore | None = None) -> Database:
        path = Path(path)
        key_store = key_store or key_store_for(path)
        _rekey.recover(path, key_store)
        exists = path.exists()
        if exists:
            size = path.stat().st_size
            if size == 0:
                raise damaged(path, "the file is empty")
            if size % PAGE_SIZE:
                raise damaged(path, f"{size} bytes is not a whole number of {PAGE_SIZE}-byte pages: the file was cut short")
        key = key_store.load()
        if key is None:
            if exists:
                raise KeyStoreError(
                    f"no database key for {path}",
                    hint=f"expected in {key_store.description}; without it the database cannot be read — restore the key or a backup",
                )
            key = key_store.create()
        if not exists:
            cls._create(path, key, key_store)
        return cls._open_existing(path, key, key_store)

    @classmethod
    def _open_existing(cls, path: Path, key: bytes, key_store: KeyStore) -> Database:
        conn = connect(path, key)
        db = cls(path, conn, key, key_store)
        try:
            db._configure()
            db._migrate()
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            raise damaged(path, str(exc)) from None
        return db

    @classmethod
    def _create(cls, path: Path, key: bytes, key_store: KeyStore) -> None:
        """Build the new database beside its final name and rename it into place, so a
        crash during creation never leaves an empty ``kiosk.db`` (which open treats as damage)."""
        fresh = path.with_name(path.name + ".init")
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (fresh, fresh.with_name(fresh.name + "-wal"), fresh.with_name(fresh.name + "-shm")):
            leftover.unlink(missing_ok=True)
        # Owner-only from the start; SQLite gives the -wal and -shm files the same mode.
        os.close(os.open(fresh, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        cls._open_existing(fresh, key, key_store).close()
        fsync_file(fresh)
        os.replace(fresh, path)
        sync_dir(path.parent)

    def _configure(self) -> None:
        for pragma in (
            f"busy_timeout = {BUSY_TIMEOUT_MS}",
            "foreign_keys = ON",
            "secure_delete = ON",
            "journal_mode = WAL",
            "synchronous = FULL",
        ):
            self.conn.execute(f"PRAGMA {pragma}").fetchall()

    def _migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)")
        current = self.schema_version()
        if current > LATEST:
            raise StoreError(f"database {self.path} has schema version {current}, newer than this kiosk ({LATEST})", hint="update the kiosk software")
        for version, sql in MIGRATIONS:
            if version <= current:
                continue
            with self.transaction():
                for statement in sql.split(";"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute("INSERT INTO schema_version(version, applied) VALUES (?, ?)", (version, utc_now()))

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; any exception (or a kill) leaves the old state."""
        with self.guard():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """A page that fails to decrypt or parse becomes a ``StoreError`` naming the file."""
        try:
            yield
        except sqlcipher3.IntegrityError as exc:
            raise StoreError(f"database {self.path} refused the change ({exc})") from None
        except sqlcipher3.DatabaseError as exc:
            raise damaged(self.path, str(exc)) from None

    def close(self) -> None:
        self.conn.close()
        self.closed = True
