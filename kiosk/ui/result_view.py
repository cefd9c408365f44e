"""What the result screen shows, decided from the capture result and the match decision.

Plain Python: the mapping from outcomes to one of four result kinds is product
policy (a presentation attack is refused without saying why it was detected),
so it is tested without Qt. The screen turns ``kind``/``reason`` into words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

ACCEPT, RETRY, REJECT, SPOOF = "accept", "retry", "reject", "spoof"


@dataclass(frozen=True)
class ResultView:
    kind: str  # accept | retry | reject | spoof
    name: str | None = None
    reason: str | None = None  # for retry: "unsure", "timeout", "not_enough", "challenge_failed" or a frame rejection reason
    score: float | None = None


def from_capture(result: Any) -> ResultView | None:
    """A view when capture itself ended the attempt; ``None`` when there is a template to match."""
    outcome = getattr(result, "outcome", "ok")
    if outcome == "ok" and getattr(result, "template", None) is not None:
        return None
    if outcome == "spoof":
        return ResultView(SPOOF)
    return ResultView(RETRY, reason=top_reason(getattr(result, "rejected", None)) or outcome)


def from_decision(decision: Any) -> ResultView:
    person = getattr(decision, "person", None)
    score = getattr(decision, "score", None)
    if decision.outcome == "accept" and person is not None:
        return ResultView(ACCEPT, name=person.name, score=score)
    if decision.outcome == "retry":
        return ResultView(RETRY, reason="unsure", score=score)
    return ResultView(REJECT, score=score)


def top_reason(rejected: dict[str, int] | None) -> str | None:
    """The most frequent frame rejection reason (ties: alphabetical, so the result is stable)."""
    if not rejected:
        return None
    counts = Counter({k: v for k, v in rejected.items() if v > 0})
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
