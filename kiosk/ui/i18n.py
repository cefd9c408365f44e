"""Korean and English: language choice, Qt translators and the ``tr`` helper.

English is the source language. Korean comes from ``resources/translations/
kiosk_ko.ts`` compiled to ``.qm`` by ``scripts/build_translations.py`` (the
build does that before packaging). A source checkout without a compiled ``.qm``
compiles it on first use into a temporary folder with PySide6's own lrelease,
so a developer never sees an untranslated kiosk.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QTranslator

from kiosk import paths

log = logging.getLogger(__name__)

LANGUAGES = ("en", "ko")
TS_NAME = "kiosk_{lang}.ts"
QM_NAME = "kiosk_{lang}.qm"


def tr(text: str) -> str:
    """Translate an English source string (lupdate collects every literal ``tr("...")``)."""
    return QCoreApplication.translate("", text)


def trn(text: str, n: int) -> str:
    """A phrase with a count: ``%n`` in ``text`` becomes ``n`` and the catalogue picks the plural form.

    English is the source language, so its singular and plural come from
    ``kiosk_en.ts`` (numerus entries only), which the switcher installs for English.
    """
    return QCoreApplication.translate("", text, None, n)


class Retranslating:
    """Mixin for widgets: ``retranslate()`` runs again on every LanguageChange.

    Qt delivers LanguageChange to every widget in the tree when a translator is
    installed or removed, so each widget that owns words re-renders its own.
    """

    def retranslate(self) -> None:
        """Set every user-facing string."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]  # a mixin: a QWidget follows it in every user's bases


def resolve_language(setting: str, system_locale: str | None = None) -> str:
    """``auto`` follows the system locale (Korean locale -> ``ko``, anything else -> ``en``)."""
    if setting in LANGUAGES:
        return setting
    name = system_locale if system_locale is not None else QLocale.system().name()
    return "ko" if name.lower().startswith("ko") else "en"


def translations_dir() -> Path:
    return paths.resources_dir() / "translations"


def lrelease_path() -> Path | None:
    """PySide6 ships lrelease inside its package; fall back to one on PATH."""
    import PySide6

    for name in ("lrelease.exe", "lrelease"):
        candidate = Path(PySide6.__file__).parent / name
        if candidate.is_file():
            return candidate
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    return Path(found) if found else None


def compile_ts(ts: Path, qm: Path) -> Path:
    tool = lrelease_path()
    if tool is None:
        raise FileNotFoundError("lrelease not found: install PySide6 (it ships lrelease)")
    qm.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(tool), "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True)
    return qm


_compiled_cache: dict[str, Path] = {}
_compiled_dir: tempfile.TemporaryDirectory | None = None  # removed at exit (each run used to leave one behind)


def qm_file(lang: str, folder: Path | None = None) -> Path | None:
    """The compiled catalogue for ``lang``: the bundled one, else compiled now from the ``.ts``."""
    folder = folder or translations_dir()
    qm = folder / QM_NAME.format(lang=lang)
    ts = folder / TS_NAME.format(lang=lang)
    if qm.is_file() and (not ts.is_file() or qm.stat().st_mtime >= ts.stat().st_mtime):
        return qm  # a stale .qm (older than its .ts) is compiled afresh below
    if not ts.is_file() or getattr(sys, "frozen", False):
        return qm if qm.is_file() else None
    if lang not in _compiled_cache:
        global _compiled_dir
        if _compiled_dir is None:
            _compiled_dir = tempfile.TemporaryDirectory(prefix="kiosk-qm-")
        out = Path(_compiled_dir.name) / qm.name
        try:
            _compiled_cache[lang] = compile_ts(ts, out)
        except (OSError, subprocess.CalledProcessError) as exc:
            log.warning("cannot compile %s: %s", ts, exc)
            return None
    return _compiled_cache[lang]


class LanguageSwitcher:
    """Installs the translator for the chosen language; Qt then sends LanguageChange to every widget."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None
        self.language = "en"

    def set_language(self, lang: str) -> bool:
        """Switch to ``lang``; False (and English) when its catalogue cannot be loaded."""
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        self.language = "en"
        ok = True
        if lang == "en":
            self._install_source_plurals()
        else:
            qm = qm_file(lang)
            translator = QTranslator(self._app)
            if qm is not None and translator.load(str(qm)):
                self._app.installTranslator(translator)
                self._translator = translator
                self.language = lang
            else:
                log.warning("no %s translation found; staying in English", lang)
                self._install_source_plurals()
                ok = False
        if lang == "en":
            # Removing a translator posts LanguageChange only if one was installed; post one
            # anyway so widgets built before the first switch render consistently.
            QCoreApplication.postEvent(self._app, QEvent(QEvent.Type.LanguageChange))
        return ok

    def _install_source_plurals(self) -> None:
        qm = qm_file("en")
        translator = QTranslator(self._app)
        if qm is not None and translator.load(str(qm)):
            self._app.installTranslator(translator)
            self._translator = translator
