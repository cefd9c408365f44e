"""``kiosk db rekey|check``, ``kiosk admin set-pin`` and ``kiosk audit``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from kiosk.cli.context import CliContext, emit_json
from kiosk.cli.secrets_input import read_secret
from kiosk.errors import KioskError, StoreError
from kiosk.registry import Registry


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = subparsers.add_parser("db", help="the encrypted database: rekey, check, purge")
    sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    rekey = sub.add_parser("rekey", help="re-encrypt the database under a new random key (crash-safe; stop the kiosk app first)")
    rekey.set_defaults(func=cmd_rekey)
    check = sub.add_parser("check", help="verify page integrity and every template seal")
    check.add_argument("--json", action="store_true")
    check.set_defaults(func=cmd_check)

    purge = sub.add_parser("purge", help="delete what is past its retention ([retention] and events.max_age_days), audited with the counts")
    purge.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    purge.add_argument("--json", action="store_true")
    purge.set_defaults(func=cmd_purge)

    admin = subparsers.add_parser("admin", help="kiosk administrators")
    admin_sub = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    set_pin = admin_sub.add_parser(
        "set-pin",
        help="create an admin or change their PIN (at least 6 digits, no run or repeat); or, with --setup-code, "
        "print a one-time code the kiosk screen asks for before its first PIN is chosen",
    )
    set_pin.add_argument("--name", default="admin", help="admin name (default: admin)")
    set_pin.add_argument("--pin-env", metavar="VAR", help="read the PIN from this environment variable instead of prompting")
    set_pin.add_argument(
        "--setup-code", action="store_true",
        help="do not set a PIN here: print a one-time code to type on the kiosk screen, which then asks for the first PIN (the installer runs this)",
    )
    set_pin.set_defaults(func=cmd_set_pin)

    audit = subparsers.add_parser("audit", help="the audit log, newest first")
    audit.add_argument("--since", metavar="ISO", help="only entries at or after this time (e.g. 2026-01-31 or 2026-01-31T08:00; UTC unless it has an offset)")
    audit.add_argument("--event", help="only this event (identify, verify, enroll, delete, admin_login, ...)")
    audit.add_argument("--limit", type=int, default=1000)
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(func=cmd_audit)


def cmd_rekey(ctx: CliContext) -> int:
    with Registry.open(ctx.settings, ctx.pack) as registry:
        registry.rekey()
        report = registry.check()
    if not report.ok:
        raise StoreError("rekey finished but the check found problems: " + "; ".join(report.problems))
    print(f"re-encrypted {registry.db.path} under a new key ({report.templates} templates re-sealed)")
    return 0


def cmd_check(ctx: CliContext) -> int:
    with Registry.open(ctx.settings, ctx.pack) as registry:
        report = registry.check()
        stale = registry.needs_reenrollment()
    if ctx.args.json:
        emit_json({**report.to_dict(), "needs_reenroll": [p.external_id for p in stale]})
    else:
        print(f"{'ok' if report.ok else 'PROBLEMS'}: {report.people} people, {report.templates} templates")
        for problem in report.problems:
            print(f"  {problem}")
        if stale:
            print(f"{len(stale)} people need re-enrollment for model pack {ctx.pack.id}: " + ", ".join(p.external_id for p in stale))
    return 0 if report.ok else 1


def cmd_purge(ctx: CliContext) -> int:
    from kiosk.flows import retention

    with Registry.open(ctx.settings, ctx.pack) as registry:
        counts = retention.purge(registry, ctx.settings, dry_run=ctx.args.dry_run)
    if ctx.args.json:
        emit_json({"dry_run": ctx.args.dry_run, **counts.to_dict()})
    else:
        print(("would delete: " if ctx.args.dry_run else "deleted: ") + counts.detail())
    return 0


def cmd_set_pin(ctx: CliContext) -> int:
    from kiosk.flows.admin_pin import require_strong_pin

    if ctx.args.setup_code:
        return _print_setup_code(ctx)
    pin = read_secret("admin PIN", ctx.args.pin_env, confirm=not ctx.args.pin_env)
    require_strong_pin(pin)
    with Registry.open(ctx.settings, ctx.pack) as registry:
        registry.set_admin_pin(ctx.args.name, pin)
    print(f"PIN set for admin {ctx.args.name!r}")
    return 0


def _print_setup_code(ctx: CliContext) -> int:
    """Arm a fresh kiosk: its screen takes the first PIN only from someone who has this code."""
    with Registry.open(ctx.settings, ctx.pack) as registry:
        if registry.has_admin():
            raise KioskError("this kiosk already has an admin PIN: a setup code is only for the first one", hint="change a PIN with `kiosk admin set-pin`")
        code = registry.issue_setup_code()
    print(f"setup code: {code}")
    print("Type it on the kiosk screen when it asks, then choose the admin PIN there. It works once; a new code replaces it.")
    return 0


def parse_since(text: str) -> str:
    """Any ISO date or time to the stored form (UTC ISO), so text comparison is time order."""
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise KioskError(f"--since {text!r} is not an ISO date or time (e.g. 2026-01-31 or 2026-01-31T08:00)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="microseconds")


def cmd_audit(ctx: CliContext) -> int:
    since = parse_since(ctx.args.since) if ctx.args.since else None
    with Registry.open(ctx.settings, ctx.pack) as registry:
        entries = registry.audit_log(since=since, event=ctx.args.event, limit=ctx.args.limit)
    if ctx.args.json:
        emit_json([e.to_dict() for e in entries])
        return 0
    for e in entries:
        score = "" if e.score is None else f"{e.score:.3f}"
        print("\t".join([e.time[:23], e.event, (e.pseudonym or "") if e.person_id is None else str(e.person_id), score, e.decision or "", e.detail or ""]))
    print(f"{len(entries)} entries", file=sys.stderr)
    return 0
