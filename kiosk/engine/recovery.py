"""A model that fails while it runs: which one, and what the analyzer does about it.

DirectML sessions can fail mid-life (the device is removed after a driver update or
sleep, or runs out of memory). Such a model is rebuilt on its provider, since a
fresh session on a re-created device often works; if it keeps failing it is rebuilt
on CPU, slower but serving. The camera worker reports each step to the operator.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Consecutive failures answered by rebuilding on the same provider; the next one moves
# the model to CPU. Two, so one transient fault (a device reset) costs one rebuild.
REBUILDS_BEFORE_CPU = 2


def first_line(exc: BaseException) -> str:
    """An exception's first line (ONNX Runtime's messages can run for pages), or its type when it has none."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class ModelFault(RuntimeError):
    """Inference of one model raised; the original error is ``__cause__``."""

    def __init__(self, role: str, provider: str, cause: BaseException) -> None:
        super().__init__(f"the {role} model on {provider} failed: {type(cause).__name__}: {first_line(cause)}")
        self.role = role
        self.provider = provider
        self.error_type = type(cause).__name__


class RecoveryAction(StrEnum):
    REBUILT = "rebuilt"  # a fresh session on the same provider
    MOVED_TO_CPU = "moved_to_cpu"  # it kept failing: rebuilt on CPU
    FAILED = "failed"  # the rebuild itself failed: the old session stays


@dataclass(frozen=True)
class Recovery:
    """What the analyzer did after a fault (no image, no vector: safe to log and audit)."""

    role: str
    action: RecoveryAction
    provider: str  # what the model runs on now
    failures: int  # consecutive failures so far

    def describe(self) -> str:
        if self.action == RecoveryAction.FAILED:
            return f"{self.role}: rebuilding failed after {self.failures} failure(s); still on {self.provider}"
        verb = "rebuilt" if self.action == RecoveryAction.REBUILT else "moved"
        return f"{self.role} {verb} on {self.provider} after {self.failures} failure(s)"
