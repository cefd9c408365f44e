"""What the application model publishes: one frozen dataclass per kind of news, one union.

The view connects to ``KioskModel.events`` and ``match``es on these; nothing is
dispatched by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.app.screens import ScreenName
    from kiosk.capture.commands import CameraState
    from kiosk.flows.signin import ResultView
    from kiosk.flows.verify import VerifyView


@dataclass(frozen=True)
class ScreenChanged:
    """The current screen is now ``name``, entered with ``args`` (the guard already applied)."""

    name: ScreenName
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SignInDecided:
    """A sign-in capture was decided (``flows.signin`` or, with a claimed id, ``flows.verify``)."""

    view: ResultView | VerifyView


@dataclass(frozen=True)
class ServicesOpened:
    """The database and the services that read it are open (the host starts its upkeep timers)."""


@dataclass(frozen=True)
class ModelsReady:
    """The face models are warm and the worker has them: sign-in opens."""


@dataclass(frozen=True)
class PeopleChangedElsewhere:
    """A fleet pull applied people changed on another kiosk."""


@dataclass(frozen=True)
class CameraChanged:
    """The camera source's state changed; ``out_of_order``: the model left a visitor screen for it."""

    state: CameraState
    out_of_order: bool


@dataclass(frozen=True)
class PreviewShown:
    """The newest camera frame for the current screen's preview (whatever image type the driver makes)."""

    image: Any


ModelEvent = (
    ScreenChanged | SignInDecided | ServicesOpened | ModelsReady | PeopleChangedElsewhere | CameraChanged | PreviewShown
)
