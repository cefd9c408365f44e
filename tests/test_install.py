"""The environment holds exactly one OpenCV and one ONNX Runtime distribution.

pyproject's [tool.uv] overrides keep the GUI ``opencv-python`` (its own Qt) and a CPU
``onnxruntime`` out. Two OpenCVs mean two Qts in one process;
two onnxruntimes mean whichever was installed last wins (and DirectML silently lost).
"""

from __future__ import annotations

import importlib.util
from importlib import metadata
from pathlib import Path

import tomllib

REPO = Path(__file__).resolve().parent.parent


def _windows_lock():
    spec = importlib.util.spec_from_file_location("windows_lock", REPO / "installer" / "windows_lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


windows_lock = _windows_lock()

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


def test_every_package_a_windows_install_selects_has_a_wheel():
    """No package on Windows may need building from source (that needs the MSVC build tools).

    insightface 0.7.3, an sdist with a Cython extension, was the one that did (issue 11).
    """
    lock = {(p["name"], p["version"]): p for p in tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))["package"]}
    for python in windows_lock.WINDOWS_PYTHONS:
        selected = windows_lock.windows_selection(python)
        assert "onnxruntime-directml" in selected and "pyside6-essentials" in selected, sorted(selected)
        for name, version in sorted(selected.items()):
            wheels = [w["url"].rsplit("/", 1)[-1] for w in lock[(name, version)].get("wheels", [])]
            assert any(windows_lock.wheel_usable_on_windows(w, python) for w in wheels), (
                f"{name}=={version} has no wheel for CPython {python} win_amd64 in uv.lock (only an sdist): "
                "a Windows install would have to compile it"
            )


def test_the_wheel_check_refuses_what_windows_cannot_use():
    assert windows_lock.wheel_usable_on_windows("numpy-2.1.3-cp311-cp311-win_amd64.whl", "3.11")
    assert windows_lock.wheel_usable_on_windows("tomli_w-1.2.0-py3-none-any.whl", "3.12")
    assert windows_lock.wheel_usable_on_windows("cryptography-42.0.5-cp39-abi3-win_amd64.whl", "3.12")
    assert not windows_lock.wheel_usable_on_windows("numpy-2.1.3-cp311-cp311-win_amd64.whl", "3.12")
    assert not windows_lock.wheel_usable_on_windows("numpy-2.1.3-cp311-cp311-manylinux_2_17_x86_64.whl", "3.11")
    assert not windows_lock.wheel_usable_on_windows("numpy-2.1.3-cp311-cp311-win32.whl", "3.11")
