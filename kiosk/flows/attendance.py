"""Attendance: an accepted sign-in records the person's next punch, IN or OUT.

The rules, shared by the result screen, the card + face (verify) result screen and
``kiosk identify --punch``: a face alone, a badge then the face, and a badge then the
fallback PIN all punch alike, so an operator running attendance with badges loses none.

- **Which punch.** An IN opens a shift that an OUT can close up to ``MAX_SHIFT`` (16 h)
  later; so the next punch is OUT while the person's last punch is an IN younger than that,
  else IN. This is "the next expected one today" for a day worker, and it keeps a night
  shift (IN at 22:00, OUT at 06:00) one shift across midnight. A wrong guess (someone
  forgot to punch out yesterday evening) is switched on the result screen within
  ``SWITCH_SECONDS``.
- **Cooldown.** A sign-in within ``login.punch_cooldown_s`` of the person's last punch records
  nothing and shows that punch's time ("already recorded at 09:02"): people stay in front
  of the camera, or come back to check.
- Every punch and every switch is written with its audit row and its event
  (``attendance.punch`` / ``attendance.punch_switched``) in one transaction (the registry).

Times are kept in UTC and shown in the kiosk's time zone (``clock.local_now``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from kiosk.clock import local_now
from kiosk.config import ATTENDANCE, LoginProfile
from kiosk.errors import KioskError
from kiosk.flows.signin import ResultView
from kiosk.flows.verify import VerifyView
from kiosk.store.punches import Punch

if TYPE_CHECKING:
    from kiosk.registry import Registry

log = logging.getLogger(__name__)

MAX_SHIFT = dt.timedelta(hours=16)  # an IN older than this is a forgotten OUT, not an open shift
SWITCH_SECONDS = 3.0  # how long the result screen offers to switch IN <-> OUT

# A decided sign-in: a face alone (``flows.signin``) or card + face (``flows.verify``); either gets its punch.
SignInView = TypeVar("SignInView", ResultView, VerifyView)


class Direction(StrEnum):
    IN = "in"
    OUT = "out"

    @property
    def other(self) -> Direction:
        return Direction.OUT if self == Direction.IN else Direction.IN


class PunchStatus(StrEnum):
    RECORDED = "recorded"  # a new punch: ``direction`` and ``time`` are it
    COOLDOWN = "cooldown"  # nothing recorded: ``direction`` and ``time`` are the earlier punch
    FAILED = "failed"  # the database refused: nothing recorded, the visitor is told to see staff


@dataclass(frozen=True)
class PunchView:
    """What the result screen shows of a punch; ``time`` is in the kiosk's time zone."""

    status: PunchStatus
    direction: Direction | None = None
    time: dt.datetime | None = None
    punch_id: int | None = None

    @property
    def clock(self) -> str:
        """The punch's local time as the screen shows it ("09:02")."""
        return "" if self.time is None else self.time.strftime("%H:%M")

    @property
    def switchable(self) -> bool:
        return self.status == PunchStatus.RECORDED and self.punch_id is not None


def utc_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def expected(last: Punch | None, now: dt.datetime) -> Direction:
    """The next punch after ``last`` at ``now`` (aware): OUT while a shift is open, else IN."""
    if last is not None and last.direction == Direction.IN and now - utc_time(last.time) < MAX_SHIFT:
        return Direction.OUT
    return Direction.IN


def punch(registry: Registry, person_id: int, now: dt.datetime, cooldown_s: float) -> PunchView:
    """Record the person's next punch at ``now`` (aware, the kiosk's zone), unless the cooldown holds."""
    zone = now.tzinfo
    last = registry.last_punch(person_id)
    if last is not None:
        since = (now - utc_time(last.time)).total_seconds()
        if 0 <= since < cooldown_s:
            return PunchView(PunchStatus.COOLDOWN, Direction(last.direction), utc_time(last.time).astimezone(zone), last.id)
    direction = expected(last, now)
    recorded = registry.record_punch(person_id, direction.value, now.astimezone(dt.UTC).isoformat(timespec="microseconds"))
    return PunchView(PunchStatus.RECORDED, direction, now, recorded.id)


def switch(registry: Registry, view: PunchView) -> PunchView:
    """The other direction for a punch just recorded (the result screen's button)."""
    if not view.switchable or view.direction is None or view.punch_id is None:
        raise KioskError("only a punch just recorded can be switched")
    registry.switch_punch(view.punch_id, view.direction.other.value)
    return replace(view, direction=view.direction.other)


def after_sign_in(registry: Registry, view: SignInView, login: LoginProfile, now: dt.datetime | None = None) -> SignInView:
    """In attendance mode an accepted sign-in (face alone, card + face, or the fallback PIN) gets
    its punch; anything else is returned as is. A failing write does not hide the greeting: the
    view says the punch was not recorded."""
    if login.purpose != ATTENDANCE or not view.accepted or view.person_id is None:
        return view
    try:
        result = punch(registry, view.person_id, now or local_now(), login.punch_cooldown_s)
    except KioskError as exc:
        log.error("punch not recorded: %s", exc)
        result = PunchView(PunchStatus.FAILED)
    return replace(view, punch=result)
