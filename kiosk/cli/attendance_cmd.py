"""``kiosk attendance export`` and ``kiosk identify --punch``: attendance from the shell.

The rules are ``kiosk.flows.attendance`` (which punch, the cooldown) and
``kiosk.flows.timesheet`` (days, shifts, worked time); this module parses and prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kiosk.cli.context import CliContext, emit_json
from kiosk.clock import local_now
from kiosk.errors import NotFoundError
from kiosk.flows import attendance, timesheet
from kiosk.match.types import Outcome
from kiosk.store import punches
from kiosk.store.db import DB_FILE, Database

if TYPE_CHECKING:
    from kiosk.registry import Registry


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("attendance", help="attendance punches: export per person per day")
    sub = parser.add_subparsers(dest="attendance_command", metavar="ACTION", required=True)
    export = sub.add_parser(
        "export", help="first IN, last OUT, worked time and missing punches per person per day, in the kiosk's time zone"
    )
    export.add_argument("--from", dest="first", required=True, metavar="DATE", help="first day, YYYY-MM-DD")
    export.add_argument("--to", dest="last", required=True, metavar="DATE", help="last day (included), YYYY-MM-DD")
    export.add_argument("--format", choices=[f.value for f in timesheet.Format], default=timesheet.Format.CSV.value)
    export.add_argument("--out", required=True, metavar="FILE", help="the file to write")
    export.set_defaults(func=cmd_export)


def cmd_export(ctx: CliContext) -> int:
    """Reads the database without the model pack, as ``kiosk report`` does."""
    args = ctx.args
    first, last = timesheet.parse_day(args.first, "--from"), timesheet.parse_day(args.last, "--to")
    timesheet.check_range(first, last)
    path = Path(ctx.settings.data_dir) / DB_FILE
    if not path.exists():
        raise NotFoundError(f"no database at {path}", hint="the kiosk has not run with this data folder yet; give the kiosk's folder with --data-dir")
    now = local_now()
    db = Database.open(path)
    try:
        rows = timesheet.compute(lambda start, end: punches.between(db, start, end), first, last, now.tzinfo, now)  # type: ignore[arg-type]
    finally:
        db.close()
    out = Path(args.out).expanduser()
    timesheet.write(out, rows, timesheet.Format(args.format))
    flagged = sum(1 for r in rows if r.missing)
    print(f"wrote {out}: {len(rows)} person-days from {first} to {last}, {flagged} with a missing punch")
    return 0


def identify_and_punch(ctx: CliContext, registry: Registry, vector: np.ndarray) -> int:
    """``kiosk identify --punch``: the sign-in (audited) and, when accepted, the person's next punch."""
    decision = registry.identify(vector, k=ctx.args.top_k)
    view = None
    if decision.outcome == Outcome.ACCEPT and decision.person is not None:
        view = attendance.punch(registry, decision.person.id, local_now(), ctx.settings.login.punch_cooldown_s)
    if ctx.args.json:
        punch = None if view is None else {"status": view.status.value, "direction": view.direction, "time": view.time.isoformat() if view.time else None}
        emit_json({**decision.to_dict(), "punch": punch})
    elif view is None:
        print(f"decision: {decision.outcome}: no punch recorded")
    elif view.status == attendance.PunchStatus.COOLDOWN:
        print(f"{decision.person.name} (id {decision.person.external_id}): already recorded at {view.clock} ({view.direction.upper()}); nothing recorded")  # type: ignore[union-attr]
    else:
        print(f"{decision.person.name} (id {decision.person.external_id}): {view.direction.upper()} at {view.clock}")  # type: ignore[union-attr]
    return 0 if view is not None else 1
