"""Guard against the PySide6 6.12.0 emit() reference leak (pyproject excludes that release).

On 6.12.0 with Python < 3.12, every Python-side ``emit()`` lowers the reference count of
``True``; a 30 fps preview aborts the interpreter ("bool_dealloc") within about 20 s.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ping = Signal(int)


def test_emit_keeps_reference_counts(qapp):
    emitter = _Emitter()
    received = []
    emitter.ping.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(2000):
        emitter.ping.emit(i)
    assert len(received) == 2000
    assert sys.getrefcount(True) >= before - 5
