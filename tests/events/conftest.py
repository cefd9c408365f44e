"""Event tests: a real registry (SQLCipher, the real test pack's id and size) and sink settings."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from kiosk.config import load_settings
from kiosk.registry import Registry

SECRET = "test-secret-123"


@pytest.fixture
def events_settings(data_dir, models_dir):
    settings = load_settings(data_dir=data_dir, overrides={"models": str(models_dir)})
    settings.events.kiosk_name = "lobby-1"
    settings.events.retry_base_s = 0.05  # fast retries; the cap and jitter are tested on their own
    return settings


@pytest.fixture
def registry(events_settings, pack):
    reg = Registry.open(events_settings, pack)
    yield reg
    reg.close()


def verify_signature(request: dict) -> bool:
    expected = "sha256=" + hmac.new(SECRET.encode(), request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(request["headers"]["X-Kiosk-Signature"], expected)


def has_vector(value) -> bool:
    """Any list of numbers anywhere in the document (an embedding would be one)."""
    if isinstance(value, dict):
        return any(has_vector(v) for v in value.values())
    if isinstance(value, list):
        return any(isinstance(v, (int, float)) for v in value) or any(has_vector(v) for v in value)
    return False


def outbox_ids(registry) -> list[str]:
    return [row[0] for row in registry.db.conn.execute("SELECT id FROM outbox ORDER BY seq")]


def bodies(requests: list[dict]) -> list[dict]:
    return [json.loads(r["body"]) for r in requests]
