"""Deleting a person: addressed by the id people use (employee number...), gone for good, audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.match.types import PersonRef

if TYPE_CHECKING:
    from kiosk.registry import Registry


def delete_person(registry: Registry, external_id: str) -> PersonRef:
    """Delete the person and their templates (the registry audits ``delete``); who it was.

    Raises ``NotFoundError`` when nobody has that id, e.g. deleted meanwhile from the CLI.
    """
    person = registry.person(external_id)
    registry.delete(person.id)
    return person
