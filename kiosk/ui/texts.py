"""Phrase tables shared by several screens: capture guidance and rejection reasons.

Built inside functions so every phrase is looked up in the current language at
the moment it is shown, and lupdate still sees each literal ``tr("...")``.
"""

from __future__ import annotations

from kiosk.ui.i18n import tr


def guidance_text(key: str | None, fallback: str = "") -> str:
    texts = {
        "come_closer": tr("Please come a little closer"),
        "look_straight": tr("Please look straight at the camera"),
        "more_light": tr("It is too dark here"),
        "less_light": tr("There is too much light"),
        "one_person": tr("One person at a time, please"),
        "hold_still": tr("Hold still"),
        "no_face": tr("Look at the camera"),
        "turn_left": tr("Slowly turn your head to the left"),
        "turn_right": tr("Slowly turn your head to the right"),
        "done": tr("Thank you"),
    }
    return texts.get(key or "", fallback)


def reason_text(key: str | None) -> str:
    """Why a frame or an attempt was not usable, in words a visitor understands."""
    texts = {
        "too_small": tr("Face too far away"),
        "blurry": tr("Picture blurred: hold still"),
        "too_dark": tr("Too dark"),
        "too_bright": tr("Too bright"),
        "turned_left": tr("Head turned: look straight ahead"),
        "turned_right": tr("Head turned: look straight ahead"),
        "looking_up": tr("Head tilted: look straight ahead"),
        "looking_down": tr("Head tilted: look straight ahead"),
        "low_score": tr("Face not clearly visible"),
        "no_face": tr("No face seen"),
        "multiple_faces": tr("More than one person"),
        "outlier": tr("Inconsistent pictures"),
        "unsure": tr("We could not be sure it is you"),
        "timeout": tr("It took too long"),
        "not_enough": tr("Not enough clear pictures"),
        "challenge_failed": tr("The head turn was not completed"),
        "spoof": tr("Not accepted"),
    }
    return texts.get(key or "", tr("Please try again"))
