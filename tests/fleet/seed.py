"""Sealed records written straight into a fleet server, as if another kiosk had pushed them.

A fleet of thousands (the tests) or 100k (``bench fleet``) in seconds: pushing that many
through a kiosk would time the push, not the join. The records are sealed with the real
fleet key and ``RecordSealer``, exactly as a kiosk's push seals them; only the pushing
kiosk is left out.
"""

from __future__ import annotations

from collections.abc import Iterable

import psycopg

from kiosk.fleet import central
from kiosk.fleet.records import RecordSealer
from kiosk.store.backup import BackupPerson


def seed_records(url: str, sealer: RecordSealer, pack_id: str, people: Iterable[BackupPerson | str]) -> int:
    """Append ``people`` (a ``BackupPerson``, or an external id for a sealed deletion) after the
    server's last version, in one COPY and one transaction. Returns the server's new version."""
    with central.connect(url, "seed") as conn, conn.cursor() as cur:
        version = int(_row(conn.execute("SELECT version FROM fleet_clock FOR UPDATE"))[0])
        generation = sealer.key.generation
        with cur.copy("COPY fleet_people(fleet_id, version, rev, tombstone, pack_id, sealed, key_generation, written_by) FROM STDIN") as copy:
            for entry in people:
                ext = entry if isinstance(entry, str) else entry.external_id
                person = None if isinstance(entry, str) else entry
                fid = sealer.fleet_id(ext)
                version += 1
                copy.write_row((fid, version, 1, person is None, pack_id, sealer.seal(fid, 1, pack_id, ext, person), generation, "seed"))
        cur.execute("UPDATE fleet_clock SET version = %s", (version,))
        conn.commit()
    return version


def _row(cursor: psycopg.Cursor[tuple[int]]) -> tuple[int]:
    row = cursor.fetchone()
    if row is None:
        raise RuntimeError("the fleet server has no clock row: run `kiosk fleet create` first")
    return row
