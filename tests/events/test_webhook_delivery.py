"""Decisions audited by the registry reach a real HTTP receiver on 127.0.0.1 through the outbox.

The receiver refuses the first three requests with HTTP 500: the sender backs off and
retries, and in the end every event arrives exactly as the outbox holds it, in order,
signed, with unique ids, and with no vector anywhere in a body.
"""

from __future__ import annotations

import json
import random

import pytest

from kiosk.errors import AuthError, DuplicateError
from kiosk.events import outbox
from kiosk.events.backoff import delay
from kiosk.events.sender import Outbox, Policy, Sender, Step
from kiosk.events.webhook import WebhookSink
from kiosk.store.db import Database
from tests.events.conftest import SECRET, bodies, has_vector, outbox_ids, verify_signature
from tests.events.receiver import Receiver
from tests.store.conftest import random_vectors, template

FAST = Policy(retry_base_s=0.05)


def sign_ins(registry) -> list[str]:
    """Enroll two people, then sign-ins that accept, reject, verify, fail and pass the PIN; the event types expected."""
    dim = registry.pack.embedding_size
    vectors = random_vectors(3, dim, seed=5)
    ada = registry.enroll("Ada", "E1", template(vectors[0]))
    registry.enroll("김민준", "E2", template(vectors[1]))
    registry.identify(vectors[0])
    registry.identify(vectors[2])  # a stranger
    registry.verify(ada.id, vectors[0])
    registry.set_admin_pin("admin", "135790")
    with pytest.raises(AuthError):
        registry.check_admin_pin("admin", "000000")
    registry.check_admin_pin("admin", "135790")
    registry.delete(ada.id)
    registry.record_event("camera_lost", detail="camera 0 stopped delivering frames")
    return [
        "person.enrolled", "person.enrolled", "signin.accepted", "signin.rejected", "verify.accepted",
        "admin.pin_rejected", "admin.pin_accepted", "person.deleted", "camera.lost",
    ]


def test_every_event_arrives_signed_in_order_after_refusals(registry, registry_settings):
    expected_types = sign_ins(registry)
    with Receiver(fail_first=3) as rx:
        box = Outbox(Database.open(registry.db.path), [WebhookSink(rx.url, SECRET, timeout_s=5)], FAST)
        sender = Sender(box, poll_s=0.02)
        sender.start()
        try:
            status = sender.drain(timeout=60)
        finally:
            assert sender.stop()
            box.close()
    assert status.backlog == 0
    assert [r["status"] for r in rx.requests[:3]] == [500, 500, 500]
    accepted = rx.accepted()
    docs = bodies(accepted)
    assert [d["type"] for d in docs] == expected_types
    assert [d["id"] for d in docs] == outbox_ids(registry)  # every event, once, in order
    assert len({d["id"] for d in docs}) == len(docs)
    for r, d in zip(accepted, docs):
        assert verify_signature(r)
        assert r["headers"]["X-Kiosk-Event-Id"] == d["id"]
        assert not has_vector(d)
        assert d["kiosk"] == "lobby-1" and d["pack"] == registry.pack_id
        assert d["time"].endswith("Z")
        assert "135790" not in r["body"].decode() and "000000" not in r["body"].decode()
    # Ada was deleted before these were sent: her queued events went out pseudonymised
    # (kiosk/store/privacy.py), one pseudonym for all of them; only the deletion notice names her.
    accepted_signin = docs[2]
    pseudonym = accepted_signin["person"]["id"]
    assert pseudonym.startswith("deleted-") and accepted_signin["person"]["name"] == "deleted person"
    assert accepted_signin["score"] > 0.99 and "margin" in accepted_signin
    assert docs[1]["person"]["name"] == "김민준"
    assert docs[7]["person"] == {"id": "E1", "name": "Ada"}  # the deletion notice still names her
    assert "person" not in docs[3]  # a rejection names nobody, not even the nearest person
    assert docs[4]["person"]["id"] == pseudonym == docs[0]["person"]["id"]  # a verification names the claimed person


def test_event_rolls_back_with_its_audit_row(registry):
    """An enrollment refused inside its transaction (a duplicate id) leaves no audit row and no event."""
    vectors = random_vectors(2, registry.pack.embedding_size, seed=8)
    registry.enroll("Ada", "E1", template(vectors[0]))
    before = outbox_ids(registry)
    with pytest.raises(DuplicateError, match="already enrolled"):
        registry.enroll("Bob", "E1", template(vectors[1]))
    assert outbox_ids(registry) == before
    assert len(registry.audit_log(event="enroll")) == 1


def test_lockout_is_its_own_event(registry):
    registry.set_admin_pin("admin", "135790")
    for _ in range(3):
        with pytest.raises(AuthError):
            registry.check_admin_pin("admin", "111111")
    types = [json.loads(row[0])["type"] for row in registry.db.conn.execute("SELECT body FROM outbox ORDER BY seq")]
    assert types == ["admin.pin_rejected", "admin.pin_rejected", "admin.pin_locked_out"]


def test_failed_head_blocks_later_events_until_it_is_delivered(registry):
    """In order per sink: while the first event fails, the second is not sent."""
    vectors = random_vectors(2, registry.pack.embedding_size, seed=9)
    registry.enroll("Ada", "E1", template(vectors[0]))
    registry.enroll("Bob", "E2", template(vectors[1]))
    with Receiver(fail_first=1) as rx:
        box = Outbox(Database.open(registry.db.path), [WebhookSink(rx.url, SECRET)])
        sink = box.sinks[0]
        assert box.step(sink) is Step.FAILED
        assert box.step(sink) is Step.WAITING  # backing off: the head is not retried at once
        assert box.step(sink, force=True) is Step.DELIVERED
        assert box.step(sink) is Step.DELIVERED
        assert box.step(sink) is Step.IDLE
        box.close()
    names = [json.loads(r["body"])["person"]["name"] for r in rx.requests]
    assert names == ["Ada", "Ada", "Bob"]


def test_backoff_doubles_with_jitter_and_never_exceeds_five_minutes():
    rng = random.Random(1)
    first = [delay(1, 1.0, 300, rng) for _ in range(200)]
    assert 0.5 <= min(first) and max(first) <= 1.0
    fourth = [delay(4, 1.0, 300, rng) for _ in range(200)]
    assert 4.0 <= min(fourth) and max(fourth) <= 8.0 and len(set(fourth)) > 100
    assert max(delay(n, 1.0, 10_000, rng) for n in range(1, 80)) <= 300.0


def test_retention_drops_the_oldest_undelivered_and_says_so(registry, registry_settings):
    vectors = random_vectors(5, registry.pack.embedding_size, seed=10)
    for i, v in enumerate(vectors):
        registry.enroll(f"P{i}", f"E{i}", template(v))
    with Receiver() as rx:
        box = Outbox(Database.open(registry.db.path), [WebhookSink(rx.url, SECRET)], Policy(max_count=3))
        assert box.prune() == 3  # 5 kept down to 2, leaving room for the events.dropped event
        while box.step(box.sinks[0]) is Step.DELIVERED:
            pass
        box.close()
    docs = bodies(rx.requests)
    assert [d["type"] for d in docs] == ["person.enrolled", "person.enrolled", "events.dropped"]
    assert [d["person"]["id"] for d in docs[:2]] == ["E3", "E4"]
    assert "3 undelivered events dropped" in docs[2]["detail"]
    assert registry.audit_log(event="events_dropped")[0].detail.startswith("3 undelivered")
    with registry.db.guard():
        assert outbox.backlog(registry.db.conn, "webhook") == 0


def test_cpu_fallback_is_only_a_model_refused_by_an_offered_accelerator():
    from kiosk.events.observe import cpu_fallback

    both = ["DmlExecutionProvider", "CPUExecutionProvider"]
    running = {"detector": "DmlExecutionProvider", "liveness": "CPUExecutionProvider"}
    assert cpu_fallback(running, both, both) == "liveness on CPUExecutionProvider (wanted DmlExecutionProvider)"
    assert cpu_fallback({"detector": "CPUExecutionProvider"}, both, ["CPUExecutionProvider"]) is None  # no accelerator here
    assert cpu_fallback({"detector": "DmlExecutionProvider"}, both, both) is None
