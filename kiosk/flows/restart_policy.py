"""When the supervisor restarts the kiosk, how long it waits first, and when it calls a child hung.

Pure policy (no process, no clock: every time is passed in, in seconds of a monotonic
clock), so the decisions are tested without starting anything; ``kiosk/flows/supervisor.py``
runs the processes. The choices, and why:

- A clean exit (code 0: the operator left the kiosk with the PIN, or ``--quit-after``) is
  the operator's decision and is never undone. Every other end is restarted.
- The first restart after a run that lasted ``stable_after_s`` waits ``first_delay_s``
  (1 s: the issue asks for a restart within 5 s). Each further end within
  ``stable_after_s`` of its start doubles the wait, up to ``max_delay_s`` (5 minutes):
  a kiosk that crashes at start (a broken camera driver, a disk full) must not spin a core.
- It never gives up. A kiosk stands unattended; a supervisor that stops leaves a black
  screen until someone comes, while one try every 5 minutes costs nothing and recovers by
  itself when the cause goes (the camera is plugged back). From ``loop_after`` quick ends in
  a row the restart says ``crash loop`` so the event's receiver can alert someone.
- A hang is a child that has not touched its heartbeat file for ``hang_after_s`` (the GUI
  thread touches it every second), or not at all within ``start_grace_s`` of its start
  (loading and warming the models happens before the first beat can be late).
"""

from __future__ import annotations

import signal
from dataclasses import dataclass
from enum import StrEnum


class EndKind(StrEnum):
    CLEAN = "clean"  # exit code 0
    CRASH = "crash"  # any other exit code, or killed by a signal
    HANG = "hang"  # the supervisor killed it: no heartbeat


@dataclass(frozen=True)
class ChildEnd:
    """How one run of the kiosk ended. ``code``: the exit status (negative: killed by that signal, POSIX)."""

    kind: EndKind
    code: int | None
    ran_s: float
    detail: str = ""

    @classmethod
    def exited(cls, code: int, ran_s: float) -> ChildEnd:
        return cls(EndKind.CLEAN if code == 0 else EndKind.CRASH, code, ran_s)

    @classmethod
    def not_started(cls, detail: str) -> ChildEnd:
        """The executable could not be started at all (moved, no rights): retried like a crash."""
        return cls(EndKind.CRASH, None, 0.0, detail)

    @classmethod
    def hung(cls, ran_s: float, detail: str) -> ChildEnd:
        return cls(EndKind.HANG, None, ran_s, detail)

    def reason(self) -> str:
        """Words for the audit row and the event: what ended the run."""
        if self.kind == EndKind.HANG:
            return f"hang: {self.detail}"
        if self.kind == EndKind.CLEAN:
            return "clean exit"
        return f"crash: {self.detail or describe_exit(self.code)}"


def describe_exit(code: int | None) -> str:
    """``exit code 3``, ``killed by signal 9 (SIGKILL)``, or a Windows NTSTATUS in hex (``0xC0000005``)."""
    if code is None:
        return "no exit status"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            return f"killed by signal {-code}"
        return f"killed by signal {-code} ({name})"
    if code > 0xFFFF:
        return f"exit code 0x{code:08X}"
    return f"exit code {code}"


@dataclass(frozen=True)
class Verdict:
    """What to do after a run ended: restart after ``delay_s`` or not; ``streak`` quick ends in a row."""

    restart: bool
    delay_s: float
    reason: str
    streak: int
    crash_loop: bool

    def detail(self) -> str:
        """The audit row's detail: the reason, then the loop state and the wait."""
        loop = f"; crash loop: {self.streak} quick ends in a row" if self.crash_loop else ""
        return f"{self.reason}{loop}; restarted after {self.delay_s:g} s"


@dataclass(frozen=True)
class RestartPolicy:
    first_delay_s: float = 1.0
    max_delay_s: float = 300.0
    stable_after_s: float = 60.0
    loop_after: int = 3
    hang_after_s: float = 30.0
    start_grace_s: float = 120.0

    def __post_init__(self) -> None:
        for name in ("first_delay_s", "max_delay_s", "stable_after_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        for name in ("hang_after_s", "start_grace_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be > 0")
        if self.max_delay_s < self.first_delay_s:
            raise ValueError("max_delay_s must be >= first_delay_s")
        if self.loop_after < 1:
            raise ValueError("loop_after must be >= 1")

    def delay(self, streak: int) -> float:
        """The wait before the restart that follows ``streak`` quick ends in a row (1: the first)."""
        return float(min(self.max_delay_s, self.first_delay_s * 2.0 ** max(0, streak - 1)))

    def hang(self, *, now: float, started: float, last_beat: float | None) -> str | None:
        """Why the child counts as hung at ``now`` (its start and last heartbeat seen), or None."""
        if last_beat is None:
            if now - started >= self.start_grace_s:
                return f"no heartbeat within {self.start_grace_s:g} s of the start"
            return None
        if now - last_beat >= self.hang_after_s:
            return f"no heartbeat for {self.hang_after_s:g} s"
        return None


class Restarts:
    """The policy applied to one supervisor's runs, one end at a time (holds only the streak)."""

    def __init__(self, policy: RestartPolicy) -> None:
        self.policy = policy
        self.streak = 0

    def after(self, end: ChildEnd) -> Verdict:
        if end.kind == EndKind.CLEAN:
            self.streak = 0
            return Verdict(False, 0.0, end.reason(), 0, False)
        self.streak = self.streak + 1 if end.ran_s < self.policy.stable_after_s else 1
        return Verdict(True, self.policy.delay(self.streak), end.reason(), self.streak, self.streak >= self.policy.loop_after)
