"""``[events]`` settings -> sinks, and the problems that keep a sink from running.

A bad sink is a ``ConfigError`` naming the key; it is reported at start and by
``kiosk doctor`` and that sink stays off, while the outbox keeps recording events and
the kiosk keeps serving sign-ins (``Settings.validate`` therefore leaves this section to us).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.config import EventsSettings
from kiosk.errors import ConfigError
from kiosk.events.backoff import MAX_CAP_S
from kiosk.events.command_sink import CommandSink
from kiosk.events.jsonl_sink import JsonlSink
from kiosk.events.sink import Sink
from kiosk.events.webhook import WebhookSink, is_loopback


@dataclass(frozen=True)
class SinkSetup:
    sinks: list[Sink]
    problems: list[ConfigError]

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.sinks]


def _webhook_problem(e: EventsSettings) -> str | None:
    try:
        parts = urlsplit(e.webhook_url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        return f"events.webhook_url: {e.webhook_url!r} does not parse ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"events.webhook_url: {e.webhook_url!r} is not an http(s)://host/... URL"
    if parts.scheme == "http" and not e.webhook_allow_http and not is_loopback(parts.hostname):
        return f"events.webhook_url: plain http:// to {parts.hostname} is refused (use https://, or set events.webhook_allow_http = true)"
    if not e.webhook_secret:
        return "events.webhook_secret: a webhook needs a secret to sign its events (KIOSK_EVENTS_WEBHOOK_SECRET)"
    if e.webhook_ca_file is not None and not Path(e.webhook_ca_file).is_file():
        return f"events.webhook_ca_file: {e.webhook_ca_file} is not a file"
    if e.webhook_timeout_s <= 0:
        return "events.webhook_timeout_s: must be > 0"
    return None


def _command_problem(e: EventsSettings) -> str | None:
    program = e.command[0]
    if shutil.which(program) is None:
        return f"events.command: program {program!r} not found (give its full path)"
    if e.command_timeout_s <= 0:
        return "events.command_timeout_s: must be > 0"
    return None


def _jsonl_path(e: EventsSettings) -> Path:
    if e.jsonl_path is None:  # setup() asks only for a configured sink
        raise ConfigError("events.jsonl_path is not set", hint="set it to a file name to write events as JSON lines")
    return Path(e.jsonl_path)


def _jsonl_problem(e: EventsSettings) -> str | None:
    path = _jsonl_path(e)
    if path.is_dir():
        return f"events.jsonl_path: {path} is a folder; give a file name"
    if e.jsonl_max_bytes < 1024:
        return "events.jsonl_max_bytes: must be >= 1024"
    if e.jsonl_keep < 0:
        return "events.jsonl_keep: must be >= 0"
    return None


def outbox_problems(e: EventsSettings) -> list[str]:
    checks = (
        (e.max_age_days > 0, "events.max_age_days: must be > 0"),
        (e.max_count >= 1, "events.max_count: must be >= 1"),
        (e.retry_base_s > 0, "events.retry_base_s: must be > 0"),
        (0 < e.retry_max_s <= MAX_CAP_S, f"events.retry_max_s: must be in (0, {MAX_CAP_S:g}]"),
        (e.heartbeat_min == 0 or e.heartbeat_min >= 1, "events.heartbeat_min: must be 0 (no heartbeat) or >= 1"),
        (e.silent_after_min > 0, "events.silent_after_min: must be > 0"),
    )
    return [why for ok, why in checks if not ok]


def setup(e: EventsSettings) -> SinkSetup:
    """The sinks that are configured and sound, and a ``ConfigError`` for each that is not."""
    sinks: list[Sink] = []
    problems = [ConfigError(f"invalid setting {why}") for why in outbox_problems(e)]
    candidates = (
        (e.webhook_url, _webhook_problem, lambda: WebhookSink(e.webhook_url, e.webhook_secret, ca_file=e.webhook_ca_file, timeout_s=e.webhook_timeout_s)),
        (e.command, _command_problem, lambda: CommandSink(e.command, timeout_s=e.command_timeout_s)),
        (e.jsonl_path, _jsonl_problem, lambda: JsonlSink(_jsonl_path(e), max_bytes=e.jsonl_max_bytes, keep=e.jsonl_keep)),
    )
    for configured, problem_of, make in candidates:
        if not configured:
            continue
        why = problem_of(e)
        if why:
            problems.append(ConfigError(f"invalid setting {why}", hint="the kiosk runs without this sink until it is fixed; events are kept"))
        else:
            try:
                sinks.append(make())
            except OSError as exc:  # an unreadable CA file
                problems.append(ConfigError(f"invalid setting events: {exc}"))
    return SinkSetup(sinks, problems)
