"""The ``kiosk.heartbeat`` event: queued through the outbox without an audit row, from the flow
and the window's side is tests/ui/test_heartbeat_gui.py."""

from __future__ import annotations

import pytest

from kiosk.events import outbox
from kiosk.events.types import HEARTBEAT, EventSource, build
from kiosk.flows import heartbeat
from kiosk.flows.heartbeat import KioskStatus
from kiosk.store import audit


def heartbeats(db) -> list[dict]:
    return [e.document() for e in outbox.events(db.conn) if e.type == HEARTBEAT]


def test_a_heartbeat_is_an_event_with_its_status_and_no_audit_row(data_dir, models_dir, pack, monkeypatch):
    import secrets

    from kiosk.config import load_settings
    from kiosk.registry import Registry

    monkeypatch.setenv("KIOSK_DB_KEY", secrets.token_hex(32))
    settings = load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})
    with Registry.open(settings, pack) as registry:
        before = len(audit.entries(registry.db))
        heartbeat.send(registry, KioskStatus(uptime_s=300, camera="live", backlog=2, provider="CPUExecutionProvider"))
        (event,) = heartbeats(registry.db)
        assert len(audit.entries(registry.db)) == before
    assert event["status"] == {"uptime_s": 300, "camera": "live", "backlog": 2, "provider": "CPUExecutionProvider"}
    assert event["pack"] == pack.id and event["kiosk"]


def test_a_status_holds_scalars_only():
    with pytest.raises(ValueError, match="only strings, numbers and nulls"):
        build(HEARTBEAT, EventSource("k"), status={"embedding": [0.1, 0.2]})
