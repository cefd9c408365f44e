"""ONNX Runtime execution providers: which to use, with which session options.

The preference order comes from settings (DirectML, CUDA, CPU by default); the
selection logic is a pure function so it is tested against given provider lists.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import onnxruntime as ort

from kiosk.errors import ConfigError, ModelPackError

log = logging.getLogger(__name__)

DIRECTML = "DmlExecutionProvider"
CUDA = "CUDAExecutionProvider"
CPU = "CPUExecutionProvider"

ALIASES = {
    "directml": DIRECTML,
    "dml": DIRECTML,
    "cuda": CUDA,
    "cpu": CPU,
}


def canonical(name: str) -> str:
    """Accept short names (``directml``, ``cuda``, ``cpu``) as well as ONNX Runtime's own."""
    return ALIASES.get(name.strip().lower(), name.strip())


def choose_providers(preferred: Sequence[str], available: Sequence[str]) -> list[str]:
    """Preferred providers that this ONNX Runtime build offers, in preference order.

    CPU is always kept as the last resort when available, so a GPU provider that fails
    for one model still leaves the kiosk running.
    """
    wanted = [canonical(p) for p in preferred if p.strip()]
    chosen = [p for p in dict.fromkeys(wanted) if p in available]
    if CPU in available and CPU not in chosen:
        chosen.append(CPU)
    if not chosen:
        raise ConfigError(
            "invalid setting runtime.providers: none of "
            f"{', '.join(wanted) or '(empty)'} is available; this ONNX Runtime offers {', '.join(available)}"
        )
    return chosen


def session_options(primary: str, intra_op_threads: int = 0) -> ort.SessionOptions:
    """Session options; DirectML requires memory patterns off and sequential execution."""
    options = ort.SessionOptions()
    options.log_severity_level = 3
    if intra_op_threads > 0:
        options.intra_op_num_threads = intra_op_threads
    if primary == DIRECTML:
        options.enable_mem_pattern = False
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return options


@dataclass(frozen=True)
class LoadedSession:
    session: ort.InferenceSession
    provider: str  # the provider the session actually runs on


def create_session(path: Path, preferred: Sequence[str], intra_op_threads: int = 0) -> LoadedSession:
    """An inference session on the first preferred provider that accepts the model."""
    providers = choose_providers(preferred, ort.get_available_providers())
    try:
        session = ort.InferenceSession(
            str(path),
            sess_options=session_options(providers[0], intra_op_threads),
            providers=providers,
        )
    except Exception as exc:  # onnxruntime raises its own untyped errors for bad files
        raise ModelPackError(f"cannot load model {path.name}: {str(exc).splitlines()[0]}") from None
    actual = session.get_providers()[0]
    if actual != providers[0]:
        log.warning("%s runs on %s (wanted %s)", path.name, actual, providers[0])
    return LoadedSession(session=session, provider=actual)
