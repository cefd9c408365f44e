"""Event tests: a real registry (SQLCipher, the real test pack's id and size; tests/conftest.py) and sink settings."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

SECRET = "test-secret-123"


@pytest.fixture
def registry_settings(registry_settings):
    """The shared settings (tests/conftest.py) with this kiosk's name and fast retries (the cap and
    jitter are tested on their own); ``registry`` opens with them."""
    registry_settings.events.kiosk_name = "lobby-1"
    registry_settings.events.retry_base_s = 0.05
    return registry_settings


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
