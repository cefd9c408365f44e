"""Phrases shared by several screens, looked up in the current language when shown.

Guidance (``kiosk.capture.guidance.TEXTS``) and reasons (``kiosk.flows.reasons.WORDS``)
each have one English table below the UI, which the CLI prints; here they are
translated once, by their English wording. The other tables are built inside a
function so lupdate still sees each literal ``tr("...")``.
"""

from __future__ import annotations

import re

from kiosk.capture import guidance
from kiosk.flows.reasons import WORDS, words
from kiosk.ui.i18n import tr, trn


def guidance_text(key: str | None) -> str:
    """The instruction for ``key`` (a ``Guidance``), translated once from its one English wording."""
    return tr(guidance.text(key)) if key else ""


def reason_text(reason: str | None) -> str:
    """Why a frame, a photo or an attempt was not usable, in words a visitor understands."""
    return tr(words(reason).said)


def advice_text(reason: str | None) -> str:
    """What the admin can do after an enrollment capture failed ("" where there is nothing to say:
    a spoof refusal never says how it was detected)."""
    advice = words(reason).advice
    return tr(advice) if advice else ""


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
    return tr(words(reason).label) if reason in WORDS else reason.replace("_", " ")
