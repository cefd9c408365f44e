"""Several looks per person (issue 24): add a look, and the optional "recent" look refresh.

A person holds up to ``enroll.max_looks`` enrolled templates (with and without glasses, a
beard, a mask); the matcher keeps one row per template and identification scores a person
with their best row, so the runner-up and the margin are always another *person*.

Adding a look uses the enrollment rules (``kiosk.flows.enroll``: photos or a capture ->
one template); the registry then refuses a face that does not match the person above the
low threshold or that matches someone else at the duplicate threshold, and the refusal is
audited (``look_refused``) as a refused enrollment is.

The refresh (``enroll.refresh_recent_look``, off by default) lets an accepted sign-in at or
above the high threshold replace the person's one ``recent`` look, at most once per
``REFRESH_EVERY``; the registry takes it only while it matches the *enrolled* looks at the high
threshold, so a chain of refreshes can never walk towards another face. ``kiosk users
revert-looks`` drops it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kiosk.clock import utc_now
from kiosk.engine.types import AggregatedTemplate
from kiosk.errors import KioskError
from kiosk.flows import enroll
from kiosk.match.types import Decision, Outcome, PersonRef
from kiosk.store.people import RECENT, Look

if TYPE_CHECKING:
    from kiosk.engine.analyzer import FaceAnalyzer
    from kiosk.registry import Registry

log = logging.getLogger(__name__)

# A person signing in ten times a day refreshes once: the audit log and the fleet see one
# change a day, not one per sign-in.
REFRESH_EVERY = timedelta(hours=20)


def add_look(registry: Registry, person: PersonRef, template: AggregatedTemplate, *, label: str = "", max_looks: int = 3) -> Look:
    """The look saved, or the refusal audited (``look_refused``) and raised."""
    try:
        return registry.add_look(person.id, template, label=label, max_looks=max_looks)
    except KioskError as exc:
        registry.audit("look_refused", person_id=person.id, score=getattr(exc, "score", None), detail=exc.message)
        raise


def add_look_from_photos(
    registry: Registry, analyzer: FaceAnalyzer, person: PersonRef, photos: list[Path], *, label: str = "", max_looks: int = 3
) -> tuple[Look, enroll.PhotoBatch]:
    """``kiosk users add-look``: the photos through the enrollment rules, then ``add_look``."""
    batch = enroll.read_photos(analyzer, photos)
    template = batch.template(enroll.outlier_cosine(registry))
    return add_look(registry, person, template, label=label, max_looks=max_looks), batch


def should_refresh(registry: Registry, decision: Decision, now: datetime | None = None) -> bool:
    """Policy only: the setting is on, the sign-in was accepted at or above the high threshold,
    and the person's recent look (if any) is older than ``REFRESH_EVERY``."""
    if not registry.refresh_recent_look or decision.outcome != Outcome.ACCEPT or decision.person is None:
        return False
    if decision.score < registry.bands.high:
        return False
    recent = [look for look in registry.looks(decision.person.id) if look.kind == RECENT]
    if not recent:
        return True
    moment = now or datetime.fromisoformat(utc_now())
    return all(moment - datetime.fromisoformat(look.created) >= REFRESH_EVERY for look in recent)


def after_accept(registry: Registry, decision: Decision, vector: np.ndarray) -> float | None:
    """Called by the sign-in flow after every decision; refreshes when the policy says so.
    A failure is logged, never raised: the visitor's result never waits on it."""
    try:
        if should_refresh(registry, decision) and decision.person is not None:
            return registry.refresh_look(decision.person.id, vector)
    except KioskError as exc:
        log.error("recent look not refreshed: %s", exc)
    return None
