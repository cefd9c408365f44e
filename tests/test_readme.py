"""The README's two set-up commands stay true: CI runs the README's test command."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _setup_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("```", 2)[1]
    return [line.strip() for line in block.strip().splitlines() if line.strip()]


def test_readme_opens_with_two_commands():
    commands = _setup_commands()
    assert len(commands) == 2
    assert "kiosk" in commands[0] and "run" in commands[0]
    assert commands[1].endswith("pytest")


def test_the_first_command_builds_the_trained_pack_once_and_runs_the_kiosk_on_it():
    """It chains build-default and run with ``&&`` (cmd, PowerShell 7 and POSIX shells) and names the pack it built."""
    from kiosk.cli.build_default import DEFAULT_NAME

    steps = [step.strip() for step in _setup_commands()[0].split("&&")]
    assert steps[0] == "pip install uv"
    assert steps[1].endswith("kiosk liveness build-default")
    assert steps[2].endswith(f"kiosk --models {DEFAULT_NAME} run --windowed")


def test_ci_runs_the_readme_test_command():
    test_command = _setup_commands()[1].split("&&")[-1].strip()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()
