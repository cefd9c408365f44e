"""From rejection reasons to the one instruction a person at the kiosk needs.

``Guidance`` names the instruction and is the key of ``TEXTS``, its one English
wording: the CLI prints it and the UI translates it once (``kiosk.ui.texts``).
Why something was refused is a different thing, said by ``kiosk.flows.reasons``.
When a frame fails for several reasons, the one to fix first wins: there is no
point asking someone to hold still before they are close enough to be seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from kiosk.engine import types as r


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks ``text`` for translation without importing Qt (scripts/build_translations.py scans the
    modules that call it: this one and kiosk/flows/reasons.py)."""
    return text


class Guidance(StrEnum):
    """What the person in front of the camera should do now."""

    NO_FACE = "no_face"
    ONE_PERSON = "one_person"
    COME_CLOSER = "come_closer"
    LOOK_STRAIGHT = "look_straight"
    MORE_LIGHT = "more_light"
    LESS_LIGHT = "less_light"
    HOLD_STILL = "hold_still"
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    DONE = "done"


TEXTS: dict[Guidance, str] = {
    Guidance.NO_FACE: QT_TRANSLATE_NOOP("", "Look at the camera"),
    Guidance.ONE_PERSON: QT_TRANSLATE_NOOP("", "One person at a time, please"),
    Guidance.COME_CLOSER: QT_TRANSLATE_NOOP("", "Please come a little closer"),
    Guidance.LOOK_STRAIGHT: QT_TRANSLATE_NOOP("", "Please look straight at the camera"),
    Guidance.MORE_LIGHT: QT_TRANSLATE_NOOP("", "It is too dark here"),
    Guidance.LESS_LIGHT: QT_TRANSLATE_NOOP("", "There is too much light"),
    Guidance.HOLD_STILL: QT_TRANSLATE_NOOP("", "Hold still"),
    Guidance.TURN_LEFT: QT_TRANSLATE_NOOP("", "Slowly turn your head to the left"),
    Guidance.TURN_RIGHT: QT_TRANSLATE_NOOP("", "Slowly turn your head to the right"),
    Guidance.DONE: QT_TRANSLATE_NOOP("", "Thank you"),
}

# Reason -> instruction, in the order a person should fix them.
_PRIORITY = (
    (r.NO_FACE, Guidance.NO_FACE),
    (r.MULTIPLE_FACES, Guidance.ONE_PERSON),
    (r.TOO_SMALL, Guidance.COME_CLOSER),
    (r.TOO_DARK, Guidance.MORE_LIGHT),
    (r.TOO_BRIGHT, Guidance.LESS_LIGHT),
    (r.TURNED_LEFT, Guidance.LOOK_STRAIGHT),
    (r.TURNED_RIGHT, Guidance.LOOK_STRAIGHT),
    (r.LOOKING_UP, Guidance.LOOK_STRAIGHT),
    (r.LOOKING_DOWN, Guidance.LOOK_STRAIGHT),
    (r.LOW_SCORE, Guidance.LOOK_STRAIGHT),
    (r.BLURRY, Guidance.HOLD_STILL),
    # A suspected photo gets no hint about what gave it away.
    (r.SPOOF, Guidance.HOLD_STILL),
    (r.OUTLIER, Guidance.HOLD_STILL),
)


def guidance_for(reasons: Iterable[str]) -> Guidance | None:
    """The instruction for the most important reason, or ``None`` when nothing needs fixing."""
    present = set(reasons)
    for reason, key in _PRIORITY:
        if reason in present:
            return key
    return Guidance.HOLD_STILL if present else None


def text(key: str | None) -> str:
    """The English instruction (``""`` for none): what the CLI prints and the UI's translation source."""
    return TEXTS[Guidance(key)] if key else ""
