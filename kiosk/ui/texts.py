"""Phrase tables shared by several screens: capture guidance and rejection reasons.

Guidance is ``kiosk.capture.guidance.TEXTS`` translated (one English wording for
the CLI and the kiosk). Reasons are built inside a function so every phrase is
looked up in the current language at the moment it is shown, and lupdate still
sees each literal ``tr("...")``.
"""

from __future__ import annotations

import re

from kiosk.capture import guidance
from kiosk.ui.i18n import tr, trn


def guidance_text(key: str | None, fallback: str = "") -> str:
    text = guidance.text(key)
    return tr(text) if text else fallback


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


def advice_text(key: str | None) -> str:
    """What the admin can do after an enrollment capture failed ("" where there is nothing to say:
    a spoof refusal never says how it was detected)."""
    texts = {
        "challenge_failed": tr("Ask them to turn the head slowly left, then right, then face the camera."),
        "timeout": tr("Ask them to hold still, close to the camera, in good light."),
        "not_enough": tr("Ask them to hold still, close to the camera, in good light."),
    }
    return texts.get(key or "", "")


def event_text(event: str) -> str:
    """An audit event in the viewer's language; a name this table lacks reads as words (``a_b`` -> ``a b``)."""
    texts = {
        "admin_login": tr("Admin sign-in"),
        "admin_set_pin": tr("Admin PIN set"),
        "audit_export": tr("Audit log exported"),
        "delete": tr("Person deleted"),
        "enroll": tr("Person enrolled"),
        "enroll_refused": tr("Enrollment refused"),
        "export": tr("Database exported"),
        "identify": tr("Sign-in"),
        "import": tr("Database imported"),
        "kiosk_exit": tr("Kiosk closed"),
        "re_enroll": tr("Person re-enrolled"),
        "rekey": tr("Database key changed"),
        "settings_saved": tr("Settings saved"),
        "verify": tr("Identity check"),
        "worker_error": tr("Camera or model fault"),
        "camera_lost": tr("Camera lost"),
        "camera_back": tr("Camera back"),
        "model_cpu_fallback": tr("Face models moved to the CPU"),
        "events_dropped": tr("Unsent events dropped"),
        "fleet_conflict": tr("Fleet change conflict"),
        "fleet_leave": tr("Left the fleet"),
        "fleet_rotate_key": tr("Fleet key rotated"),
        "faces_deleted": tr("Face pictures deleted"),
        "kiosk_restarted": tr("Kiosk restarted"),
        "punch": tr("Attendance punch"),
        "punch_switch": tr("Attendance punch switched"),
        "attendance_export": tr("Attendance exported"),
        "signin_verify": tr("Sign-in with an ID"),
        "signin_fallback": tr("Sign-in with a personal PIN"),
        "signin_locked": tr("ID locked after failed sign-ins"),
        "signin_unlock": tr("ID lockout cleared"),
        "person_pin": tr("Personal PIN changed"),
        "admin_setup_code": tr("First-start setup code"),
        "identify_check": tr("Identity check from the command line"),
        "liveness_taught": tr("Camera taught: passive check retrained"),
        "liveness_samples_cleared": tr("Camera teaching forgotten"),
        "retention_purge": tr("Old records deleted (retention)"),
        "look_added": tr("Look added"),
        "look_deleted": tr("Look deleted"),
        "look_refused": tr("Look refused"),
        "look_refreshed": tr("Recent look refreshed"),
        "looks_reverted": tr("Looks reverted to the enrolled ones"),
        "migrate": tr("Faces moved to a new model pack"),
    }
    return texts.get(event, event.replace("_", " "))


# Audit details the registry writes in English (kiosk/store/admins.py, registry.py), as patterns:
# the audit screen shows them in the viewer's language; the CSV export keeps the stored text.
_DETAIL_PATTERNS = (
    ("tries", re.compile(r"^(?P<who>.+): wrong PIN \((?P<n>\d+) tr(?:y|ies) left before a lockout\)$")),
    ("locked", re.compile(r"^(?P<who>.+): wrong PIN; locked for (?P<n>\d+) s$")),
    ("wait", re.compile(r"^(?P<who>.+): too many wrong PINs: try again in (?P<n>\d+) s$")),
    ("unknown", re.compile(r"^(?P<who>.+): wrong admin name or PIN$")),
    ("code_tries", re.compile(r"^wrong setup code \((?P<n>\d+) tr(?:y|ies) left\)$")),
)


def detail_text(detail: str) -> str:
    """An audit row's detail in the viewer's language where it is one of the registry's phrases
    (a wrong PIN and its tries left: issue 21); anything else (names, counts, paths) as stored."""
    for key, pattern in _DETAIL_PATTERNS:
        found = pattern.match(detail)
        if found is None:
            continue
        n = int(found.group("n")) if "n" in pattern.groupindex else 0
        texts = {
            "tries": lambda: tr("wrong PIN") + ": " + trn("%n try(s) left before a lockout", n),
            "locked": lambda: tr("wrong PIN") + ": " + tr("locked for {n} s").format(n=n),
            "wait": lambda: tr("too many wrong PINs: try again in {n} s").format(n=n),
            "unknown": lambda: tr("wrong admin name or PIN"),
            "code_tries": lambda: tr("wrong setup code") + ": " + trn("%n try(s) left", n),
        }
        who = found.groupdict().get("who")
        return f"{who}: {texts[key]()}" if who else texts[key]()
    fixed = {
        "kiosk identify: a check, not a sign-in": tr("kiosk identify: a check, not a sign-in"),
        "confirmed by the signed-in admin": tr("confirmed by the signed-in admin"),
        "admin PIN": tr("admin PIN"),
    }
    return fixed.get(detail, detail)


def decision_text(decision: str) -> str:
    """An audit row's decision (accept / reject / retry / spoof; a fleet conflict's won / lost / settled) in the viewer's language."""
    texts = {
        "accept": tr("Accepted"),
        "reject": tr("Refused"),
        "retry": tr("Retry"),
        "spoof": tr("Refused: photo or screen"),
        "settled": tr("Settled"),
        "won": tr("This kiosk's change kept"),
        "lost": tr("The fleet's change kept"),
        "crash": tr("Crashed"),
        "hang": tr("Not responding"),
        "in": tr("IN"),
        "out": tr("OUT"),
        "locked": tr("Refused: locked"),
        "kept": tr("Kept"),
        "refused": tr("Not kept"),
    }
    return texts.get(decision, decision)


def outcome_text(outcome: str) -> str:
    """A sign-in's outcome as the trends name it (kiosk/flows/report.py)."""
    texts = {
        "accept": tr("Accepted"),
        "retry": tr("Retry"),
        "reject": tr("Not recognised"),
        "spoof": tr("Refused as a spoof"),
    }
    return texts.get(outcome, outcome)


def problem_text(reason: str) -> str:
    """A frame rejection reason in the operator's words: short, for a chart's axis."""
    texts = {
        "too_small": tr("Too far away"),
        "blurry": tr("Blurred"),
        "too_dark": tr("Too dark"),
        "too_bright": tr("Too bright"),
        "turned_left": tr("Turned left"),
        "turned_right": tr("Turned right"),
        "looking_up": tr("Looking up"),
        "looking_down": tr("Looking down"),
        "low_score": tr("Face unclear"),
        "multiple_faces": tr("Several people"),
        "spoof": tr("Not live"),
        "outlier": tr("Inconsistent"),
    }
    return texts.get(reason, reason.replace("_", " "))
