"""The trends dashboard (issue 15 §4): the running kiosk records what it shows, the screen shows
the figures (en, ko) with charts, an empty database reads "no sign-ins yet", and its text fits."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.store import stats

# The whole module is in the full suite only: about 33 s of a 12-minute run on 2 idle cores
# (pytest --durations=0), out of the fast lane (pytest -m "not slow", README).
pytestmark = pytest.mark.slow

WAIT_MS = 90_000
KST = dt.timezone(dt.timedelta(hours=9))
NOW = dt.datetime(2026, 11, 30, 15, 20, tzinfo=KST)

_layout_path = Path(__file__).with_name("test_layout_and_idle.py")
_spec = importlib.util.spec_from_file_location("layout_checks", _layout_path)
layout = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(layout)  # its text-fitting measures, so both tests judge alike
styled = layout.styled  # and its fixture: the kiosk's own font and style sheet


def utc(**delta) -> str:
    return (NOW + dt.timedelta(**delta)).astimezone(dt.UTC).isoformat(timespec="microseconds")


def fill(registry) -> None:
    """Three sign-ins this hour, one yesterday; 900 ms median; the camera down 1 h of 10."""
    db = registry.db
    with db.transaction():
        for minutes, outcome, ms, rejected in ((-5, "accept", 600, {"too_dark": 2}), (-4, "accept", 900, {}), (-3, "retry", 1200, {"blurry": 1})):
            stats.record_signin(db, outcome, decision_ms=ms, frames_analyzed=5, rejected=rejected, time=utc(minutes=minutes))
        stats.record_signin(db, "spoof", decision_ms=None, frames_analyzed=5, rejected={"spoof": 5}, time=utc(days=-1))
        stats.extend_camera_span(db, stats.open_camera_span(db, True, time=utc(hours=-10)), time=utc(hours=-1))
        stats.extend_camera_span(db, stats.open_camera_span(db, False, time=utc(hours=-1)), time=utc())


@pytest.fixture
def window(qtbot, kiosk_settings, registry):
    """The real window, not started (no camera needed), on the real database."""
    from kiosk.ui.window import KioskWindow

    win = KioskWindow(kiosk_settings)
    qtbot.addWidget(win)
    win.ctx.registry = registry
    win.ctx.admin_signed_in = True
    win.resize(762, 960)
    win.show()
    yield win
    win.ctx.registry = None  # the fixture closes it
    win.set_language("en")


def bar_heights(chart) -> dict[str, list[float]]:
    """Each outcome's bar heights, by the chart's colours."""
    import pyqtgraph as pg

    from kiosk.ui.charts import OUTCOME_COLOURS

    colours = {v: k for k, v in OUTCOME_COLOURS.items()}
    out = {}
    for item in chart.getPlotItem().items:
        if isinstance(item, pg.BarGraphItem):
            out[colours[item.opts["brush"]]] = [float(h) for h in item.opts["height"]]
    return out


def test_dashboard_shows_the_figures_and_charts(qtbot, window, registry):
    fill(registry)
    home = window.nav.go("admin_home") or window.nav.current
    home.buttons["dashboard"].click()
    screen = window.nav.current
    assert screen.name == "dashboard"
    window.nav.go("dashboard", now=NOW)
    assert screen.pages.currentIndex() == 1  # the figures, not the empty page
    assert screen.hours.caption.text() == "3 sign-ins · 66.7 % accepted"
    assert screen.days.caption.text() == "4 sign-ins · 50.0 % accepted"
    hours = bar_heights(screen.hours.chart)
    assert hours["accept"][-1] == 2 and hours["retry"][-1] == 1 and sum(hours["accept"]) == 2 and "spoof" not in hours
    days = bar_heights(screen.days.chart)
    assert days["spoof"][-2:] == [1, 0] and days["accept"][-1] == 2
    assert screen.figure_values["median"].text() == "0.9 s"
    assert screen.figure_values["p90"].text() == "1.1 s"  # 900 + 0.8 * 300 = 1140 ms
    assert screen.figure_values["camera_24h"].text() == "90.0 %"
    assert screen.figure_captions["camera_days"].text() == "Camera live, last 30 days"
    assert "of 20 frames with a face" in screen.problems.caption.text()
    ticks = screen.problems.chart.getAxis("left")._tickLevels[0]
    assert [t[1] for t in ticks] == ["Blurred", "Too dark", "Not live"]  # largest share on top (last)

    screen.show_view(2)
    window.set_language("ko")
    assert screen.title.text() == "이용 현황"
    assert screen.figure_captions["median"].text() == "판정까지 걸린 시간 (중앙값)"
    assert screen.hours.caption.text().startswith("로그인 3건")
    assert screen.figure_values["median"].text() == "0.9초"
    ticks = screen.problems.chart.getAxis("left")._tickLevels[0]
    assert [t[1] for t in ticks] == ["흐림", "너무 어두움", "실물 아님"]  # the chart is drawn again in Korean


def test_an_empty_database_reads_no_sign_ins_yet(qtbot, window):
    window.nav.go("dashboard", now=NOW)
    screen = window.nav.current
    assert screen.pages.currentIndex() == 0 and screen.empty.isVisible()
    assert screen.empty.text() == "No sign-ins yet"
    assert screen.hours.chart is None  # nothing drawn
    window.set_language("ko")
    assert screen.empty.text() == "아직 로그인 기록이 없습니다"


@pytest.mark.parametrize("size", [(762, 960), (1080, 1920), (1920, 1080), (800, 1280)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_view_fits(qtbot, styled, window, registry, size, lang):
    """The layout test walks the empty dashboard (no database there); this walks the full one."""
    fill(registry)
    window.resize(*size)
    window.set_language(lang)
    window.nav.go("dashboard", now=NOW)
    screen = window.nav.current
    problems = []
    for view in range(4):
        screen.show_view(view)
        qtbot.wait(20)
        if (window.width(), window.height()) != size:
            problems.append(f"view {view}: needs {window.width()}x{window.height()}")
        for b in screen.findChildren(QAbstractButton):
            if b.isVisibleTo(screen) and b.text() and (needed := layout.button_text_width(b)) > b.width():
                problems.append(f"view {view}: button {b.text()!r} needs {needed} px, has {b.width()}")
        for lab in screen.findChildren(QLabel):
            if lab.isVisibleTo(screen) and (why := layout.label_problem(lab)):
                problems.append(f"view {view}: label {lab.objectName()} {lab.text()!r} {why}")
    assert not problems, "\n".join(problems)


def test_the_running_kiosk_records_its_sign_ins_and_camera(qtbot, registry, analyzer, faces_dir, person_video, make_window):
    from kiosk.engine.aggregate import aggregate

    obs = [analyzer.embed_image(faces_dir / "deepface" / n) for n in ("img1.jpg", "img2.jpg", "img4.jpg")]
    registry.enroll("Angelina Jolie", "P01", aggregate(obs, min_valid=1, outlier_cosine=0.3))
    window = make_window(person_video("img6.jpg", "img11.jpg"))
    qtbot.waitUntil(lambda: window.nav.current_name == "result", timeout=WAIT_MS)  # she walks up: signed in by herself
    assert window.nav.current.view.kind == "accept"
    rows = stats.signins_since(registry.db, "")
    assert [r.outcome for r in rows] == ["accept"]
    assert 0 < rows[0].decision_ms < 5000 and rows[0].frames_analyzed >= 3
    window.shutdown()  # ends the camera's span now
    spans = stats.camera_spans_since(registry.db, "")
    assert spans and spans[-1].live and spans[-1].end > spans[-1].start


def test_every_word_switches_to_korean(qtbot, window, registry):
    import re

    fill(registry)
    window.nav.go("dashboard", now=NOW)
    screen = window.nav.current
    window.set_language("ko")
    for view in range(4):
        screen.show_view(view)
        words = [
            w.text()
            for w in screen.findChildren(QLabel) + screen.findChildren(QAbstractButton)
            if w.isVisibleTo(screen) and w.text().strip() and not w.property("untranslated")
        ]
        assert words and all(re.search("[\uac00-\ud7a3]", t) for t in words), (view, words)


def test_the_window_does_not_import_pyqtgraph_until_the_dashboard_draws():
    """The cold start to the attract screen must not pay for the charts' import (0.3-2.7 s)."""
    import subprocess
    import sys

    code = "import sys, kiosk.ui.app, kiosk.ui.window; print(sorted(m for m in sys.modules if m.startswith('pyqtgraph')))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
