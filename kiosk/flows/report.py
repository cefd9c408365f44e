"""The trends the dashboard and ``kiosk report`` show, computed from the database for a given "now".

Sign-ins per hour over the last 24 hours and per day over the last ``days`` days, split by
outcome (accepted / retry / not recognised / refused as a spoof); the median and 90th
percentile time from the first frame with a face to the decision; the share of the time the
kiosk ran that its camera was live; and, of the analyzed frames that showed a face, the
share rejected for each reason (a frame may have several). Hours and days are the kiosk's
local ones (``now``'s time zone); the rows are UTC. No Qt: the screen and the command
render the same ``Figures``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kiosk.engine.types import NO_FACE
from kiosk.errors import ConfigError
from kiosk.store import stats
from kiosk.store.db import Database

OUTCOMES = stats.OUTCOMES
HOURS = 24
DEFAULT_DAYS = 30
MAX_DAYS = stats.RETENTION_DAYS


@dataclass(frozen=True)
class Bucket:
    """Sign-ins that started in [start, start + one hour or day), per outcome."""

    start: dt.datetime  # local, aware
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Figures:
    now: dt.datetime
    days: int
    hourly: list[Bucket]  # HOURS buckets, the last one holds now
    daily: list[Bucket]  # ``days`` buckets, the last one is today
    totals: dict[str, int]  # per outcome over the days
    decision_ms: list[int] = field(repr=False, default_factory=list)  # over the days, sorted
    camera_live_24h: float | None = None  # share of the kiosk's running time; None: no record
    camera_live: float | None = None  # the same over the days
    camera_recorded_s: float = 0.0  # running time the share is over (the days)
    frames_with_face: int = 0
    rejected: dict[str, float] = field(default_factory=dict)  # reason -> share of frames_with_face, largest first

    @property
    def signins(self) -> int:
        return sum(self.totals.values())

    @property
    def empty(self) -> bool:
        return self.signins == 0

    @property
    def median_ms(self) -> float | None:
        return _percentile(self.decision_ms, 50)

    @property
    def p90_ms(self) -> float | None:
        return _percentile(self.decision_ms, 90)

    def to_dict(self) -> dict[str, Any]:
        def buckets(items: list[Bucket], start: Callable[[dt.datetime], str]) -> list[dict[str, Any]]:
            return [{"start": start(b.start), **b.counts, "total": b.total} for b in items]

        return {
            "now": self.now.isoformat(timespec="seconds"),
            "days": self.days,
            "signins": self.signins,
            "totals": dict(self.totals),
            "per_hour": buckets(self.hourly, lambda t: t.isoformat(timespec="minutes")),
            "per_day": buckets(self.daily, lambda t: t.date().isoformat()),
            "decision_ms": {"timed": len(self.decision_ms), "median": self.median_ms, "p90": self.p90_ms},
            "camera": {"live_share_24h": self.camera_live_24h, "live_share": self.camera_live, "recorded_s": round(self.camera_recorded_s, 1)},
            "frames_with_face": self.frames_with_face,
            "rejected_share": {k: round(v, 4) for k, v in self.rejected.items()},
        }


def _percentile(values: list[int], q: float) -> float | None:
    """Linear interpolation between the closest ranks (numpy's default): 10 timings 100..1000 ms
    give a median of 550 and a 90th percentile of 910."""
    return float(np.percentile(values, q)) if values else None


def availability_percent(share: float) -> float:
    """Rounded down to 0.1: a camera down 20 minutes in 30 days reads 99.9 %, never 100.0 %."""
    return math.floor(share * 1000) / 10


def check_days(days: int) -> int:
    if not 1 <= days <= MAX_DAYS:
        raise ConfigError(f"--days {days} is out of range", hint=f"give 1 to {MAX_DAYS}: sign-in figures are kept {MAX_DAYS} days")
    return days


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _count(rows: list[stats.SignInRow], starts: list[dt.datetime], end: dt.datetime) -> list[Bucket]:
    """Buckets [starts[i], starts[i + 1]), the last one up to ``end``."""
    edges = [_utc(s) for s in starts] + [_utc(end)]
    buckets = [Bucket(s, dict.fromkeys(OUTCOMES, 0)) for s in starts]
    for row in rows:
        i = int(np.searchsorted(edges, row.time, side="right")) - 1  # UTC ISO text sorts as time
        if 0 <= i < len(buckets):
            buckets[i].counts[row.outcome] += 1
    return buckets


def _live_share(spans: list[stats.CameraSpan], since: dt.datetime, now: dt.datetime) -> tuple[float | None, float]:
    live = down = 0.0
    for span in spans:
        start = max(dt.datetime.fromisoformat(span.start), since)
        end = min(dt.datetime.fromisoformat(span.end), now)
        seconds = max(0.0, (end - start).total_seconds())
        if span.live:
            live += seconds
        else:
            down += seconds
    total = live + down
    return (live / total if total > 0 else None), total


Rows = tuple[list[stats.SignInRow], list[stats.CameraSpan]]


def db_reader(db: Database) -> Callable[[str], Rows]:
    """What ``compute`` reads, straight from a database (``kiosk report``; the kiosk itself
    goes through ``Registry.trend_rows``, which serializes with its other calls)."""

    def read(since: str) -> Rows:
        with db.guard():
            return stats.signins_since(db, since), stats.camera_spans_since(db, since)

    return read


def compute(read: Callable[[str], Rows], now: dt.datetime, days: int = DEFAULT_DAYS) -> Figures:
    """``read(since)``: the sign-ins and camera spans from that UTC time on. ``now`` must be
    aware; its time zone decides where hours and days begin: give it one with rules
    (``clock.local_now()``, a ``zoneinfo`` zone), not a fixed offset, for the days before a
    daylight-saving change to start at their own midnight."""
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    check_days(days)
    zone = now.tzinfo
    # Hours are stepped in UTC (a day with a daylight-saving change has 23 or 25 of them); days
    # are calendar dates, each starting at its own local midnight, whatever its offset.
    hour_end = now.replace(minute=0, second=0, microsecond=0).astimezone(dt.UTC) + dt.timedelta(hours=1)
    hour_starts = [(hour_end - dt.timedelta(hours=HOURS - i)).astimezone(zone) for i in range(HOURS)]
    today = now.date()
    day_starts = [dt.datetime.combine(today - dt.timedelta(days=days - 1 - i), dt.time(), tzinfo=zone) for i in range(days)]
    day_end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    since = min(day_starts[0], hour_starts[0])
    rows, spans = read(_utc(since))
    rows = [r for r in rows if r.time <= _utc(now)]
    period = [r for r in rows if r.time >= _utc(day_starts[0])]
    daily = _count(period, day_starts, day_end)
    totals = {o: sum(b.counts[o] for b in daily) for o in OUTCOMES}
    with_face = sum(r.frames_analyzed - r.rejected.get(NO_FACE, 0) for r in period)
    reasons: dict[str, int] = {}
    for r in period:
        for reason, n in r.rejected.items():
            if reason != NO_FACE:
                reasons[reason] = reasons.get(reason, 0) + n
    shares = {k: v / with_face for k, v in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))} if with_face > 0 else {}
    live_24h, _ = _live_share(spans, now - dt.timedelta(hours=HOURS), now)
    live, recorded = _live_share(spans, day_starts[0], now)
    return Figures(
        now=now,
        days=days,
        hourly=_count(rows, hour_starts, hour_end),
        daily=daily,
        totals=totals,
        decision_ms=sorted(r.decision_ms for r in period if r.decision_ms is not None),
        camera_live_24h=live_24h,
        camera_live=live,
        camera_recorded_s=recorded,
        frames_with_face=with_face,
        rejected=shares,
    )
