"""The admin PIN: the digits typed, choosing the first PIN, and signing in with a lockout.

Kept free of Qt so the rules (digits only, minimum length, confirmation must
match, a lockout counted down) are tested directly; the PIN screen renders
``masked``, the set-up stage and the sign-in's answer. The lockout itself is the
registry's (failures are counted in the database, so a restart never resets it);
``AdminSignIn`` only remembers until when the pad stays closed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.errors import AuthError, KioskError
from kiosk.store.admins import MIN_PIN_DIGITS

if TYPE_CHECKING:
    from kiosk.registry import Registry

ADMIN_NAME = "admin"  # the kiosk has one admin account; the CLI may name others
MAX_PIN_LENGTH = 12


@dataclass
class PinEntry:
    """Digits typed on the pad; never shown, only counted."""

    digits: str = ""
    max_length: int = MAX_PIN_LENGTH

    def press(self, key: str) -> None:
        if key.isdigit() and len(key) == 1 and len(self.digits) < self.max_length:
            self.digits += key

    def backspace(self) -> None:
        self.digits = self.digits[:-1]

    def clear(self) -> None:
        self.digits = ""

    @property
    def masked(self) -> str:
        return "\u25cf" * len(self.digits)


class SetupStage(StrEnum):
    CHOOSE = "choose"
    CONFIRM = "confirm"


class PinProblem(StrEnum):
    TOO_SHORT = "too_short"
    MISMATCH = "mismatch"


class PinSetupFlow:
    """First start: choose a PIN of at least ``min_length`` digits, then type it again.

    ``submit`` returns the chosen PIN once both entries match, else ``None``;
    ``problem`` then names what went wrong for the UI.
    """

    def __init__(self, min_length: int = MIN_PIN_DIGITS) -> None:
        self.min_length = min_length
        self.entry = PinEntry()
        self.stage = SetupStage.CHOOSE
        self.problem: PinProblem | None = None
        self._first = ""

    def submit(self) -> str | None:
        pin = self.entry.digits
        self.entry.clear()
        if self.stage == SetupStage.CHOOSE:
            if len(pin) < self.min_length:
                self.problem = PinProblem.TOO_SHORT
                return None
            self._first, self.stage, self.problem = pin, SetupStage.CONFIRM, None
            return None
        if pin != self._first:
            self._first, self.stage, self.problem = "", SetupStage.CHOOSE, PinProblem.MISMATCH
            return None
        self.problem = None
        return pin


class PinAnswer(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    ERROR = "error"  # the database could not check or store the PIN


class AdminSignIn:
    """Checks and sets the kiosk admin's PIN through the registry; remembers a lockout on ``clock``."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, name: str = ADMIN_NAME) -> None:
        self.clock = clock
        self.name = name
        self.locked_until: float | None = None

    def remaining(self) -> int:
        """Whole seconds the pad stays locked (0: open); an expired lockout is forgotten."""
        if self.locked_until is None:
            return 0
        left = max(0, math.ceil(self.locked_until - self.clock()))
        if left == 0:
            self.locked_until = None
        return left

    def check(self, registry: Registry, pin: str) -> PinAnswer:
        """Every answer the registry gives is audited there; a locked pad does not even ask."""
        if self.remaining() > 0:
            return PinAnswer.LOCKED
        try:
            registry.check_admin_pin(self.name, pin)
        except AuthError as exc:
            if exc.retry_after > 0:
                self.locked_until = self.clock() + exc.retry_after
                return PinAnswer.LOCKED
            return PinAnswer.WRONG
        except KioskError:
            return PinAnswer.ERROR
        return PinAnswer.OK

    def set_pin(self, registry: Registry, pin: str) -> PinAnswer:
        try:
            registry.set_admin_pin(self.name, pin)
        except KioskError:
            return PinAnswer.ERROR
        return PinAnswer.OK
