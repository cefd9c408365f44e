"""Error types every layer raises.

Each error carries a one-line, user-facing message; the CLI prints it (never a
traceback) and exits with ``exit_code``. The UI maps the class to a screen.
"""

from __future__ import annotations

from typing import Protocol


class KioskError(Exception):
    """Base class: a failure the user can understand and act on."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class ConfigError(KioskError):
    """A setting is missing, malformed or out of range; the message names the key."""

    exit_code = 2


class ModelPackError(KioskError):
    """A model pack is missing, incomplete, altered or not understood."""

    exit_code = 3


class ImageError(KioskError):
    """An image cannot be read or is unusable (corrupt, empty, too large, wrong type)."""

    exit_code = 4


class FaceNotFoundError(KioskError):
    """No usable face in an image where one was required."""

    exit_code = 5


class MultipleFacesError(KioskError):
    """Several faces where exactly one was required."""

    exit_code = 5


class NotEnoughFramesError(KioskError):
    """Aggregation had fewer usable observations than required."""

    exit_code = 6


class StoreError(KioskError):
    """The encrypted database cannot be opened, read or written."""

    exit_code = 7


class KeyStoreError(StoreError):
    """The database key is missing, unreadable, too loosely protected or wrong."""


class TamperError(StoreError):
    """A sealed record failed authentication: it was altered or moved."""


class CameraError(KioskError):
    """A frame source failed to open or stopped delivering frames."""

    exit_code = 8


class SourceEndedError(CameraError):
    """A finite source (video file, image folder) has no more frames."""


class NotFoundError(KioskError):
    """A named person, admin, actor or file does not exist."""

    exit_code = 9


class KnownPerson(Protocol):
    """A ``kiosk.match.types.PersonRef`` as this base layer sees it (it may not import upwards)."""

    id: int
    external_id: str
    name: str


class DuplicateError(KioskError):
    """The face or id being enrolled already belongs to someone else."""

    exit_code = 10

    def __init__(self, message: str, *, hint: str | None = None, person: KnownPerson | None = None, score: float | None = None) -> None:
        super().__init__(message, hint=hint)
        self.person = person  # the PersonRef already enrolled (None when only the id clashes)
        self.score = score  # cosine similarity to that person's template


class AuthError(KioskError):
    """Wrong admin PIN, or the admin is locked out."""

    exit_code = 11

    def __init__(self, message: str, *, hint: str | None = None, retry_after: float = 0.0) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after  # seconds until the next attempt is allowed (0: now)


class FleetError(KioskError):
    """Fleet sync cannot proceed: bad server URL, unreachable server, wrong key, schema mismatch."""

    exit_code = 12
