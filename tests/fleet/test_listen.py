"""The sync loop: a change made at kiosk A reaches the matcher of a running kiosk B
through LISTEN/NOTIFY (the periodic pull is set to an hour, so only the notification
can bring it); a change written to B's database by another process (the CLI beside
the running kiosk) is pushed by B's loop; a server restart is survived, with the error
kept meanwhile."""

from __future__ import annotations

import threading
import time

import pytest

from kiosk.fleet.sync import FleetSync
from kiosk.store import journal
from tests.store.conftest import random_vectors, template


def wait_for(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.slow
def test_loop_follows_notifications_local_changes_and_restarts(joined, pg, pack):
    a, b = joined["A"], joined["B"]
    v = random_vectors(3, pack.embedding_size, 31)
    running = b.registry(pack)
    stop = threading.Event()
    loop = threading.Thread(target=FleetSync(running, b.data).run, args=(stop,), kwargs={"poll_interval": 3600.0})
    loop.start()
    try:
        with a.registry(pack) as reg:
            reg.enroll("Notified Person", "N1", template(v[0]))
        a.sync(pack)
        wait_for(lambda: running.identify(v[0]).person is not None and running.identify(v[0]).score > 0.99, "B's matcher to learn N1")

        with b.registry(pack) as other_process:
            other_process.enroll("Local Person", "N2", template(v[1]))
        wait_for(lambda: not FleetSync(running, b.data).backlog(), "B's loop to push N2")
        a.sync(pack)
        assert a.people(pack) == {"N1": "Notified Person", "N2": "Local Person"}

        pg.stop()
        try:

            def outage_recorded() -> bool:
                with running.session() as db:
                    return "cannot reach" in (journal.get_state(db, "last_error") or "")

            wait_for(outage_recorded, "the loop to record the outage")
            assert running.identify(v[0]).person.external_id == "N1"  # sign-in goes on
        finally:
            pg.start()
        with a.registry(pack) as reg:
            reg.delete(reg.person("N1").id)
        a.sync(pack)
        wait_for(lambda: running.identify(v[0]).score < 0.5, "B to forget N1 after the restart")
    finally:
        stop.set()
        loop.join(timeout=120)
        running.close()
    assert not loop.is_alive()
