"""Card + face: a visitor gives an id (badge reader or keypad), then the face is checked 1:1.

The policy of ``login.mode = verify`` (and of a badge swipe in ``either``), plain Python
as ``kiosk/flows/signin.py`` is, producing a ``VerifyView`` the screens render:

* the face is compared with the claimed person's templates only (``Registry.verify_claim``,
  the 1:1 band of ``match/bands.py``), audited as ``signin_verify`` (``signin.*`` events
  with ``method: verify``);
* an id nobody holds is answered as a face that did not match, after the capture, so the
  kiosk never tells a stranger which ids exist;
* after 5 consecutive failures for one claimed id the id is locked for 30 s, doubling
  (``kiosk/store/attempts.py``, NIST SP 800-63B 5.2.3), audited as ``signin_locked``;
  while locked nothing is compared and the wait is shown;
* with ``login.pin_fallback`` on, a face that was not accepted is offered the person's own
  PIN (``pin_sign_in``): ``signin.fallback`` when right, the same attempt limits when wrong.

``now`` is wall-clock seconds (``time.time``) passed in by the caller: lockouts outlive a
restart, and the tests move time without sleeping.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.capture.types import CaptureOutcome, CaptureResult
from kiosk.errors import KioskError
from kiosk.flows.signin import OTHER, UNSURE, top_reason
from kiosk.match.types import Outcome

if TYPE_CHECKING:
    from kiosk.flows.attendance import PunchView
    from kiosk.registry import Registry

log = logging.getLogger(__name__)

UNKNOWN_ID = "unknown id"
LOCKED_DETAIL = "locked {s} s more"


class VerifyKind(StrEnum):
    ACCEPT = Outcome.ACCEPT.value
    RETRY = Outcome.RETRY.value
    REJECT = Outcome.REJECT.value
    SPOOF = CaptureOutcome.SPOOF.value
    LOCKED = "locked"


class Method(StrEnum):
    """How an accepted sign-in was made (the ``method`` of its event)."""

    VERIFY = "verify"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class VerifyView:
    """What the verify result screen shows. ``name`` and ``person_id`` only on an accept;
    ``wait_s`` while locked; ``offer_pin``: show "use your PIN instead"; ``punch``: attendance
    mode's punch for an accept (``flows.attendance.after_sign_in``, as for a face alone)."""

    kind: VerifyKind
    claim: str
    method: Method = Method.VERIFY
    name: str | None = None
    reason: str | None = None  # for RETRY: a capture outcome, a frame rejection reason, UNSURE or OTHER
    score: float | None = None
    wait_s: int = 0
    offer_pin: bool = False
    person_id: int | None = None  # accept only: whom an attendance punch is for
    punch: PunchView | None = None

    @property
    def accepted(self) -> bool:
        """The face (or the fallback PIN) let the person in: attendance punches it as a face alone."""
        return self.kind == VerifyKind.ACCEPT


def normalize_claim(text: str) -> str:
    """A badge or keypad id as stored: surrounding blanks dropped."""
    return text.strip()


def claim_wait(registry: Registry, claim: str, now: float) -> int:
    """Seconds the claimed id is still locked (0: go on to the capture; an unknown id: 0)."""
    person = registry.find_person(normalize_claim(claim))
    return 0 if person is None else registry.lock_remaining(person.id, now)


def verify_sign_in(registry: Registry, claim: str, result: CaptureResult, *, now: float, pin_fallback: bool = False) -> VerifyView:
    """The whole rule for one capture after an id was given; audited, and its figures go to the trends."""
    view = _decide(registry, normalize_claim(claim), result, now, pin_fallback)
    if view.kind != VerifyKind.LOCKED:
        registry.record_signin(
            view.kind.value,
            decision_ms=None if result.decision_s is None else round(result.decision_s * 1000),
            frames_analyzed=result.frames_analyzed,
            rejected=result.rejected,
        )
    return view


def _decide(registry: Registry, claim: str, result: CaptureResult, now: float, pin_fallback: bool) -> VerifyView:
    try:
        person = registry.find_person(claim)
        if person is not None:
            wait = registry.lock_remaining(person.id, now)
            if wait:
                registry.refuse_claim(person.id, VerifyKind.LOCKED.value, LOCKED_DETAIL.format(s=wait), now)
                return VerifyView(VerifyKind.LOCKED, claim, wait_s=wait)
        if result.template is None or not result.ok:
            if result.outcome != CaptureOutcome.SPOOF:  # no face compared: not an attempt
                return VerifyView(VerifyKind.RETRY, claim, reason=top_reason(result.rejected) or result.outcome)
            wait = registry.refuse_claim(None if person is None else person.id, VerifyKind.SPOOF.value, "presentation attack refused", now)
            return VerifyView(VerifyKind.LOCKED, claim, wait_s=wait) if wait else VerifyView(VerifyKind.SPOOF, claim)
        if person is None:
            registry.refuse_claim(None, Outcome.REJECT.value, UNKNOWN_ID, now)
            return VerifyView(VerifyKind.REJECT, claim, offer_pin=pin_fallback)
        decision, wait = registry.verify_claim(person.id, result.template.vector, now)
    except KioskError as exc:
        log.error("verify failed: %s", exc)
        return VerifyView(VerifyKind.RETRY, claim, reason=OTHER)
    if decision.accepted:
        return VerifyView(VerifyKind.ACCEPT, claim, name=person.name, score=decision.score, person_id=person.id)
    if wait:
        return VerifyView(VerifyKind.LOCKED, claim, score=decision.score, wait_s=wait)
    kind = VerifyKind.RETRY if decision.outcome == Outcome.RETRY else VerifyKind.REJECT
    return VerifyView(kind, claim, reason=UNSURE if kind == VerifyKind.RETRY else None, score=decision.score, offer_pin=pin_fallback)


def pin_sign_in(registry: Registry, claim: str, pin: str, *, now: float) -> VerifyView:
    """The fallback: the claimed person's own PIN. An unknown id is answered as a wrong PIN."""
    claim = normalize_claim(claim)
    try:
        person = registry.find_person(claim)
        wait = registry.check_person_pin(None if person is None else person.id, pin, now)
    except KioskError as exc:
        log.error("fallback PIN check failed: %s", exc)
        return VerifyView(VerifyKind.RETRY, claim, Method.FALLBACK, reason=OTHER)
    if wait is None and person is not None:
        return VerifyView(VerifyKind.ACCEPT, claim, Method.FALLBACK, name=person.name, person_id=person.id)
    if wait:
        return VerifyView(VerifyKind.LOCKED, claim, Method.FALLBACK, wait_s=wait)
    return VerifyView(VerifyKind.REJECT, claim, Method.FALLBACK, offer_pin=True)


@dataclass(frozen=True)
class Standing:
    """One person's card + face standing for the admin: failures in a row, the wait, a PIN."""

    face_failures: int
    pin_failures: int
    wait_s: int
    has_pin: bool

    @property
    def clearable(self) -> bool:
        return self.face_failures > 0 or self.pin_failures > 0


def standing(registry: Registry, person_id: int, now: float) -> Standing:
    counts = {s.method.value: s for s in registry.signin_lockouts() if s.person_id == person_id}
    face, pin = counts.get("face"), counts.get("pin")
    return Standing(
        face_failures=face.failures if face else 0,
        pin_failures=pin.failures if pin else 0,
        wait_s=registry.lock_remaining(person_id, now),
        has_pin=registry.has_person_pin(person_id),
    )


def locked_people(registry: Registry, now: float) -> dict[int, int]:
    """Person id -> seconds still locked, for the people list."""
    return {s.person_id: s.remaining(now) for s in registry.signin_lockouts() if s.remaining(now) > 0}
