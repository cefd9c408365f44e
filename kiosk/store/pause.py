"""Named pause points for the crash tests.

The SIGKILL tests run a real CLI process with ``KIOSK_PAUSE_AT=<point>``; when it
reaches that point it writes the point's name to ``KIOSK_PAUSE_FILE`` and sleeps,
so the test kills it exactly there. With ``KIOSK_PAUSE_RESUME=<file>`` it waits for
that file instead and then goes on, so a test can break something (cut a connection,
stop a server) at that point and watch the process cope. Unset (always, in
production) it does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def pause_point(name: str) -> None:
    if os.environ.get("KIOSK_PAUSE_AT") != name:
        return
    marker = os.environ.get("KIOSK_PAUSE_FILE")
    if marker:
        Path(marker).write_text(name, encoding="utf-8")
    resume = os.environ.get("KIOSK_PAUSE_RESUME")
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline and not (resume and Path(resume).exists()):
        time.sleep(0.05)
