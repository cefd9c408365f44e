"""The people screen's model migration: choose a pack folder, watch the progress bar, read the summary.

The rules are ``kiosk.flows.migrate.Migration``'s (the same as ``kiosk models migrate``): each
batch of stored face crops goes to the camera worker as one job (the only thread that runs
models) and is saved on the GUI thread in one transaction. Stopping (or leaving the screen)
drops the batch in flight; the batches saved stay, and migrating to the same pack again
carries on. The running kiosk keeps signing people in with the active pack throughout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from kiosk.engine.embedder import FaceEmbedder
from kiosk.engine.pack import load_pack
from kiosk.errors import KioskError
from kiosk.flows.migrate import Embedded, Migration
from kiosk.match.bands import effective_thresholds
from kiosk.ui.i18n import tr
from kiosk.ui.texts import reason_text
from kiosk.ui.widgets.job_panel import JobPanel

REASONS_SHOWN = 8


class ModelMigratePanel(JobPanel):
    """Progress and result of one migration to another pack; ``finished`` is called when templates changed."""

    def __init__(self, ctx: Any, finished: Callable[[], None]) -> None:
        super().__init__(ctx, finished, name="modelMigrate", stop_name="stopMigrate", close_name="closeMigrate")
        self.migration: Migration | None = None
        self._unsubscribe: Callable[[], None] = lambda: None  # from the migration on show's ``changed``
        self._embedder: FaceEmbedder | None = None
        self.retranslate()

    @property
    def running(self) -> bool:
        return self.migration is not None and not self.migration.finished and self._job is not None

    def retranslate(self) -> None:
        self.title.setText(tr("Model migration from stored face pictures"))
        self.stop_button.setText(tr("Stop"))
        self.close_button.setText(tr("Close"))
        self.render()

    def choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Choose the new model pack's folder"), str(Path.home()))
        if folder:
            self.start(Path(folder))

    def start(self, folder: Path) -> None:
        """Load the new pack's recognizer and send the first batch to the worker."""
        if self.running:
            return
        registry = self.ctx.model.services.require_registry()  # an admin screen's panel: the database is open
        self._error = ""
        self.show()
        settings = self.ctx.settings
        try:
            pack = load_pack(folder, verify=True)
            self._embedder = FaceEmbedder(pack, list(settings.runtime.providers), settings.runtime.intra_op_threads)
            duplicate = effective_thresholds(pack.thresholds, settings.match).duplicate
            migration = Migration(registry, pack, duplicate=duplicate, min_sharpness=settings.login.min_sharpness)
        except KioskError as exc:
            self._watch(None)
            self._fail(str(exc))
            return
        self._watch(migration)
        self._submit()
        self.render()  # the bar at nought and the Stop button, before the first batch is saved

    def _watch(self, migration: Migration | None) -> None:
        """Show ``migration``: redrawn on its every change (the one before it no longer heard)."""
        self._unsubscribe()
        self.migration = migration
        self._unsubscribe = (lambda: None) if migration is None else migration.changed.connect(lambda _m: self.render())

    def stop(self) -> None:
        """Drop the batch in flight; the batches saved stay (the same pack again resumes)."""
        self.ctx.jobs.cancel(self._job)
        self._job = None
        if self.migration is not None and not self.migration.finished:
            self._error = tr("Stopped. Migrate to the same pack again to carry on.")
        self.render()

    def _submit(self) -> None:
        migration, embedder = self.migration, self._embedder
        assert migration is not None and embedder is not None
        items = migration.next_batch()
        if not items:
            self._job = None
            try:
                migration.finish()  # its event shows the summary
            except KioskError as exc:
                self._fail(str(exc))
            self._finished()
        else:
            self._job = self.ctx.jobs.submit(lambda _analyzer: migration.embed(embedder, items), self._batch_done, self._batch_failed)

    def _batch_done(self, results: list[Embedded]) -> None:
        assert self.migration is not None
        try:
            self.migration.save(results)  # its event shows the progress
        except KioskError as exc:  # the database failed: stop, what is saved stays
            self._fail(str(exc))
            return
        self._submit()

    def _batch_failed(self, exc: BaseException) -> None:
        self._fail(str(exc))

    def _fail(self, error: str) -> None:
        """The job stopped on ``error`` (a pack that does not load, the worker or the database failed)."""
        self._job, self._error = None, error
        self.render()

    def render(self) -> None:  # type: ignore[override]  # the flow's view, not QWidget.render(target): Qt never calls it on a screen
        self.stop_button.setVisible(self.running)
        self.close_button.setVisible(not self.running)
        m = self.migration
        if m is None:
            self.bar.hide()
            self.status.setText(self._error)
            self.problems.setText("")
            return
        self.bar.show()
        self.bar.setRange(0, max(m.total, 1))
        self.bar.setValue(m.done)
        r = m.report
        if m.finished:
            text = tr("Migrated {migrated}, already migrated {already}, not migrated {failed}, look-alike pairs {pairs}.").format(
                migrated=r.migrated, already=r.already, failed=len(r.unmigrated), pairs=len(r.conflicts)
            )
            text += "\n" + tr("The new templates count once {pack} is the active model pack.").format(pack=m.new_pack.id)
        else:
            text = tr("{done} of {total} people.").format(done=m.done, total=m.total)
        self.status.setText("\n".join(t for t in (text, self._error) if t))
        shown = [f"{u.person.external_id} ({u.person.name}): {reason_text(u.reason)}" for u in r.unmigrated]
        shown += [f"{c.a.external_id} ~ {c.b.external_id}: {c.score:.2f}" for c in r.conflicts]
        more = len(shown) - REASONS_SHOWN
        self.problems.setText("\n".join(shown[:REASONS_SHOWN] + ([tr("and {n} more").format(n=more)] if more > 0 else [])))
