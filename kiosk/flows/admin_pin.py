"""The admin PIN: the digits typed, choosing the first PIN, and signing in with a lockout.

Kept free of Qt so the rules (digits only, minimum length, no run or repeat, confirmation
must match, a lockout counted down) are tested directly; the PIN screen renders
``masked``, the set-up stage and the sign-in's answer, and ``kiosk admin set-pin`` refuses
the same PINs through ``require_strong_pin``. The lockout itself is the registry's
(failures are counted in the database, so a restart never resets it); ``AdminSignIn``
only remembers until when the pad stays closed.

A fresh kiosk takes its first PIN from the screen only with the one-time setup code
an operator printed on the computer (``kiosk admin set-pin --setup-code``, run by the
installer): ``SetupStage.CODE`` comes first.
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
    from kiosk.registry import PacklessAdmins, Registry

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
    CODE = "code"  # the one-time setup code, checked by the registry before a PIN is chosen
    CHOOSE = "choose"
    CONFIRM = "confirm"


class PinProblem(StrEnum):
    TOO_SHORT = "too_short"
    GUESSABLE = "guessable"  # a run or a repeat: NIST SP 800-63B's blocklisted secrets
    MISMATCH = "mismatch"


# PINs people choose most often that are neither a run nor a repeat (published PIN frequency
# studies: keypad columns, diagonals, mirrored runs, years).
COMMON_PINS = frozenset({"112233", "123321", "159753", "147258", "789456", "102030", "147852", "258369", "456789", "987654", "135790", "142536"})


def guessable(pin: str) -> bool:
    """A PIN an attacker tries first: one digit repeated (000000), a run up or down (123456,
    654321, 890123: wrapping past 9; or by a constant step, 135791), a short pattern repeated (121212, 123123, 112112), or a
    commonly chosen one. NIST SP 800-63B 5.1.1.2 asks a verifier to refuse such secrets."""
    if len(pin) < 2 or not pin.isdigit():
        return False
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:])}
    if len(steps) == 1:  # repeats (step 0), runs (1, 9) and even steps (135791, 864208)
        return True
    for period in range(1, len(pin) // 2 + 1):
        if all(pin[i] == pin[i % period] for i in range(len(pin))):
            return True
    return pin in COMMON_PINS


def pin_problem(pin: str, min_length: int = MIN_PIN_DIGITS) -> PinProblem | None:
    """Why ``pin`` cannot be a new PIN (None: it can). The screen and the CLI ask this one rule."""
    if len(pin) < min_length:
        return PinProblem.TOO_SHORT
    if guessable(pin):
        return PinProblem.GUESSABLE
    return None


def require_strong_pin(pin: str) -> None:
    """``kiosk admin set-pin``'s check: the same rule as the screen's, as a ``KioskError``."""
    problem = pin_problem(pin)
    if problem == PinProblem.TOO_SHORT:
        raise KioskError(f"a PIN must be at least {MIN_PIN_DIGITS} digits (0-9 only)")
    if problem == PinProblem.GUESSABLE:
        raise KioskError(
            "this PIN is a run, a repeat or a commonly chosen PIN (like 123456, 654321, 000000, 121212): it is guessed first",
            hint="choose digits without a pattern",
        )


class PinSetupFlow:
    """First start: (the setup code, when ``with_code``), then a PIN of at least ``min_length``
    digits that is not guessable, then the same PIN again.

    ``submit`` returns the chosen PIN once both entries match, else ``None``;
    ``problem`` then names what went wrong for the UI. At ``SetupStage.CODE`` the screen
    checks the code with the registry and calls ``code_accepted`` when it is right.
    """

    def __init__(self, min_length: int = MIN_PIN_DIGITS, *, with_code: bool = False) -> None:
        self.min_length = min_length
        self.entry = PinEntry()
        self.stage = SetupStage.CODE if with_code else SetupStage.CHOOSE
        self.problem: PinProblem | None = None
        self.code = ""
        self._first = ""

    def code_accepted(self, code: str) -> None:
        self.code, self.stage, self.problem = code, SetupStage.CHOOSE, None

    def submit(self) -> str | None:
        pin = self.entry.digits
        self.entry.clear()
        if self.stage == SetupStage.CODE:
            return None
        if self.stage == SetupStage.CHOOSE:
            self.problem = pin_problem(pin, self.min_length)
            if self.problem is not None:
                return None
            self._first, self.stage = pin, SetupStage.CONFIRM
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

    def check(self, registry: Registry | PacklessAdmins, pin: str) -> PinAnswer:
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

    def set_pin(self, registry: Registry, pin: str, code: str | None = None) -> PinAnswer:
        """The first PIN: with the setup code it must be (``code``), or directly (tests, CLI)."""
        try:
            if code is None:
                registry.set_admin_pin(self.name, pin)
            else:
                registry.set_first_admin_pin(self.name, code, pin)
        except AuthError:
            return PinAnswer.WRONG
        except KioskError:
            return PinAnswer.ERROR
        return PinAnswer.OK

    def check_code(self, registry: Registry, code: str) -> PinAnswer:
        """The one-time setup code (wrong tries counted and audited by the registry)."""
        try:
            registry.check_setup_code(code)
        except AuthError:
            return PinAnswer.WRONG
        except KioskError:
            return PinAnswer.ERROR
        return PinAnswer.OK
