"""Who matched and what the kiosk decided: the types the UI, CLI and audit share."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    """What the kiosk decided about one face (a ``str``: JSON and the audit log take it as is)."""

    ACCEPT = "accept"
    RETRY = "retry"
    REJECT = "reject"


@dataclass(slots=True)
class PersonRef:
    """Not frozen: start-up builds one per enrolled person, and a frozen dataclass costs
    4x as much to create (0.1 s more at 100k people)."""

    id: int
    external_id: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.external_id, "db_id": self.id, "name": self.name}


@dataclass(frozen=True)
class Match:
    person: PersonRef
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"person": self.person.to_dict(), "score": round(self.score, 4)}


@dataclass(frozen=True)
class Decision:
    """``person`` is the best candidate (also on retry/reject, so the UI can say "is that you?")."""

    outcome: Outcome
    person: PersonRef | None
    score: float
    runner_up: float | None
    margin: float | None
    candidates: tuple[Match, ...] = field(default=())

    @property
    def accepted(self) -> bool:
        return self.outcome == Outcome.ACCEPT

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.outcome,
            "person": None if self.person is None else self.person.to_dict(),
            "score": round(self.score, 4),
            "runner_up": None if self.runner_up is None else round(self.runner_up, 4),
            "margin": None if self.margin is None else round(self.margin, 4),
            "candidates": [c.to_dict() for c in self.candidates],
        }
