"""The one way the kiosk writes a wall-clock time: UTC, ISO 8601 (sorts as text)."""

from __future__ import annotations

import datetime as _dt


def utc_now(timespec: str = "microseconds") -> str:
    """Microseconds by default: audit rows written in the same second must still sort in order."""
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec=timespec)
