"""Crash-safe re-encryption under a new key (``kiosk db rekey``).

Order of durable steps, and what a crash after each leaves:

1. the new key is staged beside the current one        -> old db, old key (+ stale pending)
2. ``kiosk.db.rekey`` is built under the new key: a full ``sqlcipher_export`` copy with
   every template and face crop re-sealed under the new seal key, then fsynced -> same as 1
3. the old db is checkpointed and closed, then the copy is renamed over it (atomic)
                                                          -> new db, old key + pending new key
4. the pending key replaces the current key (atomic)   -> new db, new key

``recover()`` runs on every open: with a pending key it tries that key on the db; if it
opens, step 3 happened and the key is committed, otherwise the rekey is rolled back.
Either way the database opens with the state it had before or after, never between.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KeyStoreError, StoreError
from kiosk.fsutil import fsync_file, sync_dir
from kiosk.store import faces
from kiosk.store.keys import KeyStore, new_key
from kiosk.store.pause import pause_point
from kiosk.store.seal import Sealer

if TYPE_CHECKING:
    from kiosk.store.db import Database


def staged_path(path: Path) -> Path:
    return path.with_name(path.name + ".rekey")


def _opens_with(path: Path, key: bytes) -> bool:
    from kiosk.store.db import connect  # db imports this module for recover()

    try:
        connect(path, key).close()
    except KeyStoreError:
        return False
    return True


def recover(path: Path, key_store: KeyStore) -> None:
    """Finish or roll back a rekey that a crash interrupted (no-op otherwise)."""
    pending = key_store.pending()
    if pending is not None:
        if path.exists() and _opens_with(path, pending):
            key_store.commit()
        else:
            key_store.discard()
    staged_path(path).unlink(missing_ok=True)


def rekey(db: Database) -> None:
    """Re-encrypt ``db`` (closed on return) under a fresh key; reopen it with ``Database.open``."""
    from kiosk.store.db import CIPHER_PRAGMAS
    path, conn, store = db.path, db.conn, db.key_store
    staged = staged_path(path)
    staged.unlink(missing_ok=True)
    key = new_key()
    store.stage(key)
    pause_point("rekey:staged")
    new_sealer = Sealer(key)
    try:
        conn.execute(f"ATTACH DATABASE ? AS rekey KEY \"x'{key.hex()}'\"", (str(staged),))
        for pragma in CIPHER_PRAGMAS:
            conn.execute(f"PRAGMA rekey.{pragma}")
        conn.execute("SELECT sqlcipher_export('rekey')").fetchall()
        rows = conn.execute("SELECT id, person_id, pack_id, sealed FROM main.templates").fetchall()
        conn.execute("BEGIN IMMEDIATE")
        for template_id, person_id, pack_id, sealed in rows:
            vector = db.sealer.open(sealed, person_id=person_id, template_id=template_id, pack_id=pack_id)
            resealed = new_sealer.seal(vector, person_id=person_id, template_id=template_id, pack_id=pack_id)
            conn.execute("UPDATE rekey.templates SET sealed = ? WHERE id = ?", (resealed, template_id))
        for person_id, sealed in faces.rows(db):
            resealed = new_sealer.seal_face(db.sealer.open_face(sealed, person_id=person_id), person_id=person_id)
            conn.execute("UPDATE rekey.face_crops SET sealed = ? WHERE person_id = ?", (resealed, person_id))
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE rekey")
        fsync_file(staged)
        pause_point("rekey:built")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        store.discard()
        staged.unlink(missing_ok=True)
        raise
    db.close()
    if path.with_name(path.name + "-wal").exists():
        store.discard()
        staged.unlink(missing_ok=True)
        raise StoreError(f"database {path} is open in another process", hint="stop the kiosk app, then run `kiosk db rekey` again")
    staged.replace(path)
    sync_dir(path.parent)
    pause_point("rekey:swapped")
    store.commit()
