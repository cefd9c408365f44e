"""Models that fail: session creation refused by the GPU, inference failing mid-life (fault injection).

The models, photos and CPU sessions are real; only the GPU's failure is injected
(``tests/capture/faults.py``), since this machine has no GPU to break.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from pathlib import Path

import pytest

from kiosk.engine import providers
from kiosk.engine.analyzer import FaceAnalyzer
from kiosk.engine.images import load_image
from kiosk.engine.providers import CPU, DIRECTML
from kiosk.engine.recovery import REBUILDS_BEFORE_CPU, ModelFault, RecoveryAction

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared fault injection
from capture.faults import DirectMLStandIn, FailingSession  # noqa: E402


@pytest.fixture
def fresh_warnings(monkeypatch):
    monkeypatch.setattr(providers, "_warned", set())


def gpu_analyzer(pack, settings) -> FaceAnalyzer:
    runtime = dataclasses.replace(settings.runtime, providers=["directml", "cpu"])
    return FaceAnalyzer(pack, runtime, settings.login)


def test_session_creation_that_throws_ends_on_cpu_with_one_warning(pack, settings, faces_dir, monkeypatch, caplog, fresh_warnings):
    """FAULT INJECTION: DirectML refuses every session at creation, as it does under Wine (80070057)."""
    gpu = DirectMLStandIn(refuse=True).install(monkeypatch)
    with caplog.at_level(logging.INFO, logger="kiosk.engine.providers"):
        analyzer = gpu_analyzer(pack, settings)
    assert len(gpu.refused) == 4  # detector, recognizer, two liveness models: each was tried on DirectML
    assert set(analyzer.providers.values()) == {CPU}
    assert set(analyzer.fallbacks) == {"detector", "recognizer", "liveness"}
    assert all(why.startswith(f"{DIRECTML} session creation failed") and "80070057" in why for why in analyzer.fallbacks.values())
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "80070057" in warnings[0].getMessage() and warnings[0].exc_info is None
    assert analyzer.embed_image(faces_dir / "deepface" / "img1.jpg").embedding is not None


def test_doctor_names_the_provider_each_model_runs_on_and_why(monkeypatch, capsys, fresh_warnings):
    """FAULT INJECTION: the same refused DirectML sessions, seen through ``kiosk doctor``: warnings, no traceback."""
    from kiosk.cli.main import main

    DirectMLStandIn(refuse=True).install(monkeypatch)
    monkeypatch.setenv("KIOSK_RUNTIME_PROVIDERS", "directml,cpu")
    code = main(["doctor", "--cameras", "0"])
    out = capsys.readouterr()
    assert code == 0, out.out
    assert f"detector on {CPU}" in out.out and "Traceback" not in out.out + out.err
    assert "EP Error" not in out.out  # ONNX Runtime's own fallback (and its banner) is off
    lines = [line for line in out.out.splitlines() if line.startswith("warn") and " provider " in line]
    assert len(lines) == 3 and all("80070057" in line for line in lines), out.out
    assert out.err.count("80070057") <= 1  # the one warning (when logging reaches stderr), not one per model


def test_a_model_that_keeps_failing_is_rebuilt_then_moved_to_cpu(pack, settings, faces_dir, monkeypatch, fresh_warnings):
    """FAULT INJECTION: the detector's DirectML session fails on every run after start-up, rebuilt ones too."""
    made = []

    def wrap(path, session):
        failing = Path(path).name == pack.detector.file
        made.append(FailingSession(session, fail_on=None if failing else set(), healthy_calls=1 if not made else 0, provider=DIRECTML))
        return made[-1]

    DirectMLStandIn(wrap=wrap).install(monkeypatch)
    analyzer = gpu_analyzer(pack, settings)
    assert analyzer.detector.provider == DIRECTML and analyzer.fallbacks == {}
    photo = load_image(faces_dir / "deepface" / "img1.jpg")
    actions = []
    for _ in range(REBUILDS_BEFORE_CPU + 1):
        with pytest.raises(ModelFault, match="detector model on DmlExecutionProvider failed") as fault:
            analyzer.analyze(photo)
        actions.append(analyzer.recover(fault.value))
    assert [a.action for a in actions] == [RecoveryAction.REBUILT] * REBUILDS_BEFORE_CPU + [RecoveryAction.MOVED_TO_CPU]
    assert actions[-1].provider == CPU and analyzer.detector.provider == CPU
    assert analyzer.fallbacks["detector"] == f"moved to CPU after {REBUILDS_BEFORE_CPU + 1} failures on {DIRECTML}: RuntimeError"
    assert len(analyzer.analyze(photo)) == 1  # serving again, on CPU
    assert analyzer.embedder.provider == DIRECTML  # the healthy models stay where they were


def test_one_failure_is_answered_by_a_rebuild_on_the_same_provider(pack, settings, faces_dir):
    """FAULT INJECTION: the recognizer raises on its 5th call only; after one rebuild it serves on."""
    analyzer = FaceAnalyzer.from_settings(pack, settings)
    loaded = analyzer.embedder.loaded
    analyzer.embedder.loaded = dataclasses.replace(loaded, session=FailingSession(loaded.session, fail_on={5}))
    photo = faces_dir / "deepface" / "img1.jpg"
    for _ in range(4):
        analyzer.embed_image(photo)
    with pytest.raises(ModelFault, match="recognizer model on CPUExecutionProvider failed: RuntimeError: 887A0005") as fault:
        analyzer.embed_image(photo)
    recovery = analyzer.recover(fault.value)
    assert (recovery.action, recovery.provider, recovery.failures) == (RecoveryAction.REBUILT, CPU, 1)
    assert analyzer.embed_image(photo).embedding is not None
    assert analyzer.fallbacks == {}


def test_a_gpu_that_fails_its_first_run_starts_the_kiosk_on_cpu(pack, settings, monkeypatch, fresh_warnings):
    """FAULT INJECTION: every DirectML recognizer session is created, then fails each run (warm-up included)."""

    def wrap(path, session):
        failing = Path(path).name == pack.recognizer.file
        return FailingSession(session, fail_on=None if failing else set(), provider=DIRECTML)

    DirectMLStandIn(wrap=wrap).install(monkeypatch)
    analyzer = gpu_analyzer(pack, settings)
    assert analyzer.embedder.provider == CPU and analyzer.detector.provider == DIRECTML
    assert analyzer.fallbacks == {"recognizer": f"moved to CPU after {REBUILDS_BEFORE_CPU + 1} failures on {DIRECTML}: RuntimeError"}
