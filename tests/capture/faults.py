"""FAULT INJECTION ONLY: wrappers that make a real source or a real model session fail.

A source that fails like an unplugged camera, a session that fails like a removed
GPU. Everything they deliver comes from the wrapped real object; the only thing they
fake is the failure, which is what cannot be produced on demand with real hardware.
"""

from __future__ import annotations

from kiosk.capture.sources import FrameSource
from kiosk.capture.types import Frame
from kiosk.errors import CameraError


class DyingSource(FrameSource):
    """Raises ``CameraError`` after ``die_after`` frames, for the first ``deaths`` openings only.

    After that many failures it behaves like the wrapped source, as a camera that was
    plugged back in; ``opens`` counts the (re)openings so tests can see the retries.
    """

    live = True

    def __init__(self, inner: FrameSource, die_after: int, deaths: int = 1) -> None:
        self.inner = inner
        self.die_after = die_after
        self.deaths_left = deaths
        self.opens = 0
        self._since_open = 0

    @property
    def fps(self) -> float | None:  # type: ignore[override]
        return self.inner.fps

    def describe(self) -> str:
        return f"{self.inner.describe()} (fault injected)"

    def open(self) -> None:
        self.opens += 1
        self._since_open = 0
        self.inner.open()

    def read(self) -> Frame:
        if self.deaths_left > 0 and self._since_open >= self.die_after:
            self.deaths_left -= 1
            self.inner.close()
            raise CameraError("camera 0 stopped delivering frames (injected fault)")
        self._since_open += 1
        return self.inner.read()

    def close(self) -> None:
        self.inner.close()


class FailingSession:
    """FAULT INJECTION ONLY: a real ONNX Runtime session whose ``run`` raises like a failing GPU.

    It answers ``healthy_calls`` runs with the real session, then raises ``RuntimeError``
    on the runs listed in ``fail_on`` (1-based call numbers), or on every later run when
    ``fail_on`` is None. ``provider`` is what it claims to run on (a DirectML stand-in:
    this machine has no GPU). Everything else is the wrapped session's.
    """

    def __init__(self, inner, *, fail_on: set[int] | None = None, healthy_calls: int = 0, provider: str | None = None) -> None:
        self.inner = inner
        self.fail_on = fail_on
        self.healthy_calls = healthy_calls
        self.provider = provider
        self.calls = 0

    def run(self, *args, **kwargs):
        self.calls += 1
        failing = self.calls in self.fail_on if self.fail_on is not None else self.calls > self.healthy_calls
        if failing:
            raise RuntimeError(f"887A0005 the GPU device instance has been suspended (injected fault, call {self.calls})")
        return self.inner.run(*args, **kwargs)

    def get_providers(self):
        return [self.provider, *self.inner.get_providers()] if self.provider else self.inner.get_providers()

    def __getattr__(self, name):
        return getattr(self.inner, name)


DIRECTML = "DmlExecutionProvider"
# What ONNX Runtime 1.x raises when a DirectML session cannot be created under Wine 8 (issue 11).
WINE_DML_ERROR = (
    "[ONNXRuntimeError] : 1 : FAIL : dml_provider_factory.cc(...)\\onnxruntime::DMLProviderFactory::CreateProvider "
    "80070057 The parameter is incorrect."
)


class DirectMLStandIn:
    """FAULT INJECTION ONLY: ``onnxruntime.InferenceSession`` on a machine whose DirectML device fails.

    This machine has no GPU, so it stands in for one: ``install`` makes ONNX Runtime
    list DirectML as available, and a session asked for DirectML is either refused at
    creation (``refuse``, the Wine failure) or created for real on CPU and handed to
    ``wrap(path, session)``, which may return a ``FailingSession``. Sessions asked for
    CPU only are real and untouched.
    """

    def __init__(self, *, refuse: bool = False, wrap=None) -> None:
        import onnxruntime as ort

        self.real = ort.InferenceSession
        self.refuse = refuse
        self.wrap = wrap or (lambda path, session: FailingSession(session, fail_on=set(), provider=DIRECTML))
        self.refused: list[str] = []

    def install(self, monkeypatch) -> DirectMLStandIn:
        import onnxruntime as ort

        monkeypatch.setattr(ort, "InferenceSession", self)
        monkeypatch.setattr(ort, "get_available_providers", lambda: [DIRECTML, "CPUExecutionProvider"])
        return self

    def __call__(self, path, sess_options=None, providers=None):
        if not providers or providers[0] != DIRECTML:
            return self.real(path, sess_options=sess_options, providers=providers)
        if self.refuse:
            self.refused.append(str(path))
            raise RuntimeError(WINE_DML_ERROR)
        return self.wrap(str(path), self.real(path, sess_options=sess_options, providers=["CPUExecutionProvider"]))
