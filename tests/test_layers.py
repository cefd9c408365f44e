"""The layer rule of docs/architecture.md, checked on every module's imports (an AST walk, lazy imports included).

Only ``kiosk/ui`` imports Qt, and an import never points to a higher layer:
base < engine < store/match/capture/gallery/events < registry/fleet < flows < app < cli/ui.
A new top-level module must be placed in ``LAYERS`` before this passes.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kiosk"

LAYERS = {
    # base: settings, error types, paths, small helpers, the typed event hub
    "": 0, "config": 0, "errors": 0, "paths": 0, "fsutil": 0, "clock": 0, "emitter": 0,
    "engine": 1,
    "store": 2, "match": 2, "capture": 2, "gallery": 2, "events": 2,
    "registry": 3, "fleet": 3,
    "flows": 4,
    "app": 5,  # the application model (kiosk/app): Qt-free, what the window and a headless kiosk drive
    "cli": 6, "ui": 6, "__main__": 6,
}
QT_MODULES = ("PySide6", "shiboken6", "superqt", "qtpy", "PyQt5", "PyQt6")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_name(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def violations() -> tuple[list[str], list[str], list[str]]:
    qt, upward, unplaced = [], [], set()
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        own = top_name(source)
        if own not in LAYERS:
            unplaced.add(own)
            continue
        for line, target in imports(path):
            where = f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
            if target.split(".")[0] in QT_MODULES and own != "ui":
                qt.append(where)
            if target == "kiosk" or target.startswith("kiosk."):
                other = top_name(target)
                if other not in LAYERS:
                    unplaced.add(other)
                elif LAYERS[other] > LAYERS[own]:
                    upward.append(f"{where} (layer {LAYERS[own]} -> {LAYERS[other]})")
    return qt, upward, sorted(unplaced)


def test_only_kiosk_ui_imports_qt_and_imports_point_downward():
    qt, upward, unplaced = violations()
    assert not unplaced, f"place these top-level modules in LAYERS (and docs/architecture.md): {unplaced}"
    assert not qt, "Qt outside kiosk/ui:\n" + "\n".join(qt)
    assert not upward, "imports pointing to a higher layer:\n" + "\n".join(upward)


def test_the_checker_sees_a_violation(tmp_path, monkeypatch):
    """A lower layer importing a higher one, and Qt in the engine, are both caught (lazy imports too)."""
    fake = tmp_path / "kiosk"
    (fake / "engine").mkdir(parents=True)
    (fake / "engine" / "bad.py").write_text("def f():\n    from kiosk.flows import enroll\n    import PySide6.QtCore\n")
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    qt, upward, unplaced = violations()
    assert qt == ["kiosk/engine/bad.py:3 imports PySide6.QtCore"]
    assert upward == ["kiosk/engine/bad.py:2 imports kiosk.flows (layer 1 -> 4)"]
    assert unplaced == []
