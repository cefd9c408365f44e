"""``kiosk events ...`` and ``kiosk doctor`` against a real local receiver, and bad sink settings."""

from __future__ import annotations

import json
import sys

import pytest

from kiosk.cli.main import main
from kiosk.config import EventsSettings, load_settings
from kiosk.events.config import setup
from tests.events.conftest import SECRET, bodies, verify_signature
from tests.events.receiver import Receiver
from tests.store.conftest import random_vectors, template


@pytest.fixture
def hook_env(monkeypatch):
    def set_url(url: str) -> None:
        monkeypatch.setenv("KIOSK_EVENTS_WEBHOOK_URL", url)
        monkeypatch.setenv("KIOSK_EVENTS_WEBHOOK_SECRET", SECRET)
        monkeypatch.setenv("KIOSK_EVENTS_RETRY_BASE_S", "0.05")

    return set_url


def enroll_two(registry) -> None:
    for i, v in enumerate(random_vectors(2, registry.pack.embedding_size, 21)):
        registry.enroll(f"P{i}", f"E{i}", template(v))


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"webhook_url": "https://", "webhook_secret": "s"}, "events.webhook_url"),
        ({"webhook_url": "http://host:port/x", "webhook_secret": "s"}, "events.webhook_url"),
        ({"webhook_url": "http://10.1.2.3/hook", "webhook_secret": "s"}, "events.webhook_url: plain http://"),
        ({"webhook_url": "https://example.org/hook"}, "events.webhook_secret"),
        ({"webhook_url": "https://example.org/hook", "webhook_secret": "s", "webhook_ca_file": "/no/such/ca.pem"}, "events.webhook_ca_file"),
        ({"command": ["no-such-relay-program"]}, "events.command"),
        ({"retry_max_s": 900.0}, "events.retry_max_s"),
    ],
)
def test_bad_sink_settings_name_the_key(values, key):
    found = setup(EventsSettings(**values))
    assert found.sinks == [] and len(found.problems) == 1
    assert key in str(found.problems[0])


def test_plain_http_is_allowed_to_loopback_or_when_enabled():
    assert setup(EventsSettings(webhook_url="http://127.0.0.1:9/h", webhook_secret="s")).problems == []
    assert setup(EventsSettings(webhook_url="http://10.1.2.3/h", webhook_secret="s", webhook_allow_http=True)).problems == []


def test_bad_sink_keeps_the_others_and_the_registry_serving(registry, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_EVENTS_WEBHOOK_URL", "https://example.org/hook")  # no secret
    monkeypatch.setenv("KIOSK_EVENTS_JSONL_PATH", str(tmp_path / "events.jsonl"))
    settings = load_settings()  # loads: a bad sink is not a start-up failure
    found = setup(settings.events)
    assert [s.name for s in found.sinks] == ["jsonl"]
    enroll_two(registry)  # sign-ins and enrollment go on
    assert main(["doctor", "--cameras", "0", "--json"]) == 1
    checks = json.loads(capsys.readouterr().out)["checks"]
    events = [c for c in checks if c["name"] == "events"]
    assert events[0]["status"] == "fail" and "events.webhook_secret" in events[0]["detail"]
    assert events[1]["status"] == "ok" and "jsonl" in events[1]["detail"]


def test_events_cli_list_deliver_retry_and_test(registry, hook_env, capsys):
    enroll_two(registry)
    with Receiver(fail_first=1000) as rx:  # down: everything stays pending
        hook_env(rx.url)
        assert main(["events", "deliver", "--timeout", "0.5"]) == 1
        assert "2 pending, last error: HTTP 500" in capsys.readouterr().out
        assert main(["events", "list", "--pending", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)["events"]
        assert [e["type"] for e in listed] == ["person.enrolled", "person.enrolled"]
        assert listed[0]["delivery"]["webhook"].startswith("failing (")
        assert listed[1]["delivery"]["webhook"] == "pending"
        second = listed[1]["id"]
        assert main(["events", "retry", second]) == 1
        assert "still pending" in capsys.readouterr().out
    with Receiver() as rx:
        hook_env(rx.url)
        assert main(["events", "retry", second]) == 0  # sends the first, then this one: in order
        assert "delivered" in capsys.readouterr().out
        assert [d["id"] for d in bodies(rx.requests)] == [e["id"] for e in listed]
        assert main(["events", "list", "--pending"]) == 0
        assert "no pending events" in capsys.readouterr().out
        assert main(["events", "retry", second]) == 0
        assert "already delivered" in capsys.readouterr().out
        assert main(["events", "deliver"]) == 0
        assert "all delivered" in capsys.readouterr().out
        assert main(["events", "test"]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"ok    webhook {rx.url}: test event")
        test_event = bodies(rx.requests)[-1]
        assert test_event["type"] == "test" and verify_signature(rx.requests[-1])
    assert main(["events", "retry", "no-such-id"]) == 9


def test_events_test_reports_each_sink(registry, hook_env, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_EVENTS_COMMAND", f"{sys.executable},-c,import sys; sys.exit(1)")
    monkeypatch.setenv("KIOSK_EVENTS_JSONL_PATH", str(tmp_path / "out.jsonl"))
    with Receiver() as rx:
        hook_env(rx.url)
        assert main(["events", "test"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ok    webhook")
    assert lines[1].startswith("FAIL  command") and "exited with status 1" in lines[1]
    assert lines[2].startswith("ok    jsonl")
    assert json.loads((tmp_path / "out.jsonl").read_text())["type"] == "test"


def test_docs_show_an_example_of_every_event_type():
    from pathlib import Path

    from kiosk.events.types import EVENT_TYPES

    text = (Path(__file__).resolve().parents[2] / "docs" / "events.md").read_text(encoding="utf-8")
    examples = [json.loads(line) for line in text.splitlines() if line.startswith('{"id":')]
    assert sorted(e["type"] for e in examples) == sorted(EVENT_TYPES)
    allowed = {"id", "time", "kiosk", "type", "person", "score", "margin", "method", "pack", "detail", "status"}
    assert all(set(e) <= allowed and {"id", "time", "kiosk", "type", "pack"} <= set(e) for e in examples)


def test_saved_settings_round_trip_the_sinks_and_hide_the_secret(data_dir, tmp_path):
    import os
    import stat

    from kiosk.config import save_settings

    settings = load_settings(data_dir=data_dir)
    settings.events.webhook_url = "https://doors.example.org/kiosk"
    settings.events.webhook_secret = SECRET
    settings.events.command = [sys.executable, "--version"]
    settings.events.jsonl_path = tmp_path / "events.jsonl"
    path = save_settings(settings)
    again = load_settings(data_dir=data_dir)
    assert again.events == settings.events
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_kiosk_verify_produces_an_event_and_identify_as_a_diagnostic_does_not(faces_dir, data_dir, capsys):
    """The CLI front end goes through the same registry calls: its decisions are events too; a plain
    `kiosk identify` is a diagnostic from the shell (issue 21), audited as a check and never a sign-in."""
    from kiosk.store.db import Database

    photos = faces_dir / "deepface"
    assert main(["users", "add", "--name", "Angelina Jolie", "--id", "P01", str(photos / "img1.jpg"), str(photos / "img2.jpg")]) == 0
    assert main(["identify", str(photos / "img6.jpg")]) == 0
    assert main(["verify", "--id", "P01", str(photos / "img6.jpg")]) == 0
    capsys.readouterr()
    db = Database.open(data_dir / "kiosk.db")
    try:
        docs = [json.loads(row[0]) for row in db.conn.execute("SELECT body FROM outbox ORDER BY seq")]
    finally:
        db.close()
    assert [d["type"] for d in docs] == ["person.enrolled", "verify.accepted"]
    assert all(d["person"] == {"id": "P01", "name": "Angelina Jolie"} for d in docs)
