"""The central PostgreSQL database, as a kiosk (a client) uses it: connection rules, the versioned schema, and the few statements
sync needs. Everything here runs on a connection the caller opened; nothing here sees
a name, an external id or a template (records arrive sealed, see ``records.py``).

Ordering: every write takes the one-row ``fleet_clock`` lock first and holds it to
commit, so change versions become visible in increasing order and a kiosk that has
seen version N has seen everything below it ("pull since the last version seen" is
then exact). Fleet writes are rare (enrollments), so one writer at a time costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, LiteralString

import psycopg
from psycopg import conninfo, sql

from kiosk.errors import ConfigError, FleetError

CHANNEL = "kiosk_fleet"
CONNECT_TIMEOUT_S = 5
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
VERIFYING_SSLMODES = {"verify-ca", "verify-full"}
KIOSK_ROLE = "fleet_kiosk"

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE fleet_meta (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE fleet_clock (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
        INSERT INTO fleet_clock VALUES (1, 0);
        CREATE TABLE fleet_people (
            fleet_id uuid PRIMARY KEY,
            version bigint NOT NULL,
            rev integer NOT NULL,
            tombstone boolean NOT NULL,
            pack_id text NOT NULL,
            sealed bytea NOT NULL,
            key_generation integer NOT NULL,
            written_by text NOT NULL,
            written_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX fleet_people_version ON fleet_people(version);
        CREATE TABLE fleet_kiosks (
            name text PRIMARY KEY,
            joined timestamptz NOT NULL DEFAULT now(),
            last_seen timestamptz,
            pack_id text,
            backlog integer NOT NULL DEFAULT 0,
            last_version bigint NOT NULL DEFAULT 0,
            revoked boolean NOT NULL DEFAULT false
        );
        CREATE TABLE fleet_events (
            id bigserial PRIMARY KEY,
            kiosk text NOT NULL,
            local_id bigint NOT NULL,
            time timestamptz NOT NULL,
            event text NOT NULL,
            decision text,
            score real,
            UNIQUE (kiosk, local_id)
        );
        """,
    ),
)
LATEST = MIGRATIONS[-1][0]
GRANTS = (
    "GRANT SELECT ON fleet_schema_version TO {role}",
    "GRANT SELECT, UPDATE ON fleet_meta, fleet_clock TO {role}",
    "GRANT SELECT, INSERT, UPDATE ON fleet_people TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON fleet_kiosks TO {role}",
    "GRANT SELECT, INSERT ON fleet_events TO {role}",
    "GRANT USAGE ON SEQUENCE fleet_events_id_seq TO {role}",
)


def check_url(url: str) -> dict[str, Any]:
    """Parse a libpq connection string; TLS with server verification unless on loopback."""
    try:
        params = conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise ConfigError(
            f"bad fleet server URL ({str(exc).strip().splitlines()[0]})",
            hint="give a libpq connection string such as postgresql://kiosk@db.example/fleet?sslmode=verify-full",
        ) from None
    hosts = [h for h in str(params.get("host", "") or params.get("hostaddr", "")).split(",") if h] or ["/"]
    local = all(h in LOOPBACK_HOSTS or h.startswith("/") for h in hosts)
    if not local and params.get("sslmode") not in VERIFYING_SSLMODES:
        raise ConfigError(
            f"fleet server {describe(url)} is not on this machine, so TLS with a verified server certificate is required",
            hint="add sslmode=verify-full to the URL (and sslrootcert=FILE if the server's CA is not the system's)",
        )
    return params


def describe(url: str) -> str:
    """host:port/dbname, never the password."""
    try:
        p = conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(unparsable URL)"
    return f"{p.get('host') or 'local socket'}:{p.get('port') or 5432}/{p.get('dbname') or p.get('user') or ''}"


def connect(url: str, kiosk: str, *, autocommit: bool = False) -> psycopg.Connection:
    check_url(url)
    try:
        return psycopg.connect(
            url,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name=f"kiosk-fleet:{kiosk}"[:63],
            autocommit=autocommit,
            keepalives=1,
            keepalives_idle=30,
        )
    except psycopg.OperationalError as exc:
        raise unreachable(url, exc) from None


def unreachable(url: str, exc: BaseException) -> FleetError:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return FleetError(f"cannot reach the fleet server {describe(url)}: {first}", hint="sign-in goes on from the local database; sync retries by itself")


def refused(url: str, exc: psycopg.Error) -> FleetError:
    """A server-side refusal (missing grant, failed statement) as one line."""
    if isinstance(exc, psycopg.OperationalError):
        return unreachable(url, exc)
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    hint = None
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        hint = "this role may not do that: `kiosk fleet create` runs as the schema owner, kiosks as members of fleet_kiosk (docs/fleet.md)"
    return FleetError(f"the fleet server {describe(url)} refused: {first}", hint=hint)


def _one(conn: psycopg.Connection, query: LiteralString, params: Sequence[Any] = ()) -> tuple[Any, ...]:
    """The row of a query that always returns one (an aggregate, a singleton table)."""
    row = conn.execute(query, params).fetchone()
    if row is None:
        raise FleetError(f"the fleet server returned no row for {query.split(' FROM ')[0]!r}", hint="check the server's fleet schema (docs/fleet.md)")
    return row


def schema_version(conn: psycopg.Connection) -> int:
    with conn.transaction():
        exists = _one(conn, "SELECT to_regclass('fleet_schema_version') IS NOT NULL")[0]
        if not exists:
            return 0
        return int(_one(conn, "SELECT coalesce(max(version), 0) FROM fleet_schema_version")[0])


def require_schema(conn: psycopg.Connection, url: str) -> None:
    version = schema_version(conn)
    if version == 0:
        raise FleetError(f"no fleet on {describe(url)}", hint="create it first with `kiosk fleet create --server URL --key-out FILE`")
    if version > LATEST:
        raise FleetError(f"the fleet schema on {describe(url)} is version {version}, newer than this kiosk ({LATEST})", hint="update the kiosk software")
    if version < LATEST:
        raise FleetError(f"the fleet schema on {describe(url)} is version {version}, older than this kiosk ({LATEST})", hint="migrate it with `kiosk fleet create --server URL` as the schema owner")


def migrate(conn: psycopg.Connection, url: str) -> int:
    """Create or migrate the schema (each step in its own transaction); grant the kiosk role if it exists."""
    with conn.transaction():
        conn.execute("CREATE TABLE IF NOT EXISTS fleet_schema_version (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())")
    current = schema_version(conn)
    if current > LATEST:
        require_schema(conn, url)
    for version, statements in MIGRATIONS:
        if version <= current:
            continue
        with conn.transaction():
            conn.execute(statements)
            conn.execute("INSERT INTO fleet_schema_version(version) VALUES (%s)", (version,))
    with conn.transaction():
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (KIOSK_ROLE,)).fetchone():
            for grant in GRANTS:
                conn.execute(grant.format(role=KIOSK_ROLE))
    return LATEST


# --- the fleet's identity --------------------------------------------------------------
def meta(conn: psycopg.Connection) -> dict[str, str]:
    with conn.transaction():
        return dict(conn.execute("SELECT key, value FROM fleet_meta").fetchall())


def init_meta(conn: psycopg.Connection, fleet_uuid: str, generation: int, key_check: bytes) -> None:
    with conn.transaction():
        if conn.execute("SELECT 1 FROM fleet_meta WHERE key = 'fleet_uuid'").fetchone():
            raise FleetError("this server already holds a fleet", hint="join it with its key file (`kiosk fleet join`), or use another database")
        conn.execute(
            "INSERT INTO fleet_meta(key, value) VALUES ('fleet_uuid', %s), ('generation', %s), ('key_check', %s)",
            (fleet_uuid, str(generation), key_check.hex()),
        )


# --- records ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ServerRecord:
    fleet_id: str
    version: int
    rev: int
    tombstone: bool
    pack_id: str
    sealed: bytes
    written_by: str


@dataclass(frozen=True)
class Change:
    """The current local state of one person, pushed on top of the revision ``base_rev``."""

    fleet_id: str
    base_rev: int
    tombstone: bool
    seal: Callable[[int, str | None], bytes]  # (revision, conflict note) -> sealed record


@dataclass(frozen=True)
class Outcome:
    fleet_id: str
    accepted: bool
    rev: int
    current: ServerRecord | None = None  # the winner, when refused
    note: str | None = None  # the conflict this write settled, or why it was refused


def _decide(change: Change, current: ServerRecord | None, kiosk: str) -> tuple[bool, str | None]:
    """The conflict rules (docs/fleet.md): a delete wins over a concurrent re-enroll;
    otherwise the higher revision wins, and on a tie the one already on the server."""
    if current is None or change.base_rev >= current.rev:
        return True, None
    if current.written_by == kiosk:
        return True, None  # our own write whose acknowledgement was lost: ours still
    if change.tombstone:
        return True, None if current.tombstone else f"delete at {kiosk} won over a concurrent change at {current.written_by}"
    if current.tombstone:
        return False, f"deleted at {current.written_by} concurrently: a delete wins over a re-enroll"
    return False, f"kiosk {current.written_by} wrote revision {current.rev} first: the higher revision wins"


def _generation_check(conn: psycopg.Connection, generation: int) -> None:
    server_gen = int(_one(conn, "SELECT value FROM fleet_meta WHERE key = 'generation'")[0])
    if server_gen != generation:
        raise FleetError(
            f"the fleet key was rotated (server generation {server_gen}, this kiosk {generation})",
            hint="join again with the newest key file: `kiosk fleet join --server URL --key FILE`",
        )


def push(conn: psycopg.Connection, kiosk: str, generation: int, pack_id: str, changes: list[Change], before_commit: Callable[[], None] | None = None) -> list[Outcome]:
    """One transaction for the whole batch; a cut connection leaves the server as it was."""
    outcomes: list[Outcome] = []
    with conn.transaction():
        version = int(_one(conn, "SELECT version FROM fleet_clock WHERE id = 1 FOR UPDATE")[0])
        _generation_check(conn, generation)
        rows = conn.execute(
            "SELECT fleet_id::text, version, rev, tombstone, pack_id, sealed, written_by FROM fleet_people WHERE fleet_id = ANY(%s::uuid[])",
            ([c.fleet_id for c in changes],),
        ).fetchall()
        current = {r[0]: ServerRecord(*r) for r in rows}
        for change in changes:
            cur = current.get(change.fleet_id)
            accepted, note = _decide(change, cur, kiosk)
            if not accepted:
                assert cur is not None  # _decide refuses only in favour of a record on the server
                outcomes.append(Outcome(change.fleet_id, False, cur.rev, cur, note))
                continue
            if cur is not None and cur.tombstone and change.tombstone:
                outcomes.append(Outcome(change.fleet_id, True, cur.rev))  # already deleted: nothing to write
                continue
            rev = max(change.base_rev, cur.rev if cur else 0) + 1
            version += 1
            conn.execute(
                "INSERT INTO fleet_people(fleet_id, version, rev, tombstone, pack_id, sealed, key_generation, written_by, written_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, now()) ON CONFLICT (fleet_id) DO UPDATE SET "
                "version = excluded.version, rev = excluded.rev, tombstone = excluded.tombstone, pack_id = excluded.pack_id, "
                "sealed = excluded.sealed, key_generation = excluded.key_generation, written_by = excluded.written_by, written_at = now()",
                (change.fleet_id, version, rev, change.tombstone, pack_id, change.seal(rev, note), generation, kiosk),
            )
            current[change.fleet_id] = ServerRecord(change.fleet_id, version, rev, change.tombstone, pack_id, b"", kiosk)
            outcomes.append(Outcome(change.fleet_id, True, rev, note=note))
        conn.execute("UPDATE fleet_clock SET version = %s WHERE id = 1", (version,))
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(version)))
        if before_commit is not None:
            before_commit()
    return outcomes


def pull(conn: psycopg.Connection, generation: int, after_version: int, limit: int) -> list[ServerRecord]:
    with conn.transaction():
        _generation_check(conn, generation)
        rows = conn.execute(
            "SELECT fleet_id::text, version, rev, tombstone, pack_id, sealed, written_by FROM fleet_people WHERE version > %s ORDER BY version LIMIT %s",
            (after_version, limit),
            binary=True,  # the sealed bytes as they are, not hex: a 100k pull moves and parses half as much
        ).fetchall()
    return [ServerRecord(*r) for r in rows]


def counts(conn: psycopg.Connection) -> tuple[int, int]:
    """(people, tombstones) on the server."""
    with conn.transaction():
        row = _one(conn, "SELECT count(*) FILTER (WHERE NOT tombstone), count(*) FILTER (WHERE tombstone) FROM fleet_people")
    return int(row[0]), int(row[1])


def reseal_all(conn: psycopg.Connection, old_generation: int, new_generation: int, key_check: bytes, reseal: Callable[[ServerRecord], bytes]) -> int:
    """Key rotation: every record re-sealed under the new key in one transaction."""
    with conn.transaction():
        conn.execute("SELECT version FROM fleet_clock WHERE id = 1 FOR UPDATE")
        _generation_check(conn, old_generation)
        rows = [ServerRecord(*r) for r in conn.execute("SELECT fleet_id::text, version, rev, tombstone, pack_id, sealed, written_by FROM fleet_people")]
        with conn.cursor() as cur:
            cur.executemany(
                "UPDATE fleet_people SET sealed = %s, key_generation = %s WHERE fleet_id = %s",
                [(reseal(r), new_generation, r.fleet_id) for r in rows],
            )
        conn.execute("UPDATE fleet_meta SET value = %s WHERE key = 'generation'", (str(new_generation),))
        conn.execute("UPDATE fleet_meta SET value = %s WHERE key = 'key_check'", (key_check.hex(),))
    return len(rows)


# --- the kiosk registry and events --------------------------------------------------------
def check_revoked(conn: psycopg.Connection, kiosk: str) -> None:
    with conn.transaction():
        row = conn.execute("SELECT revoked FROM fleet_kiosks WHERE name = %s", (kiosk,)).fetchone()
    if row is not None and row[0]:
        raise FleetError(f"kiosk {kiosk!r} was revoked from the fleet", hint="`kiosk fleet leave` (with --keep-people to keep the local people)")


def mark_revoked(conn: psycopg.Connection, kiosk: str) -> bool:
    """Set ``kiosk``'s revoked flag; False when no kiosk has that name."""
    with conn.transaction():
        return conn.execute("UPDATE fleet_kiosks SET revoked = true WHERE name = %s", (kiosk,)).rowcount == 1


def lock_kiosk_role(conn: psycopg.Connection, role: str) -> int:
    """``ALTER ROLE role NOLOGIN`` and its open sessions to this database ended; the number ended.

    Only a member of ``fleet_kiosk`` other than the connected role is locked: a typo must not
    take the owner's or an administrator's login away.
    """
    with conn.transaction():
        kiosk_role = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'fleet_kiosk'").fetchone() is not None
        found = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None
        if not found:
            raise FleetError(f"no database role {role!r} on this server", hint="give the login role of the kiosk being revoked (`--role`)")
        if not kiosk_role or role == conn.info.user or not _one(conn, "SELECT pg_has_role(%s, 'fleet_kiosk', 'MEMBER')", (role,))[0]:
            raise FleetError(f"role {role!r} is not a kiosk role (a member of fleet_kiosk): its login is left alone", hint="docs/fleet.md, \"Server set-up\"")
        conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(role)))
        ended = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s AND datname = current_database() AND pid <> pg_backend_pid()",
            (role,),
        ).fetchall()
    return sum(1 for (ok,) in ended if ok)


def heartbeat(conn: psycopg.Connection, kiosk: str, pack_id: str, backlog: int, last_version: int) -> None:
    with conn.transaction():
        conn.execute(
            "INSERT INTO fleet_kiosks(name, last_seen, pack_id, backlog, last_version) VALUES (%s, now(), %s, %s, %s) "
            "ON CONFLICT (name) DO UPDATE SET last_seen = now(), pack_id = excluded.pack_id, backlog = excluded.backlog, "
            "last_version = excluded.last_version",
            (kiosk, pack_id, backlog, last_version),
        )


def kiosks(conn: psycopg.Connection) -> list[dict[str, Any]]:
    with conn.transaction():
        # silent_s: seconds since last_seen by the server's own clock (kiosks' clocks may be off)
        cur = conn.execute(
            "SELECT name, last_seen, pack_id, backlog, last_version, revoked, "
            "extract(epoch FROM now() - last_seen)::float8 AS silent_s FROM fleet_kiosks ORDER BY name"
        )
        names = [c.name for c in cur.description or ()]
        return [dict(zip(names, (v.isoformat() if hasattr(v, "isoformat") else v for v in row))) for row in cur.fetchall()]


def forget_kiosk(conn: psycopg.Connection, kiosk: str) -> None:
    with conn.transaction():
        conn.execute("DELETE FROM fleet_kiosks WHERE name = %s", (kiosk,))


def upload_events(conn: psycopg.Connection, kiosk: str, rows: list[tuple[int, str, str, str | None, float | None]]) -> None:
    """Audit rows without person, detail or anything biometric: (local id, time, event, decision, score)."""
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO fleet_events(kiosk, local_id, time, event, decision, score) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [(kiosk, *row) for row in rows],
        )
