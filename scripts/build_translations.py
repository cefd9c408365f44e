"""Translations: refresh the ``.ts`` sources from the code, and compile them to ``.qm``.

    python scripts/build_translations.py            # compile resources/translations/*.ts -> *.qm
    python scripts/build_translations.py --update   # first collect new tr("...") strings into the .ts

Both steps use the lupdate/lrelease that ship inside PySide6, so no Qt SDK is needed.
The packaging build runs this before PyInstaller so the bundle carries the ``.qm`` files.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.ui.i18n import LANGUAGES, TS_NAME, compile_ts, lrelease_path  # noqa: E402

TRANSLATIONS = REPO / "resources" / "translations"
SOURCES = REPO / "kiosk" / "ui"
# Qt-free modules whose phrases the UI translates (marked with QT_TRANSLATE_NOOP).
MARKED = (REPO / "kiosk" / "capture" / "guidance.py", REPO / "kiosk" / "flows" / "reasons.py")


def lupdate_path() -> Path:
    tool = lrelease_path()
    if tool is None:
        raise SystemExit("PySide6's lrelease not found")
    return tool.with_name(tool.name.replace("lrelease", "lupdate"))


def update() -> None:
    files = sorted(str(p) for p in SOURCES.rglob("*.py")) + [str(p) for p in MARKED]
    for lang in LANGUAGES:
        if lang == "en":
            continue  # English is the source language
        ts = TRANSLATIONS / TS_NAME.format(lang=lang)
        subprocess.run([str(lupdate_path()), "-no-obsolete", "-locations", "none", *files, "-ts", str(ts)], check=True)


def build() -> list[Path]:
    out = []
    for ts in sorted(TRANSLATIONS.glob("*.ts")):
        out.append(compile_ts(ts, ts.with_suffix(".qm")))
        print(f"{ts.name} -> {out[-1].name}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="collect strings from kiosk/ui into the .ts files first")
    args = parser.parse_args(argv)
    if args.update:
        update()
    build()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
