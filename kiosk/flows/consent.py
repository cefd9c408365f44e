"""Consent at enrollment: the version of the text the person agreed to, and when.

The enrollment screen shows the text (``kiosk/ui/screens/enroll.py``, English and Korean)
beside a checkbox; ticking it records ``TEXT_VERSION`` and the time with the person. The
CLI records the version of whatever form the operator used (``kiosk users add
--consent-version V``). With ``enroll.consent_required`` a save without consent is refused,
so no one is enrolled on this kiosk without it.
"""

from __future__ import annotations

from kiosk.clock import utc_now
from kiosk.errors import KioskError
from kiosk.store.people import Consent

# The version of the screen's consent text: raise it whenever that text changes, so a
# record always says which words the person saw.
TEXT_VERSION = "1"


def given_now(version: str = TEXT_VERSION) -> Consent:
    """The person agrees now to the text of ``version``."""
    if not version.strip():
        raise KioskError("a consent needs the version of the text the person agreed to", hint="e.g. --consent-version 2026-01")
    return Consent(version.strip(), utc_now())


class ConsentRequired(KioskError):
    """``enroll.consent_required`` is on and the person has not agreed."""


def check(consent: Consent | None, required: bool) -> None:
    """Refuse an enrollment without consent where the setting requires one."""
    if required and consent is None:
        raise ConsentRequired(
            "this kiosk enrolls only people who agreed (enroll.consent_required is on)",
            hint="tick the consent box on the enrollment screen, or give --consent-version V with the version of the form they signed",
        )
