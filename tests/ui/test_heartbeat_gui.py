"""The real kiosk window's heartbeats: the ``kiosk.heartbeat`` event's timer and figures, and the
supervisor's heartbeat file (written only when ``KIOSK_HEARTBEAT_FILE`` names one)."""

from __future__ import annotations

import os

from kiosk.events import outbox
from kiosk.events.types import HEARTBEAT
from kiosk.ui.heartbeat import start_heartbeat


def test_the_window_sends_what_it_knows(qtbot, registry, make_window, kiosk_settings, videos_dir, tmp_path):
    kiosk_settings.events.heartbeat_min = 2
    kiosk_settings.events.jsonl_path = tmp_path / "events.jsonl"  # one sink, so there is a backlog to report
    window = make_window(videos_dir / "short_hamilton_clip.mp4")
    beat = window.status_heartbeat
    assert beat.timer.isActive() and beat.timer.interval() == 120_000
    qtbot.waitUntil(lambda: beat.camera == "live", timeout=30_000)
    beat.send()
    (event,) = [e.document() for e in outbox.events(registry.db.conn) if e.type == HEARTBEAT]
    status = event["status"]
    assert status["camera"] == "live" and status["provider"] == "CPUExecutionProvider"
    assert isinstance(status["backlog"], int) and status["backlog"] >= 0 and status["uptime_s"] >= 0


def test_the_heartbeat_file_beats_only_when_a_supervisor_asks(qtbot, tmp_path):
    from PySide6.QtCore import QObject

    owner = QObject()
    assert start_heartbeat(owner, environ={}) is None
    path = tmp_path / "kiosk.heartbeat"
    beat = start_heartbeat(owner, environ={"KIOSK_HEARTBEAT_FILE": str(path)})
    assert not path.exists()  # the first beat comes from the running event loop
    qtbot.waitUntil(lambda: path.exists() and beat.beats >= 2, timeout=5000)
    assert path.read_text().split()[0] == str(os.getpid())
    beat.timer.stop()


def test_the_audit_log_names_a_restart_in_both_languages(qapp):
    from kiosk.ui import texts
    from kiosk.ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher(qapp)
    words = {}
    for lang in ("ko", "en"):  # English last: the next test starts in English
        switcher.set_language(lang)
        words[lang] = (texts.event_text("kiosk_restarted"), texts.decision_text("crash"), texts.decision_text("hang"))
    assert words == {"en": ("Kiosk restarted", "Crashed", "Not responding"), "ko": ("키오스크 다시 시작됨", "비정상 종료", "응답 없음")}
