"""``kiosk users import-roster ROSTER.csv``: many people in one process (rules: ``kiosk.flows.roster``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from kiosk.cli.context import CliContext, emit_json
from kiosk.flows.roster import Progress, RosterImport, RowResult, RowStatus, Summary, import_all, read_roster, report_csv
from kiosk.fsutil import atomic_write
from kiosk.registry import Registry


def register(sub: Any) -> None:
    """Adds ``import-roster`` to the ``users`` actions."""
    p = sub.add_parser(
        "import-roster",
        help="enroll everyone in a CSV (id,name,photos: a folder or ';'-separated files, relative to the CSV)",
        description="Enroll everyone in a roster with the rules of `users add`, the models loaded once. "
        "Exit status 0 when every row is enrolled or already was, 1 when some row was refused (see --report).",
    )
    p.add_argument("roster", metavar="ROSTER.csv", help="columns id,name,photos; photos is a folder or 'a.jpg;b.jpg', relative to the CSV")
    p.add_argument("--dry-run", action="store_true", help="check every row (photos, duplicates) and write nothing")
    p.add_argument("--replace", action="store_true", help="re-enroll ids already enrolled (default: skip them, so a stopped import resumes)")
    p.add_argument("--report", metavar="FILE", help="write every row not enrolled, with its reason, to this CSV")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import_roster)


class ProgressLine:
    """Count, rate and time left on stderr: redrawn in place on a terminal, one line per row otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()

    def __call__(self, p: Progress) -> None:
        left = "" if p.eta_s is None else f", about {_clock(p.eta_s)} left"
        line = f"{p.done}/{p.total} rows ({p.enrolled} enrolled, {p.not_enrolled} not), {p.rate:.2f} rows/s{left}"
        self.stream.write(f"\r{line}\x1b[K" + ("\n" if p.done == p.total else "") if self.tty else line + "\n")
        self.stream.flush()

    def row(self, result: RowResult) -> None:
        if not result.enrolled:
            prefix = "\r\x1b[K" if self.tty else ""
            self.stream.write(f"{prefix}line {result.row.line} (id {result.row.external_id or '-'}): {result.status.value}: {result.reason}\n")


def _clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def cmd_import_roster(ctx: CliContext) -> int:
    args = ctx.args
    rows = read_roster(Path(args.roster))
    show = ProgressLine(sys.stderr)
    analyzer = ctx.analyzer  # loaded (once) before the clock starts: the rate is the import's
    with Registry.open(ctx.settings, ctx.pack) as registry:
        importer = RosterImport(registry, rows, dry_run=args.dry_run, replace=args.replace)
        importer.changed.connect(show.row)
        importer.changed.connect(lambda _row: show(importer.progress()))
        import_all(analyzer, importer)
    summary = Summary.of(importer)
    if args.report:
        atomic_write(Path(args.report), report_csv(importer.results), mode=0o644)
    if args.json:
        emit_json({
            "dry_run": args.dry_run,
            "rows": summary.total,
            "counts": {s.value: summary.count(s) for s in RowStatus},
            "seconds": round(summary.elapsed_s, 3),
            "not_enrolled": [{"line": r.row.line, "id": r.row.external_id, "status": r.status.value, "reason": r.reason} for r in importer.not_enrolled],
        })
    else:
        print(summary_line(summary, args.dry_run))
    return 1 if summary.count(RowStatus.REFUSED) else 0  # ids already enrolled are a resume, not a failure


def summary_line(summary: Summary, dry_run: bool) -> str:
    rate = sum(summary.count(s) for s in (RowStatus.ENROLLED, RowStatus.REPLACED, RowStatus.WOULD_ENROLL)) / summary.elapsed_s if summary.elapsed_s else 0.0
    done = f"would enroll {summary.count(RowStatus.WOULD_ENROLL)}" if dry_run else f"enrolled {summary.count(RowStatus.ENROLLED)}, re-enrolled {summary.count(RowStatus.REPLACED)}"
    return (
        f"{done}, already enrolled {summary.count(RowStatus.ALREADY_ENROLLED)}, not enrolled {summary.count(RowStatus.REFUSED)}"
        f" of {summary.total} rows in {summary.elapsed_s:.1f} s ({rate:.2f} people/s)"
    )
