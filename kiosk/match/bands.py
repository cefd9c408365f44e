"""Decision bands: accept / retry / reject from the best score and its margin."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config import MatchSettings
from kiosk.engine.pack import Thresholds
from kiosk.match.types import Decision, Match, Outcome


@dataclass(frozen=True)
class EffectiveThresholds:
    """The thresholds in force: each one the setting when it is set, else the model pack's."""

    high: float
    low: float
    margin: float
    duplicate: float  # enrollment duplicate check
    # 1:1 (card + face): one claimed person's templates only, so no runner-up and a
    # threshold of its own (calibrated at a stated FAR); the retry band keeps the 1:N width.
    verify_high: float
    verify_low: float


def effective_thresholds(pack_thresholds: Thresholds, match_settings: MatchSettings) -> EffectiveThresholds:
    """The one place "the setting, else the pack" is decided (bands, duplicate check, settings screen).
    The 1:1 threshold: ``match.verify_high``, else the pack's ``verify``, else the 1:N ``high``."""
    high = float(match_settings.high if match_settings.high is not None else pack_thresholds.high)
    low = float(match_settings.low if match_settings.low is not None else pack_thresholds.low)
    duplicate = float(match_settings.duplicate if match_settings.duplicate is not None else high)
    low = min(low, high)
    pack_verify = getattr(pack_thresholds, "verify", None)
    verify_high = float(
        match_settings.verify_high if match_settings.verify_high is not None else pack_verify if pack_verify is not None else high
    )
    return EffectiveThresholds(
        high=high, low=low, margin=float(match_settings.margin), duplicate=duplicate, verify_high=verify_high, verify_low=verify_high - (high - low)
    )


@dataclass(frozen=True)
class Bands:
    """``high``/``low`` come from the model pack (or a settings override), never from code."""

    high: float
    low: float
    margin: float
    verify_high: float | None = None  # None: 1:1 decides on high / low as 1:N does
    verify_low: float | None = None

    @classmethod
    def from_settings(cls, pack_thresholds: Thresholds, match_settings: MatchSettings) -> Bands:
        t = effective_thresholds(pack_thresholds, match_settings)
        if t.verify_high == t.high:  # no 1:1 threshold of its own: 1:1 decides on the 1:N band
            return cls(high=t.high, low=t.low, margin=t.margin)
        return cls(high=t.high, low=t.low, margin=t.margin, verify_high=t.verify_high, verify_low=t.verify_low)

    def shortlist_exact_below(self, sure: float) -> float:
        """The best score under which a shortlist's answer is replaced by the full scan.

        An accept needs ``high`` and a lead of ``margin`` over the runner-up. A row the
        shortlist missed scores under ``sure`` (almost always, measured), so from
        ``sure + margin`` no missed runner-up can close the lead: the decision is the exact
        scan's. Below that a close runner-up may have been missed, and every row is scored.
        """
        return max(self.high, sure + self.margin)

    def one_to_one(self) -> Bands:
        """The bands a 1:1 verification decides on: the verify thresholds, no margin."""
        high = self.high if self.verify_high is None else self.verify_high
        low = self.low if self.verify_low is None else self.verify_low
        return Bands(high=high, low=min(low, high), margin=0.0)

    def decide(self, candidates: list[Match], *, use_margin: bool = True) -> Decision:
        """Accept at or above ``high`` with a clear lead; retry in the grey zone or on a
        close runner-up (two people look alike: ask for another look); reject below ``low``."""
        if not candidates:
            return Decision(Outcome.REJECT, None, -1.0, None, None, ())
        best = candidates[0]
        runner_up = candidates[1].score if len(candidates) > 1 else None
        margin = None if runner_up is None else best.score - runner_up
        outcome = self.outcome(best.score, margin if use_margin else None)
        return Decision(outcome, best.person, best.score, runner_up, margin, tuple(candidates))

    def outcome(self, score: float, margin: float | None = None) -> Outcome:
        """The band of one score; ``margin`` (lead over the runner-up) None when there is none."""
        if score < self.low:
            return Outcome.REJECT
        if score >= self.high and (margin is None or margin >= self.margin):
            return Outcome.ACCEPT
        return Outcome.RETRY
