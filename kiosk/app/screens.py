"""The kiosk's screens by name, which of them a lost camera or a badge concerns, and the admin guard.

Qt-free, so the model navigates by these rules and the view (``kiosk/ui/navigation.py``)
only shows the widget of the name it is told.
"""

from __future__ import annotations

from enum import StrEnum


class ScreenName(StrEnum):
    """Every screen of the kiosk; a ``str``, so signals and logs carry it as text."""

    SPLASH = "splash"
    ATTRACT = "attract"
    LOGIN = "login"
    RESULT = "result"
    LOOKALIKE = "lookalike"
    PIN = "pin"
    ADMIN_HOME = "admin_home"
    ENROLL = "enroll"
    PEOPLE = "people"
    SETTINGS = "settings"
    AUDIT = "audit"
    OUT_OF_ORDER = "out_of_order"
    OPERATOR = "operator"
    DASHBOARD = "dashboard"
    ATTENDANCE = "attendance"
    CLAIM = "claim"  # card + face: the id first (keypad or badge)
    VERIFY_RESULT = "verify_result"
    FALLBACK_PIN = "fallback_pin"
    TEACH = "teach"


# Screens a lost camera turns into the out-of-order page (admin screens keep working without a camera).
PUBLIC_SCREENS = frozenset({
    ScreenName.ATTRACT, ScreenName.LOGIN, ScreenName.RESULT, ScreenName.LOOKALIKE,
    ScreenName.CLAIM, ScreenName.VERIFY_RESULT, ScreenName.FALLBACK_PIN,
})
# Where a badge swipe starts card + face (login.mode verify or either): the visitor screens
# that are not busy with a capture or a PIN.
BADGE_SCREENS = frozenset({ScreenName.ATTRACT, ScreenName.CLAIM, ScreenName.RESULT, ScreenName.VERIFY_RESULT})
# Screens that need the admin to be signed in.
ADMIN_SCREENS = frozenset({
    ScreenName.ADMIN_HOME, ScreenName.ENROLL, ScreenName.PEOPLE, ScreenName.SETTINGS, ScreenName.AUDIT,
    ScreenName.DASHBOARD, ScreenName.ATTENDANCE, ScreenName.TEACH,
})
# Showing these ends the admin's session: the next person starts as a visitor.
SIGN_OUT_SCREENS = frozenset({ScreenName.ATTRACT, ScreenName.OUT_OF_ORDER})


def guard(name: ScreenName, admin_signed_in: bool) -> ScreenName:
    """The screen to show for ``name``: an admin-only screen while signed out is the PIN pad."""
    return ScreenName.PIN if name in ADMIN_SCREENS and not admin_signed_in else name
