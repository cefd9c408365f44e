"""Run one store operation in a separate process so a test can SIGKILL it mid-way.

Usage: python tests/store/crash_helper.py enroll|delete|import|rekey|enroll-loop|rekey-loop [ARG]
The data folder comes from KIOSK_DATA_DIR; KIOSK_PAUSE_AT makes it stop at a named point;
CRASH_READY_FILE is written once the database is open and the operation begins.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.config import load_settings  # noqa: E402
from kiosk.engine.pack import resolve_pack  # noqa: E402
from kiosk.registry import Registry  # noqa: E402
from tests.store.conftest import random_vectors, template  # noqa: E402

NEW_SEED = 1234


def main(op: str, arg: str | None) -> None:
    settings = load_settings()
    registry = Registry.open(settings, resolve_pack(settings))
    if os.environ.get("CRASH_READY_FILE"):  # tells a random-kill test the work starts now
        Path(os.environ["CRASH_READY_FILE"]).write_text("ready")
    dim = registry.pack.embedding_size
    if op == "enroll":
        registry.enroll("Newcomer", "NEW", template(random_vectors(1, dim, NEW_SEED)[0]))
    elif op == "delete":
        registry.delete(registry.person(arg).id)
    elif op == "import":
        registry.import_backup(Path(arg), os.environ["BACKUP_PASSPHRASE"])
    elif op == "rekey":
        registry.rekey()
    elif op == "enroll-loop":
        for i, v in enumerate(random_vectors(10_000, dim, 99)):
            registry.enroll(f"Loop {i}", f"L{i:05d}", template(v))
    elif op == "rekey-loop":
        while True:
            registry.rekey()
    registry.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
