"""Build-time helpers for ``kiosk.spec``: what goes into the bundle, decided in plain Python.

They live outside the spec so tests can check them on Linux in seconds, without running
PyInstaller (a build takes minutes). Nothing here runs inside the frozen kiosk.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESOURCES = REPO / "resources"
VERSION_TEMPLATE = Path(__file__).resolve().parent / "version_info.txt.in"

BUNDLE_MODELS_ENV = "KIOSK_BUNDLE_MODELS"
PRODUCT = "Face Kiosk"
COMPANY = "Face Kiosk"

# Packages the kiosk never imports at run time (dev tools, plotting, the test runner).
EXCLUDES = [
    "tkinter",
    "_tkinter",
    "matplotlib",
    "scipy",
    "sklearn",
    "skimage",
    "albumentations",
    "albucore",
    "pandas",
    "IPython",
    "pytest",
    "_pytest",
    "pytestqt",
    "Cython",
    "pydantic",
    "networkx",
    "imageio",
    "PIL",
    "PyInstaller",
    "yaml",  # only numpy.show_config() would use it
    "setuptools",
    "distutils",
    "pkg_resources",
    # Qt modules the widgets UI does not use (only QtCore, QtGui, QtWidgets are, and QtOpenGL and
    # QtOpenGLWidgets, which pyqtgraph's curve items import unconditionally: the dashboard's charts).
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtSql",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtTest",
]

# Resources that are sources or machine-local, never shipped: translation sources are
# compiled to .qm by translation_datas; models/ is filled only from KIOSK_BUNDLE_MODELS.
_RESOURCE_SKIP_DIRS = {"models", "__pycache__"}
_RESOURCE_SKIP_SUFFIXES = {".ts", ".qm", ".pyc"}


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3"`` -> ``(1, 2, 3, 0)``; a pre-release suffix (``1.2.3rc1``) keeps its numbers only."""
    match = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?", version.strip())
    if not match:
        raise ValueError(f"version {version!r} does not start with a number")
    parts = tuple(int(p) if p is not None else 0 for p in match.groups())
    if any(p > 0xFFFF for p in parts):
        raise ValueError(f"version {version!r}: Windows allows at most 65535 per field")
    return parts  # type: ignore[return-value]


def render_version_info(version: str, exe_name: str, description: str, out: Path) -> Path:
    """Write the Windows version resource for one executable from ``version_info.txt.in``."""
    values = {
        "VERSION_TUPLE": repr(version_tuple(version)),
        "VERSION": version,
        "EXE_NAME": exe_name,
        "DESCRIPTION": description,
        "PRODUCT": PRODUCT,
        "COMPANY": COMPANY,
        "COPYRIGHT": f"(c) {COMPANY}",
    }
    text = VERSION_TEMPLATE.read_text(encoding="utf-8")
    for key, value in values.items():
        if "'" in value:
            raise ValueError(f"{key} must not contain a quote: {value!r}")
        text = text.replace(f"@{key}@", value)
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise ValueError(f"{VERSION_TEMPLATE.name}: unfilled placeholders {leftover}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out


def resource_datas(resources: Path = RESOURCES) -> list[tuple[str, str]]:
    """Every shipped file under ``resources/`` as a (source, destination folder) pair."""
    out = []
    for path in sorted(resources.rglob("*")):
        rel = path.relative_to(resources)
        if not path.is_file() or _RESOURCE_SKIP_DIRS & set(rel.parts[:-1]) or path.suffix in _RESOURCE_SKIP_SUFFIXES:
            continue
        out.append((str(path), (Path("resources") / rel.parent).as_posix()))
    return out


def translation_datas(work: Path, resources: Path = RESOURCES) -> list[tuple[str, str]]:
    """Compile every ``resources/translations/*.ts`` into ``work`` and ship the ``.qm``.

    Compiling here (not trusting a ``.qm`` lying in the checkout, which git ignores) means a
    bundle never carries a stale catalogue.
    """
    sources = sorted((resources / "translations").glob("*.ts"))
    if not sources:
        return []
    from kiosk.ui.i18n import compile_ts

    return [(str(compile_ts(ts, work / "translations" / f"{ts.stem}.qm")), "resources/translations") for ts in sources]


def model_pack_datas(environ: Mapping[str, str] = os.environ) -> tuple[str | None, list[tuple[str, str]]]:
    """The pack named by ``KIOSK_BUNDLE_MODELS``, checked now, as ``resources/models/<pack name>``.

    The pack is opened and every hash verified at build time: a wrong folder fails the
    build with the pack loader's message instead of producing a kiosk that cannot start.
    Only the manifest and the files it lists are copied.
    """
    folder = environ.get(BUNDLE_MODELS_ENV)
    if not folder:
        return None, []
    from kiosk.engine.pack import MANIFEST, load_pack
    from kiosk.errors import KioskError

    try:
        pack = load_pack(Path(folder), verify=True)
    except KioskError as exc:
        raise SystemExit(f"{BUNDLE_MODELS_ENV}={folder}: {exc}") from None
    dest = f"resources/models/{pack.name}"
    datas = [(str(pack.path(entry)), dest) for entry in pack.files]
    own_manifest = pack.root / MANIFEST
    if own_manifest.is_file():
        datas.append((str(own_manifest), dest))
    return pack.name, datas


# Qt's own catalogues (standard dialogs) for the kiosk's two languages; the other ~95 go.
_QT_TRANSLATIONS = "PySide6/Qt/translations/"
_QT_KEEP = re.compile(r"qt(base)?_(en|ko)\.qm$")


def keep_data(dest: str) -> bool:
    """Filter for ``Analysis.datas`` destinations."""
    dest = dest.replace("\\", "/")
    return not dest.startswith(_QT_TRANSLATIONS) or bool(_QT_KEEP.search(dest))


def gui_scripts(scripts: Iterable[tuple], gui_entry: Path) -> list[tuple]:
    """The console executable's scripts with its main script swapped for the GUI entry.

    ``Analysis.scripts`` is the runtime hooks followed by the main script. Both executables
    share one Analysis (one PYZ and one set of binaries in one COLLECT), so the windowed
    one costs a few kilobytes instead of a second analysis and a second copy of everything.
    """
    scripts = list(scripts)
    if not scripts or scripts[-1][2] != "PYSOURCE":
        raise ValueError("Analysis.scripts does not end with the main script")
    return [*scripts[:-1], (gui_entry.stem, str(gui_entry), "PYSOURCE")]


def is_windows() -> bool:
    return sys.platform == "win32"
