"""The command sink: a program run with the event JSON on stdin, without a shell.

Exit status 0 delivers; any other status, or running past the time limit (the
program is then killed), retries. For relays and scripts the kiosk does not ship.
"""

from __future__ import annotations

import subprocess

from kiosk.events.sink import DeliveryError


class CommandSink:
    name = "command"

    def __init__(self, argv: list[str], *, timeout_s: float = 10.0) -> None:
        self.argv = list(argv)
        self.timeout_s = timeout_s

    def describe(self) -> str:
        return "command " + " ".join(self.argv)

    def send(self, event_id: str, body: bytes) -> None:
        try:
            done = subprocess.run(self.argv, input=body, capture_output=True, timeout=self.timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise DeliveryError(f"{self.argv[0]} ran past {self.timeout_s:g} s and was stopped") from None
        except OSError as exc:
            raise DeliveryError(f"cannot run {self.argv[0]}: {exc.strerror or exc}") from None
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise DeliveryError(f"{self.argv[0]} exited with status {done.returncode}" + (f": {said[-1]}" if said else ""))
