"""Decision bands: accept / retry / reject from the best score and its margin."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.match.types import Decision, Match, Outcome


@dataclass(frozen=True)
class EffectiveThresholds:
    """The thresholds in force: each one the setting when it is set, else the model pack's."""

    high: float
    low: float
    margin: float
    duplicate: float  # enrollment duplicate check


def effective_thresholds(pack_thresholds, match_settings) -> EffectiveThresholds:
    """The one place "the setting, else the pack" is decided (bands, duplicate check, settings screen)."""
    high = float(match_settings.high if match_settings.high is not None else pack_thresholds.high)
    low = float(match_settings.low if match_settings.low is not None else pack_thresholds.low)
    duplicate = float(match_settings.duplicate if match_settings.duplicate is not None else high)
    return EffectiveThresholds(high=high, low=min(low, high), margin=float(match_settings.margin), duplicate=duplicate)


@dataclass(frozen=True)
class Bands:
    """``high``/``low`` come from the model pack (or a settings override), never from code."""

    high: float
    low: float
    margin: float

    @classmethod
    def from_settings(cls, pack_thresholds, match_settings) -> Bands:
        t = effective_thresholds(pack_thresholds, match_settings)
        return cls(high=t.high, low=t.low, margin=t.margin)

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
