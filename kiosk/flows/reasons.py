"""Every reason something was not used, in English words: the one table, keyed by the reason.

A reason is an enum member where it is produced: a frame's or a photo's ``Rejection``
(``kiosk.engine.types``), a capture's ``CaptureOutcome`` (``kiosk.capture.types``), a
sign-in's ``RetryReason`` (``kiosk.flows.signin``) or a model migration's ``Reason``
(``kiosk.flows.migrate``). The CLI prints these words; the UI translates the same strings
once (``kiosk.ui.texts``), so a reason reads the same on the command line, on the kiosk
and in Korean, and adding a reason means adding one row here. Instructions to the person
at the camera are not reasons: ``kiosk.capture.guidance`` words those.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.capture.guidance import QT_TRANSLATE_NOOP
from kiosk.capture.types import CaptureOutcome
from kiosk.engine.types import Rejection
from kiosk.flows.migrate import Reason as MigrateReason
from kiosk.flows.signin import RetryReason


@dataclass(frozen=True)
class Words:
    """``said`` is the sentence a visitor or an admin reads; ``short`` labels a chart's bar where
    ``said`` is too long or says the same for two reasons; ``advice`` is what an admin can do."""

    said: str
    short: str = ""
    advice: str = ""

    @property
    def label(self) -> str:
        return self.short or self.said


_AGAIN = QT_TRANSLATE_NOOP("", "Please try again")
_LOOK_STRAIGHT = QT_TRANSLATE_NOOP("", "Head turned: look straight ahead")
_LOOK_LEVEL = QT_TRANSLATE_NOOP("", "Head tilted: look straight ahead")
_STEADY = QT_TRANSLATE_NOOP("", "Ask them to hold still, close to the camera, in good light.")

# Keys are the enum members; a plain string from the database or JSON finds its row too (StrEnum).
WORDS: dict[str, Words] = {
    Rejection.TOO_SMALL: Words(QT_TRANSLATE_NOOP("", "Face too far away"), QT_TRANSLATE_NOOP("", "Too far away")),
    Rejection.BLURRY: Words(QT_TRANSLATE_NOOP("", "Picture blurred: hold still"), QT_TRANSLATE_NOOP("", "Blurred")),
    Rejection.TOO_DARK: Words(QT_TRANSLATE_NOOP("", "Too dark")),
    Rejection.TOO_BRIGHT: Words(QT_TRANSLATE_NOOP("", "Too bright")),
    Rejection.TURNED_LEFT: Words(_LOOK_STRAIGHT, QT_TRANSLATE_NOOP("", "Turned left")),
    Rejection.TURNED_RIGHT: Words(_LOOK_STRAIGHT, QT_TRANSLATE_NOOP("", "Turned right")),
    Rejection.LOOKING_UP: Words(_LOOK_LEVEL, QT_TRANSLATE_NOOP("", "Looking up")),
    Rejection.LOOKING_DOWN: Words(_LOOK_LEVEL, QT_TRANSLATE_NOOP("", "Looking down")),
    Rejection.LOW_SCORE: Words(QT_TRANSLATE_NOOP("", "Face not clearly visible"), QT_TRANSLATE_NOOP("", "Face unclear")),
    Rejection.NO_FACE: Words(QT_TRANSLATE_NOOP("", "No face seen")),
    Rejection.MULTIPLE_FACES: Words(QT_TRANSLATE_NOOP("", "More than one person"), QT_TRANSLATE_NOOP("", "Several people")),
    # A refused spoof never says what gave it away; the same row serves CaptureOutcome.SPOOF.
    Rejection.SPOOF: Words(QT_TRANSLATE_NOOP("", "Not accepted"), QT_TRANSLATE_NOOP("", "Not live")),
    Rejection.OUTLIER: Words(QT_TRANSLATE_NOOP("", "Inconsistent pictures"), QT_TRANSLATE_NOOP("", "Inconsistent")),
    Rejection.UNREADABLE: Words(QT_TRANSLATE_NOOP("", "The file cannot be read")),
    CaptureOutcome.TIMEOUT: Words(QT_TRANSLATE_NOOP("", "It took too long"), advice=_STEADY),
    CaptureOutcome.NOT_ENOUGH: Words(QT_TRANSLATE_NOOP("", "Not enough clear pictures"), advice=_STEADY),
    CaptureOutcome.CHALLENGE_FAILED: Words(
        QT_TRANSLATE_NOOP("", "The head turn was not completed"),
        advice=QT_TRANSLATE_NOOP("", "Ask them to turn the head slowly left, then right, then face the camera."),
    ),
    CaptureOutcome.CANCELLED: Words(_AGAIN),
    RetryReason.UNSURE: Words(QT_TRANSLATE_NOOP("", "We could not be sure it is you")),
    RetryReason.OTHER: Words(_AGAIN),
    MigrateReason.NO_CROP: Words(QT_TRANSLATE_NOOP("", "No face picture kept")),
    MigrateReason.UNREADABLE: Words(QT_TRANSLATE_NOOP("", "The face picture cannot be read")),
    MigrateReason.BLURRED: Words(QT_TRANSLATE_NOOP("", "The face picture is too blurred")),
}
AGAIN = Words(_AGAIN)  # no reason, or one this table lacks


def words(reason: str | None) -> Words:
    """The words for ``reason``; ``AGAIN`` when there is none to give."""
    return WORDS.get(reason or "", AGAIN)
