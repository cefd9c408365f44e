"""A tiny typed event hub: ``connect(listener)`` returns its disconnect, as ``LiveSettings.connect`` does.

Listeners run synchronously on the thread that emitted (the model's callers: the GUI
thread under Qt), in the order they connected, so the view that connected first (the
navigator) has shown a screen before later listeners hear of it.

It lives in the base layer so that both the application model (``kiosk/app``) and the
flows below it (``Enrollment.changed`` and the like) can announce their changes with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

E = TypeVar("E")


class Emitter(Generic[E]):
    def __init__(self) -> None:
        self._entries: list[tuple[Callable[[E], None]]] = []

    def connect(self, listener: Callable[[E], None]) -> Callable[[], None]:
        """Call ``listener(event)`` for every event from now on; returns the disconnect."""
        entry = (listener,)  # its own identity: a function connected twice is disconnected once per call
        self._entries.append(entry)

        def disconnect() -> None:
            self._entries = [e for e in self._entries if e is not entry]

        return disconnect

    def emit(self, event: E) -> None:
        # A copy: a listener may connect or disconnect while the event is delivered.
        for (listener,) in list(self._entries):
            listener(event)
