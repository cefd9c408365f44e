"""The attendance export: per person per day, first IN, last OUT, worked time, missing punches.

Punches pair into shifts as ``kiosk/flows/attendance.py`` records them: an IN and the next
OUT within ``MAX_SHIFT``. A shift belongs to the day of its IN (a night shift is counted on
the evening it began); worked time is the real time between IN and OUT, added over the
day's complete shifts, so a shift across a daylight-saving change counts the hour the clock
skipped or repeated. An IN with no OUT is a missing OUT (unless ``now`` is still inside its
shift: the person is at work); an OUT with no IN is a missing IN. Days are the kiosk's
local days (``SystemZone``: each date's own midnight), and the times are shown in it.

The CLI (``kiosk attendance export``) and the admin screen write the same files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.flows.attendance import MAX_SHIFT, Direction, utc_time
from kiosk.fsutil import atomic_write
from kiosk.store.punches import PersonPunch

MAX_DAYS = 400  # one export: a year and some margin
HEADER = ("id", "name", "date", "first_in", "last_out", "worked", "worked_minutes", "missing")
DATE_HINT = "give dates as YYYY-MM-DD, e.g. 2026-12-01"


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass
class DayRow:
    external_id: str
    name: str
    day: dt.date
    first_in: dt.datetime | None = None  # the kiosk's time zone
    last_out: dt.datetime | None = None
    worked: dt.timedelta = field(default_factory=dt.timedelta)
    missing_in: int = 0
    missing_out: int = 0

    @property
    def missing(self) -> str:
        """``in``, ``out``, ``in, out`` or empty: which punches the day lacks."""
        return ", ".join(d for d, n in (("in", self.missing_in), ("out", self.missing_out)) if n)

    @property
    def worked_minutes(self) -> int:
        return int(self.worked.total_seconds() // 60)

    @property
    def worked_text(self) -> str:
        """Hours and minutes, "8:05" (a day can pass 24 h only with overlapping shifts)."""
        return f"{self.worked_minutes // 60}:{self.worked_minutes % 60:02d}"


def parse_day(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise KioskError(f"{what} {text!r} is not a date", hint=DATE_HINT) from None


def check_range(first: dt.date, last: dt.date) -> None:
    if last < first:
        raise KioskError(f"the range ends ({last}) before it starts ({first})", hint="--to must be the same day as --from or later")
    if (last - first).days >= MAX_DAYS:
        raise KioskError(f"{(last - first).days + 1} days is too long for one export", hint=f"export at most {MAX_DAYS} days at a time")


def day_start(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """Local midnight of ``day`` in UTC (the zone's offset on that date, not today's)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="microseconds")


Reader = Callable[[str, str], list[PersonPunch]]


def compute(read: Reader, first: dt.date, last: dt.date, zone: dt.tzinfo, now: dt.datetime) -> list[DayRow]:
    """The rows for local days ``first``..``last``, by person id then day; ``read(start, end)``
    gives the punches in a UTC range (``Registry.punches_between``)."""
    check_range(first, last)
    start, end = day_start(first, zone) - MAX_SHIFT, day_start(last + dt.timedelta(days=1), zone) + MAX_SHIFT
    by_person: dict[tuple[str, str], list[PersonPunch]] = {}
    for row in read(_iso(start), _iso(end)):
        by_person.setdefault((row.external_id, row.name), []).append(row)
    days: dict[tuple[str, dt.date], DayRow] = {}
    for (external_id, name), rows in by_person.items():
        timeline = [(utc_time(r.punch.time), Direction(r.punch.direction)) for r in rows]
        # The person's last punch, an IN still inside its hours, is someone at work: not a missing OUT.
        at_work = timeline[-1][0] if timeline[-1][1] == Direction.IN and now - timeline[-1][0] < MAX_SHIFT else None
        for shift_in, shift_out in _shifts(timeline):
            anchor = (shift_in or shift_out).astimezone(zone)  # type: ignore[union-attr]  # a shift has one or both
            if not first <= anchor.date() <= last:
                continue
            day = days.setdefault((external_id, anchor.date()), DayRow(external_id, name, anchor.date()))
            if shift_in is not None:
                local_in = shift_in.astimezone(zone)
                day.first_in = min(day.first_in or local_in, local_in)
            if shift_out is not None:
                local_out = shift_out.astimezone(zone)
                day.last_out = max(day.last_out or local_out, local_out)
            if shift_in is not None and shift_out is not None:
                day.worked += shift_out - shift_in
            elif shift_in is None:
                day.missing_in += 1
            elif shift_in != at_work:
                day.missing_out += 1
    return [days[k] for k in sorted(days)]


def _shifts(punches: list[tuple[dt.datetime, Direction]]) -> list[tuple[dt.datetime | None, dt.datetime | None]]:
    """(IN, OUT) pairs in time order; a missing side is None."""
    out: list[tuple[dt.datetime | None, dt.datetime | None]] = []
    open_in: dt.datetime | None = None
    for time, direction in punches:
        if direction == Direction.IN:
            if open_in is not None:
                out.append((open_in, None))
            open_in = time
        elif open_in is not None and time - open_in < MAX_SHIFT:
            out.append((open_in, time))
            open_in = None
        else:
            if open_in is not None:
                out.append((open_in, None))
                open_in = None
            out.append((None, time))
    if open_in is not None:
        out.append((open_in, None))
    return out


def _local_text(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


def csv_bytes(rows: list[DayRow]) -> bytes:
    """UTF-8 with a BOM (a spreadsheet then reads Korean names right); local times as "YYYY-MM-DD HH:MM"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([r.external_id, r.name, r.day.isoformat(), _local_text(r.first_in), _local_text(r.last_out), r.worked_text, r.worked_minutes, r.missing])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[DayRow]) -> bytes:
    """One sheet: real date, date-time and duration cells (the spreadsheet can sum the hours),
    a day with a missing punch filled amber, the header frozen."""
    from openpyxl import Workbook  # imported here: only an export pays for it
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "Attendance"
    sheet.append(list(HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    missing = PatternFill("solid", start_color="FFE8A0")
    for r in rows:
        sheet.append(
            [r.external_id, r.name, r.day, _naive(r.first_in), _naive(r.last_out), r.worked, r.worked_minutes, r.missing or None]
        )
        line = sheet.max_row
        sheet.cell(line, 3).number_format = "yyyy-mm-dd"
        for column in (4, 5):
            sheet.cell(line, column).number_format = "yyyy-mm-dd hh:mm"
        sheet.cell(line, 6).number_format = "[h]:mm"
        if r.missing:
            for cell in sheet[line]:
                cell.fill = missing
    for letter, width in zip("ABCDEFGH", (12, 20, 12, 18, 18, 9, 15, 10)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _naive(moment: dt.datetime | None) -> dt.datetime | None:
    """Spreadsheet cells have no time zone: the local wall-clock time."""
    return None if moment is None else moment.replace(tzinfo=None)


def write(path: Path, rows: list[DayRow], fmt: Format) -> None:
    """Write the file atomically; a folder or an unwritable place is a clear error."""
    path = Path(path)
    if path.is_dir():
        raise KioskError(f"cannot write the export to {path}: it is a folder", hint=f"give a file name, e.g. attendance.{fmt.value}")
    data = xlsx_bytes(rows) if fmt == Format.XLSX else csv_bytes(rows)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data, mode=0o600)
    except OSError as exc:
        raise KioskError(f"cannot write the export to {path} ({exc.strerror or exc})", hint="choose a folder you can write to") from None
