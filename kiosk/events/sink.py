"""What every sink is: a name (its cursor in the outbox) and ``send`` that returns once
the receiver has the event, or raises ``DeliveryError`` to have it retried."""

from __future__ import annotations

from typing import Protocol


class DeliveryError(Exception):
    """This attempt failed (refused, timed out, unreachable); the event is retried."""


class Sink(Protocol):
    name: str

    def describe(self) -> str:
        """Where events go, for ``kiosk events test`` and the admin screen (never the secret)."""

    def send(self, event_id: str, body: bytes) -> None:
        """Deliver ``body`` (the event's JSON bytes) or raise ``DeliveryError``."""
