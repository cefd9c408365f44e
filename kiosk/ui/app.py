"""Start the kiosk application: Qt set-up (high DPI, fonts, style, cursor), the window, the event loop."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk import paths
from kiosk.config import Settings

log = logging.getLogger(__name__)

# Fonts with Hangul, in preference order: Windows ships Malgun Gothic, Linux images Noto CJK.
# `kiosk run --windowed`: the width the widest screen (the look-alike) needs, a laptop's height.
WINDOWED_SIZE = (762, 960)
FONT_FAMILIES = ("Segoe UI", "Malgun Gothic", "Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "DejaVu Sans")


def stylesheet() -> str:
    path = paths.resources_dir() / "styles" / "kiosk.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        log.warning("style sheet %s missing; using Qt defaults", path)
        return ""


def ensure_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, configured for a high-DPI touchscreen; reused if it already exists."""
    existing = QApplication.instance()
    if existing is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    elif isinstance(existing, QApplication):
        app = existing
    else:
        raise RuntimeError(f"a {type(existing).__name__} already runs here; the kiosk needs a QApplication (widgets)")
    app.setApplicationName("Face Kiosk")
    available = set(QFontDatabase.families())
    font = QFont()
    font.setFamilies([f for f in FONT_FAMILIES if f in available] or list(FONT_FAMILIES))
    font.setPointSize(14)
    app.setFont(font)
    app.setStyleSheet(stylesheet())
    return app


def run(
    settings: Settings,
    *,
    camera: str | None = None,
    windowed: bool = False,
    quit_after: float | None = None,
    quit_on_attract: bool = False,
) -> int:
    """Run the kiosk until it is closed from the admin screen (or ``quit_after`` seconds pass,
    or, with ``quit_on_attract``, the attract screen first shows: docs/benchmarks.md times a cold start so)."""
    from kiosk.ui.heartbeat import start_heartbeat
    from kiosk.ui.navigation import ScreenName
    from kiosk.ui.window import KioskWindow

    app = ensure_application()
    window = KioskWindow(settings, camera=camera)
    if windowed or not settings.ui.fullscreen:
        window.resize(*WINDOWED_SIZE)
        window.show()
    else:
        window.kiosk_mode = True
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        window.showFullScreen()
    window.apply_cursor()
    window.start()
    start_heartbeat(window)  # only under `kiosk supervise`
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), window.exit_kiosk)
    if quit_on_attract:
        window.nav.changed.connect(lambda name: name == ScreenName.ATTRACT and QTimer.singleShot(0, window.exit_kiosk))
    code = app.exec()
    window.shutdown()
    return int(code)
