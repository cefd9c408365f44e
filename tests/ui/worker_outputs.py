"""Listening to the Qt camera worker's one ``output`` signal by kind of output, as the tests did per signal."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def values(output: Any) -> tuple[Any, ...]:
    """The fields of one ``WorkerOutput``, in order (``CaptureEnded(result)`` -> ``(result,)``)."""
    return tuple(getattr(output, f.name) for f in dataclasses.fields(output))


def on(worker: Any, kind: type, receiver: Callable[..., Any]) -> None:
    """Call ``receiver(*fields)`` for every output of ``kind`` (on the GUI thread, like any listener)."""
    worker.signals.output.connect(lambda output: receiver(*values(output)) if isinstance(output, kind) else None)


class Caught:
    """The first output ``wait_for`` was waiting for."""

    def __init__(self) -> None:
        self.outputs: list[Any] = []

    @property
    def output(self) -> Any:
        return self.outputs[0]


@contextmanager
def wait_for(qtbot: Any, worker: Any, kind: type, timeout: int, check: Callable[..., bool] = lambda *_: True) -> Iterator[Caught]:
    """Listen from before the block, wait after it for the first output of ``kind`` whose fields pass ``check``.

    Not ``qtbot.waitSignal``: ``output`` keeps firing (30 previews a second), and a queued
    delivery reaching a blocker that pytest-qt already tore down raises in the event loop.
    The listener stays connected and ignores everything after the first catch.
    """
    caught = Caught()

    def keep(output: Any) -> None:
        if not caught.outputs and isinstance(output, kind) and check(*values(output)):
            caught.outputs.append(output)

    worker.signals.output.connect(keep)
    yield caught
    qtbot.waitUntil(lambda: bool(caught.outputs), timeout=timeout)
