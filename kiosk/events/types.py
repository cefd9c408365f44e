"""The event document: its types, how an audit row maps to one, and its JSON bytes.

An event carries who (``person``: external id and name), what (``type``), the score and
margin where a decision had them, the model pack and the kiosk. Never an embedding,
an image or a PIN: the builder only accepts those scalar fields.
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NotRequired, TypedDict

from kiosk.clock import utc_now

SIGNIN = {"accept": "signin.accepted", "retry": "signin.retry", "reject": "signin.rejected", "spoof": "signin.spoof"}
VERIFY = {"accept": "verify.accepted", "retry": "verify.retry", "reject": "verify.rejected"}
ADMIN_LOGIN = {"accept": "admin.pin_accepted", "reject": "admin.pin_rejected"}
# Audit kinds whose event type does not depend on the decision.
FIXED = {
    "enroll": "person.enrolled",
    "re_enroll": "person.re_enrolled",
    "delete": "person.deleted",
    "camera_lost": "camera.lost",
    "camera_back": "camera.back",
    "model_cpu_fallback": "model.cpu_fallback",
    "events_dropped": "events.dropped",
    "kiosk_restarted": "kiosk.restarted",  # kiosk/flows/supervisor.py: after a crash or a hang
    "punch": "attendance.punch",  # detail: "in" or "out"
    "punch_switch": "attendance.punch_switched",  # detail: the direction it became
}
ADMIN_LOCKED_OUT = "admin.pin_locked_out"
# Queued without an audit row (kiosk/flows/heartbeat.py): "still here", every events.heartbeat_min.
HEARTBEAT = "kiosk.heartbeat"
# Card + face (kiosk/flows/verify.py). A visitor's face checked 1:1 against the id they gave
# is a sign-in like an identification (signin.*); an accepted fallback PIN is its own type,
# so a receiver that opens a door on a face is never handed a PIN sign-in unawares; a
# wrong PIN is a rejected sign-in. Every sign-in event says how in ``method``.
SIGNIN_VERIFY, SIGNIN_FALLBACK, SIGNIN_LOCKED = "signin_verify", "signin_fallback", "signin_locked"
FALLBACK = {"accept": "signin.fallback", "reject": SIGNIN["reject"]}
LOCKED_OUT = "signin.locked_out"
METHOD = {"identify": "identify", SIGNIN_VERIFY: "verify", SIGNIN_FALLBACK: "fallback", SIGNIN_LOCKED: "verify"}
# A sign-in that did not accept names nobody: the nearest enrolled person is not who
# stood there, and a door controller must not be told a name it could act on.
ANONYMOUS = frozenset({SIGNIN["retry"], SIGNIN["reject"], SIGNIN["spoof"]})
TEST = "test"

EVENT_TYPES: tuple[str, ...] = tuple(
    dict.fromkeys([*SIGNIN.values(), *FALLBACK.values(), LOCKED_OUT, *VERIFY.values(), *ADMIN_LOGIN.values(), ADMIN_LOCKED_OUT, *FIXED.values(), HEARTBEAT, TEST])
)


def event_type(audit_kind: str, decision: str | None) -> str | None:
    """The event an audit row produces, or None for rows that are not decisions (exports, settings...)."""
    if audit_kind in ("identify", SIGNIN_VERIFY):
        return SIGNIN.get(decision or "")
    if audit_kind == SIGNIN_FALLBACK:
        return FALLBACK.get(decision or "")
    if audit_kind == SIGNIN_LOCKED:
        return LOCKED_OUT
    if audit_kind == "verify":
        return VERIFY.get(decision or "")
    if audit_kind == "admin_login":
        return ADMIN_LOGIN.get(decision or "")
    return FIXED.get(audit_kind)


@dataclass(frozen=True)
class EventSource:
    """Stamped on every event a database connection writes: this kiosk's name and the active pack."""

    kiosk: str
    pack: str | None = None


def kiosk_name(configured: str) -> str:
    return configured.strip() or socket.gethostname()


class EventPerson(TypedDict):
    id: str  # the external id
    name: str


class Event(TypedDict):
    """The JSON document of one event, as stored in the outbox and sent to every sink."""

    id: str
    time: str
    kiosk: str
    type: str
    pack: NotRequired[str | None]  # always set by build(), after the person and scores (the key order is the signed bytes')
    person: NotRequired[EventPerson]
    score: NotRequired[float]
    margin: NotRequired[float]
    method: NotRequired[str]
    detail: NotRequired[str]
    status: NotRequired[dict[str, str | int | float | None]]


def utc_time() -> str:
    """Milliseconds and ``Z``: what receivers' ISO 8601 parsers take most widely."""
    return utc_now("milliseconds").replace("+00:00", "Z")


def build(
    type_: str,
    source: EventSource,
    *,
    person: tuple[str, str] | None = None,
    score: float | None = None,
    margin: float | None = None,
    detail: str | None = None,
    method: str | None = None,
    status: Mapping[str, str | int | float | None] | None = None,
) -> Event:
    """A new event with a fresh UUID. ``person`` is (external id, name); ``method`` how a
    sign-in was made (identify, verify, fallback: ``METHOD``); ``status`` a flat object of
    scalars (the ``kiosk.heartbeat``: uptime, camera, backlog, provider)."""
    if type_ not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type_!r}")
    if status is not None and any(not isinstance(v, str | int | float | None) or isinstance(v, bool) for v in status.values()):
        raise ValueError("an event's status holds only strings, numbers and nulls")
    event: Event = {"id": str(uuid.uuid4()), "time": utc_time(), "kiosk": source.kiosk, "type": type_}
    if person is not None:
        event["person"] = {"id": person[0], "name": person[1]}
    if score is not None:
        event["score"] = round(float(score), 4)
    if margin is not None:
        event["margin"] = round(float(margin), 4)
    if method is not None:
        event["method"] = method
    event["pack"] = source.pack
    if detail:
        event["detail"] = detail
    if status is not None:
        event["status"] = dict(status)
    return event


def encode(event: Event) -> bytes:
    """The exact bytes sent (and signed): compact UTF-8 JSON, Korean names kept readable."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
