"""Roster import: a CSV of people (``id,name,photos``) enrolled in one run, models loaded once.

The rules are ``kiosk.flows.enroll``'s, unchanged: each row's photos go through the same
``PhotoBatch`` (one face per photo, unusable photos skipped, outliers dropped), the same
``save`` (duplicate check against the database, ``enroll_refused`` audited). On top:

* a row whose id is already enrolled is skipped (``--replace`` re-enrolls it instead), so
  an import killed half-way is simply run again: every person is committed in their own
  transaction, so nobody is half-enrolled and nobody is enrolled twice;
* a duplicate *inside* the roster (one face under two ids) is named as such: the later row
  is refused because the earlier one, enrolled moments before, now holds that face;
* a dry run writes nothing: it checks each template against the database and against the
  roster's earlier rows kept in a private matcher;
* every row not enrolled comes back with its reason, for the report CSV.

``RosterImport`` is a state machine driven one photo at a time, like ``Enrollment``: the
CLI embeds on its own thread (``import_all``); the admin screen sends each photo to the
camera worker and calls ``photo_read`` with the answer. It never imports Qt.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.emitter import Emitter
from kiosk.engine.types import FaceObservation
from kiosk.errors import DuplicateError, KioskError, NotFoundError, StoreError
from kiosk.flows.enroll import PHOTO_PROBLEMS, PhotoBatch, embed_photo, expand_photos, outlier_cosine, save
from kiosk.match.matcher import Matcher
from kiosk.match.types import PersonRef

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer
    import numpy as np

    from kiosk.registry import Registry

COLUMNS = ("id", "name", "photos")
REPORT_COLUMNS = ("line", "id", "name", "status", "reason")


@dataclass(frozen=True)
class RosterRow:
    """One line of the roster; ``problem`` says why it cannot be enrolled before any model runs."""

    line: int  # the CSV's line number (the header is line 1)
    external_id: str
    name: str
    photos: tuple[Path, ...]
    problem: str = ""


class RowStatus(StrEnum):
    ENROLLED = "enrolled"
    REPLACED = "replaced"  # re-enrolled under --replace
    WOULD_ENROLL = "would_enroll"  # a dry run's yes
    ALREADY_ENROLLED = "already_enrolled"  # skipped: the id is enrolled (a resumed import)
    REFUSED = "refused"  # not enrolled, with the reason


ENROLLED_STATUSES = frozenset({RowStatus.ENROLLED, RowStatus.REPLACED, RowStatus.WOULD_ENROLL})


@dataclass(frozen=True)
class RowResult:
    row: RosterRow
    status: RowStatus
    reason: str = ""
    photos_used: int = 0

    @property
    def enrolled(self) -> bool:
        return self.status in ENROLLED_STATUSES


@dataclass(frozen=True)
class Progress:
    """Rows finished so far; rate and time left are over the rows finished (skips included)."""

    done: int
    total: int
    enrolled: int
    not_enrolled: int
    elapsed_s: float

    @property
    def rate(self) -> float:
        """Rows per second."""
        return self.done / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        """Seconds left at the rate so far; None before the first row."""
        return (self.total - self.done) / self.rate if self.rate > 0 else None


def read_roster(path: Path) -> list[RosterRow]:
    """Every row of the CSV, with photos resolved against the CSV's folder.

    A row with no id, no name, an id seen earlier in the file, or no photo that exists
    keeps its ``problem``; the file itself must have the three columns.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from a spreadsheet export is fine
    except FileNotFoundError:
        raise NotFoundError(f"roster {path} not found", hint="give the CSV file with the columns id,name,photos") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KioskError(f"roster {path} cannot be read: {exc}", hint="save the roster as a UTF-8 CSV file") from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise KioskError(f"roster {path}: no {', '.join(missing)} column", hint="the first line must name the columns id,name,photos")
    where = {c: header.index(c) for c in COLUMNS}
    rows: list[RosterRow] = []
    first_line: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        cell = {c: (cells[i].strip() if i < len(cells) else "") for c, i in where.items()}
        photos, problem = _photos(path.parent, cell["photos"])
        if not cell["id"]:
            problem = "no id"
        elif not cell["name"]:
            problem = "no name"
        elif cell["id"] in first_line:
            problem = f"id {cell['id']} already given on line {first_line[cell['id']]}"
        first_line.setdefault(cell["id"], line)
        rows.append(RosterRow(line, cell["id"], cell["name"], tuple(photos), problem))
    return rows


def _photos(base: Path, cell: str) -> tuple[list[Path], str]:
    """The photo files of one cell (a folder, or files and folders separated by ``;``) and what
    is wrong, naming the items as the roster writes them (relative to the CSV)."""
    names = [item.strip() for item in cell.split(";") if item.strip()]
    if not names:
        return [], "no photos listed"
    items = [base / name for name in names]
    missing = [name for name, item in zip(names, items) if not item.exists()]
    if len(missing) == len(items):
        return [], "photos not found: " + "; ".join(missing)
    # A missing file beside existing ones goes to the batch, which skips it with its reason, as `users add` does.
    photos = expand_photos(list(items))
    if not photos:
        return [], "no image files in " + "; ".join(names)
    return photos, ""


class RosterImport:
    """One import of ``rows`` into ``registry``, a photo at a time (see the module docstring).

    ``changed`` carries each row's result as it is decided (the CLI prints it and the
    progress line, the admin screen redraws its bar)."""

    def __init__(
        self,
        registry: Registry,
        rows: list[RosterRow],
        *,
        dry_run: bool = False,
        replace: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.registry = registry
        self.rows = rows
        self.dry_run = dry_run
        self.replace = replace
        self.results: list[RowResult] = []
        self._enrolled = 0  # counted as results come: progress is asked for after every row
        self.changed: Emitter[RowResult] = Emitter()
        self._clock = clock
        self._started = clock()
        self._next_row = 0
        self._row: RosterRow | None = None
        self._person: PersonRef | None = None  # the enrolled person a --replace row re-enrolls
        self._batch = PhotoBatch([])
        self._line_of: dict[int, int] = {}  # person id enrolled by this run -> roster line
        self._seen = Matcher(registry.pack.embedding_size)  # a dry run's accepted rows (row index as id)

    @property
    def finished(self) -> bool:
        return self._row is None and self._next_row >= len(self.rows)

    def progress(self) -> Progress:
        done = len(self.results)
        return Progress(done, len(self.rows), self._enrolled, done - self._enrolled, self._clock() - self._started)

    def next_photo(self) -> Path | None:
        """The next photo to embed; None when every row is done."""
        while True:
            if self._row is not None:
                photo = self._batch.next()
                if photo is not None:
                    return photo
                self._finish_person(self._row)
            if self._next_row >= len(self.rows):
                return None
            self._start(self.rows[self._next_row])
            self._next_row += 1

    def photo_read(self, observation: FaceObservation | None, error: BaseException | None = None) -> None:
        """The answer for the photo ``next_photo`` gave: its face, or why it could not be used."""
        if error is not None:
            self._batch.skip(error)
        elif observation is not None:
            self._batch.add(observation)

    def _start(self, row: RosterRow) -> None:
        if row.problem:
            self._done(row, RowStatus.REFUSED, row.problem)
            return
        try:
            self._person = self.registry.person(row.external_id)
        except NotFoundError:
            self._person = None
        if self._person is not None and not self.replace:
            self._done(row, RowStatus.ALREADY_ENROLLED, f"id {row.external_id} is already enrolled as {self._person.name!r} (--replace re-enrolls)")
            return
        self._row, self._batch = row, PhotoBatch(list(row.photos))

    def _finish_person(self, row: RosterRow) -> None:
        self._row = None
        batch = self._batch
        try:
            template = batch.template(outlier_cosine(self.registry))
        except KioskError as exc:
            self._done(row, RowStatus.REFUSED, str(exc))  # with the hint: which photos failed and why
            return
        used = template.frames_used
        if self.dry_run:
            reason = self._dry_run_duplicate(template.vector)
            self._done(row, RowStatus.REFUSED if reason else RowStatus.WOULD_ENROLL, reason, used)
            return
        try:
            person = save(self.registry, row.name, row.external_id, template, person=self._person, face=batch.best_crop)
        except DuplicateError as exc:
            self._done(row, RowStatus.REFUSED, self._duplicate_reason(exc), used)
            return
        except StoreError:
            raise  # the database failed: stop; everyone before this row is saved, a rerun resumes
        except KioskError as exc:
            self._done(row, RowStatus.REFUSED, exc.message, used)
            return
        self._line_of[person.id] = row.line
        self._done(row, RowStatus.REPLACED if self._person is not None else RowStatus.ENROLLED, "", used)

    def _duplicate_reason(self, exc: DuplicateError) -> str:
        line = None if exc.person is None else self._line_of.get(exc.person.id)
        if line is None or exc.person is None:
            return exc.message
        return f"same face as id {exc.person.external_id} on line {line} of this roster (similarity {exc.score:.2f})"

    def _dry_run_duplicate(self, vector: np.ndarray) -> str:
        """Why a dry run would refuse this face, or "": the roster's earlier rows first, then the database."""
        hits = self._seen.top_k(vector, 1)
        if hits and hits[0].score >= self.registry.duplicate_threshold:
            earlier = self.rows[hits[0].person_id]
            return f"same face as id {earlier.external_id} on line {earlier.line} of this roster (similarity {hits[0].score:.2f})"
        found = self.registry.find_duplicate(vector, exclude=None if self._person is None else self._person.id)
        if found is not None:
            who, score = found
            return f"already enrolled as {who.name!r} (id {who.external_id}, similarity {score:.2f})"
        self._seen.add(self._next_row - 1, vector)  # the row being finished
        return ""

    def _done(self, row: RosterRow, status: RowStatus, reason: str = "", used: int = 0) -> None:
        result = RowResult(row, status, reason, used)
        self.results.append(result)
        self._enrolled += result.enrolled
        self.changed.emit(result)

    @property
    def not_enrolled(self) -> list[RowResult]:
        return [r for r in self.results if not r.enrolled]


def import_all(analyzer: FaceAnalyzer, importer: RosterImport) -> list[RowResult]:
    """Run the whole import on the calling thread (the CLI; the kiosk uses its camera worker)."""
    while (photo := importer.next_photo()) is not None:
        try:
            importer.photo_read(embed_photo(analyzer, photo))
        except PHOTO_PROBLEMS as exc:
            importer.photo_read(None, exc)
    return importer.results


def report_csv(results: list[RowResult]) -> bytes:
    """The report of every row not enrolled (line, id, name, status, reason), UTF-8 with a BOM for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for r in results:
        if not r.enrolled:
            writer.writerow([r.row.line, r.row.external_id, r.row.name, r.status.value, r.reason])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@dataclass
class Summary:
    """Counts by status, for the last line of the CLI and the admin screen."""

    counts: dict[RowStatus, int] = field(default_factory=dict)
    total: int = 0
    elapsed_s: float = 0.0

    @classmethod
    def of(cls, importer: RosterImport) -> Summary:
        counts = {s: sum(r.status == s for r in importer.results) for s in RowStatus}
        return cls(counts, len(importer.rows), importer.progress().elapsed_s)

    def count(self, status: RowStatus) -> int:
        return self.counts.get(status, 0)
