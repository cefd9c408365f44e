"""Check the build environment holds exactly one ONNX Runtime and one OpenCV, the right ones.

A dependency that pulls the CPU ``onnxruntime`` or the GUI ``opencv-python`` (insightface
did, until issue 11 removed it) puts them beside ``onnxruntime-directml`` /
``opencv-python-headless``, where they overwrite each other's
files in site-packages, and which one wins is luck. The pyproject's ``[tool.uv]``
overrides prevent that; ``build_windows.ps1`` runs this after ``uv sync`` so a bundle is
never built from a mixed environment.

    python installer/check_env.py      exit 0, or 1 with one line per problem
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from importlib import metadata

ORT_VARIANTS = ("onnxruntime", "onnxruntime-directml", "onnxruntime-gpu", "onnxruntime-openvino")
OPENCV_VARIANTS = ("opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv-contrib-python-headless")


def expected(platform: str) -> dict[str, str]:
    return {
        "onnxruntime": "onnxruntime-directml" if platform == "win32" else "onnxruntime",
        "opencv": "opencv-python-headless",
        "provider": "DmlExecutionProvider" if platform == "win32" else "CPUExecutionProvider",
    }


def problems(installed: Iterable[str], providers: Iterable[str], platform: str) -> list[str]:
    """What is wrong with an environment holding ``installed`` distributions."""
    names = {n.lower().replace("_", "-") for n in installed}
    want = expected(platform)
    out = []
    for family, variants in (("onnxruntime", ORT_VARIANTS), ("opencv", OPENCV_VARIANTS)):
        present = sorted(names & set(variants))
        if present != [want[family]]:
            out.append(f"{family}: need exactly {want[family]}, found {', '.join(present) or 'none'}")
    if want["provider"] not in set(providers):
        out.append(f"onnxruntime offers no {want['provider']} (has {', '.join(providers) or 'none'})")
    return out


def main() -> int:
    import onnxruntime

    installed = [d.metadata["Name"] for d in metadata.distributions()]
    found = problems(installed, onnxruntime.get_available_providers(), sys.platform)
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    if not found:
        print(f"ok: {expected(sys.platform)['onnxruntime']} {onnxruntime.__version__} and opencv-python-headless only")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
