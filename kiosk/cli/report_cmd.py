"""``kiosk report``: the dashboard's trends outside the kiosk, as numbers, JSON or one HTML file."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli.context import CliContext, emit_json
from kiosk.clock import local_now
from kiosk.errors import KioskError, NotFoundError
from kiosk.events.types import kiosk_name
from kiosk.flows import report
from kiosk.fsutil import atomic_write
from kiosk.store.db import DB_FILE, Database


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report", help="sign-in trends: per hour and day by outcome, time to a decision, camera availability, picture problems"
    )
    parser.add_argument("--html", metavar="FILE", help="write one self-contained HTML file (charts embedded)")
    parser.add_argument("--days", type=int, default=report.DEFAULT_DAYS, help=f"days back (1-{report.MAX_DAYS}; default {report.DEFAULT_DAYS})")
    parser.add_argument("--json", action="store_true", help="the figures as JSON on stdout")
    parser.add_argument("--language", choices=("auto", "en", "ko"), help="the HTML page's language (default: the kiosk's ui.language)")
    parser.set_defaults(func=handle)


def handle(ctx: CliContext) -> int:
    args = ctx.args
    days = report.check_days(args.days)
    path = Path(ctx.settings.data_dir) / DB_FILE
    if not path.exists():
        raise NotFoundError(f"no database at {path}", hint="the kiosk has not run with this data folder yet; give the kiosk's folder with --data-dir")
    db = Database.open(path)
    try:
        figures = report.compute(report.db_reader(db), local_now(), days)
    finally:
        db.close()
    if args.html:
        _write_html(Path(args.html).expanduser(), figures, kiosk_name(ctx.settings.events.kiosk_name), args.language or ctx.settings.ui.language)
    if args.json:
        emit_json(figures.to_dict())
    elif args.html:
        print(f"wrote {args.html}: {figures.signins} sign-ins over {days} days")
    else:
        _print(figures)
    return 0


def _write_html(target: Path, figures: report.Figures, kiosk: str, language: str) -> None:
    from kiosk.ui.i18n import resolve_language
    from kiosk.ui.report_html import page_language, render

    if target.is_dir():
        raise KioskError(f"cannot write the report to {target}: it is a folder", hint="give a file name, e.g. report.html")
    with page_language(resolve_language(language)) as lang:
        page = render(figures, kiosk, lang)
    try:
        atomic_write(target, page.encode("utf-8"), mode=0o644)
    except OSError as exc:
        raise KioskError(f"cannot write the report to {target} ({exc.strerror or exc})", hint="choose a folder you can write to") from None


def _print(f: report.Figures) -> None:
    if f.empty:
        print(f"no sign-ins yet in the last {f.days} days")
        return
    counts = ", ".join(f"{o} {f.totals[o]} ({100 * f.totals[o] / f.signins:.1f} %)" for o in report.OUTCOMES)
    print(f"{f.signins} sign-ins in the last {f.days} days: {counts}")
    if f.decision_ms and f.median_ms is not None and f.p90_ms is not None:
        print(f"time to a decision: median {f.median_ms / 1000:.2f} s, 90th percentile {f.p90_ms / 1000:.2f} s ({len(f.decision_ms)} timed)")
    for label, value in (("last 24 hours", f.camera_live_24h), (f"last {f.days} days", f.camera_live)):
        print(f"camera live, {label}: " + ("no record" if value is None else f"{report.availability_percent(value):.1f} %"))
    if f.rejected:
        print(f"frames rejected, of {f.frames_with_face} with a face: " + ", ".join(f"{k} {100 * v:.1f} %" for k, v in f.rejected.items()))
