"""Trends (issue 15 §4): figures from a real SQLCipher database, filled by real sign-ins and
by the real recording functions at controlled times; ``kiosk report`` on the same database."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import re
import secrets

import numpy as np
import pytest

from kiosk.capture.session import CaptureSession
from kiosk.capture.sources import VideoSource
from kiosk.capture.types import CaptureOutcome, CaptureResult, Frame, LivenessVerdict
from kiosk.cli.main import main
from kiosk.engine.images import load_image
from kiosk.errors import ConfigError, SourceEndedError
from kiosk.flows import enroll, report
from kiosk.flows.signin import sign_in
from kiosk.store import stats

KST = dt.timezone(dt.timedelta(hours=9))
NOW = dt.datetime(2026, 11, 30, 15, 20, tzinfo=KST)  # a Monday afternoon at a kiosk in Seoul
HAMILTON = "short_hamilton_clip.mp4"
COOPERATIVE_FROM = 82  # tests/capture/test_session.py: one man faces the camera from frame ~82


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def at(**delta) -> str:
    return utc(NOW + dt.timedelta(**delta))


def local(days_ago: int, hour: int, minute: int = 0) -> str:
    day = (NOW - dt.timedelta(days=days_ago)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return utc(day)


# time, outcome, ms to a decision, frames analyzed, rejections per reason
ROWS = [
    (at(minutes=-10), "accept", 100, 5, {"no_face": 2, "too_dark": 1}),  # 15:10 today
    (local(0, 15), "accept", 200, 4, {}),  # 15:00 sharp: this hour
    (at(minutes=-20, microseconds=-1), "retry", 300, 10, {"no_face": 4, "blurry": 3, "too_dark": 2}),  # 14:59:59.999999
    (local(0, 14, 5), "reject", 400, 3, {}),
    (local(0, 14, 30), "spoof", 500, 6, {"spoof": 3}),
    (local(1, 16), "accept", 600, 3, {}),  # yesterday 16:00: the first hour of the last 24
    (local(1, 15, 59), "accept", 700, 3, {}),  # yesterday, before the last 24 hours
    (local(29, 0), "retry", 800, 3, {}),  # the first of the 30 days
    (local(30, 23, 59), "accept", 900, 3, {"too_dark": 3}),  # the day before: outside
    (at(minutes=1), "accept", 50, 3, {}),  # after "now": outside
    (local(10, 12), "reject", 1000, 3, {}),
    (local(10, 12, 1), "accept", None, 2, {"no_face": 2}),  # no face seen: not timed
]
# live, start, end: the kiosk ran 10 h ago to 1 h ago with one hour down, 4 h across the
# 24-hour boundary, 2 h twenty days ago, and was down for a day 40 days ago.
SPANS = [
    (True, at(hours=-10), at(hours=-4)),
    (False, at(hours=-4), at(hours=-3)),
    (True, at(hours=-3), at(hours=-1)),
    (True, at(hours=-26), at(hours=-22)),
    (True, at(days=-20), at(days=-20, hours=2)),
    (False, at(days=-40), at(days=-39)),
]


def fill(db, rows=ROWS, spans=SPANS) -> None:
    with db.transaction():
        for time, outcome, ms, frames, rejected in rows:
            stats.record_signin(db, outcome, decision_ms=ms, frames_analyzed=frames, rejected=rejected, time=time)
        for live, start, end in spans:
            stats.extend_camera_span(db, stats.open_camera_span(db, live, time=start), time=end)


def test_counts_per_hour_and_day_split_by_outcome(registry):
    fill(registry.db)
    f = report.compute(registry.trend_rows, NOW)
    assert f.totals == {"accept": 5, "retry": 2, "reject": 2, "spoof": 1} and f.signins == 10
    assert len(f.hourly) == 24 and f.hourly[0].start == dt.datetime(2026, 11, 29, 16, tzinfo=KST)
    assert f.hourly[-1].start == dt.datetime(2026, 11, 30, 15, tzinfo=KST)
    assert f.hourly[-1].counts == {"accept": 2, "retry": 0, "reject": 0, "spoof": 0}
    assert f.hourly[-2].counts == {"accept": 0, "retry": 1, "reject": 1, "spoof": 1}
    assert f.hourly[0].counts == {"accept": 1, "retry": 0, "reject": 0, "spoof": 0}
    assert sum(b.total for b in f.hourly) == 6
    assert len(f.daily) == 30 and f.daily[0].start == dt.datetime(2026, 11, 1, tzinfo=KST)
    by_day = {b.start.day: b.counts for b in f.daily if b.total}
    assert by_day == {
        30: {"accept": 2, "retry": 1, "reject": 1, "spoof": 1},
        29: {"accept": 2, "retry": 0, "reject": 0, "spoof": 0},
        20: {"accept": 1, "retry": 0, "reject": 1, "spoof": 0},
        1: {"accept": 0, "retry": 1, "reject": 0, "spoof": 0},
    }
    doc = f.to_dict()  # what `kiosk report --json` prints
    assert doc["per_hour"][-1] == {"start": "2026-11-30T15:00+09:00", "accept": 2, "retry": 0, "reject": 0, "spoof": 0, "total": 2}
    assert doc["per_day"][0]["start"] == "2026-11-01" and doc["per_day"][-1]["total"] == 5


@pytest.fixture
def berlin(monkeypatch):
    """The process's time zone set to Europe/Berlin (clocks went forward on 2026-03-29 at 02:00)."""
    import time

    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is Unix only; SystemZone on Windows reads the same C library calls")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_days_and_hours_across_a_daylight_saving_change_start_at_their_own_local_times(registry, berlin):
    """A sign-in at 23:30 on the Saturday before the spring change (CET, 22:30 UTC) belongs to Saturday.
    With Monday's fixed offset (CEST, +2), as ``datetime.now().astimezone()`` gives, Saturday's midnight
    would be 22:00 UTC and the sign-in would be counted on Sunday."""
    from kiosk.clock import SystemZone, local_now

    assert isinstance(local_now().tzinfo, SystemZone)  # what the dashboard and `kiosk report` pass
    zone = SystemZone()
    now = dt.datetime(2026, 3, 30, 12, 10, tzinfo=dt.UTC).astimezone(zone)  # Monday 14:10 CEST
    assert now.utcoffset() == dt.timedelta(hours=2) and now.tzname() == "CEST"
    rows = [
        ("2026-03-28T22:30:00.000000+00:00", "accept", 100, 3, {}),  # Saturday 23:30 CET
        ("2026-03-29T00:30:00.000000+00:00", "retry", 100, 3, {}),  # Sunday 01:30 CET, the hour before the change
        ("2026-03-29T01:30:00.000000+00:00", "reject", 100, 3, {}),  # Sunday 03:30 CEST, the hour after it
    ]
    fill(registry.db, rows=rows, spans=[])
    f = report.compute(registry.trend_rows, now, days=3)
    assert [(b.start.isoformat(), b.total) for b in f.daily] == [
        ("2026-03-28T00:00:00+01:00", 1),
        ("2026-03-29T00:00:00+01:00", 2),
        ("2026-03-30T00:00:00+02:00", 0),
    ]
    hours = [b.start.astimezone(dt.UTC) for b in f.hourly]
    assert all(b - a == dt.timedelta(hours=1) for a, b in zip(hours, hours[1:]))  # 24 real hours, none doubled or lost
    assert f.hourly[-1].start.isoformat() == "2026-03-30T14:00:00+02:00"
    assert sum(b.total for b in f.hourly) == 0  # the change is more than 24 hours back
    sunday = report.compute(registry.trend_rows, dt.datetime(2026, 3, 29, 11, 0, tzinfo=dt.UTC).astimezone(zone), days=1)
    by_hour = {b.start.isoformat(): b.total for b in sunday.hourly if b.total}
    assert by_hour == {"2026-03-28T23:00:00+01:00": 1, "2026-03-29T01:00:00+01:00": 1, "2026-03-29T03:00:00+02:00": 1}
    assert len(sunday.daily) == 1 and sunday.daily[0].total == 2


def test_time_to_a_decision_percentiles(registry):
    fill(registry.db)
    f = report.compute(registry.trend_rows, NOW)
    assert f.decision_ms == [100, 200, 300, 400, 500, 600, 700, 800, 1000]  # the untimed attempt is left out
    assert f.median_ms == 500
    assert f.p90_ms == pytest.approx(840)  # rank 0.9 * 8 = 7.2: 800 + 0.2 * (1000 - 800)


def test_rejection_shares_are_of_the_frames_with_a_face(registry):
    fill(registry.db)
    f = report.compute(registry.trend_rows, NOW)
    assert f.frames_with_face == 42 - 8  # 42 frames analyzed in the period, 8 without a face
    assert list(f.rejected) == ["blurry", "spoof", "too_dark"]  # equal shares: alphabetical
    assert f.rejected == {"blurry": pytest.approx(3 / 34), "spoof": pytest.approx(3 / 34), "too_dark": pytest.approx(3 / 34)}


def test_camera_availability_is_over_the_time_the_kiosk_ran(registry):
    fill(registry.db)
    f = report.compute(registry.trend_rows, NOW)
    assert f.camera_live_24h == pytest.approx(10 / 11)  # live 6 + 2 + 2 (of the 4 across the boundary), down 1
    assert f.camera_live == pytest.approx(14 / 15)
    assert f.camera_recorded_s == pytest.approx(15 * 3600)
    assert report.availability_percent(f.camera_live) == 93.3
    assert report.availability_percent(0.99999) == 99.9  # never rounded up to a perfect record


def test_the_registry_records_camera_spans_as_the_camera_changes(registry):
    registry.note_camera(False)  # opening
    registry.note_camera(True)
    registry.note_camera()  # a heartbeat
    registry.note_camera(True)  # no change: the same span
    registry.note_camera(False)
    spans = stats.camera_spans_since(registry.db, "")
    assert [s.live for s in spans] == [False, True, False]
    assert spans[0].end == spans[1].start and spans[1].end == spans[2].start and spans[1].end > spans[1].start


def test_old_rows_are_deleted_past_the_retention(registry):
    fill(registry.db, rows=[(at(days=-100), "accept", 100, 3, {})], spans=[(True, at(days=-100), at(days=-99))])
    fill(registry.db, rows=[(at(days=0), "accept", 100, 3, {})], spans=[(True, at(hours=-1), at(hours=0))])
    assert [r.time for r in stats.signins_since(registry.db, "")] == [at(days=0)]
    assert [s.start for s in stats.camera_spans_since(registry.db, "")] == [at(hours=-1)]


def test_an_empty_database_has_no_figures_and_days_are_checked(registry):
    f = report.compute(registry.trend_rows, NOW)
    assert f.empty and f.median_ms is None and f.camera_live is None and f.rejected == {}
    assert all(b.total == 0 for b in f.hourly + f.daily)
    with pytest.raises(ConfigError, match="--days 91"):
        report.compute(registry.trend_rows, NOW, days=91)


def login_frames(video, start):
    with VideoSource(video) as source:
        try:
            while True:
                frame = source.read()
                if frame.index >= start:
                    yield frame
        except SourceEndedError:
            return


def run_capture(session, frames) -> CaptureResult:
    for frame in frames:
        session.feed(frame)
        if session.done:
            return session.result
    return session.end()


def test_real_sign_ins_record_outcome_time_and_rejections(registry, analyzer, settings, faces_dir, videos_dir):
    deep = faces_dir / "deepface"
    template, _ = enroll.template_from_photos(analyzer, [deep / "img1.jpg", deep / "img2.jpg"], enroll.outlier_cosine(registry))
    enroll.save(registry, "Angelina Jolie", "P01", template)
    # 1. Nobody for 0.5 s, then her photo: the time to a decision starts at the first face.
    profile = dataclasses.replace(settings.login, warmup_frames=0, frame_interval_ms=0, liveness=False)
    blank, portrait = np.full((480, 640, 3), 120, np.uint8), load_image(deep / "img1.jpg")
    frames = [Frame(blank, i, i * 0.1) for i in range(5)] + [Frame(portrait, 5 + i, 0.5 + i * 0.1) for i in range(10)]
    result = run_capture(CaptureSession(analyzer, profile, challenge=False), frames)
    assert result.ok and result.decision_s == pytest.approx(0.2)  # faces at 0.5, 0.6, 0.7: decided at 0.7
    assert sign_in(registry, result).kind == "accept"
    # 2. A real login on the shared footage (the cooperative man is not enrolled).
    video = run_capture(CaptureSession(analyzer, settings.login), login_frames(videos_dir / HAMILTON, COOPERATIVE_FROM))
    assert video.outcome == CaptureOutcome.OK and video.decision_s == pytest.approx(4 / 29.97, abs=1e-3)
    kind = sign_in(registry, video).kind
    # 3. Nobody at all until the time ran out, and a refused presentation attack.
    timeout = run_capture(CaptureSession(analyzer, profile, challenge=False), [Frame(blank, i, i * 1.0) for i in range(40)])
    assert timeout.outcome == CaptureOutcome.TIMEOUT and timeout.decision_s is None
    sign_in(registry, timeout)
    sign_in(registry, CaptureResult("login", CaptureOutcome.SPOOF, None, 9, 6, 0, {"spoof": 6}, LivenessVerdict(0.1, False), 1.0, decision_s=0.4))

    rows = stats.signins_since(registry.db, "")
    assert [r.outcome for r in rows] == ["accept", kind.value, "retry", "spoof"]
    assert [r.decision_ms for r in rows] == [200, round(video.decision_s * 1000), None, 400]
    assert rows[0].frames_analyzed == 8 and rows[0].rejected == {"no_face": 5}
    assert rows[2].rejected == {"no_face": timeout.frames_analyzed}
    f = report.compute(registry.trend_rows, dt.datetime.now().astimezone())
    assert f.signins == 4 and f.totals["spoof"] == 1 and f.totals["retry"] >= 1
    assert f.frames_with_face == 3 + video.frames_analyzed - video.rejected.get("no_face", 0) + 6
    assert f.rejected["spoof"] == pytest.approx(6 / f.frames_with_face)


# -- kiosk report ------------------------------------------------------------------------
@pytest.fixture
def recent(registry):
    """Three sign-ins and an hour of live camera just before the real now (the command's clock)."""
    now = dt.datetime.now().astimezone()
    rows = [
        (utc(now - dt.timedelta(seconds=30)), "accept", 400, 4, {"too_dark": 1}),
        (utc(now - dt.timedelta(seconds=20)), "accept", 600, 3, {}),
        (utc(now - dt.timedelta(seconds=10)), "reject", 800, 3, {}),
    ]
    fill(registry.db, rows=rows, spans=[(True, utc(now - dt.timedelta(hours=1)), utc(now))])
    folder = registry.db.path.parent
    registry.close()
    return folder


def test_report_json_has_the_figures(recent, capsys):
    assert main(["--data-dir", str(recent), "report", "--json", "--days", "7"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["days"] == 7 and len(doc["per_day"]) == 7 and len(doc["per_hour"]) == 24
    assert doc["totals"] == {"accept": 2, "retry": 0, "reject": 1, "spoof": 0}
    assert sum(h["total"] for h in doc["per_hour"]) == 3
    assert doc["decision_ms"] == {"timed": 3, "median": 600.0, "p90": pytest.approx(760.0)}
    assert doc["camera"]["live_share"] == 1.0
    assert doc["rejected_share"] == {"too_dark": 0.1}


def test_report_html_is_one_file_with_the_charts_and_numbers(recent, tmp_path, capsys):
    target = tmp_path / "out" / "trends.html"
    assert main(["--data-dir", str(recent), "report", "--html", str(target), "--language", "en"]) == 0
    assert "wrote" in capsys.readouterr().out
    page = target.read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    pngs = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(pngs) == 3  # per hour, per day, picture problems
    assert all(base64.b64decode(p).startswith(b"\x89PNG") for p in pngs)
    assert "<td>Accepted</td><td>2</td><td>66.7 %</td>" in page and "<td>Not recognised</td><td>1</td>" in page
    assert "<td>Median time to a decision</td><td>0.60 s</td>" in page
    assert "<td>Camera live, last 24 hours</td><td>100.0 %</td>" in page
    assert "<td>Too dark</td><td>10.0 %</td>" in page
    assert "src=\"http" not in page and "<script" not in page  # nothing fetched when it opens


def test_report_html_speaks_the_kiosks_language(recent, tmp_path):
    """``ui.language = "ko"`` (a Korean kiosk) gives a Korean page without ``--language``; the flag wins."""
    (recent / "config.toml").write_text('[ui]\nlanguage = "ko"\n', encoding="utf-8")
    target = tmp_path / "trends.html"
    assert main(["--data-dir", str(recent), "report", "--html", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert '<html lang="ko">' in page and "<h2>요약</h2>" in page and "<h2>일별 로그인, 최근 30일</h2>" in page
    assert "<td>판정까지 걸린 시간 (중앙값)</td>" in page
    assert "Summary" not in page and "Sign-ins per hour" not in page
    assert main(["--data-dir", str(recent), "report", "--html", str(target), "--language", "en"]) == 0
    assert "<h2>Summary</h2>" in target.read_text(encoding="utf-8")


def test_report_on_an_empty_database_says_so(registry, tmp_path, capsys):
    folder = registry.db.path.parent
    registry.close()
    assert main(["--data-dir", str(folder), "report"]) == 0
    assert "no sign-ins yet" in capsys.readouterr().out
    target = tmp_path / "empty.html"
    assert main(["--data-dir", str(folder), "report", "--html", str(target)]) == 0
    assert "No sign-ins yet" in target.read_text(encoding="utf-8") and "data:image/png" not in target.read_text(encoding="utf-8")


def test_report_errors_are_clear(recent, tmp_path, capsys, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["--data-dir", str(recent), "report", "--html", str(blocker / "trends.html")]) == 1
    err = capsys.readouterr().err
    assert f"cannot write the report to {blocker / 'trends.html'}" in err and "choose a folder you can write to" in err
    assert main(["--data-dir", str(recent), "report", "--html", str(tmp_path)]) == 1
    assert "it is a folder" in capsys.readouterr().err
    assert main(["--data-dir", str(recent), "report", "--days", "0"]) == 2
    assert "--days 0 is out of range" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path / "nowhere"), "report"]) == 9
    assert "no database at" in capsys.readouterr().err
    monkeypatch.setenv("KIOSK_DB_KEY", secrets.token_hex(32))
    assert main(["--data-dir", str(recent), "report", "--json"]) == 7
    assert "wrong database key" in capsys.readouterr().err
