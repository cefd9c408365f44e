"""When an unattended screen goes back to the attract screen.

The policy is plain Python with an injectable clock so the rule ("no touch for
``timeout_s``") is tested without waiting; which screens are exempt is each
screen's own ``idle_exempt``.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class IdlePolicy:
    """Tracks the last user activity."""

    def __init__(self, timeout_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout_s = float(timeout_s)
        self._clock = clock
        self._last = clock()

    def touch(self) -> None:
        self._last = self._clock()

    def idle_for(self) -> float:
        return self._clock() - self._last

    def expired(self) -> bool:
        """True when a screen that is not exempt should be left for the attract screen now."""
        return self.idle_for() >= self.timeout_s
