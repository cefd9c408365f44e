"""Attract screen: live preview, an invitation, language switch, discreet admin entry.

It shows before the face models are warm (issue 15: a faster cold start); until the
window calls ``models_ready`` the sign-in and look-alike buttons wait, greyed, and
say so, while the background capture it starts waits in the worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.capture.guidance import Guidance
from kiosk.config import VERIFY
from kiosk.engine.types import TOO_SMALL
from kiosk.ui.i18n import tr
from kiosk.ui.navigation import ScreenName
from kiosk.ui.screens.base import Screen, button, label
from kiosk.ui.texts import guidance_text
from kiosk.ui.widgets.preview import PreviewWidget

if TYPE_CHECKING:
    from kiosk.capture.types import CaptureResult, FrameReport

# Consecutive analyzed frames with a close-enough face before the sign-in screen takes over.
AUTO_START_FRAMES = 2


class AttractScreen(Screen):
    name = ScreenName.ATTRACT
    idle_exempt = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.preview = PreviewWidget(self)
        self.title = label("title")
        self.subtitle = label("subtitle")
        self.start_button = button("start", self.start_login, primary=True)
        self.lookalike_button = button("lookalike", lambda: self.ctx.go(ScreenName.LOOKALIKE))
        self.language_button = button("language", self.switch_language)
        self.admin_button = button("adminEntry", lambda: self.ctx.go(ScreenName.PIN))
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.language_button)
        layout.addLayout(top)
        body = self.adaptive_box()
        body.addWidget(self.preview, 3)
        panel = QVBoxLayout()
        panel.addStretch(1)
        for w in (self.title, self.subtitle, self.start_button, self.lookalike_button):
            panel.addWidget(w)
        panel.addStretch(1)
        body.addLayout(panel, 2)
        layout.addLayout(body, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.admin_button)
        layout.addLayout(bottom)
        self._faces_seen = 0
        self._armed = True
        self._too_far = False
        self.auto_start = True
        self.retranslate()

    @property
    def verify_first(self) -> bool:
        """Card + face (``login.mode = verify``): an id first, so a face alone starts nothing."""
        return self.ctx.settings.login.mode == VERIFY

    def _nobody_enrolled(self) -> bool:
        """Sign-in would refuse everyone: it is not offered until an admin enrolls someone (issue 21)."""
        return self.ctx.registry is not None and not self.ctx.registry.anyone_enrolled()

    def retranslate(self) -> None:
        self.title.setText(tr("Welcome"))
        if self._nobody_enrolled():
            self.subtitle.setText(tr("Nobody is enrolled yet: sign-in opens once an admin enrolls people."))
        elif self.verify_first:
            self.subtitle.setText(tr("Show your badge, or tap Sign in to type your ID"))
        elif self._too_far:  # a face too small to be taken to sign-in: say why nothing happens (issue 21)
            self.subtitle.setText(guidance_text(Guidance.COME_CLOSER))
        else:
            self.subtitle.setText(tr("Look at the camera to sign in"))
        self.lookalike_button.setText(tr("Which actor do you look like?"))
        self.start_button.setText(tr("Sign in") if self.ctx.analyzer is not None else tr("Getting ready…"))
        # The switch names the other language in that language, so anyone can find it.
        self.language_button.setText("English" if self.ctx.languages.language == "ko" else "한국어")
        self.admin_button.setText(tr("Admin"))

    def enter(self, after_result: bool = False, **kwargs: Any) -> None:
        """``after_result``: the person just served may still stand there; wait until they step away."""
        self._armed = not after_result
        self._faces_seen = 0
        self._too_far = False
        self.preview.set_boxes([])
        self.lookalike_button.setVisible(self.ctx.gallery is not None)
        self.models_ready()
        self._watch()

    def models_ready(self) -> None:
        """Sign-in opens once the models are warm (``ctx.analyzer`` set)."""
        ready = self.ctx.analyzer is not None
        self.start_button.setEnabled(ready and not self._nobody_enrolled())
        self.lookalike_button.setEnabled(ready)
        self.retranslate()

    def people_changed(self) -> None:
        """People pulled from the fleet: sign-in opens (or closes) without a restart."""
        self.models_ready()
        if self._nobody_enrolled():
            self.ctx.capture.release(self.name)
        elif not self.ctx.capture.owns(self.name):
            self._watch()

    def leave(self) -> None:
        self.ctx.capture.release(self.name)

    def _watch(self) -> None:
        """Run a login capture in the background: the first face close enough hands it to the login screen.

        The camera worker analyzes frames only inside a capture, so this is how the
        attract screen notices someone walking up without anybody touching the screen.
        """
        if self.auto_start and not self.verify_first and not self._nobody_enrolled():  # card + face: no face is analyzed before an id
            self.ctx.capture.start(self.name, "login", unattended=True)

    def switch_language(self) -> None:
        self.ctx.set_language("en" if self.ctx.languages.language == "ko" else "ko")

    def start_login(self) -> None:
        if self.verify_first:
            self.ctx.go(ScreenName.CLAIM)
            return
        self.ctx.go(ScreenName.LOGIN)  # a fresh capture: its timeout starts when the visitor asked

    def _hand_over(self) -> None:
        self.ctx.capture.hand_over(ScreenName.LOGIN)  # before leaving: leave() must not cancel it
        self.ctx.go(ScreenName.LOGIN, running=True)

    def on_frame(self, image: Any) -> None:
        self.preview.set_frame(image)

    def on_report(self, report: FrameReport) -> None:
        chosen = report.chosen
        self.preview.set_boxes([(chosen.box, chosen.passed)] if chosen is not None else [])
        close_enough = chosen is not None and TOO_SMALL not in chosen.reasons
        too_far = chosen is not None and not close_enough
        if too_far != self._too_far:
            self._too_far = too_far
            self.retranslate()
        if not self._armed:
            self._armed = not close_enough
            return
        self._faces_seen = self._faces_seen + 1 if close_enough else 0
        if self.verify_first:
            return
        if self.ctx.capture.owns(self.name) and self._faces_seen >= AUTO_START_FRAMES:
            self._hand_over()

    def on_result(self, result: CaptureResult) -> None:
        """Nobody came close during the capture's time: keep watching."""
        self._watch()
