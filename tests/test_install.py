"""The environment holds exactly one OpenCV and one ONNX Runtime distribution.

pyproject's [tool.uv] overrides keep the GUI ``opencv-python`` (its own Qt) and a CPU
``onnxruntime`` out. Two OpenCVs mean two Qts in one process;
two onnxruntimes mean whichever was installed last wins (and DirectML silently lost).
"""

from __future__ import annotations

import subprocess
from importlib import metadata
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent

OPENCV = {"opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv-contrib-python-headless"}
ONNXRUNTIME = {"onnxruntime", "onnxruntime-gpu", "onnxruntime-directml", "onnxruntime-openvino"}


def _installed() -> set[str]:
    return {(d.metadata["Name"] or "").lower() for d in metadata.distributions()}


def test_exactly_one_opencv_headless():
    found = _installed() & OPENCV
    assert found == {"opencv-python-headless"}, found


def test_exactly_one_onnxruntime():
    found = _installed() & ONNXRUNTIME
    assert len(found) == 1, found


def test_opencv_has_no_gui_backend():
    import cv2

    info = cv2.getBuildInformation()
    gui = next(line for line in info.splitlines() if line.strip().startswith("GUI:"))
    assert "QT" not in gui.upper(), gui


# What a Windows install is (the README's commands: the project, its dev extra).
WINDOWS_PYTHONS = ("3.11", "3.12")


def _windows_environment(python: str) -> dict[str, str]:
    return {
        "sys_platform": "win32",
        "platform_system": "Windows",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "platform_python_implementation": "CPython",
        "implementation_name": "cpython",
        "python_version": python,
        "python_full_version": f"{python}.0",
        "extra": "",
    }


def windows_selection(python: str) -> dict[str, str]:
    """``{name: version}`` that ``uv sync --frozen --extra dev`` installs on win_amd64 for ``python``."""
    from packaging.requirements import Requirement

    exported = subprocess.run(
        ["uv", "export", "--frozen", "--extra", "dev", "--no-emit-project", "--no-hashes", "--no-header",
         "--no-annotate"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    selected = {}
    for line in exported.splitlines():
        if line.strip() and not line.startswith(("#", " ")):
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate(_windows_environment(python)):
                selected[req.name] = str(req.specifier).removeprefix("==")
    return selected


def wheel_usable_on_windows(filename: str, python: str) -> bool:
    from packaging.tags import compatible_tags, cpython_tags
    from packaging.utils import parse_wheel_filename

    version = tuple(int(p) for p in python.split("."))
    cp = f"cp{version[0]}{version[1]}"
    usable = set(cpython_tags(version, [cp, "abi3", "none"], ["win_amd64"]))
    usable |= set(compatible_tags(version, cp, ["win_amd64"]))
    return bool(parse_wheel_filename(filename)[3] & usable)


def test_every_package_a_windows_install_selects_has_a_wheel():
    """No package on Windows may need building from source (that needs the MSVC build tools).

    insightface 0.7.3, an sdist with a Cython extension, was the one that did (issue 11).
    """
    lock = {(p["name"], p["version"]): p for p in tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))["package"]}
    for python in WINDOWS_PYTHONS:
        selected = windows_selection(python)
        assert "onnxruntime-directml" in selected and "pyside6-essentials" in selected, sorted(selected)
        for name, version in sorted(selected.items()):
            wheels = [w["url"].rsplit("/", 1)[-1] for w in lock[(name, version)].get("wheels", [])]
            assert any(wheel_usable_on_windows(w, python) for w in wheels), (
                f"{name}=={version} has no wheel for CPython {python} win_amd64 in uv.lock (only an sdist): "
                "a Windows install would have to compile it"
            )


def test_the_wheel_check_refuses_what_windows_cannot_use():
    assert wheel_usable_on_windows("numpy-2.1.3-cp311-cp311-win_amd64.whl", "3.11")
    assert wheel_usable_on_windows("tomli_w-1.2.0-py3-none-any.whl", "3.12")
    assert wheel_usable_on_windows("cryptography-42.0.5-cp39-abi3-win_amd64.whl", "3.12")
    assert not wheel_usable_on_windows("numpy-2.1.3-cp311-cp311-win_amd64.whl", "3.12")
    assert not wheel_usable_on_windows("numpy-2.1.3-cp311-cp311-manylinux_2_17_x86_64.whl", "3.11")
    assert not wheel_usable_on_windows("numpy-2.1.3-cp311-cp311-win32.whl", "3.11")
