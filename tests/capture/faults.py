"""FAULT INJECTION ONLY: a source wrapper that makes a real source fail like an unplugged camera.

Everything it delivers comes from the wrapped real source; the only thing it fakes
is the failure, which is what cannot be produced on demand with real hardware.
"""

from __future__ import annotations

from kiosk.capture.sources import FrameSource
from kiosk.capture.types import Frame
from kiosk.errors import CameraError


class DyingSource(FrameSource):
    """Raises ``CameraError`` after ``die_after`` frames, for the first ``deaths`` openings only.

    After that many failures it behaves like the wrapped source, as a camera that was
    plugged back in; ``opens`` counts the (re)openings so tests can see the retries.
    """

    live = True

    def __init__(self, inner: FrameSource, die_after: int, deaths: int = 1) -> None:
        self.inner = inner
        self.die_after = die_after
        self.deaths_left = deaths
        self.opens = 0
        self._since_open = 0

    @property
    def fps(self) -> float | None:  # type: ignore[override]
        return self.inner.fps

    def describe(self) -> str:
        return f"{self.inner.describe()} (fault injected)"

    def open(self) -> None:
        self.opens += 1
        self._since_open = 0
        self.inner.open()

    def read(self) -> Frame:
        if self.deaths_left > 0 and self._since_open >= self.die_after:
            self.deaths_left -= 1
            self.inner.close()
            raise CameraError("camera 0 stopped delivering frames (injected fault)")
        self._since_open += 1
        return self.inner.read()

    def close(self) -> None:
        self.inner.close()
