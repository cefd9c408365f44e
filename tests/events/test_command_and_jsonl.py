"""The command sink (a real script that fails once) and the JSON-lines sink (whole lines after a crash)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kiosk.events.command_sink import CommandSink
from kiosk.events.jsonl_sink import JsonlSink
from kiosk.events.sender import Outbox, Policy, Step
from kiosk.store.db import Database
from tests.events.conftest import outbox_ids
from tests.store.conftest import random_vectors, template

FAIL_ONCE = """
import pathlib, sys
marker = pathlib.Path(sys.argv[1])
body = sys.stdin.buffer.read()
if not marker.exists():
    marker.write_text("failed once")
    print("receiver not ready", file=sys.stderr)
    sys.exit(3)
with open(sys.argv[2], "ab") as fh:
    fh.write(body + b"\\n")
"""


def enroll(registry, n: int, seed: int = 3) -> None:
    for i, v in enumerate(random_vectors(n, registry.pack.embedding_size, seed)):
        registry.enroll(f"P{i}", f"E{i}", template(v))


def drain(box: Outbox, sink) -> list[Step]:
    steps = []
    for _ in range(50):
        step = box.step(sink, force=True)
        steps.append(step)
        if step is Step.IDLE:
            break
    return steps


def test_command_that_fails_once_then_delivers_in_order(registry, tmp_path):
    enroll(registry, 3)
    script = tmp_path / "relay.py"
    script.write_text(FAIL_ONCE)
    out = tmp_path / "relayed.jsonl"
    sink = CommandSink([sys.executable, str(script), str(tmp_path / "marker"), str(out)], timeout_s=20)
    box = Outbox(Database.open(registry.db.path), [sink], Policy(retry_base_s=0.05))
    steps = drain(box, sink)
    status = box.status()
    box.close()
    assert steps[0] is Step.FAILED and steps.count(Step.DELIVERED) == 3
    assert status.backlog == 0 and status.sinks[0].last_error.startswith(f"{sys.executable} exited with status 3: receiver not ready")
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == outbox_ids(registry)


def test_command_past_its_time_limit_is_stopped_and_retried(registry, tmp_path):
    enroll(registry, 1)
    sink = CommandSink([sys.executable, "-c", "import time; time.sleep(30)"], timeout_s=0.5)
    box = Outbox(Database.open(registry.db.path), [sink])
    assert box.step(sink) is Step.FAILED
    assert "ran past 0.5 s" in box.status().last_error
    box.close()


def test_jsonl_sink_cuts_a_partial_line_and_skips_the_event_already_written(tmp_path):
    path = tmp_path / "events.jsonl"
    sink = JsonlSink(path)
    sink.send("a", b'{"id":"a"}')
    sink.send("b", b'{"id":"b"}')
    with open(path, "ab") as fh:  # what a kill in the middle of a write would leave
        fh.write(b'{"id":"c","ti')
    again = JsonlSink(path)  # the kiosk after a restart
    again.send("b", b'{"id":"b"}')  # written before the crash, cursor not yet moved: not doubled
    again.send("c", b'{"id":"c"}')
    assert [json.loads(line)["id"] for line in path.read_text().splitlines()] == ["a", "b", "c"]


def test_jsonl_sink_rotates_by_size(tmp_path):
    path = tmp_path / "events.jsonl"
    sink = JsonlSink(path, max_bytes=1024, keep=2)
    for i in range(60):
        sink.send(str(i), json.dumps({"id": str(i), "pad": "x" * 40}).encode())
    rotated = [path.with_name("events.jsonl.1"), path.with_name("events.jsonl.2")]
    assert all(p.stat().st_size <= 1024 for p in [path, *rotated])
    assert not path.with_name("events.jsonl.3").exists()
    ids = [json.loads(line)["id"] for p in reversed(rotated) for line in p.read_text().splitlines()]
    ids += [json.loads(line)["id"] for line in path.read_text().splitlines()]
    assert ids == [str(i) for i in range(60 - len(ids), 60)]  # the newest, in order, none lost between files


WRITER = """
import sys
sys.path.insert(0, sys.argv[3])
from kiosk.events.jsonl_sink import JsonlSink
sink = JsonlSink(sys.argv[1])
open(sys.argv[2], "w").write("ready")
i = 0
while True:
    sink.send(str(i), ('{"id":"%d","pad":"' % i + "y" * 3000 + '"}').encode())
    i += 1
"""


def test_jsonl_file_holds_only_whole_lines_after_sigkill(tmp_path):
    path, ready = tmp_path / "events.jsonl", tmp_path / "ready"
    repo = Path(__file__).resolve().parents[2]
    for delay_s in (0.3, 0.7, 1.1):
        ready.unlink(missing_ok=True)
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(ready), str(repo)], env=dict(os.environ))
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(delay_s)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        JsonlSink(path).send("after", b'{"id":"after"}')  # the next start repairs, then appends
        lines = path.read_bytes().split(b"\n")
        assert lines[-1] == b""  # ends with a newline
        docs = [json.loads(line) for line in lines[:-1]]  # every line parses: none was cut
        assert docs[-1]["id"] == "after"
