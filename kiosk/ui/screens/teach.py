"""Teach the camera: record attacks and real faces in front of this kiosk, then retrain the passive check.

Guided, behind the admin PIN: "Teach attacks" asks for a phone, then a tablet, then a
printed photo held up to the camera, "Teach real faces" for the admin and colleagues, each
with a count. Every frame goes to the camera worker as a job (the settings screen's live
score does the same with the newest preview frame); what comes back and is stored is the
frame's liveness features, never the image. "Retrain" runs the retrain on the worker and
shows the before / after figures on the held-back samples and whether the new check was kept.
The rules and the state are ``kiosk/flows/teach.py``'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGridLayout, QProgressBar, QStackedWidget, QVBoxLayout, QWidget

from kiosk.engine.pack import load_pack
from kiosk.engine.site_liveness import TeachKind
from kiosk.errors import KioskError
from kiosk.flows import teach
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.widgets.preview import PreviewWidget, qimage_to_bgr

log = logging.getLogger(__name__)

HOME, RECORDING, RETRAIN = 0, 1, 2
FRAME_INTERVAL_S = 0.2  # at most 5 frames a second: 40 frames span 8 s of moving and tilting, not one burst
BUSY_S = 30.0  # a recording that taught a frame this recently keeps the admin signed in (hands hold a phone, not the screen)


def kind_text(kind: str) -> str:
    texts = {
        "phone": tr("Phone"),
        "tablet": tr("Tablet"),
        "print": tr("Printed photo"),
        "real": tr("Real faces"),
    }
    return texts.get(kind, kind)


def prompt_text(kind: TeachKind) -> str:
    texts = {
        TeachKind.PHONE: tr("Hold a phone showing a face in front of the camera. Move it a little, tilt it, come closer."),
        TeachKind.TABLET: tr("Now hold a tablet showing a face in front of the camera. Move it a little, tilt it."),
        TeachKind.PRINT: tr("Now hold a printed photo of a face in front of the camera. Move it a little, bend it."),
        TeachKind.REAL: tr("Look at the camera, then let colleagues take turns: real faces, one at a time."),
    }
    return texts[kind]


def percent(value: float) -> str:
    return f"{value * 100:.1f} %"


def frame_job(frame: Any):
    """The features of the frame's largest face, or None (run on the camera worker)."""

    def run(analyzer: Any) -> Any:
        return teach.frame_sample(analyzer, frame)

    return run


def retrain_job(samples: list, cache_dir: Any, models_dir: Any):
    """The whole retrain, on the camera worker: the development features (cached; none on an installed kiosk), the fit, the comparison."""

    def run(analyzer: Any) -> teach.TeachOutcome:
        dev = teach.development_rows(analyzer, cache_dir)
        return teach.train_on_site(analyzer, samples, dev, models_dir)

    return run


def switch_job(folder: Any, threads: int):
    def run(analyzer: Any) -> None:
        analyzer.use_liveness(load_pack(folder), threads)

    return run


class TeachScreen(Screen):
    name = ScreenName.TEACH

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.recording: teach.Recording | None = None
        self._unsubscribe: Callable[[], None] = lambda: None  # from the recording on show's ``changed``
        self.per_kind = teach.FRAMES_PER_KIND
        self.outcome: teach.TeachOutcome | None = None
        self.error = ""
        self._job: str | None = None  # the frame in flight
        self._retraining: str | None = None  # the retrain in flight: it finishes (and is audited) even if the screen is left
        self._fresh_frame = False
        self._last_taught = float("-inf")
        self._last_sent = float("-inf")
        self._confirm_clear = False
        self.title = label("title")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._home_page())
        self.pages.addWidget(self._recording_page())
        self.pages.addWidget(self._retrain_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.pages, 1)
        self.retranslate()

    @property
    def idle_exempt(self) -> bool:  # type: ignore[override]
        """While the retrain runs, or frames are being taught: nobody touches the screen then."""
        teaching = self.recording is not None and not self.recording.done and self.ctx.clock() - self._last_taught < BUSY_S
        return self._retraining is not None or teaching

    # -- pages ---------------------------------------------------------------------------
    def _home_page(self) -> QWidget:
        page = QWidget()
        self.intro = label("detail")
        self.counts = label("subtitle")
        self.home_status = label("notice")
        self.teach_attacks = button("teachAttacks", lambda: self.start(teach.Recording.attacks(self.per_kind)), primary=True)
        self.teach_real = button("teachReal", lambda: self.start(teach.Recording.real_faces(self.per_kind)), primary=True)
        self.retrain = button("retrain", self.start_retrain, primary=True)
        self.clear = button("clearSamples", self.clear_samples)
        self.back = button("back", lambda: self.ctx.go(ScreenName.ADMIN_HOME))
        box = QVBoxLayout(page)
        box.addWidget(self.intro)
        box.addWidget(self.counts)
        box.addWidget(self.home_status)
        box.addStretch(1)
        grid = QGridLayout()
        grid.setSpacing(16)
        for i, b in enumerate((self.teach_attacks, self.teach_real, self.retrain, self.clear)):
            b.setMinimumHeight(96)
            grid.addWidget(b, i // 2, i % 2)
        grid.addWidget(self.back, 2, 0, 1, 2)
        box.addLayout(grid)
        return page

    def _recording_page(self) -> QWidget:
        page = QWidget()
        self.prompt = label("subtitle")
        self.preview = PreviewWidget()
        self.preview.setMinimumHeight(240)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setMinimumHeight(28)
        self.step_count = label("detail", untranslated=True)
        self.kind_counts = label("detail")
        self.stop = button("stopTeaching", self.stop_recording, primary=True)
        box = QVBoxLayout(page)
        box.addWidget(self.prompt)
        box.addWidget(self.preview, 1)
        box.addWidget(self.bar)
        box.addWidget(self.step_count)
        box.addWidget(self.kind_counts)
        box.addWidget(self.stop)
        return page

    def _retrain_page(self) -> QWidget:
        page = QWidget()
        self.retrain_status = label("subtitle")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # how long the development features take the first time is not known
        self.busy.setTextVisible(False)
        self.busy.setMinimumHeight(28)
        self.table = QGridLayout()
        self.table.setHorizontalSpacing(24)
        self.cells: dict[tuple[int, int], Any] = {}
        for row in range(4):
            for col in range(3):
                cell = label("subtitle", untranslated=bool(row and col))
                self.cells[row, col] = cell
                self.table.addWidget(cell, row, col)
        self.verdict = label("subtitle")
        self.retrain_detail = label("detail")
        self.done = button("teachDone", self.back_home, primary=True)
        box = QVBoxLayout(page)
        box.addWidget(self.retrain_status)
        box.addWidget(self.busy)
        box.addLayout(self.table)
        box.addWidget(self.verdict)
        box.addWidget(self.retrain_detail)
        box.addStretch(1)
        box.addWidget(self.done)
        return page

    # -- words ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(tr("Teach the camera"))
        self.intro.setText(
            tr(
                "Teach this kiosk what attacks look like in front of its own camera, in its own light. "
                "Only measurements of each picture are kept, never the picture."
            )
        )
        self.teach_attacks.setText(tr("Teach attacks"))
        self.teach_real.setText(tr("Teach real faces"))
        self.retrain.setText(tr("Retrain"))
        self.clear.setText(tr("Tap again to forget") if self._confirm_clear else tr("Forget what was taught"))
        self.back.setText(tr("Back"))
        self.stop.setText(tr("Done") if self.recording is not None and self.recording.done else tr("Stop"))
        self.done.setText(tr("Done"))
        self.home_status.setText(self.error)
        self.home_status.setVisible(bool(self.error))
        self._render_counts()
        self._render_recording()
        self._render_retrain()

    def _render_counts(self) -> None:
        counts = self._counts()
        # No break inside one kind's count ("Real / faces: 0" read as two things).
        parts = [tr("{kind}: {count}").format(kind=kind_text(kind), count=n).replace(" ", "\u00a0") for kind, n in counts.items()]
        self.counts.setText(tr("Taught so far") + "\n" + "   ".join(parts))

    def _counts(self) -> dict[str, int]:
        if self.ctx.registry is None:
            return {}
        try:
            return teach.sample_counts(self.ctx.registry)
        except KioskError as exc:
            log.error("site samples not counted: %s", exc)
            return {}

    def _render_recording(self) -> None:
        rec = self.recording
        if rec is None:
            return
        kind = rec.kind
        if kind is None:
            self.prompt.setText(tr("Done. Thank you."))
            self.bar.setValue(self.bar.maximum())
        else:
            self.prompt.setText(prompt_text(kind))
            self.bar.setRange(0, rec.per_kind)
            self.bar.setValue(rec.counts.get(kind, 0))
            self.step_count.setText(f"{rec.counts.get(kind, 0)} / {rec.per_kind}")
        lines = [tr("{kind}: {count}").format(kind=kind_text(k.value), count=f"{rec.counts.get(k, 0)} / {rec.per_kind}") for k in rec.kinds]
        if rec.no_face >= 10:
            lines.append(tr("No face seen: hold it so the face on it faces the camera."))
        self.kind_counts.setText("\n".join(lines))

    def _render_retrain(self) -> None:
        outcome = self.outcome
        running = self._retraining is not None
        self.busy.setVisible(running)
        self.done.setVisible(not running)
        for cell in self.cells.values():
            cell.setVisible(outcome is not None)
        if running:
            self.retrain_status.setText(tr("Retraining… The first time, the development data is measured: this can take minutes."))
        elif outcome is not None and outcome.mode is teach.TeachMode.SITE_ONLY:
            self.retrain_status.setText(tr("This camera only: measured on every taught sample"))
        elif outcome is not None:
            self.retrain_status.setText(tr("With the development data, on held-back samples"))
        headers = [
            (0, 1, tr("Before")),
            (0, 2, tr("After")),
            (1, 0, tr("Attacks accepted (APCER)")),
            (2, 0, tr("Real faces refused (BPCER)")),
            (3, 0, tr("Threshold")),
        ]
        for row, col, text in headers:
            self.cells[row, col].setText(text)
        if outcome is None:
            self.verdict.setText(self.error if self.pages.currentIndex() == RETRAIN else "")
            self.retrain_detail.setText("")
            return
        for col, figures in ((1, outcome.before), (2, outcome.after)):
            self.cells[1, col].setText(percent(figures.apcer))
            self.cells[2, col].setText(percent(figures.bpcer))
            self.cells[3, col].setText(f"{figures.threshold:.2f}")
        site_only = outcome.mode is teach.TeachMode.SITE_ONLY
        if outcome.kept:
            self.verdict.setText(tr("Kept: the kiosk now uses the taught check."))
        elif site_only:
            self.verdict.setText(tr("Not kept: the new check was not better on the taught samples. The kiosk keeps its current check."))
        else:
            self.verdict.setText(tr("Not kept: the new check was worse on the held-back samples. The kiosk keeps its current check."))
        if site_only:
            detail = tr("Each taught picture was scored by a check trained without it: {attacks} attack pictures, {real} real-face pictures.")
        else:
            detail = tr("Held back: {attacks} attack pictures, {real} real-face pictures.")
        self.retrain_detail.setText(detail.format(attacks=outcome.after.spoof, real=outcome.after.live))

    # -- recording -----------------------------------------------------------------------
    def enter(self, **kwargs: Any) -> None:
        self._confirm_clear = False
        self._watch(None)
        self.outcome = None
        self.error = ""
        self.pages.setCurrentIndex(RETRAIN if self._retraining is not None else HOME)
        self.teach_attacks.setEnabled(self.ctx.worker is not None)
        self.teach_real.setEnabled(self.ctx.worker is not None)
        self.retranslate()

    def leave(self) -> None:
        self._watch(None)
        self.ctx.jobs.cancel(self._job)
        self._job = None

    def start(self, recording: teach.Recording) -> None:
        self._confirm_clear = False
        self._watch(recording)
        self._last_taught = self.ctx.clock()  # time to pick up the phone
        self.error = ""
        self.preview.clear()
        self.pages.setCurrentIndex(RECORDING)
        self.retranslate()

    def _watch(self, recording: teach.Recording | None) -> None:
        """Show ``recording``: redrawn after its every answer (the one before it no longer heard)."""
        self._unsubscribe()
        self.recording = recording
        self._unsubscribe = (lambda: None) if recording is None else recording.changed.connect(lambda _rec: self.retranslate())

    def on_frame(self, image: QImage) -> None:
        if self.pages.currentIndex() != RECORDING:
            return
        self.preview.set_frame(image)
        self._fresh_frame = True
        self._next_frame()

    def _next_frame(self) -> None:
        """One frame in flight at a time, never the same frame twice, at most one per ``FRAME_INTERVAL_S``."""
        if self.recording is None or self.recording.done or self._job is not None or not self._fresh_frame:
            return
        image = self.preview.image
        if image is None or self.ctx.clock() - self._last_sent < FRAME_INTERVAL_S:
            return
        self._fresh_frame = False
        self._last_sent = self.ctx.clock()
        self._job = self.ctx.jobs.submit(frame_job(qimage_to_bgr(image)), self._frame_done, self._frame_failed)

    def _frame_done(self, sample: Any) -> None:
        self._job = None
        rec = self.recording
        if rec is None or rec.kind is None:
            return
        if sample is None:
            rec.missed()
        else:
            names, vector = sample
            try:
                teach.save_sample(self.registry, rec.session, rec.kind, names, vector)
            except KioskError as exc:
                self._stop_with(str(exc))
                return
            self._last_taught = self.ctx.clock()
            rec.taught()  # its event redraws the counts
        self._next_frame()

    def _frame_failed(self, exc: BaseException) -> None:
        self._job = None
        self._stop_with(str(exc))

    def _stop_with(self, message: str) -> None:
        self.error = message
        self.back_home()

    def stop_recording(self) -> None:
        self.ctx.jobs.cancel(self._job)
        self._job = None
        self.back_home()

    def back_home(self) -> None:
        self._watch(None)
        self.pages.setCurrentIndex(HOME)
        self.retranslate()

    def clear_samples(self) -> None:
        """Two taps: the first asks, the second forgets (a minute of teaching is not undone by a slip)."""
        if not self._confirm_clear:
            self._confirm_clear = True
        else:
            self._confirm_clear = False
            try:
                teach.clear_site_samples(self.registry)
            except KioskError as exc:
                self.error = str(exc)
        self.retranslate()

    # -- retraining ----------------------------------------------------------------------
    def start_retrain(self) -> None:
        self.outcome = None
        self.error = ""
        self.pages.setCurrentIndex(RETRAIN)
        try:
            samples = teach.load_site_samples(self.registry)
        except KioskError as exc:
            self._retrain_failed(exc)
            return
        settings = self.ctx.settings
        self._retraining = self.ctx.jobs.submit(
            retrain_job(samples, teach.cache_dir(settings), settings.data_dir / "models"), self._retrained, self._retrain_failed
        )
        self.retranslate()

    def _retrained(self, outcome: teach.TeachOutcome) -> None:
        self._retraining = None
        self.outcome = outcome
        try:
            teach.record_outcome(self.registry, self.ctx.settings, outcome)
        except KioskError as exc:
            self._retrain_failed(exc)
            return
        if outcome.kept and outcome.pack_folder is not None:
            self.ctx.jobs.submit(switch_job(outcome.pack_folder, self.ctx.settings.runtime.intra_op_threads), lambda _v: None, self._switch_failed)
        self.retranslate()

    def _switch_failed(self, exc: BaseException) -> None:
        log.error("the taught check was saved but not loaded: %s", exc)

    def _retrain_failed(self, exc: BaseException) -> None:
        self._retraining = None
        self.error = str(exc)
        self.retranslate()
