"""When an unattended screen goes back to the attract screen.

The policy is plain Python with an injectable clock so the rule ("no touch for
``timeout_s`` on a screen that is not exempt") is tested without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable


class IdlePolicy:
    """Tracks the last user activity; screens in ``exempt`` never time out."""

    def __init__(self, timeout_s: float, exempt: Iterable[str] = (), clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout_s = float(timeout_s)
        self.exempt = frozenset(exempt)
        self._clock = clock
        self._last = clock()

    def touch(self) -> None:
        self._last = self._clock()

    def idle_for(self) -> float:
        return self._clock() - self._last

    def expired(self, screen: str) -> bool:
        """True when ``screen`` should be left for the attract screen now."""
        return screen not in self.exempt and self.idle_for() >= self.timeout_s
