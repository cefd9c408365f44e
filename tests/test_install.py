"""The environment holds exactly one OpenCV and one ONNX Runtime distribution.

insightface depends on the GUI ``opencv-python`` (its own Qt) and CPU ``onnxruntime``;
pyproject's [tool.uv] overrides keep them out. Two OpenCVs mean two Qts in one process;
two onnxruntimes mean whichever was installed last wins (and DirectML silently lost).
"""

from __future__ import annotations

from importlib import metadata

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
