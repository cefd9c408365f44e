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

from kiosk.engine.recovery import first_line
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
    # ONNX Runtime's pool threads otherwise spin-wait after each run: CPU burnt between the
    # frames of a resting kiosk (one analysis a second) and stolen from the preview (issue 15).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
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
    wanted: str = CPU  # the first provider asked for
    fallback: str | None = None  # why ``provider`` is not ``wanted`` (None when it is)


# Reasons already warned about, per wanted provider: a GPU that refuses sessions refuses
# every model (under Wine each DirectML session fails with 80070057), and one warning
# naming the reason tells the operator more than four identical ones.
_warned: set[tuple[str, str]] = set()


def _warn_fallback(model: str, wanted: str, actual: str, reason: str) -> None:
    if (wanted, reason) in _warned:
        log.info("%s runs on %s: %s", model, actual, reason)
        return
    _warned.add((wanted, reason))
    log.warning("%s runs on %s: %s", model, actual, reason)


def create_session(path: Path, preferred: Sequence[str], intra_op_threads: int = 0, model: bytes | None = None) -> LoadedSession:
    """An inference session on the first preferred provider that accepts the model.

    ``model``: the serialised graph when it was changed in memory (a liveness model with its
    embedding tapped, ``liveness_embedding``); ``path`` then only names it in messages.

    ONNX Runtime moves a model to the next provider when the first cannot take it,
    but when creating the session on the provider itself throws (a broken driver, an
    old GPU, DirectML under Wine) it gives up. Then the model is created again on
    CPU, with one warning naming the reason, which ``fallback`` keeps for ``doctor``.
    """
    providers = choose_providers(preferred, ort.get_available_providers())
    source = model if model is not None else str(path)
    try:
        session = _new_session(source, providers, intra_op_threads)
    except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own untyped errors
        if providers == [CPU]:
            raise ModelPackError(f"cannot load model {path.name}: {first_line(exc)}") from None
        reason = f"{providers[0]} session creation failed: {first_line(exc)}"
        try:
            session = _new_session(source, [CPU], intra_op_threads)
        except Exception as cpu_exc:  # noqa: BLE001 - the file itself is bad
            raise ModelPackError(f"cannot load model {path.name}: {first_line(cpu_exc)}") from None
        _warn_fallback(path.name, providers[0], CPU, reason)
        return LoadedSession(session=session, provider=CPU, wanted=providers[0], fallback=reason)
    actual = session.get_providers()[0]
    fallback = None
    if actual != providers[0]:
        fallback = f"ONNX Runtime placed it on {actual}, not {providers[0]}"
        _warn_fallback(path.name, providers[0], actual, fallback)
    return LoadedSession(session=session, provider=actual, wanted=providers[0], fallback=fallback)


def _new_session(model: str | bytes, providers: list[str], intra_op_threads: int) -> ort.InferenceSession:
    # enable_fallback=0: ONNX Runtime's own retry on CPU prints a banner to stdout (into
    # `--json` output) and hides the reason; the error reaches create_session instead,
    # which falls back with the reason named (under Wine: "Failed to load dxcore.dll").
    return ort.InferenceSession(
        model,
        sess_options=session_options(providers[0], intra_op_threads),
        providers=providers,
        enable_fallback=0,
    )
