"""The kiosk side of the event crash tests, as its own process so a test can SIGKILL it.

``python tests/events/crash_helper.py N``: enroll N people (N audited decisions, N
outbox events), then run the sender until killed. Settings come from ``KIOSK_*``
variables (data folder, webhook); ``KIOSK_PAUSE_AT=events:sent`` stops it right after
the receiver has an event and before the outbox records the delivery.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.config import load_settings  # noqa: E402
from kiosk.engine.pack import resolve_pack  # noqa: E402
from kiosk.events.sender import Outbox, Sender  # noqa: E402
from kiosk.registry import Registry  # noqa: E402
from tests.store.conftest import random_vectors, template  # noqa: E402


def main(count: int) -> None:
    settings = load_settings()
    registry = Registry.open(settings, resolve_pack(settings))
    for i, v in enumerate(random_vectors(count, registry.pack.embedding_size, 77)):
        registry.enroll(f"Crash {i}", f"C{i:03d}", template(v))
    Path(os.environ["CRASH_READY_FILE"]).write_text("events written")
    box = Outbox.open(settings, pack_id=registry.pack_id)
    assert not box.problems, box.problems
    Sender(box, poll_s=0.05).start()
    threading.Event().wait()


if __name__ == "__main__":
    main(int(sys.argv[1]))
