"""Reviewing settings before they are saved: what changed, and what makes the kiosk weaker.

A settings page is easy to change by accident (a mouse wheel over a spin box lowered the
accept threshold below zero, issue 21), so saving first lists every change as old -> new and
asks; a change that lets more strangers or more photos through also needs an explicit
"I understand" that says what is known of the cost. The same list, with secrets hidden, is the
audit row's detail. No Qt here: the settings screen renders these, the tests check them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.config import SECURITY_ORDER, STRICT, Settings, effective_security
from kiosk.engine.pack import ModelPack, Thresholds
from kiosk.match.bands import effective_thresholds

# Keys whose values never reach the screen or the audit log, only the fact that they changed.
SECRET_FIELDS = frozenset({"webhook_secret"})
HIDDEN = "(hidden)"
THRESHOLD_KEYS = ("high", "low")


class Weakening(StrEnum):
    """A change that lets more strangers or more presentation attacks through."""

    ACCEPT_BELOW_PACK = "accept_below_pack"  # match.high below the pack's calibrated high
    REJECT_BELOW_PACK = "reject_below_pack"  # match.low below the pack's calibrated low
    LIVENESS_OFF = "liveness_off"  # a profile's photo-and-screen check turned off
    SECURITY_LOWERED = "security_lowered"  # a profile's head-turn challenge no longer asked of everyone (from strict)
    ADAPTIVE_LOWERED = "adaptive_lowered"  # a profile's head turn no longer asked even when the check is unsure


@dataclass(frozen=True)
class Change:
    key: str  # dotted, as in config.toml (match.high)
    old: str
    new: str

    def line(self) -> str:
        return f"{self.key}: {self.old} -> {self.new}"


@dataclass(frozen=True)
class Risk:
    """One weakening: which key, its new value (for a security level, the level that will run:
    ``auto`` is resolved with the pack), and the pack's calibrated value it goes below
    (thresholds only). ``calibrated`` says whether the pack's thresholds were measured at all;
    a manifest records no false-accept rate below them, so the screen says none is known."""

    kind: Weakening
    key: str
    value: str
    pack_value: float | None = None
    calibrated: bool = False


@dataclass(frozen=True)
class Review:
    changes: tuple[Change, ...]
    risks: tuple[Risk, ...]

    @property
    def needs_understanding(self) -> bool:
        return bool(self.risks)

    def audit_detail(self, confirmed_risks: bool) -> str:
        """The audit row: every changed key, old -> new (secrets hidden), and the weakening confirmed."""
        text = "; ".join(c.line() for c in self.changes)
        if self.risks and confirmed_risks:
            text += "; weaker security confirmed: " + ", ".join(sorted({r.key for r in self.risks}))
        return text


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    if value is None or value == "":
        return "-"
    return str(value)


def _flat(settings: Settings, pack_thresholds: Thresholds) -> dict[str, Any]:
    """Every setting by dotted key; thresholds left to the pack show the pack's value in force."""
    out: dict[str, Any] = {"models": None if settings.models is None else str(settings.models)}
    effective = effective_thresholds(pack_thresholds, settings.match)
    for name in Settings.SECTIONS:
        for key, value in dataclasses.asdict(getattr(settings, name)).items():
            out[f"{name}.{key}"] = str(value) if isinstance(value, Path) else value
    for key in THRESHOLD_KEYS + ("duplicate",):
        out[f"match.{key}"] = getattr(effective, key)
    return out


def review(old: Settings, new: Settings, pack: ModelPack | None) -> Review:
    """What saving ``new`` over ``old`` changes, and what of it weakens the kiosk."""
    thresholds = pack.thresholds if pack is not None else Thresholds()
    before, after = _flat(old, thresholds), _flat(new, thresholds)
    changes = []
    for key, value in after.items():
        if before.get(key) == value:
            continue
        if key.rpartition(".")[2] in SECRET_FIELDS:
            changes.append(Change(key, HIDDEN, HIDDEN))
        else:
            changes.append(Change(key, _text(before.get(key)), _text(value)))
    return Review(tuple(changes), tuple(_risks(before, after, pack, thresholds)))


def _risks(before: dict[str, Any], after: dict[str, Any], pack: ModelPack | None, thresholds: Thresholds) -> list[Risk]:
    calibrated = bool(pack is not None and pack.calibrated)
    risks = []
    for key, kind in (("high", Weakening.ACCEPT_BELOW_PACK), ("low", Weakening.REJECT_BELOW_PACK)):
        value, floor = float(after[f"match.{key}"]), float(getattr(thresholds, key))
        if value != before[f"match.{key}"] and value < floor - 1e-9:
            risks.append(Risk(kind, f"match.{key}", f"{value:g}", floor, calibrated))
    for profile in ("login", "enroll"):
        if before[f"{profile}.liveness"] and not after[f"{profile}.liveness"]:
            risks.append(Risk(Weakening.LIVENESS_OFF, f"{profile}.liveness", "false"))
        # the levels as they run with this pack (auto: adaptive where the pack measured its band)
        was, now = (effective_security(str(side[f"{profile}.security"]), thresholds.band_measured) for side in (before, after))
        if SECURITY_ORDER.index(now) < SECURITY_ORDER.index(was):
            kind = Weakening.SECURITY_LOWERED if was == STRICT else Weakening.ADAPTIVE_LOWERED
            risks.append(Risk(kind, f"{profile}.security", now))
    return risks
