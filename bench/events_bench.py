"""Sign-in latency with a dead webhook vs none: the identify + audit + outbox path, side by side.

``Registry.identify`` is the sign-in's decision and its transaction (audit row + outbox
event, one WAL fsync). It is timed in interleaved rounds under each condition, so the
shared machine's load falls on all of them alike, and reported as ratios to "no webhook":

- no webhook: the sender running without a sink (what the kiosk does when none is set);
- no sender: no sender thread nor its connection at all (events are still written);
- refused: a webhook on a loopback port where nothing listens, with the default back-off;
- refused, retried every few ms: the same with base 1 ms and cap 10 ms, far below what the
  settings would be — the sender's failure writes (one commit each) compete with the
  sign-ins' commits as much as they ever can: a worst case, not a configuration;
- black hole: a loopback listener that accepts and never answers (default 5 s time limit);
- live: a real receiver that accepts everything (the sender writes a cursor per event).

``--quick``: fewer rounds.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from kiosk.config import load_settings
from kiosk.engine.pack import resolve_pack
from kiosk.engine.types import AggregatedTemplate
from kiosk.events.sender import Outbox, Policy, Sender
from kiosk.events.webhook import WebhookSink
from kiosk.registry import Registry
from kiosk.store.db import Database
from kiosk.store.keys import EnvKeyStore, new_key

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.events.receiver import Receiver  # noqa: E402  (the tests' stdlib receiver)

TEST_PACK = Path(__file__).resolve().parents[1].parent / "shared" / "models" / "test-pack"
PEOPLE = 1000
PER_ROUND = 20


def unit(n: int, dim: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str]) -> str:
    logging.getLogger("kiosk.events").setLevel(logging.CRITICAL)  # thousands of expected failures
    rounds = 4 if "--quick" in argv else 20
    models = os.environ.get("KIOSK_MODELS") or str(TEST_PACK)
    store = EnvKeyStore(new_key().hex())
    with tempfile.TemporaryDirectory() as tmp, Receiver() as live:
        settings = load_settings(data_dir=Path(tmp), overrides={"models": models})
        pack = resolve_pack(settings)
        reg = Registry.open(settings, pack, store)
        for i, v in enumerate(unit(PEOPLE, pack.embedding_size, 1)):
            reg.enroll(f"P{i}", f"E{i:05d}", AggregatedTemplate(v, 5, 0, 0.9), allow_duplicate=True)
        hole = socket.socket()
        hole.bind(("127.0.0.1", 0))
        hole.listen(64)  # accepts into the backlog, never answers
        conditions = {
            "no webhook": (None, Policy()),
            "no sender": None,
            "refused (dead port)": (f"http://127.0.0.1:{closed_port()}/hook", Policy()),
            "refused, retried every few ms": (f"http://127.0.0.1:{closed_port()}/hook", Policy(retry_base_s=0.001, retry_max_s=0.01)),
            "black hole (no answer, 5 s time limit)": (f"http://127.0.0.1:{hole.getsockname()[1]}/hook", Policy()),
            "live receiver": (live.url, Policy()),
        }
        probes = unit(PER_ROUND, pack.embedding_size, 2)
        samples: dict[str, list[float]] = {name: [] for name in conditions}
        per_round: dict[str, list[float]] = {name: [] for name in conditions}  # p50 of each round
        order = random.Random(3)
        for _ in range(rounds):
            names = list(conditions)
            order.shuffle(names)  # no condition always follows the same one
            for name in names:
                cond = conditions[name]
                sender = None
                if cond is not None:
                    url, policy = cond
                    sinks = []
                    if url is not None:
                        sinks = [WebhookSink(url, "bench-secret")]
                        sinks[0].name = f"bench-{len(name)}-{name[:8]}"  # a cursor (and back-off) per condition
                    box = Outbox(Database.open(reg.db.path, store), sinks, policy)
                    box.send_now()  # each round starts with the head event due: in flight, not waiting
                    sender = Sender(box)  # the kiosk's own polling interval
                    sender.start()
                    time.sleep(0.2)  # let it reach its steady state (failing, hanging or keeping up)
                reg.identify(probes[0])  # untimed: the first transaction after another connection wrote re-reads pages
                taken = []
                for p in probes:
                    t = time.perf_counter()
                    reg.identify(p)
                    taken.append(time.perf_counter() - t)
                samples[name] += taken
                per_round[name].append(float(np.median(taken)))
                if sender is not None:
                    sender.stop(timeout=6)
                    box.close()
        hole.close()
        reg.close()
    base50 = np.percentile(samples["no webhook"], 50)
    base99 = np.percentile(samples["no webhook"], 99)
    lines = [
        f"Pack `{pack.id}`, {PEOPLE} people, {rounds} rounds x {PER_ROUND} sign-ins per condition (order shuffled per round), "
        f"{os.cpu_count()} CPU cores. `Registry.identify` = match + audit row + outbox event in one transaction.",
        "",
        "The paired ratio is the median over rounds of (this condition's p50 / no webhook's p50 in the same round):",
        "it cancels the machine's load drifting between rounds.",
        "",
        "| webhook | p50 | p99 | p50 / no webhook | p99 / no webhook | paired p50 ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    base_rounds = np.asarray(per_round["no webhook"])
    for name, values in samples.items():
        p50, p99 = np.percentile(values, 50), np.percentile(values, 99)
        paired = float(np.median(np.asarray(per_round[name]) / base_rounds))
        lines.append(f"| {name} | {p50 * 1000:.2f} ms | {p99 * 1000:.2f} ms | {p50 / base50:.2f} | {p99 / base99:.2f} | {paired:.2f} |")
    return "\n".join(lines)
