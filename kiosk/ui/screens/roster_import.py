"""The people screen's roster import: choose a CSV, watch the progress bar, read the summary.

The rules are ``kiosk.flows.roster.RosterImport``'s (the same as ``kiosk users
import-roster``); each photo goes to the camera worker as a job, like the enroll
screen's photos, and the answer comes back to the flow on the GUI thread. Stopping
(or leaving the screen) drops the photo in flight: everyone saved so far stays, and
importing the same roster again carries on where this one stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog

from kiosk.errors import KioskError
from kiosk.flows.enroll import PHOTO_PROBLEMS
from kiosk.flows.roster import RosterImport, RowStatus, Summary, read_roster
from kiosk.ui.i18n import tr
from kiosk.ui.jobs import embed_photo_job
from kiosk.ui.widgets.job_panel import JobPanel

if TYPE_CHECKING:
    from kiosk.engine.types import FaceObservation

ROSTER_FILTER = "CSV (*.csv)"
REASONS_SHOWN = 8  # rows not enrolled listed under the summary (the CLI's --report has them all)


class RosterImportPanel(JobPanel):
    """Progress and result of one roster import; ``finished`` is called when people changed."""

    def __init__(self, ctx: Any, finished: Callable[[], None]) -> None:
        super().__init__(ctx, finished, name="rosterImport", stop_name="stopImport", close_name="closeImport")
        self.importer: RosterImport | None = None
        self._unsubscribe: Callable[[], None] = lambda: None  # from the import on show's ``changed``
        self.retranslate()

    @property
    def running(self) -> bool:
        return self.importer is not None and not self.importer.finished and self._job is not None

    def retranslate(self) -> None:
        self.title.setText(tr("Roster import"))
        self.stop_button.setText(tr("Stop"))
        self.close_button.setText(tr("Close"))
        self.render()

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Choose the roster CSV"), str(Path.home()), ROSTER_FILTER)
        if path:
            self.start(Path(path))

    def start(self, path: Path) -> None:
        """Read the roster and send its first photo to the worker."""
        if self.running:
            return
        registry = self.ctx.model.services.require_registry()  # an admin screen's panel: the database is open
        self._error = ""
        self.show()
        try:
            rows = read_roster(path)
        except KioskError as exc:
            self._watch(None)
            self._fail(str(exc))
            return
        importer = RosterImport(registry, rows)
        self._watch(importer)
        self._submit(importer.next_photo())
        self.render()  # the bar at nought and the Stop button, before the first row is done

    def _watch(self, importer: RosterImport | None) -> None:
        """Show ``importer``: redrawn as each row is done (the import before it no longer heard)."""
        self._unsubscribe()
        self.importer = importer
        self._unsubscribe = (lambda: None) if importer is None else importer.changed.connect(lambda _row: self.render())

    def stop(self) -> None:
        """Drop the photo in flight; the people saved so far stay (the same roster again resumes)."""
        self.ctx.jobs.cancel(self._job)
        self._job = None
        if self.importer is not None and not self.importer.finished:
            self._error = tr("Stopped. Import the same roster again to carry on.")
            self._finished()
        self.render()

    def _submit(self, path: Path | None) -> None:
        if path is None:
            self._job = None
            self._finished()
            self.render()  # the summary: the import counts as finished only once next_photo found no row left
        else:
            self._job = self.ctx.jobs.submit(embed_photo_job(path), self._photo_done, self._photo_failed)

    def _photo_done(self, observation: FaceObservation) -> None:
        self._next(observation, None)

    def _photo_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PHOTO_PROBLEMS):  # the worker itself failed: not this photo's fault
            self._fail(str(exc))
            return
        self._next(None, exc)

    def _next(self, observation: FaceObservation | None, exc: BaseException | None) -> None:
        assert self.importer is not None
        self.importer.photo_read(observation, exc)
        try:
            self._submit(self.importer.next_photo())
        except KioskError as failure:  # the database failed: stop, what is saved stays
            self._fail(str(failure))

    def _fail(self, error: str) -> None:
        """The import stopped on ``error`` (an unreadable roster, the worker or the database failed)."""
        self._job, self._error = None, error
        self.render()

    def render(self) -> None:  # type: ignore[override]  # the flow's view, not QWidget.render(target): Qt never calls it on a screen
        self.stop_button.setVisible(self.running)
        self.close_button.setVisible(not self.running)
        if self.importer is None:
            self.bar.hide()
            self.status.setText(self._error)
            self.problems.setText("")
            return
        p = self.importer.progress()
        self.bar.show()
        self.bar.setRange(0, max(p.total, 1))
        self.bar.setValue(p.done)
        if self.importer.finished:
            s = Summary.of(self.importer)
            text = tr("Enrolled {enrolled}, already enrolled {already}, not enrolled {refused}, of {total} rows.").format(
                enrolled=s.count(RowStatus.ENROLLED), already=s.count(RowStatus.ALREADY_ENROLLED), refused=s.count(RowStatus.REFUSED), total=s.total
            )
        else:
            left = "" if p.eta_s is None else " " + tr("About {minutes}:{seconds:02d} left.").format(minutes=int(p.eta_s) // 60, seconds=int(p.eta_s) % 60)
            text = tr("{done} of {total} rows, {rate:.1f} per second.").format(done=p.done, total=p.total, rate=p.rate) + left
        self.status.setText("\n".join(t for t in (text, self._error) if t))
        shown = [
            tr("Line {line}, ID {id}: {reason}").format(line=r.row.line, id=r.row.external_id, reason=r.reason)
            for r in self.importer.not_enrolled
            if r.status == RowStatus.REFUSED
        ]
        more = len(shown) - REASONS_SHOWN
        self.problems.setText("\n".join(shown[:REASONS_SHOWN] + ([tr("and {n} more").format(n=more)] if more > 0 else [])))
