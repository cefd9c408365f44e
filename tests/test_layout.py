"""Test folders must not shadow installed libraries.

pytest puts ``tests/`` on ``sys.path`` for test packages (folders with ``__init__.py``), so a
folder named like a library (``tests/packaging`` once hid the real ``packaging`` from
matplotlib, depending on test order) breaks imports elsewhere in the run.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_test_folder_shadows_an_installed_module():
    folders = [p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))]
    shadowing = []
    for name in folders:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin and not str(spec.origin).startswith(str(TESTS)):
            shadowing.append(name)
        elif spec is not None and spec.submodule_search_locations and not any(
            str(loc).startswith(str(TESTS)) for loc in spec.submodule_search_locations
        ):
            shadowing.append(name)
    assert not shadowing, f"test folders named like installed modules: {shadowing}"
