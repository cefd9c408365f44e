"""``kiosk fleet create|join|sync|status|leave|rotate-key|revoke``: many kiosks, one set of people."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import psycopg

from kiosk.cli.context import CliContext, emit_json
from kiosk.cli.secrets_input import read_secret
from kiosk.errors import ConfigError
from kiosk.fleet import membership, central
from kiosk.fleet.keys import PASSPHRASE_ENV
from kiosk.fleet.sync import FleetSync, SyncReport
from kiosk.registry import Registry


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    fleet = subparsers.add_parser("fleet", help="fleet sync through a central PostgreSQL (docs/fleet.md)")
    sub = fleet.add_subparsers(dest="fleet_command", metavar="ACTION", required=True)
    url_help = "libpq connection string, e.g. postgresql://kiosk@db.example/fleet?sslmode=verify-full (TLS required except to loopback)"

    create = sub.add_parser("create", help="create or migrate the fleet schema; a new fleet's key goes to --key-out")
    create.add_argument("--server", required=True, metavar="URL", help=url_help)
    create.add_argument("--key-out", required=True, metavar="FILE", help="where to write the new fleet key (wrapped with a passphrase, owner-only)")
    create.set_defaults(func=cmd_create)

    join = sub.add_parser("join", help="join this kiosk to a fleet with its key file")
    join.add_argument("--server", required=True, metavar="URL", help=url_help)
    join.add_argument("--key", required=True, metavar="FILE", help="the fleet key file")
    join.add_argument("--name", metavar="KIOSK", help="this kiosk's name in the fleet (default: the host name)")
    join.set_defaults(func=cmd_join)

    sync = sub.add_parser("sync", help="push local changes and pull the fleet's, then keep syncing (Ctrl+C stops)")
    sync.add_argument("--once", action="store_true", help="one round, then exit")
    sync.add_argument("--json", action="store_true")
    sync.set_defaults(func=cmd_sync)

    status = sub.add_parser("status", help="server, last sync, backlog, people on the server and here, kiosks gone silent")
    status.add_argument("--json", action="store_true")
    status.add_argument("--silent-after", type=float, metavar="MIN", help="name kiosks the server has not seen for longer (default events.silent_after_min)")
    status.set_defaults(func=cmd_status)

    leave = sub.add_parser("leave", help="leave the fleet; the local people are deleted unless --keep-people")
    leave.add_argument("--keep-people", action="store_true", help="keep the people enrolled here as local people")
    leave.set_defaults(func=cmd_leave)

    rotate = sub.add_parser("rotate-key", help="re-seal every server record under a new fleet key (cuts off kiosks without it)")
    rotate.add_argument("--key-out", required=True, metavar="FILE", help="where to write the new fleet key for the other kiosks")
    rotate.set_defaults(func=cmd_rotate)
    revoke = sub.add_parser("revoke", help="revoke a kiosk (a lost or stolen one): it stops syncing; --role also takes its database login")
    revoke.add_argument("kiosk", metavar="KIOSK", help="the kiosk's name in the fleet (`kiosk fleet status` lists them)")
    revoke.add_argument("--server", required=True, metavar="URL", help="the fleet server as its schema owner (as for `kiosk fleet create`)")
    revoke.add_argument("--role", metavar="ROLE", help="the kiosk's own login role: NOLOGIN, and its open sessions ended")
    revoke.set_defaults(func=cmd_revoke)
    for parser in (create, join, sync, status, leave, rotate, revoke):
        parser.set_defaults(func=_server_errors(parser.get_default("func")))


def _server_errors(func: Callable[[CliContext], int]) -> Callable[[CliContext], int]:
    """A statement the server refuses (a missing grant, a lost connection) is one error line."""

    def run(ctx: CliContext) -> int:
        try:
            return func(ctx)
        except psycopg.Error as exc:
            url = getattr(ctx.args, "server", None) or "the fleet server"
            raise central.refused(url, exc) from None

    return run


def _passphrase(confirm: bool) -> str:
    """``KIOSK_FLEET_PASSPHRASE`` when set (automation), else a prompt."""
    return read_secret("fleet key passphrase", PASSPHRASE_ENV if PASSPHRASE_ENV in os.environ else None, confirm=confirm)


def _registry(ctx: CliContext) -> Registry:
    return Registry.open(ctx.settings, ctx.pack)


def cmd_create(ctx: CliContext) -> int:
    passphrase = _passphrase(confirm=True)
    version, key = membership.create(ctx.args.server, Path(ctx.args.key_out), passphrase)
    if key is None:
        print(f"fleet schema at version {version}; the fleet already exists (no new key written)")
    else:
        print(f"created fleet {key.fleet_uuid} (schema version {version}); key written to {ctx.args.key_out}")
    return 0


def cmd_join(ctx: CliContext) -> int:
    passphrase = _passphrase(confirm=False)
    name = ctx.args.name or socket.gethostname()
    with _registry(ctx) as registry:
        notes = membership.join(registry, ctx.settings.data_dir, ctx.args.server, Path(ctx.args.key), passphrase, name)
    print(f"joined the fleet as {name!r}; {notes} local people will be pushed by `kiosk fleet sync`")
    return 0


def _print_round(report: SyncReport, as_json: bool) -> None:
    if as_json:
        emit_json(report.to_dict())
        return
    print(f"pushed {report.pushed}, pulled {report.pulled}")
    for line in report.conflicts:
        print(f"conflict: {line}")
    for line in report.tampered:
        print(f"refused: {line}")


def cmd_sync(ctx: CliContext) -> int:
    with _registry(ctx) as registry:
        fleet = FleetSync(registry, ctx.settings.data_dir)
        if ctx.args.once:
            report = fleet.once()
            _print_round(report, ctx.args.json)
            return 0
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())

        def on_round(r: SyncReport) -> None:
            if r.pushed or r.pulled or r.conflicts:
                _print_round(r, ctx.args.json)

        try:
            fleet.run(stop, on_round=on_round)
        except KeyboardInterrupt:
            stop.set()
    return 0


def cmd_status(ctx: CliContext) -> int:
    minutes = ctx.args.silent_after if ctx.args.silent_after is not None else ctx.settings.events.silent_after_min
    if minutes <= 0:
        raise ConfigError(f"--silent-after {minutes:g}: must be > 0 minutes", hint="e.g. --silent-after 15")
    with _registry(ctx) as registry:
        status = membership.status(registry, minutes * 60)
    if ctx.args.json:
        emit_json(status)
        return 0
    if not status["joined"]:
        print(f"not in a fleet; {status['people_here']} people here")
        return 0
    print(f"fleet {status['fleet']} on {status['server']} as {status['kiosk']!r} (key generation {status['generation']})")
    print(f"last sync: {status['last_sync'] or 'never'}; backlog: {status['backlog']} change(s) to push")
    if status.get("last_error"):
        print(f"last sync error: {status['last_error']}")
    if "server_error" in status:
        print(f"server: {status['server_error']}")
    else:
        print(f"people on the server: {status['people_on_server']}; here: {status['people_here']}; kiosks: {len(status['kiosks'])}")
        seen = {k["name"]: k["last_seen"] for k in status["kiosks"]}
        for name in status["silent"]:
            print(f"silent for more than {minutes:g} min: {name!r} (last seen {seen[name] or 'never'})")
    return 0


def cmd_leave(ctx: CliContext) -> int:
    with _registry(ctx) as registry:
        removed, dropped, problem = membership.leave(registry, ctx.settings.data_dir, ctx.args.keep_people)
    print(f"left the fleet; {removed} people removed here" + (f"; {dropped} unpushed change(s) dropped" if dropped else ""))
    if problem:
        print(f"the server was not told ({problem}): remove this kiosk from fleet_kiosks there", flush=True)
    return 0


def cmd_rotate(ctx: CliContext) -> int:
    passphrase = _passphrase(confirm=True)
    with _registry(ctx) as registry:
        count = membership.rotate_key(registry, ctx.settings.data_dir, Path(ctx.args.key_out), passphrase)
    print(f"re-sealed {count} records; give {ctx.args.key_out} to every kiosk that stays (`kiosk fleet join --key FILE`)")
    return 0


def cmd_revoke(ctx: CliContext) -> int:
    ended = membership.revoke(ctx.args.server, ctx.args.kiosk, ctx.args.role)
    locked = "" if ended is None else f"; role {ctx.args.role!r} can no longer log in ({ended} open session(s) ended)"
    print(f"revoked {ctx.args.kiosk!r}: it stops syncing at its next round{locked}")
    print("now rotate the fleet key from a kiosk that stays (`kiosk fleet rotate-key --key-out FILE`): the revoked one still holds the old key")
    return 0
