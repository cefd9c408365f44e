"""Creating a fleet, joining, leaving, rotating the key, and the status of it all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from kiosk.errors import AuthError, FleetError, KioskError, NotFoundError
from kiosk.fleet import central
from kiosk.fleet.keys import FleetKey, local_key_store, read_key_file, write_key_file
from kiosk.fleet.records import RecordSealer
from kiosk.fleet.sync import FleetSync
from kiosk.registry import Registry
from kiosk.store import journal
from kiosk.store.pause import pause_point


def create(url: str, key_out: Path, passphrase: str) -> tuple[int, FleetKey | None]:
    """Create or migrate the schema; a new fleet gets a new key, written to ``key_out``.
    Returns (schema version, the new key or None when the fleet already existed)."""
    with central.connect(url, "create") as conn:
        version = central.migrate(conn, url)
        if central.meta(conn).get("fleet_uuid"):
            return version, None
        key = FleetKey.new()
        write_key_file(key_out, passphrase, key)  # before the server knows it: the key is never lost
        central.init_meta(conn, key.fleet_uuid, key.generation, RecordSealer(key).key_check())
    return version, key


def _check_key(conn: psycopg.Connection, url: str, key: FleetKey) -> None:
    central.require_schema(conn, url)
    meta = central.meta(conn)
    if meta.get("fleet_uuid") != key.fleet_uuid:
        raise AuthError(f"this key file belongs to fleet {key.fleet_uuid}, not to the fleet on {central.describe(url)} ({meta.get('fleet_uuid')})")
    if int(meta["generation"]) != key.generation:
        raise AuthError(
            f"this key file is generation {key.generation}; the fleet on {central.describe(url)} is at generation {meta['generation']}",
            hint="use the key file written by the latest `kiosk fleet rotate-key`",
        )
    RecordSealer(key).verify(bytes.fromhex(meta["key_check"]), central.describe(url))


def join(registry: Registry, data_dir: Path, url: str, key_file: Path, passphrase: str, name: str) -> int:
    """Keep the server, the kiosk name and the fleet key here; note every local person for
    the first push. Joining again (a rotated key) keeps what was synced. Returns the notes made."""
    key = read_key_file(key_file, passphrase)
    with central.connect(url, name) as conn:
        _check_key(conn, url, key)
        with registry.session() as db:
            state = journal.all_state(db)
        same_fleet = state.get(journal.JOINED_KEY) == key.fleet_uuid
        if state.get(journal.JOINED_KEY) and not same_fleet:
            raise FleetError(f"this kiosk is in fleet {state[journal.JOINED_KEY]}", hint="leave it first: `kiosk fleet leave --keep-people`")
        if not same_fleet and any(k["name"] == name for k in central.kiosks(conn)):
            raise FleetError(f"a kiosk named {name!r} is already in this fleet", hint="give this one another --name")
        store = local_key_store(data_dir)
        store.stage(key.record_key)
        store.commit()
        notes = 0
        with registry.session() as db, db.transaction():
            journal.set_state(db, fleet_uuid=key.fleet_uuid, generation=key.generation, id_key=key.id_key.hex(), server=url, kiosk=name)
            if not same_fleet:
                for ref in db.conn.execute("SELECT external_id FROM people").fetchall():
                    journal.note(db, "enroll", ref[0])
                    notes += 1
        central.heartbeat(conn, name, registry.pack_id, notes, 0)
    return notes


def leave(registry: Registry, data_dir: Path, keep_people: bool) -> tuple[int, int, str | None]:
    """Forget the fleet here (and this kiosk on the server, if reachable); the local people
    go too unless ``keep_people``. Returns (people removed, unpushed changes dropped, server error)."""
    fleet = FleetSync(registry, data_dir)
    problem = None
    try:
        with fleet.connect() as conn:
            central.forget_kiosk(conn, fleet.name)
    except (KioskError, psycopg.Error) as exc:
        problem = str(exc)
    with registry.session() as db:
        dropped = journal.backlog(db)
        people = [] if keep_people else [r[0] for r in db.conn.execute("SELECT external_id FROM people")]
    registry.apply_remote([], people, journal.clear, event="fleet_leave")
    if not people:  # otherwise apply_remote audited the leave with the people it deleted
        registry.audit("fleet_leave", detail="local people kept" if keep_people else "no people here")
    local_key_store(data_dir).path.unlink(missing_ok=True)
    return len(people), dropped, problem


def rotate_key(registry: Registry, data_dir: Path, key_out: Path, passphrase: str) -> int:
    """New record key: the new key file is written first, the local key staged, every server
    record re-sealed in one transaction, then the local key committed. Kiosks still on the
    old generation stop syncing until they join with the new key file."""
    fleet = FleetSync(registry, data_dir)
    old, new = fleet.sealer, RecordSealer(fleet.key.rotated())
    write_key_file(key_out, passphrase, new.key)
    store = local_key_store(data_dir)
    store.stage(new.key.record_key)

    def reseal(record: central.ServerRecord) -> bytes:
        ext, person, note = old.open(record.fleet_id, record.rev, record.pack_id, record.sealed)
        return new.seal(record.fleet_id, record.rev, record.pack_id, ext, person, note)

    with fleet.connect() as conn:
        count = central.reseal_all(conn, old.key.generation, new.key.generation, new.key_check(), reseal)
    pause_point("fleet:rotated-not-committed")  # a kill here is finished by the next sync
    store.commit()
    with registry.session() as db, db.transaction():
        journal.set_state(db, generation=new.key.generation)
    registry.audit("fleet_rotate_key", detail=f"generation {new.key.generation}, {count} records re-sealed")
    return count


def revoke(url: str, kiosk: str, role: str | None) -> int | None:
    """Revoke ``kiosk`` from the fleet on ``url`` (the schema owner's connection), and with
    ``role`` take that login away too. Returns the sessions ended, None without ``role``.

    The flag is committed first and alone: the kiosk stops at its next round even when the
    role cannot be locked here. The flag is a row the kiosk role itself may write, so a kiosk
    that holds the fleet key and its login could write it back; the login is what shuts it out,
    and a key rotation what keeps it from reading records it copied (docs/fleet.md).
    """
    with central.connect(url, "revoke") as conn:
        central.require_schema(conn, url)
        if not central.mark_revoked(conn, kiosk):
            raise NotFoundError(f"no kiosk named {kiosk!r} in the fleet on {central.describe(url)}", hint="`kiosk fleet status` lists the kiosks")
        if role is None:
            return None
        try:
            return central.lock_kiosk_role(conn, role)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise FleetError(
                f"kiosk {kiosk!r} is revoked, but role {role!r} keeps its login: {exc.diag.message_primary or exc}",
                hint=f"connect as a role with CREATEROLE, or run `ALTER ROLE {role} NOLOGIN` on the server",
            ) from None


def local_status(registry: Registry) -> dict[str, Any]:
    """What this kiosk knows without asking the server (safe on the GUI thread)."""
    with registry.session() as db:
        state = journal.all_state(db)
        here = int(db.conn.execute("SELECT count(*) FROM people").fetchone()[0])
        backlog = journal.backlog(db)
    if journal.JOINED_KEY not in state:
        return {"joined": False, "people_here": here}
    return {
        "joined": True,
        "server": central.describe(state["server"]),
        "kiosk": state["kiosk"],
        "fleet": state[journal.JOINED_KEY],
        "generation": int(state["generation"]),
        "last_sync": state.get("last_sync"),
        "last_error": state.get("last_error"),
        "last_version": int(state.get("last_version") or 0),
        "backlog": backlog,
        "people_here": here,
    }


def silent(kiosks: list[dict[str, Any]], silent_after_s: float) -> list[str]:
    """The kiosks (not revoked) the server has not seen for longer than ``silent_after_s``: each
    kiosk's sync loop touches ``fleet_kiosks.last_seen`` every round, so a stopped kiosk goes quiet."""
    return [k["name"] for k in kiosks if not k["revoked"] and (k["silent_s"] is None or k["silent_s"] > silent_after_s)]


def status(registry: Registry, silent_after_s: float = 900.0) -> dict[str, Any]:
    """``local_status`` plus the server's counts and kiosk registry (or why they could not be read),
    and the kiosks silent for longer than ``silent_after_s``."""
    result = local_status(registry)
    if not result["joined"]:
        return result
    with registry.session() as db:
        url = journal.get_state(db, "server")
    if url is None:  # joined (local_status said so) always records the server
        raise FleetError("this kiosk is joined but has no fleet server recorded", hint="join again: `kiosk fleet join --server URL --key FILE`")
    try:
        with central.connect(url, result["kiosk"]) as conn:
            result["people_on_server"], result["deleted_on_server"] = central.counts(conn)
            result["kiosks"] = central.kiosks(conn)
        result["silent_after_s"] = silent_after_s
        result["silent"] = silent(result["kiosks"], silent_after_s)
    except (KioskError, psycopg.Error) as exc:
        result["server_error"] = str(exc)
    return result
