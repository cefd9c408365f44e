"""The running kiosk's settings, published once when they change.

In the manner of napari's evented models: one ``Settings`` object is shared by
everyone (the camera worker reads its capture profiles at each new capture), and
``apply`` copies saved values into it section by section and then tells each
subscriber, once, which sections changed. Consumers subscribe to what they
depend on (the registry to ``match``, the window to ``ui`` and ``camera``)
instead of the settings screen pushing values into each of them by hand.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable

from kiosk.config import Settings

Listener = Callable[[Settings, frozenset[str]], None]


class LiveSettings:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._listeners: list[tuple[frozenset[str], Listener]] = []

    def connect(self, listener: Listener, sections: Iterable[str] = Settings.SECTIONS) -> Callable[[], None]:
        """Call ``listener(settings, changed)`` when any of ``sections`` changes; returns the disconnect."""
        wanted = frozenset(sections)
        unknown = wanted - set(Settings.SECTIONS)
        if unknown:
            raise ValueError(f"no settings section {sorted(unknown)}")
        entry = (wanted, listener)
        self._listeners.append(entry)
        return lambda: self._listeners.remove(entry) if entry in self._listeners else None

    def apply(self, new: Settings) -> frozenset[str]:
        """Take ``new``'s sections; notify listeners of those that differ. Returns the changed names."""
        changed = frozenset(name for name in Settings.SECTIONS if getattr(new, name) != getattr(self.settings, name))
        for name in changed:  # copies: a caller editing ``new`` later must not change the live settings unseen
            setattr(self.settings, name, copy.deepcopy(getattr(new, name)))
        for wanted, listener in list(self._listeners):
            hit = changed & wanted
            if hit:
                listener(self.settings, hit)
        return changed
