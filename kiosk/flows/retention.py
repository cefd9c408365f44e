"""The retention purge: what ``[retention]`` and ``events.max_age_days`` say goes, goes.

It runs when the kiosk starts and once a day while it runs (``kiosk/ui/window.py``), and
from the shell (``kiosk db purge [--dry-run]``). Each purge that deletes anything leaves
one ``retention_purge`` audit row with its counts ("audit 120, events 40, stats 300,
punches 0"); a dry run only counts.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kiosk.config import Settings
from kiosk.store.retention import Cutoffs, PurgeCounts

if TYPE_CHECKING:
    from kiosk.registry import Registry

DAY = dt.timedelta(days=1)


def _cut(now: dt.datetime, days: float) -> dt.datetime | None:
    return None if days <= 0 else now - days * DAY


def cutoffs(settings: Settings, now: dt.datetime) -> Cutoffs:
    r = settings.retention
    return Cutoffs(
        audit=_cut(now, r.audit_days),
        events=_cut(now, settings.events.max_age_days),
        stats=_cut(now, r.stats_days),
        punches=_cut(now, r.punches_days),
    )


def sink_names(settings: Settings) -> list[str]:
    """The sinks that must have an event before the purge drops it (as the sender sees them)."""
    from kiosk.events.config import setup

    return setup(settings.events).names


def purge(registry: Registry, settings: Settings, *, now: dt.datetime | None = None, dry_run: bool = False) -> PurgeCounts:
    """Apply the retention settings now; the counts deleted (or, dry run, that would be)."""
    when = now or dt.datetime.now(dt.UTC)
    return registry.purge(cutoffs(settings, when), sinks=sink_names(settings), dry_run=dry_run)
