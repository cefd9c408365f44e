"""``kiosk events list|deliver|retry|test``: the outbox from the shell, beside or without the GUI."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.cli.context import CliContext, emit_json
from kiosk.errors import ConfigError, NotFoundError

if TYPE_CHECKING:
    from kiosk.events.sender import Outbox, OutboxStatus

STOP_WAIT_S = 12.0  # longer than the default webhook (5 s) and command (10 s) time limits


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    events = subparsers.add_parser("events", help="the event outbox: list, deliver, retry, test the sinks")
    sub = events.add_subparsers(dest="events_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="recent events and where each one has been delivered")
    p.add_argument("--pending", action="store_true", help="only events some sink has not acknowledged")
    p.add_argument("--limit", type=int, default=50, metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("deliver", help="send what is pending now; exit 1 if something is still pending")
    p.add_argument("--timeout", type=float, default=30.0, metavar="S", help="give up after S seconds (default 30)")
    p.set_defaults(func=cmd_deliver)

    p = sub.add_parser("retry", help="try an event again now, on every sink that has not acknowledged it")
    p.add_argument("event_id", metavar="ID")
    p.set_defaults(func=cmd_retry)

    p = sub.add_parser("test", help="send one 'test' event to each sink and report each result")
    p.set_defaults(func=cmd_test)


@contextlib.contextmanager
def _outbox(ctx: CliContext) -> Iterator[Outbox]:
    from kiosk.events.sender import Outbox

    box = Outbox.open(ctx.settings)
    try:
        for problem in box.problems:
            print(f"error: {problem}", file=sys.stderr)
        yield box
    finally:
        box.close()


def _require_sinks(box: Outbox) -> None:
    if not box.sinks:
        raise ConfigError("no event sink is configured", hint="set events.webhook_url, events.command or events.jsonl_path in config.toml (or KIOSK_EVENTS_*)")


@dataclass(frozen=True)
class _Cursor:
    delivered_seq: int
    head_seq: int | None
    attempts: int
    last_error: str | None


def _state(box: Outbox, cursors: dict[str, _Cursor], seq: int) -> dict[str, str]:
    out = {}
    for name in box.names:
        c = cursors[name]
        if seq <= c.delivered_seq:
            out[name] = "delivered"
        elif seq == c.head_seq and c.attempts:
            out[name] = f"failing ({c.attempts} attempts: {c.last_error})"
        else:
            out[name] = "pending"
    return out


def cmd_list(ctx: CliContext) -> int:
    from kiosk.events import outbox

    with _outbox(ctx) as box, box.db.guard():
        conn = box.db.conn
        cursors: dict[str, _Cursor] = {}
        for name in box.names:
            c, head = outbox.head(conn, name)
            cursors[name] = _Cursor(c.delivered_seq, head.seq if head else None, c.attempts, c.last_error)
        after = outbox.pending_seq(conn, box.names) if ctx.args.pending else 0
        listed = [] if after is None else outbox.events(conn, after=after, limit=ctx.args.limit)
        rows: list[dict[str, Any]] = [{"seq": e.seq, **e.document(), "delivery": _state(box, cursors, e.seq)} for e in listed]
    if ctx.args.json:
        emit_json({"sinks": box.names, "events": rows})
        return 0
    if not rows:
        print("no pending events" if ctx.args.pending else "no events")
    for r in rows:
        who = f" {r['person']['name']} ({r['person']['id']})" if "person" in r else ""
        score = f" score {r['score']:.3f}" if "score" in r else ""
        where = "; ".join(f"{k} {v}" for k, v in r["delivery"].items()) or "no sinks"
        print(f"{r['time']}  {r['id']}  {r['type']}{who}{score}  [{where}]")
    return 0


def _report(status: OutboxStatus) -> int:
    for s in status.sinks:
        state = "all delivered" if not s.backlog else f"{s.backlog} pending" + (f", last error: {s.last_error}" if s.attempts else "")
        print(f"{s.description}: {state}")
    return 1 if status.backlog else 0


def cmd_deliver(ctx: CliContext) -> int:
    from kiosk.events.sender import Sender

    with _outbox(ctx) as box:
        _require_sinks(box)
        box.prune()
        box.send_now()
        sender = Sender(box, poll_s=0.2)
        sender.start()
        sender.drain(max(0.0, ctx.args.timeout))
        if not sender.stop(timeout=STOP_WAIT_S):
            print("warning: a delivery was still in flight when the time ran out", file=sys.stderr)
        return _report(box.status())


def cmd_retry(ctx: CliContext) -> int:
    from kiosk.events import outbox
    from kiosk.events.sender import Step

    with _outbox(ctx) as box:
        _require_sinks(box)
        with box.db.guard():
            event = outbox.find(box.db.conn, ctx.args.event_id)
            owing = [] if event is None else [n for n in box.names if outbox.cursor(box.db.conn, n).delivered_seq < event.seq]
        if event is None:
            raise NotFoundError(f"no event {ctx.args.event_id!r} in the outbox", hint="`kiosk events list` shows the ids; dropped events are gone")
        if not owing:
            print(f"event {event.id} is already delivered to every sink")
            return 0
        still = []
        for sink in (s for s in box.sinks if s.name in owing):
            # In order: the sink first sends what it owes before this event.
            while True:
                step = box.step(sink, force=True)
                with box.db.guard():
                    done = outbox.cursor(box.db.conn, sink.name).delivered_seq >= event.seq
                if done or step is not Step.DELIVERED:
                    break
            print(f"{sink.describe()}: " + ("delivered" if done else "still pending"))
            if not done:
                still.append(sink.name)
        return 1 if still else 0


def cmd_test(ctx: CliContext) -> int:
    from kiosk.events import types
    from kiosk.events.config import setup
    from kiosk.events.sink import DeliveryError

    found = setup(ctx.settings.events)
    for problem in found.problems:
        print(f"error: {problem}", file=sys.stderr)
    if not found.sinks:
        raise ConfigError("no event sink is configured" + (" that is valid" if found.problems else ""), hint="see docs/events.md")
    source = types.EventSource(types.kiosk_name(ctx.settings.events.kiosk_name))
    failures = 0
    for sink in found.sinks:
        event = types.build(types.TEST, source, detail="kiosk events test")
        try:
            sink.send(event["id"], types.encode(event))
        except DeliveryError as exc:
            failures += 1
            print(f"FAIL  {sink.describe()}: {exc}")
        else:
            print(f"ok    {sink.describe()}: test event {event['id']} delivered")
    return 1 if failures or found.problems else 0
