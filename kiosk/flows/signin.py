"""A sign-in: the capture result, the decision, and what the result screen shows.

The mapping is product policy (a presentation attack is refused without saying
why it was detected), so it is plain Python, tested without Qt. One vocabulary
runs from the capture to the words on screen: a ``ResultKind`` is the decision's
outcome, or ``spoof`` (the capture outcome of that name), and ``reason`` is the
text key: a capture outcome, a frame rejection reason, ``unsure`` or ``other``.
What is recorded is the registry's ``identify`` audit row; a presentation attack
refused before matching is recorded as ``identify`` / ``spoof`` (the ``signin.spoof``
event), and a capture that times out records no audit row, as no one was matched.
Every attempt also leaves its figures (outcome, time to decision, frame rejections) in
``signin_stats`` for the trends (``kiosk/flows/report.py``).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.capture.types import CaptureOutcome, CaptureResult
from kiosk.errors import KioskError
from kiosk.flows import looks
from kiosk.match.types import Decision, Outcome

if TYPE_CHECKING:
    from kiosk.flows.attendance import PunchView
    from kiosk.registry import Registry

log = logging.getLogger(__name__)


class ResultKind(StrEnum):
    ACCEPT = Outcome.ACCEPT.value
    RETRY = Outcome.RETRY.value
    REJECT = Outcome.REJECT.value
    SPOOF = CaptureOutcome.SPOOF.value


ACCEPT, RETRY, REJECT, SPOOF = ResultKind

class RetryReason(StrEnum):
    """Why a sign-in asks to try again when capture itself succeeded (its words: ``kiosk.flows.reasons``)."""

    UNSURE = "unsure"  # a grey-zone match
    OTHER = "other"  # the registry failed: shown as a plain "please try again"


UNSURE, OTHER = RetryReason


@dataclass(frozen=True)
class ResultView:
    kind: ResultKind
    name: str | None = None
    reason: str | None = None  # for RETRY: a capture outcome, a frame rejection reason, UNSURE or OTHER
    score: float | None = None
    person_id: int | None = None  # accept only: whom an attendance punch is for
    punch: PunchView | None = None  # attendance mode: the punch recorded (or why not)

    @property
    def accepted(self) -> bool:
        """The sign-in let the person in (what earns an attendance punch, ``flows.attendance``)."""
        return self.kind == ACCEPT


def from_capture(result: CaptureResult) -> ResultView | None:
    """A view when capture itself ended the attempt; ``None`` when there is a template to match."""
    if result.ok:
        return None
    if result.outcome == CaptureOutcome.SPOOF:
        return ResultView(SPOOF)
    return ResultView(RETRY, reason=top_reason(result.rejected) or result.outcome)


def from_decision(decision: Decision) -> ResultView:
    """Only an accept names the person: a grey-zone match must not greet the wrong one."""
    if decision.outcome == Outcome.ACCEPT and decision.person is not None:
        return ResultView(ACCEPT, name=decision.person.name, score=decision.score, person_id=decision.person.id)
    if decision.outcome == Outcome.RETRY:
        return ResultView(RETRY, reason=UNSURE, score=decision.score)
    return ResultView(REJECT, score=decision.score)


def sign_in(registry: Registry, result: CaptureResult) -> ResultView:
    """The whole rule: a failed capture says why, a template is identified (and audited).
    Every attempt that reaches a result, a timeout included, adds its figures to the trends."""
    view = _decide(registry, result)
    registry.record_signin(
        view.kind.value,
        decision_ms=None if result.decision_s is None else round(result.decision_s * 1000),
        frames_analyzed=result.frames_analyzed,
        rejected=result.rejected,
    )
    return view


def _decide(registry: Registry, result: CaptureResult) -> ResultView:
    view = from_capture(result)
    if view is not None:
        if view.kind == SPOOF:
            registry.record_event("identify", decision=SPOOF.value, detail="presentation attack refused")
        return view
    assert result.template is not None  # from_capture answered every capture that is not ok
    try:
        decision = registry.identify(result.template.vector)
    except KioskError as exc:
        log.error("identify failed: %s", exc)
        return ResultView(RETRY, reason=OTHER)
    looks.after_accept(registry, decision, result.template.vector)  # enroll.refresh_recent_look
    return from_decision(decision)


def top_reason(rejected: dict[str, int] | None) -> str | None:
    """The most frequent frame rejection reason (ties: alphabetical, so the result is stable)."""
    if not rejected:
        return None
    counts = Counter({k: v for k, v in rejected.items() if v > 0})
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
