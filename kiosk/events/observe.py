"""Things worth an event that no registry call decides: here, a model that fell back to the CPU."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kiosk.engine.providers import CPU, choose_providers


def cpu_fallback(running: Mapping[str, str], preferred: Sequence[str], available: Sequence[str]) -> str | None:
    """The detail of a ``model_cpu_fallback`` audit row, or None.

    A fallback is a model on the CPU although this ONNX Runtime offers the accelerator the
    settings prefer (it refused that model); a machine without one is not a fallback.
    """
    wanted = choose_providers(preferred, available)[0]
    if wanted == CPU:
        return None
    fell = sorted(role for role, provider in running.items() if provider == CPU)
    return f"{', '.join(fell)} on {CPU} (wanted {wanted})" if fell else None
