"""Actor look-alike: the three closest actors with thumbnails and percentages.

Nothing about the visitor is stored; the gallery only counts lookups.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from kiosk.capture.types import CaptureOutcome
from kiosk.errors import KioskError
from kiosk.flows.signin import OTHER
from kiosk.gallery.typical import typicality
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.widgets.capture_view import CaptureView

if TYPE_CHECKING:
    from kiosk.capture.types import CaptureResult, FrameReport
    from kiosk.gallery import ActorMatch

log = logging.getLogger(__name__)

TOP_K = 3
THUMB_PX = 220


class ActorCard(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("actorCard")
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setFixedSize(THUMB_PX, THUMB_PX)
        self.name = label("actorName", untranslated=True)
        self.percent = label("actorPercent", untranslated=True)
        v = QVBoxLayout(self)
        v.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        v.addWidget(self.name)
        v.addWidget(self.percent)

    def show_match(self, match: ActorMatch) -> None:
        pixmap = QPixmap(str(match.thumbnail)) if match.thumbnail else QPixmap()
        if not pixmap.isNull():
            pixmap = pixmap.scaled(THUMB_PX, THUMB_PX, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(pixmap)
        self.name.setText(match.name)
        self.percent.setText(f"{round(match.percent)}%")


class LookalikeScreen(Screen):
    name = ScreenName.LOOKALIKE

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.title = label("title")
        self.pages = QStackedWidget()
        # capture page
        self.capture_page = CaptureView()
        self.pages.addWidget(self.capture_page)
        # result page
        res = QWidget()
        self.result_title = label("subtitle")
        self.cards = [ActorCard() for _ in range(TOP_K)]
        row = QHBoxLayout()
        for card in self.cards:
            row.addWidget(card)
        self.note = label("detail")
        # The most typical face (seed 002): the gallery's most typical actor and where the visitor stands.
        self.typical = label("typicalFace")
        self._typical: tuple[str, int] | None = None  # (most typical actor, the visitor's percentile)
        v = QVBoxLayout(res)
        v.addStretch(1)
        v.addWidget(self.result_title)
        v.addLayout(row)
        v.addWidget(self.typical)
        v.addWidget(self.note)
        v.addStretch(1)
        self.pages.addWidget(res)
        self.result_page = res
        self.again_button = button("again", self.start, primary=True)
        self.back_button = button("back", self.back)
        actions = QHBoxLayout()
        actions.addWidget(self.back_button)
        actions.addWidget(self.again_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.pages, 1)
        layout.addLayout(actions)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Which actor do you look like?"))
        self.capture_page.retranslate()
        self.result_title.setText(tr("Your closest look-alikes"))
        self.note.setText(tr("Just for fun. Your picture is not stored."))
        self.typical.setVisible(self._typical is not None)
        if self._typical is not None:
            name, percent = self._typical
            self.typical.setText(
                tr("Your face is more typical than {percent}% of the actors.").format(percent=percent)
                + "\n"
                + tr("The most typical face here: {name}").format(name=name)
            )
        self.again_button.setText(tr("Try again"))
        self.back_button.setText(tr("Back"))

    def enter(self, **kwargs: object) -> None:
        self.start()

    def leave(self) -> None:
        self.ctx.capture.release(self.name)

    def back(self) -> None:
        self.ctx.go(ScreenName.ADMIN_HOME if self.ctx.admin_signed_in else ScreenName.ATTRACT)

    def start(self) -> None:
        self.capture_page.reset(self.ctx.settings.login.min_valid_frames)
        self.pages.setCurrentWidget(self.capture_page)
        self.again_button.setEnabled(False)
        self.retranslate()
        if self.ctx.gallery is None or not self.ctx.capture.start(self.name, "login", unattended=True):
            self.capture_page.show_problem(CaptureOutcome.NOT_ENOUGH)

    def on_frame(self, image: QImage) -> None:
        self.capture_page.show_frame(image)

    def on_report(self, report: FrameReport) -> None:
        self.capture_page.show_report(report)

    def on_progress(self, done: int, total: int) -> None:
        self.capture_page.show_progress(done, total)

    def on_result(self, result: CaptureResult) -> None:
        self.again_button.setEnabled(True)
        if not result.ok or result.template is None:
            self.capture_page.show_problem(result.outcome)
            return
        try:
            if self.ctx.gallery is None:
                raise KioskError("no actor gallery is open")
            matches = self.ctx.gallery.query(result.template.vector, k=TOP_K)
            self.ctx.gallery.record_lookup()
        except (KioskError, OSError) as exc:
            log.error("look-alike query failed: %s", exc)
            self.capture_page.show_problem(OTHER)
            return
        self.show_matches(matches, self.place(result.template.vector))

    def place(self, vector) -> tuple[str, int] | None:
        """The gallery's most typical actor and the visitor's percentile (computed, never kept);
        None when the gallery has no typical face (fewer than two actors)."""
        try:
            if self.ctx.gallery is None:
                raise KioskError("no actor gallery is open")
            found = typicality(self.ctx.gallery)
            return found.ranking[0].name, found.percentile(found.closeness(vector))
        except KioskError as exc:
            log.info("no typical face: %s", exc)
            return None

    def show_matches(self, matches: list[ActorMatch], typical: tuple[str, int] | None = None) -> None:
        self._typical = typical
        self.retranslate()
        for card, match in zip(self.cards, matches):
            card.show_match(match)
            card.show()
        for card in self.cards[len(matches):]:
            card.hide()
        self.pages.setCurrentWidget(self.result_page)
        self.again_button.setEnabled(True)
