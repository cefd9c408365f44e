"""Retry delays: exponential from ``base`` with jitter, never more than ``cap`` apart.

Jitter ("equal jitter": half fixed, half random) spreads kiosks that lost the same
receiver, so they do not all retry on the same second when it comes back.
"""

from __future__ import annotations

import random

MAX_CAP_S = 300.0  # the ceiling: a retry at most 5 minutes after the last


def delay(attempts: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after the ``attempts``-th consecutive failure (1 = the first)."""
    cap = min(cap, MAX_CAP_S)
    ceiling = min(cap, base * 2.0 ** min(max(attempts - 1, 0), 30))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)
