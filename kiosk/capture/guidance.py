"""From rejection reasons to the one instruction a person at the kiosk needs.

Keys are stable identifiers; ``TEXTS`` is the one English wording, printed by the
CLI and translated by the UI (``kiosk.ui.texts``). When a frame fails for several
reasons, the one to fix first wins: there is no point asking someone to hold
still before they are close enough to be seen.
"""

from __future__ import annotations

from collections.abc import Iterable

from kiosk.engine import types as r



def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks ``text`` for translation without importing Qt (scripts/build_translations.py scans this file)."""
    return text


TEXTS = {
    "no_face": QT_TRANSLATE_NOOP("", "Look at the camera"),
    "one_person": QT_TRANSLATE_NOOP("", "One person at a time, please"),
    "come_closer": QT_TRANSLATE_NOOP("", "Please come a little closer"),
    "look_straight": QT_TRANSLATE_NOOP("", "Please look straight at the camera"),
    "more_light": QT_TRANSLATE_NOOP("", "It is too dark here"),
    "less_light": QT_TRANSLATE_NOOP("", "There is too much light"),
    "hold_still": QT_TRANSLATE_NOOP("", "Hold still"),
    "turn_left": QT_TRANSLATE_NOOP("", "Slowly turn your head to the left"),
    "turn_right": QT_TRANSLATE_NOOP("", "Slowly turn your head to the right"),
    "done": QT_TRANSLATE_NOOP("", "Thank you"),
}

# Reason -> key, in the order a person should fix them.
_PRIORITY = (
    (r.NO_FACE, "no_face"),
    (r.MULTIPLE_FACES, "one_person"),
    (r.TOO_SMALL, "come_closer"),
    (r.TOO_DARK, "more_light"),
    (r.TOO_BRIGHT, "less_light"),
    (r.TURNED_LEFT, "look_straight"),
    (r.TURNED_RIGHT, "look_straight"),
    (r.LOOKING_UP, "look_straight"),
    (r.LOOKING_DOWN, "look_straight"),
    (r.LOW_SCORE, "look_straight"),
    (r.BLURRY, "hold_still"),
    # A suspected photo gets no hint about what gave it away.
    (r.SPOOF, "hold_still"),
    (r.OUTLIER, "hold_still"),
)


def guidance_for(reasons: Iterable[str]) -> str | None:
    """The key for the most important reason, or ``None`` when nothing needs fixing."""
    present = set(reasons)
    for reason, key in _PRIORITY:
        if reason in present:
            return key
    return "hold_still" if present else None


def text(key: str | None) -> str:
    return TEXTS.get(key or "", "")
