"""Execution-provider selection, tested against given lists of available providers."""

from __future__ import annotations

import onnxruntime as ort
import pytest

from kiosk.engine.providers import CPU, CUDA, DIRECTML, choose_providers, session_options
from kiosk.errors import ConfigError

DEFAULT = [DIRECTML, CUDA, CPU]


@pytest.mark.parametrize(
    ("available", "expected"),
    [
        ([DIRECTML, CPU], [DIRECTML, CPU]),  # Windows with onnxruntime-directml
        ([CUDA, CPU], [CUDA, CPU]),  # Linux with onnxruntime-gpu
        (["AzureExecutionProvider", CPU], [CPU]),  # plain onnxruntime
        ([DIRECTML, CUDA, CPU], [DIRECTML, CUDA, CPU]),
    ],
)
def test_default_order(available, expected):
    assert choose_providers(DEFAULT, available) == expected


def test_override_and_aliases():
    assert choose_providers(["cpu"], [DIRECTML, CPU]) == [CPU]
    assert choose_providers(["cuda", "directml"], [DIRECTML, CUDA, CPU]) == [CUDA, DIRECTML, CPU]


def test_cpu_is_last_resort_when_gpu_missing():
    assert choose_providers(["directml"], [CPU]) == [CPU]


def test_nothing_available_names_the_setting():
    with pytest.raises(ConfigError, match="runtime.providers"):
        choose_providers(["TensorrtExecutionProvider"], [DIRECTML])


def test_directml_session_options():
    dml = session_options(DIRECTML)
    assert dml.enable_mem_pattern is False
    assert dml.execution_mode == ort.ExecutionMode.ORT_SEQUENTIAL
    assert session_options(CPU, 2).intra_op_num_threads == 2


def test_analyzer_reports_real_providers(analyzer):
    assert set(analyzer.providers.values()) == {CPU}
    assert {"detector", "recognizer"} <= set(analyzer.providers)
