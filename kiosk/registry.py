"""The one facade the UI and the CLI use for people, admins, matching and audit.

It sits above ``kiosk.store`` (the encrypted database) and ``kiosk.match`` (the
in-memory matrix) and keeps them in step: every write commits to the database
first and only then touches the matcher, so a failed write never leaves the
matcher believing something the database does not hold.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import numpy as np

from kiosk.clock import utc_now
from kiosk.config import EnrollProfile, MatchSettings, Settings
from kiosk.engine.pack import ModelPack
from kiosk.engine.types import AggregatedTemplate
from kiosk.events import outbox
from kiosk.events.types import ADMIN_LOCKED_OUT, HEARTBEAT, SIGNIN_FALLBACK, SIGNIN_LOCKED, SIGNIN_VERIFY, EventSource, kiosk_name
from kiosk.events.types import build as build_event
from kiosk.errors import AuthError, DuplicateError, KioskError, NotFoundError
from kiosk.match.bands import Bands, effective_thresholds
from kiosk.match.matcher import SHORTLIST_SURE, Matcher, normalize
from kiosk.match.types import Decision, Match, Outcome, PersonRef
from kiosk.store import admins, attempts, backup, faces, journal, person_pins, privacy, retention
from kiosk.store import punches as punch_store
from kiosk.store import audit as audit_store
from kiosk.store import stats as stats_store
from kiosk.store import people as people_store
from kiosk.store.audit import AuditEntry
from kiosk.store.check import CheckReport, check
from kiosk.store.db import DB_FILE, Database
from kiosk.store.keys import KeyStore
from kiosk.store.pause import pause_point
from kiosk.store.people import ENROLLED, RECENT, Consent, Look, PersonSummary
from kiosk.store.rekey import rekey
from kiosk.store.seal import encode_rows

log = logging.getLogger(__name__)
IDENTIFY_CHECK = "identify_check"  # ``kiosk identify`` from the shell: audited, never counted as a sign-in

__all__ = ["AuditEntry", "CheckReport", "Decision", "PacklessAdmins", "PersonRef", "PersonSummary", "Registry"]


def _check_admin_pin(db: Database, name: str, pin: str) -> None:
    """Check and audit in one transaction: the failure count and its audit row survive a crash."""
    with db.transaction():
        try:
            admins.check_pin(db, name, pin)
        except AuthError as exc:
            locked = ADMIN_LOCKED_OUT if exc.retry_after > 0 else None
            audit_store.record(db, "admin_login", decision="reject", detail=f"{name}: {exc.message}", event_type=locked)
            failure: AuthError | None = exc
        else:
            audit_store.record(db, "admin_login", decision="accept", detail=name)
            failure = None
    if failure is not None:
        raise failure


class PacklessAdmins:
    """The admin PIN while the kiosk has no registry (its model pack did not load: the operator
    screen), so closing the kiosk still needs the PIN. Opens the database for each check and
    closes it again; the same lockout and audit as ``Registry.check_admin_pin``."""

    def __init__(self, data_dir: Path, key_store: KeyStore | None = None) -> None:
        self.path = Path(data_dir) / DB_FILE
        self.key_store = key_store

    def check_admin_pin(self, name: str, pin: str) -> None:
        db = Database.open(self.path, self.key_store)
        try:
            with db.guard():
                _check_admin_pin(db, name, pin)
        finally:
            db.close()

    def audit(self, event: str, *, detail: str | None = None) -> None:
        """One audit row (the kiosk closed from the operator screen)."""
        db = Database.open(self.path, self.key_store)
        try:
            with db.transaction():
                audit_store.record(db, event, detail=detail)
        finally:
            db.close()


P = ParamSpec("P")
R = TypeVar("R")


def _serialized(method: Callable[Concatenate[Registry, P], R]) -> Callable[Concatenate[Registry, P], R]:
    """One call at a time. In the kiosk the GUI thread makes every call (identify
    included; the camera worker only runs the models), but a caller on another
    thread must never interleave with it on the one SQLite connection and the one
    matrix, so the facade does not rely on that."""

    @functools.wraps(method)
    def wrapper(self: Registry, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


class Registry:
    def __init__(self, db: Database, pack: ModelPack, bands: Bands, duplicate_threshold: float, *, kiosk: str = "", store_face_crops: bool = True) -> None:
        self._lock = threading.RLock()
        self.db = db
        self.store_face_crops = store_face_crops  # enroll.store_face_crops: see forget_faces
        self.refresh_recent_look = False  # enroll.refresh_recent_look: see refresh_look
        self.event_source = EventSource(kiosk_name(kiosk), pack.id)
        db.event_source = self.event_source  # stamped on every event this connection writes
        self.pack = pack
        self.bands = bands
        self.duplicate_threshold = duplicate_threshold
        self.matcher = Matcher(pack.embedding_size)
        self._camera_span: tuple[int, bool] | None = None  # this run's open camera span: id, live
        self._remote_listeners: list[Callable[[], None]] = []
        self.reload()

    def connect_remote_changes(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener()`` after people changed at another kiosk were applied; returns the disconnect.

        The kiosk's own screens know what they changed themselves; a fleet pull happens on the
        sync thread behind them, so an open people list would go on showing a deleted person.
        The listener runs on the sync thread, under this registry's lock: it must only hand the
        news on (the window emits a queued Qt signal), never call back into the registry there.
        """
        self._remote_listeners.append(listener)
        return lambda: self._remote_listeners.remove(listener) if listener in self._remote_listeners else None

    @classmethod
    def open(cls, settings: Settings, pack: ModelPack, key_store: KeyStore | None = None) -> Registry:
        """Open ``kiosk.db`` in the data folder (key store chosen by platform and environment)."""
        db = Database.open(Path(settings.data_dir) / DB_FILE, key_store)
        thresholds = effective_thresholds(pack.thresholds, settings.match)
        try:
            with db.guard():
                registry = cls(
                    db, pack, Bands.from_settings(pack.thresholds, settings.match), thresholds.duplicate,
                    kiosk=settings.events.kiosk_name, store_face_crops=settings.enroll.store_face_crops,
                )
            registry.refresh_recent_look = settings.enroll.refresh_recent_look
            registry.matcher.use_shortlist(settings.match.shortlist, settings.match.shortlist_from)
            if not registry.store_face_crops:
                registry.forget_faces()
        except BaseException:
            db.close()
            raise
        return registry

    @property
    def pack_id(self) -> str:
        return self.pack.id

    @_serialized
    def apply_match_settings(self, match_settings: MatchSettings) -> None:
        """New decision bands and duplicate threshold from changed ``[match]`` settings."""
        self.bands = Bands.from_settings(self.pack.thresholds, match_settings)
        self.duplicate_threshold = effective_thresholds(self.pack.thresholds, match_settings).duplicate
        if (match_settings.shortlist, match_settings.shortlist_from) != (self.matcher.shortlist, self.matcher.shortlist_from):
            self.matcher.use_shortlist(match_settings.shortlist, match_settings.shortlist_from)

    def apply_enroll_settings(self, enroll: EnrollProfile) -> int:
        """``enroll.store_face_crops`` changed on the settings screen: off deletes the stored
        crops at once (as a restart would), on keeps new ones. Returns the crops deleted."""
        self.store_face_crops = enroll.store_face_crops
        self.refresh_recent_look = enroll.refresh_recent_look
        return 0 if self.store_face_crops else self.forget_faces()

    @_serialized
    def reload(self) -> None:
        with self.db.guard():
            loaded = people_store.load_matrix(self.db, self.pack_id, self.pack.embedding_size)
        self.matcher.load_codes(loaded.owners, loaded.codes)
        self.tampered = loaded.tampered
        for problem in self.tampered:
            log.error("template left out: %s", problem.message)

    @_serialized
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- admins -------------------------------------------------------------------
    @_serialized
    def has_admin(self) -> bool:
        with self.db.guard():
            return admins.has_admin(self.db)

    @_serialized
    def set_admin_pin(self, name: str, pin: str) -> None:
        with self.db.transaction():
            admins.set_pin(self.db, name, pin)
            audit_store.record(self.db, "admin_set_pin", detail=name)

    @_serialized
    def setup_armed(self) -> bool:
        """Whether a one-time setup code waits for the first PIN (``kiosk admin set-pin --setup-code``)."""
        with self.db.guard():
            return admins.setup_armed(self.db)

    @_serialized
    def issue_setup_code(self) -> str:
        """A fresh one-time code for the first PIN on the screen; audited, never the code itself."""
        with self.db.transaction():
            code = admins.issue_setup_code(self.db)
            audit_store.record(self.db, "admin_setup_code", detail="issued")
        return code

    @_serialized
    def check_setup_code(self, code: str) -> None:
        """Returns when ``code`` is the armed one; raises ``AuthError`` (counted, audited) otherwise."""
        with self.db.transaction():
            try:
                admins.check_setup_code(self.db, code)
            except AuthError as exc:
                audit_store.record(self.db, "admin_setup_code", decision="reject", detail=exc.message)
                failure: AuthError | None = exc
            else:
                failure = None
        if failure is not None:
            raise failure

    @_serialized
    def set_first_admin_pin(self, name: str, code: str, pin: str) -> None:
        """The first PIN, from the screen: only with the armed code, only while there is no admin;
        the code is used up in the same transaction."""
        with self.db.transaction():
            if admins.has_admin(self.db):
                raise AuthError("an admin PIN is already set")
            admins.check_setup_code(self.db, code)
            admins.set_pin(self.db, name, pin)
            admins.drop_setup_code(self.db)
            audit_store.record(self.db, "admin_set_pin", detail=f"{name} (first start, setup code)")

    @_serialized
    def check_admin_pin(self, name: str, pin: str) -> None:
        """Returns on success; raises ``AuthError`` (with ``retry_after``) otherwise. Audited either way."""
        _check_admin_pin(self.db, name, pin)

    # --- people ---------------------------------------------------------------------
    def _vector(self, template: AggregatedTemplate | np.ndarray) -> np.ndarray:
        vector = normalize(template.vector if isinstance(template, AggregatedTemplate) else template)
        if vector.shape[0] != self.pack.embedding_size:
            raise KioskError(f"template has {vector.shape[0]} values; pack {self.pack_id} makes {self.pack.embedding_size}")
        return vector

    def _exact_below(self) -> float:
        return self.bands.shortlist_exact_below(SHORTLIST_SURE)

    def _matches(self, vector: np.ndarray, k: int, exclude: int | None = None, *, exact: bool = False) -> list[Match]:
        """The ``k`` best people; with a shortlist in use a best score below the clear-accept level
        (``Bands.shortlist_exact_below``: the accept threshold, or a lead no missed row could close)
        is checked against every row (``top_k(exact_below=)``): only a clear accept is decided on the
        shortlist alone, and a face the shortlist missed is found whenever nothing it kept is."""
        hits = self.matcher.top_k(self._vector(vector), k, exclude=exclude, exact=exact, exact_below=self._exact_below())
        with self.db.guard():
            refs = people_store.people_by_id(self.db, [pid for pid, _ in hits])
        # A person deleted by another process (the CLI beside the running kiosk) is skipped.
        return [Match(refs[pid], score) for pid, score in hits if pid in refs]

    @_serialized
    def find_duplicate(self, vector: np.ndarray, *, exclude: int | None = None) -> tuple[PersonRef, float] | None:
        best = self._matches(vector, 1, exclude, exact=True)  # every row, even with [match] shortlist set
        if best and best[0].score >= self.duplicate_threshold:
            return best[0].person, best[0].score
        return None

    def _refuse_duplicate(self, vector: np.ndarray, exclude: int | None = None) -> None:
        found = self.find_duplicate(vector, exclude=exclude)
        if found:
            person, score = found
            raise DuplicateError(
                f"this face is already enrolled as {person.name!r} (id {person.external_id}, similarity {score:.2f})",
                hint="re-enroll that person instead, or allow the duplicate explicitly (kiosk users add --allow-duplicate)",
                person=person,
                score=score,
            )

    @_serialized
    def enroll(
        self, name: str, external_id: str, template: AggregatedTemplate, *, allow_duplicate: bool = False, face: bytes | None = None, consent: Consent | None = None
    ) -> PersonRef:
        """``face``: the encoded crop to keep with the person (dropped when crops are off);
        ``consent``: what they agreed to (kiosk/flows/consent.py), stored with them."""
        vector = self._vector(template)
        if not allow_duplicate:
            self._refuse_duplicate(vector)
        with self.db.transaction():
            person = people_store.add_person(self.db, external_id.strip(), name.strip())
            pause_point("enroll:person-added")
            people_store.add_template(self.db, person.id, vector, pack_id=self.pack_id, quality=template.quality, frames_used=template.frames_used)
            if face is not None and self.store_face_crops:
                faces.put(self.db, person.id, face)
            if consent is not None:
                people_store.set_consent(self.db, person.id, consent)
            audit_store.record(self.db, "enroll", person_id=person.id, detail=f"frames={template.frames_used}")
            journal.note(self.db, "enroll", person.external_id)
        self.matcher.add(person.id, vector)
        return person

    @_serialized
    def re_enroll(
        self,
        person_id: int,
        template: AggregatedTemplate,
        *,
        allow_duplicate: bool = False,
        face: bytes | None = None,
        consent: Consent | None = None,
        look: str | None = None,
    ) -> None:
        """Replace every template of the person in one transaction (all of the old or all of the new).
        The old face crop goes too: it showed the old enrollment; ``face`` is the new one's.
        ``look``: replace only that look (its label kept), the other looks and the crop stay."""
        vector = self._vector(template)
        with self.db.guard():
            ref = people_store.get_person(self.db, person_id)  # NotFoundError before any change
            chosen = None if look is None else self._look(person_id, look)
        if not allow_duplicate:
            self._refuse_duplicate(vector, exclude=person_id)
        if chosen is not None:
            with self.db.transaction():
                people_store.delete_template(self.db, person_id, chosen.id)
                people_store.add_template(
                    self.db, person_id, vector, pack_id=self.pack_id, quality=template.quality, frames_used=template.frames_used, label=chosen.label
                )
                people_store.touch(self.db, person_id)
                audit_store.record(self.db, "re_enroll", person_id=person_id, detail=f"look={chosen.label or chosen.id[:8]} frames={template.frames_used}")
                journal.note(self.db, "re_enroll", ref.external_id)
            self._reload_person(person_id)
            return
        with self.db.transaction():
            people_store.delete_templates(self.db, person_id)
            pause_point("re_enroll:templates-deleted")
            people_store.add_template(self.db, person_id, vector, pack_id=self.pack_id, quality=template.quality, frames_used=template.frames_used)
            faces.delete(self.db, person_id)
            if face is not None and self.store_face_crops:
                faces.put(self.db, person_id, face)
            people_store.touch(self.db, person_id)
            if consent is not None:  # agreed again (else the earlier record stands)
                people_store.set_consent(self.db, person_id, consent)
            audit_store.record(self.db, "re_enroll", person_id=person_id, detail=f"frames={template.frames_used}")
            journal.note(self.db, "re_enroll", ref.external_id)
        self.matcher.remove_person(person_id)
        self.matcher.add(person_id, vector)

    # --- looks (issue 24): several templates per person, identification takes the best ------
    def _look(self, person_id: int, look_id: str) -> Look:
        for look in people_store.looks(self.db, person_id):
            if look.id == look_id or (len(look_id) >= 6 and look.id.startswith(look_id)):
                return look
        raise NotFoundError(f"no look {look_id!r} for this person", hint="`kiosk users looks ID` lists a person's looks")

    def _reload_person(self, person_id: int) -> None:
        """The person's matcher rows again from the database (rows carry person ids only, so
        one look cannot be picked out of the matrix: the person's rows are replaced)."""
        with self.db.guard():
            active = people_store.is_active(self.db, person_id)
            records = people_store.template_records(self.db, person_id) if active else []
        rows = [r.vector for r in records if r.pack_id == self.pack_id and len(r.vector) == self.pack.embedding_size]
        self.matcher.remove_person(person_id)
        if rows:
            self.matcher.add_many(np.full(len(rows), person_id), np.stack(rows))

    @_serialized
    def looks(self, person_id: int) -> list[Look]:
        with self.db.guard():
            people_store.get_person(self.db, person_id)
            return people_store.looks(self.db, person_id)

    @_serialized
    def add_look(self, person_id: int, template: AggregatedTemplate, *, label: str = "", max_looks: int = 3) -> Look:
        """Another enrolled look (glasses, beard...). It must match the person above the low
        threshold (else it is someone else's face, or a bad photo) and nobody else at the
        duplicate threshold; at most ``max_looks`` enrolled looks of the active pack."""
        vector = self._vector(template)
        with self.db.guard():
            ref = people_store.get_person(self.db, person_id)
            current = [look for look in people_store.looks(self.db, person_id) if look.kind == ENROLLED and look.pack_id == self.pack_id]
        if len(current) >= max_looks:
            raise KioskError(
                f"{ref.name} already has {len(current)} looks (the most is {max_looks}, enroll.max_looks)",
                hint="delete a look first, or re-enroll one of them",
            )
        own = self.matcher.score_person(person_id, vector)
        if own is None:
            raise KioskError(f"{ref.name} has no look for the active model pack {self.pack_id}", hint="re-enroll them first")
        if own < self.bands.low:
            raise KioskError(
                f"this does not look like {ref.name} (similarity {own:.2f}, at least {self.bands.low:.2f} needed)",
                hint="choose photos of this person; another person's face is enrolled as a new person",
            )
        found = self.find_duplicate(vector, exclude=person_id)
        if found:
            other, score = found
            raise DuplicateError(
                f"this looks like someone else: {other.name} (id {other.external_id}, similarity {score:.2f})",
                hint=f"choose photos of {ref.name} only",
                person=other,
                score=score,
            )
        with self.db.transaction():
            look_id = people_store.add_template(
                self.db, person_id, vector, pack_id=self.pack_id, quality=template.quality, frames_used=template.frames_used, label=label
            )
            people_store.touch(self.db, person_id)
            audit_store.record(self.db, "look_added", person_id=person_id, score=own, detail=f"label={label.strip()!r} frames={template.frames_used}")
            journal.note(self.db, "look_added", ref.external_id)
            added = self._look(person_id, look_id)
        self.matcher.add(person_id, vector)
        return added

    @_serialized
    def delete_look(self, person_id: int, look_id: str) -> Look:
        """One look goes; the last enrolled look never does, nor the last one of the active pack
        (after a migration the old pack's looks stay, but cannot recognize anyone): delete the person instead."""
        with self.db.transaction():
            ref = people_store.get_person(self.db, person_id)
            look = self._look(person_id, look_id)
            enrolled = [x for x in people_store.looks(self.db, person_id) if x.kind == ENROLLED]
            active = [x for x in enrolled if x.pack_id == self.pack_id]
            if look.kind == ENROLLED and (len(enrolled) <= 1 or (look.pack_id == self.pack_id and len(active) <= 1)):
                raise KioskError(f"this is {ref.name}'s last look", hint="delete the person instead (kiosk users delete ID)")
            people_store.delete_template(self.db, person_id, look.id)
            people_store.touch(self.db, person_id)
            audit_store.record(self.db, "look_deleted", person_id=person_id, detail=f"label={look.label!r} kind={look.kind}")
            journal.note(self.db, "look_deleted", ref.external_id)
        self._reload_person(person_id)
        return look

    @_serialized
    def refresh_look(self, person_id: int, template: AggregatedTemplate | np.ndarray) -> float | None:
        """Replace the person's one "recent" look with this sign-in's template, only while it
        matches their *enrolled* looks (never the recent one: no drift step by step) at the high
        threshold. Audited either way; returns the score against the enrolled looks when refreshed."""
        vector = self._vector(template)
        with self.db.guard():
            ref = people_store.get_person(self.db, person_id)
            enrolled = [r.vector for r in people_store.template_records(self.db, person_id) if r.kind == ENROLLED and r.pack_id == self.pack_id]
        score = max((float(normalize(v) @ vector) for v in enrolled), default=-1.0)
        refused = score < self.bands.high
        with self.db.transaction():
            if not refused:
                people_store.delete_recent(self.db, person_id)
                people_store.add_template(
                    self.db, person_id, vector, pack_id=self.pack_id, quality=float(getattr(template, "quality", 1.0)),
                    frames_used=int(getattr(template, "frames_used", 1)), kind=RECENT, label="recent",
                )
                journal.note(self.db, "look_refreshed", ref.external_id)
            audit_store.record(
                self.db, "look_refreshed", person_id=person_id, score=score, decision="reject" if refused else "accept",
                detail=f"against enrolled looks, high {self.bands.high:.2f}",
            )
        if refused:
            return None
        self._reload_person(person_id)
        return score

    @_serialized
    def revert_looks(self, person_id: int) -> int:
        """Back to the enrolled looks: the recent look goes (audited); returns how many went."""
        with self.db.transaction():
            ref = people_store.get_person(self.db, person_id)
            gone = people_store.delete_recent(self.db, person_id)
            audit_store.record(self.db, "looks_reverted", person_id=person_id, detail=f"{gone} recent look(s) dropped")
            if gone:
                journal.note(self.db, "looks_reverted", ref.external_id)
        self._reload_person(person_id)
        return gone

    @_serialized
    def delete(self, person_id: int) -> str:
        """Delete the person; their audit rows and stored events are pseudonymised in the same
        transaction (kiosk/store/privacy.py). Returns the pseudonym."""
        with self.db.transaction():
            ref = people_store.get_person(self.db, person_id)
            pseudonym = privacy.new_pseudonym()
            rows = privacy.pseudonymise_audit(self.db, person_id, pseudonym)
            sent = privacy.pseudonymise_events(self.db, ref.external_id, pseudonym)
            # Its event (the deletion notice) names the person: receivers delete their copy.
            audit_store.record(self.db, "delete", person_id=person_id, detail=f"pseudonymised {rows} audit rows, {sent} events")
            privacy.pseudonymise_audit(self.db, person_id, pseudonym)  # the delete row itself
            people_store.delete_templates(self.db, person_id)
            pause_point("delete:templates-deleted")
            people_store.delete_person(self.db, person_id)
            journal.note(self.db, "delete", ref.external_id)
        self.matcher.remove_person(person_id)
        return pseudonym

    @_serialized
    def face(self, person_id: int) -> bytes | None:
        """The person's stored face crop (encoded image), or None."""
        with self.db.guard():
            return faces.get(self.db, person_id)

    @_serialized
    def forget_faces(self) -> int:
        """Delete every stored face crop (``enroll.store_face_crops`` is off: a privacy-minded
        operator expects no face pictures kept, not only no new ones). Audited when any went."""
        with self.db.transaction():
            count = faces.delete_all(self.db)
            if count:
                audit_store.record(self.db, "faces_deleted", detail=f"{count} face pictures")
        return count

    @_serialized
    def people(self, search: str | None = None) -> list[PersonSummary]:
        with self.db.guard():
            return people_store.summaries(self.db, self.pack_id, search)

    @_serialized
    def person(self, external_id: str) -> PersonRef:
        """Look a person up by the id people use (employee number...)."""
        with self.db.guard():
            ref = people_store.find_by_external_id(self.db, external_id)
        if ref is None:
            raise NotFoundError(f"no person with id {external_id!r}", hint="`kiosk users list` shows who is enrolled")
        return ref

    @_serialized
    def needs_reenrollment(self) -> list[PersonSummary]:
        """People without a template of the active pack: they cannot be recognized until re-enrolled."""
        return [p for p in self.people() if p.needs_reenroll]

    # --- matching -------------------------------------------------------------------
    @_serialized
    def anyone_enrolled(self) -> bool:
        """Whether a sign-in could accept anyone: someone has a template of the active pack."""
        return len(self.matcher) > 0

    @_serialized
    def best_score(self, vector: np.ndarray) -> float | None:
        """The best enrolled score for ``vector`` (None: nobody enrolled), with no audit row: the
        settings screen's live score. Under the lock: fleet sync changes the matrix on its thread."""
        hits = self.matcher.top_k(self._vector(vector), 1, exact_below=self._exact_below())  # as identify scores it
        return float(hits[0].score) if hits else None

    @_serialized
    def identify(self, vector: np.ndarray, k: int = 5, *, diagnostic: bool = False) -> Decision:
        """A sign-in decision, audited as ``identify`` (and sent as a ``signin.*`` event).
        ``diagnostic``: the same decision for ``kiosk identify`` at the shell, audited as
        ``identify_check``: not a sign-in, so no event, and the audit log's sign-ins stay true."""
        decision = self.bands.decide(self._matches(vector, max(k, 2)))
        decision = Decision(decision.outcome, decision.person, decision.score, decision.runner_up, decision.margin, decision.candidates[:k])
        person_id = None if decision.person is None else decision.person.id
        if diagnostic:
            self.audit(IDENTIFY_CHECK, person_id=person_id, score=decision.score, decision=decision.outcome, margin=decision.margin, detail="kiosk identify: a check, not a sign-in")
        else:
            self.audit("identify", person_id=person_id, score=decision.score, decision=decision.outcome, margin=decision.margin)
        return decision

    @_serialized
    def verify(self, person_id: int, vector: np.ndarray) -> Decision:
        """1:1 against the claimed person's templates, on the 1:1 band (``Bands.one_to_one``:
        its own threshold, no margin, as there is no runner-up). ``kiosk verify``'s diagnostic;
        a visitor's card + face sign-in is ``verify_claim``."""
        with self.db.guard():
            person = people_store.get_person(self.db, person_id)
        score = self.matcher.score_person(person_id, self._vector(vector))
        if score is None:
            decision = Decision(Outcome.REJECT, person, -1.0, None, None)
            detail = "no template for the active model pack: re-enroll"
        else:
            decision = self.bands.one_to_one().decide([Match(person, score)], use_margin=False)
            detail = None
        self.audit("verify", person_id=person_id, score=decision.score, decision=decision.outcome, detail=detail)
        return decision

    # --- card + face (kiosk/flows/verify.py) -------------------------------------------
    @_serialized
    def find_person(self, external_id: str) -> PersonRef | None:
        """The person a badge or the keypad claims, or None (a claim is never an error)."""
        with self.db.guard():
            return people_store.find_by_external_id(self.db, external_id.strip())

    @_serialized
    def lock_remaining(self, person_id: int, now: float) -> int:
        with self.db.guard():
            return attempts.remaining(self.db, person_id, now)

    def _count_failure(self, person_id: int, method: attempts.Method, now: float) -> int:
        """Inside the caller's transaction: one more failure, and the lockout it starts audited."""
        failures, wait = attempts.fail(self.db, person_id, method, now)
        if wait:
            detail = f"{failures} failed {method.value} attempts in a row: locked {math.ceil(wait)} s"
            audit_store.record(self.db, SIGNIN_LOCKED, person_id=person_id, decision="locked", detail=detail)
        return math.ceil(wait)

    @_serialized
    def verify_claim(self, person_id: int, vector: np.ndarray, now: float) -> tuple[Decision, int]:
        """A visitor's face 1:1 against the person they claim to be, on the 1:1 band.
        One transaction: the ``signin_verify`` audit row, the attempt count (a success clears
        it) and, when this failure starts a lockout, its ``signin_locked`` row. Returns the
        decision and the seconds now locked (0: not locked)."""
        with self.db.guard():
            person = people_store.get_person(self.db, person_id)
        score = self.matcher.score_person(person_id, self._vector(vector))
        if score is None:
            decision, detail = Decision(Outcome.REJECT, person, -1.0, None, None), "no template for the active model pack: re-enroll"
        else:
            decision, detail = self.bands.one_to_one().decide([Match(person, score)], use_margin=False), None
        wait = 0
        with self.db.transaction():
            audit_store.record(self.db, SIGNIN_VERIFY, person_id=person_id, score=decision.score, decision=decision.outcome, detail=detail)
            if decision.accepted:
                attempts.clear(self.db, person_id)
            else:
                wait = self._count_failure(person_id, attempts.Method.FACE, now)
        return decision, wait

    @_serialized
    def refuse_claim(self, person_id: int | None, decision: str, detail: str, now: float) -> int:
        """A claimed sign-in refused before any match (a presentation attack, an unknown id, a
        lockout still running): audited as ``signin_verify``; a known person's presentation
        attack counts as a failed face attempt. Returns the seconds now locked."""
        with self.db.transaction():
            audit_store.record(self.db, SIGNIN_VERIFY, person_id=person_id, decision=decision, detail=detail)
            if person_id is not None and decision == "spoof":
                return self._count_failure(person_id, attempts.Method.FACE, now)
        return 0

    @_serialized
    def check_person_pin(self, person_id: int | None, pin: str, now: float) -> int | None:
        """The fallback PIN: None when right (both counters cleared), else the seconds now
        locked (0: wrong, not yet locked). Audited as ``signin_fallback`` either way; a
        locked person's PIN is not even compared. ``person_id`` None (an id nobody holds)
        is answered, and takes as long, as a wrong PIN."""
        with self.db.transaction():
            wait = 0 if person_id is None else attempts.remaining(self.db, person_id, now)
            if wait:
                audit_store.record(self.db, SIGNIN_FALLBACK, person_id=person_id, decision="reject", detail=f"locked {wait} s more")
                return wait
            if person_pins.matches(self.db, person_id, pin) and person_id is not None:
                audit_store.record(self.db, SIGNIN_FALLBACK, person_id=person_id, decision="accept")
                attempts.clear(self.db, person_id)
                return None
            detail = "wrong PIN" if person_id is not None else "unknown id"
            audit_store.record(self.db, SIGNIN_FALLBACK, person_id=person_id, decision="reject", detail=detail)
            return 0 if person_id is None else self._count_failure(person_id, attempts.Method.PIN, now)

    @_serialized
    def set_person_pin(self, person_id: int, pin: str | None) -> None:
        """Set (or, with None, remove) a person's fallback PIN; audited without the PIN."""
        with self.db.transaction():
            people_store.get_person(self.db, person_id)  # NotFoundError before any change
            if pin is None:
                person_pins.remove(self.db, person_id)
            else:
                person_pins.set_pin(self.db, person_id, pin)
            audit_store.record(self.db, "person_pin", person_id=person_id, detail="removed" if pin is None else "set")

    @_serialized
    def has_person_pin(self, person_id: int) -> bool:
        with self.db.guard():
            return person_pins.has_pin(self.db, person_id)

    @_serialized
    def signin_lockouts(self) -> list[attempts.Lockout]:
        """Failed sign-ins on record per person and method, for the admin."""
        with self.db.guard():
            return attempts.standing(self.db)

    @_serialized
    def clear_signin_lock(self, person_id: int) -> bool:
        """The admin lets a locked person try again at once; audited. False: nothing was counted."""
        with self.db.transaction():
            cleared = attempts.clear(self.db, person_id) > 0
            if cleared:
                audit_store.record(self.db, "signin_unlock", person_id=person_id, detail="cleared by the admin")
        return cleared

    # --- audit ----------------------------------------------------------------------
    @_serialized
    def audit(
        self, event: str, *, person_id: int | None = None, score: float | None = None, decision: str | None = None, detail: str | None = None, margin: float | None = None
    ) -> None:
        """One audit row, and its outbox event when ``event`` is a decision (see ``kiosk.events.types``)."""
        with self.db.transaction():
            audit_store.record(self.db, event, person_id=person_id, score=score, decision=decision, detail=detail, margin=margin)

    def record_event(self, kind: str, *, decision: str | None = None, detail: str | None = None) -> None:
        """For code outside the registry that observes something worth an event: the camera
        (``camera_lost``, ``camera_back``), the model loader (``model_cpu_fallback``) and a
        capture refused as a spoof (``identify`` with decision ``spoof``).
        Audited and queued in one transaction; a failing write is logged, never raised,
        so a camera or model problem never becomes a crash on top."""
        try:
            self.audit(kind, decision=decision, detail=detail)
        except KioskError as exc:
            log.error("audit %s failed: %s", kind, exc)

    def record_heartbeat(self, status: dict[str, str | int | float | None]) -> None:
        """A ``kiosk.heartbeat`` event in the outbox, without an audit row (``kiosk/flows/heartbeat.py``);
        like ``record_event``, a failing write is logged, never raised."""
        try:
            with self._lock, self.db.transaction():
                outbox.add(self.db.conn, build_event(HEARTBEAT, self.event_source, status=status))
        except KioskError as exc:
            log.error("heartbeat event not recorded: %s", exc)

    # --- trends (kiosk/store/stats.py) ---------------------------------------------------
    def record_signin(self, outcome: str, *, decision_ms: int | None, frames_analyzed: int, rejected: dict[str, int]) -> None:
        """One sign-in attempt's figures for the dashboard; like ``record_event``, a failing
        write is logged, never raised: a visitor's result never waits on the statistics."""
        try:
            with self._lock, self.db.transaction():
                stats_store.record_signin(self.db, outcome, decision_ms=decision_ms, frames_analyzed=frames_analyzed, rejected=rejected)
        except KioskError as exc:
            log.error("sign-in figures not recorded: %s", exc)

    def note_camera(self, live: bool | None = None) -> None:
        """The camera is live / down from now (a change opens a new span), or, with ``None``,
        still as it was (the window's heartbeat and its shutdown extend the open span)."""
        try:
            with self._lock, self.db.transaction():
                span, now = self._camera_span, utc_now()
                if span is not None:
                    stats_store.extend_camera_span(self.db, span[0], time=now)
                if live is not None and (span is None or span[1] != live):
                    self._camera_span = (stats_store.open_camera_span(self.db, live, time=now), live)
        except KioskError as exc:
            log.error("camera span not recorded: %s", exc)

    @_serialized
    def trend_rows(self, since: str) -> tuple[list[stats_store.SignInRow], list[stats_store.CameraSpan]]:
        """Sign-in figures and camera spans from ``since`` (UTC ISO) on, for ``flows.report``."""
        with self.db.guard():
            return stats_store.signins_since(self.db, since), stats_store.camera_spans_since(self.db, since)

    # --- attendance (kiosk/store/punches.py; the rules: kiosk/flows/attendance.py) -----------
    @_serialized
    def last_punch(self, person_id: int) -> punch_store.Punch | None:
        with self.db.guard():
            return punch_store.last(self.db, person_id)

    @_serialized
    def record_punch(self, person_id: int, direction: str, time: str) -> punch_store.Punch:
        """The punch, its audit row and its ``attendance.punch`` event in one transaction."""
        with self.db.transaction():
            punch = punch_store.add(self.db, person_id, direction, time)
            audit_store.record(self.db, "punch", person_id=person_id, decision=direction, detail=direction)
        return punch

    @_serialized
    def switch_punch(self, punch_id: int, direction: str) -> punch_store.Punch:
        """Correct a punch's direction (the result screen's switch), audited with its event."""
        with self.db.transaction():
            punch = punch_store.get(self.db, punch_id)
            if punch is None:
                raise NotFoundError(f"no punch {punch_id}", hint="it was deleted with its person")
            punch_store.set_direction(self.db, punch_id, direction)
            audit_store.record(self.db, "punch_switch", person_id=punch.person_id, decision=direction, detail=direction)
        return punch_store.Punch(punch.id, punch.person_id, punch.time, direction)

    @_serialized
    def punches_between(self, start: str, end: str) -> list[punch_store.PersonPunch]:
        """Every punch with ``start <= time < end`` (UTC ISO), for the timesheet export."""
        with self.db.guard():
            return punch_store.between(self.db, start, end)

    @_serialized
    def audit_log(self, since: str | None = None, event: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        with self.db.guard():
            return audit_store.entries(self.db, since=since, event=event, limit=limit)

    # --- backup, maintenance ----------------------------------------------------------
    @_serialized
    def purge(self, cutoffs: retention.Cutoffs, *, sinks: list[str], dry_run: bool = False) -> retention.PurgeCounts:
        """Rows past their retention (kiosk/flows/retention.py) deleted in one transaction and
        audited with the counts (after the audit rows went, so the purge's own row stays)."""
        with self.db.transaction():
            counts = retention.purge(self.db, cutoffs, sinks=sinks, dry_run=dry_run)
            if counts.total and not dry_run:
                audit_store.record(self.db, "retention_purge", detail=counts.detail())
        return counts

    @_serialized
    def export_backup(self, path: Path, passphrase: str) -> int:
        with self.db.guard():
            bundle = [
                backup.BackupPerson(
                    p.external_id, p.name, p.status, p.created, people_store.template_records(self.db, p.id), faces.get(self.db, p.id),
                    [(k.time, k.direction) for k in punch_store.of_person(self.db, p.id)],
                )
                for p in people_store.everyone(self.db)
            ]
        backup.write_bundle(Path(path), passphrase, bundle)
        self.audit("export", detail=f"{len(bundle)} people")
        return len(bundle)

    @_serialized
    def import_backup(self, path: Path, passphrase: str) -> int:
        """All people of the bundle in one transaction; a person whose id exists is replaced.
        Punches are merged: the kiosk's own (recorded since the backup) and the bundle's."""
        bundle = backup.read_bundle(Path(path), passphrase)
        with self.db.transaction():
            for i, entry in enumerate(bundle):
                existing = people_store.find_by_external_id(self.db, entry.external_id)
                kept: set[tuple[str, str]] = set()
                if existing is not None:
                    kept = {(k.time, k.direction) for k in punch_store.of_person(self.db, existing.id)}
                    people_store.delete_person(self.db, existing.id)
                ref = people_store.add_person(self.db, entry.external_id, entry.name, status=entry.status, created=entry.created)
                for t in entry.templates:
                    people_store.add_template(self.db, ref.id, t.vector, pack_id=t.pack_id, quality=t.quality, frames_used=t.frames_used, created=t.created, label=t.label, kind=t.kind)
                if entry.face is not None and self.store_face_crops:
                    faces.put(self.db, ref.id, entry.face)
                times = {time for time, _ in kept}  # for the same time the kiosk's own wins: it may have been switched since
                for time, direction in sorted(kept | {k for k in entry.punches if k[0] not in times}):
                    punch_store.add(self.db, ref.id, direction, time)
                journal.note(self.db, "import", entry.external_id)
                if i == len(bundle) // 2:
                    pause_point("import:half")
            audit_store.record(self.db, "import", detail=f"{len(bundle)} people")
        self.reload()
        return len(bundle)

    # --- a model change without re-enrolling (issue 24; rules in kiosk/flows/migrate.py) ----
    @_serialized
    def migration_sources(self, pack_id: str) -> tuple[list[tuple[PersonRef, bytes | None]], int]:
        """Everyone without an enrolled template of ``pack_id`` with their stored face crop
        (None: none kept), and how many already have one (a migration run again resumes)."""
        with self.db.guard():
            pending = people_store.without_pack(self.db, pack_id)
            total = len(people_store.everyone(self.db))
            return [(ref, faces.get(self.db, ref.id)) for ref in pending], total - len(pending)

    @_serialized
    def store_migrated(self, pack_id: str, rows: list[tuple[int, np.ndarray, float]]) -> None:
        """One batch of templates re-embedded with another pack, in one transaction, audited.
        The matrix is untouched: it holds the active pack's rows, and these count once
        ``pack_id`` is the active pack (the old templates stay until then, and after)."""
        with self.db.transaction():
            for person_id, vector, quality in rows:
                ref = people_store.get_person(self.db, person_id)
                people_store.add_template(self.db, person_id, vector, pack_id=pack_id, quality=quality, frames_used=1, label="migrated")
                journal.note(self.db, "migrate", ref.external_id)
            audit_store.record(self.db, "migrate", detail=f"{len(rows)} people re-embedded from their face pictures for {pack_id}")

    @_serialized
    def refs(self, person_ids: list[int]) -> list[PersonRef]:
        """Names for a handful of database ids (a report's people)."""
        with self.db.guard():
            return list(people_store.people_by_id(self.db, person_ids).values())

    @_serialized
    def pack_templates(self, pack_id: str, embedding_size: int) -> people_store.LoadedTemplates:
        """Every active person's templates of ``pack_id`` (the migration's duplicate check)."""
        with self.db.guard():
            return people_store.load_matrix(self.db, pack_id, embedding_size)

    # --- fleet sync -------------------------------------------------------------------
    @contextlib.contextmanager
    def session(self) -> Iterator[Database]:
        """The database under this registry's lock, for fleet sync's own tables (journal,
        known records): held for local reads and writes only, never across the network."""
        with self._lock, self.db.guard():
            yield self.db

    @_serialized
    def apply_remote(
        self, people: list[backup.BackupPerson], deleted: list[str], bookkeeping: Callable[[Database], None] | None = None, *, event: str = "fleet_pull"
    ) -> None:
        """Changes made at another kiosk (fleet sync), keyed by external id: database first,
        in one transaction together with the caller's ``bookkeeping``, then the matrix.
        Nothing is noted in the fleet journal, so a pulled change is never pushed back.
        Templates of another pack are stored (the person shows as needing re-enrollment)
        but never enter the matrix. Face crops do not travel (docs/fleet.md): a local crop
        stays while the person's templates are the same enrollment, and goes when another
        kiosk re-enrolled them (it would show the old face)."""
        removed: list[int] = []
        fresh: list[tuple[int, np.ndarray]] = []
        with self.db.transaction():
            for external_id in deleted:
                ref = people_store.find_by_external_id(self.db, external_id)
                if ref is not None:
                    pseudonym = privacy.new_pseudonym()  # deleted elsewhere: the same privacy here
                    privacy.pseudonymise_audit(self.db, ref.id, pseudonym)
                    privacy.pseudonymise_events(self.db, ref.external_id, pseudonym)
                    people_store.delete_person(self.db, ref.id)
                    removed.append(ref.id)
            here = people_store.existing_ids(self.db, [entry.external_id for entry in people])
            for entry in people:
                person_id = here.get(entry.external_id)
                if person_id is None:
                    continue
                if people_store.template_stamps(self.db, person_id) != people_store.first_look({(t.pack_id, t.created, t.kind) for t in entry.templates}):
                    faces.delete(self.db, person_id)
                people_store.update_person(self.db, person_id, entry.name, entry.status)
                people_store.delete_templates(self.db, person_id)
                removed.append(person_id)
                for t in entry.templates:
                    people_store.add_template(self.db, person_id, t.vector, pack_id=t.pack_id, quality=t.quality, frames_used=t.frames_used, created=t.created, label=t.label, kind=t.kind)
                fresh += self._matchable(person_id, entry)
            # People not here yet (all of them on a new kiosk's first pull) go in as one batch.
            new_owners, new_codes = self._add_new_people(list({e.external_id: e for e in people if e.external_id not in here}.values()))
            if people or deleted:
                audit_store.record(self.db, event, detail=f"{len(people)} changed, {len(deleted)} deleted")
            if bookkeeping is not None:
                bookkeeping(self.db)
        for person_id in removed:
            self.matcher.remove_person(person_id)
        if fresh:
            self.matcher.add_many(np.array([pid for pid, _ in fresh]), np.stack([v for _, v in fresh]))
        if len(new_owners):
            self.matcher.add_codes(new_owners, new_codes)
        if people or deleted:
            for listener in list(self._remote_listeners):
                listener()

    def _matchable(self, person_id: int, entry: backup.BackupPerson) -> list[tuple[int, np.ndarray]]:
        """The person's rows for this kiosk's matrix: active, this pack, this size."""
        if entry.status != "active":
            return []
        size, pack_id = self.pack.embedding_size, self.pack_id
        return [(person_id, t.vector) for t in entry.templates if t.pack_id == pack_id and len(t.vector) == size]

    def _add_new_people(self, people: list[backup.BackupPerson]) -> tuple[np.ndarray, np.ndarray]:
        """Insert people absent here in bulk (inside the caller's transaction): one ``executemany``
        per table and one vectorized encode per embedding size, instead of a lookup, two inserts
        and a per-row encode each. Returns their rows for the matrix as ``(owners, int8 codes)``,
        the bytes just sealed. 100k people on a new kiosk: docs/benchmarks.md (fleet)."""
        size, pack_id = self.pack.embedding_size, self.pack_id
        owners, codes = np.zeros(0, dtype=np.int64), np.zeros((0, size), dtype=np.int8)
        if not people:
            return owners, codes
        ids = people_store.add_people(self.db, [(e.external_id, e.name, e.status, e.created) for e in people])
        owned = [(pid, e.status == "active", t) for pid, e in zip(ids, people) for t in e.templates]
        rows: list[tuple[int, people_store.TemplateRecord, bytes]] = []
        for dim in {len(t.vector) for _, _, t in owned}:
            group = [(pid, active, t) for pid, active, t in owned if len(t.vector) == dim]
            encoded = encode_rows(np.stack([t.vector for _, _, t in group]))
            rows += [(pid, t, code.tobytes()) for (pid, _, t), code in zip(group, encoded)]
            if dim == size:
                keep = [i for i, (_, active, t) in enumerate(group) if active and t.pack_id == pack_id]
                owners, codes = np.array([group[i][0] for i in keep], dtype=np.int64), encoded[keep]
        people_store.add_templates(self.db, rows)
        return owners, codes

    @_serialized
    def check(self) -> CheckReport:
        with self.db.guard():
            return check(self.db)

    @_serialized
    def rekey(self) -> None:
        """Re-encrypt under a fresh key (crash-safe), then reopen."""
        path, store = self.db.path, self.db.key_store
        try:
            rekey(self.db)
        finally:
            if self.db.closed:  # done, or refused after closing: reopen either way
                self.db = Database.open(path, store)
                self.db.event_source = self.event_source
        self.audit("rekey")
