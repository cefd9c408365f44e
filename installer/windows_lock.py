"""What ``uv sync --frozen --extra dev`` installs on 64-bit Windows, read from ``uv.lock``.

Used by tests/test_install.py (every package must have a usable wheel: no compiler on
Windows) and by scripts/windows_smoke.sh, which downloads exactly these wheels for the
Wine run. Runs on any OS; needs ``uv`` on PATH and the ``packaging`` library.

    python installer/windows_lock.py 3.11      # name==version, one a line
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

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


if __name__ == "__main__":
    for name, version in sorted(windows_selection(sys.argv[1] if len(sys.argv) > 1 else "3.11").items()):
        print(f"{name}=={version}")
