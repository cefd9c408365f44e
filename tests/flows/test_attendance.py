"""Attendance (issue 23 §2): punches from real sign-ins (real models, ../shared photos) into the
real SQLCipher database; which punch comes next, the cooldown, the switch, midnight, a DST
change, the export read back cell by cell, deletion, backups and the CLI."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import time

import pytest

from kiosk.capture.types import CaptureOutcome, CaptureResult, LivenessVerdict
from kiosk.cli.main import main
from kiosk.config import ATTENDANCE, LoginProfile, load_settings
from kiosk.errors import ConfigError, KioskError
from kiosk.events import outbox
from kiosk.flows import attendance, enroll, timesheet
from kiosk.flows.attendance import Direction, PunchStatus
from kiosk.flows.people import delete_person
from kiosk.flows.signin import ACCEPT, sign_in
from kiosk.flows.verify import Method, VerifyKind, pin_sign_in, verify_sign_in

KST = dt.timezone(dt.timedelta(hours=9))
UTC = dt.UTC
MONDAY = dt.date(2026, 11, 30)


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """A moment at a kiosk in Seoul."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=KST)


def capture(template) -> CaptureResult:
    return CaptureResult("login", CaptureOutcome.OK, template, 10, 10, 5, {}, LivenessVerdict(None, True), 1.0)


@pytest.fixture
def people(registry, analyzer, faces_dir):
    """Two real enrollments (deepface P01 Angelina Jolie, P02) and a probe photo of P01."""
    deep = faces_dir / "deepface"
    cosine = enroll.outlier_cosine(registry)
    jolie = enroll.save(registry, "Angelina Jolie", "P01", enroll.template_from_photos(analyzer, [deep / "img1.jpg", deep / "img2.jpg"], cosine)[0])
    other = enroll.save(registry, "김민수", "P02", enroll.template_from_photos(analyzer, [deep / "img3.jpg"], cosine)[0])
    probe = enroll.template_from_photos(analyzer, [deep / "img6.jpg"], cosine)[0]
    return jolie, other, probe


def attend(registry, probe, now: dt.datetime, cooldown_s: float = 120.0):
    login = LoginProfile(purpose=ATTENDANCE, punch_cooldown_s=cooldown_s)
    return attendance.after_sign_in(registry, sign_in(registry, capture(probe)), login, now)


def punch_events(registry) -> list[dict]:
    return [e.document() for e in outbox.events(registry.db.conn, limit=1000) if e.type.startswith("attendance.")]


def test_purpose_setting_and_its_environment_variable(data_dir):
    assert load_settings(data_dir=data_dir, environ={}).login.purpose == "signin"
    settings = load_settings(data_dir=data_dir, environ={"KIOSK_LOGIN_PURPOSE": "attendance", "KIOSK_LOGIN_PUNCH_COOLDOWN_S": "60"})
    assert (settings.login.purpose, settings.login.punch_cooldown_s) == ("attendance", 60.0)
    with pytest.raises(ConfigError, match="login.purpose"):
        load_settings(data_dir=data_dir, environ={"KIOSK_LOGIN_PURPOSE": "payroll"})


def test_sign_in_mode_records_no_punch(registry, people):
    _, _, probe = people
    view = attendance.after_sign_in(registry, sign_in(registry, capture(probe)), LoginProfile(), at(MONDAY, 9))
    assert view.kind == ACCEPT and view.punch is None
    assert registry.punches_between("2000", "3000") == []


def test_in_out_alternate_and_each_punch_is_audited_with_its_event(registry, people):
    jolie, _, probe = people
    seen = []
    for hour, minute in ((9, 2), (12, 0), (13, 0), (18, 30)):
        view = attend(registry, probe, at(MONDAY, hour, minute))
        assert view.kind == ACCEPT and view.name == "Angelina Jolie"
        assert view.punch.status == PunchStatus.RECORDED and view.punch.clock == f"{hour:02d}:{minute:02d}"
        seen.append(view.punch.direction)
    assert seen == [Direction.IN, Direction.OUT, Direction.IN, Direction.OUT]
    assert attend(registry, probe, at(MONDAY + dt.timedelta(days=1), 8, 55)).punch.direction == Direction.IN  # a new day
    rows = registry.punches_between("2000", "3000")
    assert [(r.external_id, r.punch.direction) for r in rows] == [("P01", d) for d in ("in", "out", "in", "out", "in")]
    assert rows[0].punch.time == "2026-11-30T00:02:00.000000+00:00"  # 09:02 in Seoul, stored in UTC
    audit = registry.audit_log(event="punch")
    assert [a.decision for a in reversed(audit)] == ["in", "out", "in", "out", "in"] and {a.person_id for a in audit} == {jolie.id}
    events = punch_events(registry)
    assert [(e["type"], e["detail"], e["person"]["id"]) for e in events] == [("attendance.punch", d, "P01") for d in ("in", "out", "in", "out", "in")]


def test_a_second_sign_in_inside_the_cooldown_records_nothing_and_shows_the_first_time(registry, people):
    _, _, probe = people
    first = attend(registry, probe, at(MONDAY, 9, 2))
    again = attend(registry, probe, at(MONDAY, 9, 3, 59))  # 1 min 59 s later
    assert again.punch.status == PunchStatus.COOLDOWN
    assert (again.punch.direction, again.punch.clock, again.punch.punch_id) == (Direction.IN, "09:02", first.punch.punch_id)
    assert len(registry.punches_between("2000", "3000")) == 1 and len(punch_events(registry)) == 1
    after = attend(registry, probe, at(MONDAY, 9, 4, 1))  # 2 min 1 s: the cooldown is over
    assert (after.punch.status, after.punch.direction) == (PunchStatus.RECORDED, Direction.OUT)
    assert attend(registry, probe, at(MONDAY, 9, 5), cooldown_s=0).punch.status == PunchStatus.RECORDED  # 0 turns it off


def test_switching_corrects_the_punch_and_says_so_in_an_event(registry, people):
    _, _, probe = people
    view = attend(registry, probe, at(MONDAY, 9))
    switched = attendance.switch(registry, view.punch)
    assert switched.direction == Direction.OUT and switched.switchable
    assert [r.punch.direction for r in registry.punches_between("2000", "3000")] == ["out"]
    assert [(e["type"], e["detail"]) for e in punch_events(registry)] == [("attendance.punch", "in"), ("attendance.punch_switched", "out")]
    assert attend(registry, probe, at(MONDAY, 10)).punch.direction == Direction.IN  # the next follows the corrected one
    cooldown = attend(registry, probe, at(MONDAY, 10, 1))
    with pytest.raises(KioskError):
        attendance.switch(registry, cooldown.punch)


def test_a_night_shift_is_one_shift_across_midnight_and_a_forgotten_out_is_flagged(registry, people):
    jolie, other, probe = people
    assert attend(registry, probe, at(MONDAY, 22)).punch.direction == Direction.IN
    assert attend(registry, probe, at(MONDAY + dt.timedelta(days=1), 6, 15)).punch.direction == Direction.OUT  # 8 h 15 later
    # P02 punches in on Tuesday and never out; Wednesday's IN is 24 h later: a new shift, not an OUT.
    tuesday = MONDAY + dt.timedelta(days=1)
    for moment, expected in ((at(tuesday, 9), Direction.IN), (at(tuesday + dt.timedelta(days=1), 9), Direction.IN)):
        assert attendance.punch(registry, other.id, moment, 120).direction == expected
    rows = timesheet.compute(registry.punches_between, MONDAY, tuesday + dt.timedelta(days=1), KST, at(tuesday + dt.timedelta(days=1), 9, 30))
    table = [(r.external_id, r.day.isoformat(), r.first_in and r.first_in.strftime("%d %H:%M"), r.last_out and r.last_out.strftime("%d %H:%M"), r.worked_text, r.missing) for r in rows]
    assert table == [
        ("P01", "2026-11-30", "30 22:00", "01 06:15", "8:15", ""),  # counted on the evening it began
        ("P02", "2026-12-01", "01 09:00", None, "0:00", "out"),
        ("P02", "2026-12-02", "02 09:00", None, "0:00", ""),  # "now" is inside this shift: at work, not missing
    ]


ATTENDING = LoginProfile(purpose=ATTENDANCE, punch_cooldown_s=120.0)
T0 = 1_800_000_000.0  # the attempt limits' wall clock (kiosk/store/attempts.py); the punch has its own ``now``


def verify_attend(registry, claim: str, result: CaptureResult, now: dt.datetime, *, wall: float = T0):
    """Card + face as the model decides it: the 1:1 check of ``claim``, then attendance's rule."""
    return attendance.after_sign_in(registry, verify_sign_in(registry, claim, result, now=wall, pin_fallback=True), ATTENDING, now)


def test_a_verified_badge_punches_under_the_same_rules_as_a_face_alone(registry, people):
    """Jolie's badge then her face: IN with its audit row and event; a second swipe inside the cooldown
    records nothing; a face alone after it is her OUT (one punch history, whichever way she signs in);
    the switch works on a verified punch."""
    jolie, _, probe = people
    first = verify_attend(registry, " P01 ", capture(probe), at(MONDAY, 9, 2))
    assert (first.kind, first.method, first.name, first.person_id) == (VerifyKind.ACCEPT, Method.VERIFY, "Angelina Jolie", jolie.id)
    assert (first.punch.status, first.punch.direction, first.punch.clock) == (PunchStatus.RECORDED, Direction.IN, "09:02")
    again = verify_attend(registry, "P01", capture(probe), at(MONDAY, 9, 3))
    assert (again.punch.status, again.punch.clock, again.punch.punch_id) == (PunchStatus.COOLDOWN, "09:02", first.punch.punch_id)
    out = attend(registry, probe, at(MONDAY, 17, 30))  # the face alone, the same day
    assert (out.punch.status, out.punch.direction) == (PunchStatus.RECORDED, Direction.OUT)
    switched = attendance.switch(registry, verify_attend(registry, "P01", capture(probe), at(MONDAY + dt.timedelta(days=1), 8, 58)).punch)
    assert switched.direction == Direction.OUT  # the kiosk guessed IN; she says OUT
    assert [r.punch.direction for r in registry.punches_between("2000", "3000")] == ["in", "out", "out"]
    assert [a.decision for a in reversed(registry.audit_log(event="punch"))] == ["in", "out", "in"]
    assert {a.person_id for a in registry.audit_log(event="punch")} == {jolie.id}
    events = [(e["type"], e["detail"], e["person"]["id"]) for e in punch_events(registry)]
    assert events == [("attendance.punch", "in", "P01"), ("attendance.punch", "out", "P01"), ("attendance.punch", "in", "P01"), ("attendance.punch_switched", "out", "P01")]


def test_a_refused_or_unfinished_verify_punches_nothing(registry, people):
    """Jolie's face on P02's badge, an unknown badge, a presentation attack, a capture that saw no face, and
    Jolie's own face while her id is locked: none is an accepted sign-in, so none punches (as in 1:N)."""
    _, _, probe = people
    wrong = verify_attend(registry, "P02", capture(probe), at(MONDAY, 9))
    assert wrong.kind in (VerifyKind.REJECT, VerifyKind.RETRY) and wrong.offer_pin and wrong.punch is None
    assert verify_attend(registry, "NOBODY", capture(probe), at(MONDAY, 9)).punch is None
    no_face = CaptureResult("login", CaptureOutcome.TIMEOUT, None, 10, 10, 0, {}, LivenessVerdict(None, True), 1.0)
    assert verify_attend(registry, "P01", no_face, at(MONDAY, 9)).kind == VerifyKind.RETRY
    attack = dataclasses.replace(no_face, outcome=CaptureOutcome.SPOOF)
    views = [verify_attend(registry, "P01", attack, at(MONDAY, 9), wall=T0 + i) for i in range(5)]
    assert [v.kind for v in views] == [VerifyKind.SPOOF] * 4 + [VerifyKind.LOCKED] and all(v.punch is None for v in views)
    locked = verify_attend(registry, "P01", capture(probe), at(MONDAY, 9), wall=T0 + 6)
    assert (locked.kind, locked.punch) == (VerifyKind.LOCKED, None)  # the right face, but nothing is compared while locked
    assert registry.punches_between("2000", "3000") == [] and punch_events(registry) == []


def test_the_fallback_pin_punches_as_an_accepted_sign_in_and_a_wrong_one_does_not(registry, people):
    """The operator's fallback: a right PIN signs the person in (``signin.fallback``), so it punches by the same
    rules (the next expected direction, the cooldown); a wrong PIN punches nothing."""
    _, other, probe = people
    registry.set_person_pin(other.id, "135790")
    assert attendance.punch(registry, other.id, at(MONDAY, 8), 120).direction == Direction.IN  # in by face this morning
    wrong = attendance.after_sign_in(registry, pin_sign_in(registry, "P02", "000000", now=T0), ATTENDING, at(MONDAY, 17))
    assert (wrong.kind, wrong.punch) == (VerifyKind.REJECT, None)
    right = attendance.after_sign_in(registry, pin_sign_in(registry, "P02", "135790", now=T0 + 1), ATTENDING, at(MONDAY, 17))
    assert (right.kind, right.method, right.person_id) == (VerifyKind.ACCEPT, Method.FALLBACK, other.id)
    assert (right.punch.status, right.punch.direction, right.punch.clock) == (PunchStatus.RECORDED, Direction.OUT, "17:00")
    again = attendance.after_sign_in(registry, pin_sign_in(registry, "P02", "135790", now=T0 + 2), ATTENDING, at(MONDAY, 17, 1))
    assert again.punch.status == PunchStatus.COOLDOWN
    assert [(e["type"], e["detail"], e["person"]["id"]) for e in punch_events(registry)] == [("attendance.punch", "in", "P02"), ("attendance.punch", "out", "P02")]


def test_sign_in_mode_gives_a_verified_badge_no_punch(registry, people):
    _, _, probe = people
    view = attendance.after_sign_in(registry, verify_sign_in(registry, "P01", capture(probe), now=T0), LoginProfile(), at(MONDAY, 9))
    assert view.kind == VerifyKind.ACCEPT and view.punch is None and registry.punches_between("2000", "3000") == []


@pytest.fixture
def berlin(monkeypatch):
    """The process's time zone set to Europe/Berlin, as tests/flows/test_report.py does (clocks went
    forward on 2026-03-29 at 02:00 CET and back on 2026-10-25 at 03:00 CEST)."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is Unix only; SystemZone on Windows reads the same C library calls")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_shifts_across_daylight_saving_changes_count_the_real_hours_in_local_times(registry, people, berlin):
    from kiosk.clock import SystemZone

    zone = SystemZone()
    _, _, probe = people
    # Spring (2026-03-29, 02:00 CET -> 03:00 CEST): 00:30 to 08:30 on the wall clock is 7 real hours.
    attend(registry, probe, dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC).astimezone(zone))
    attend(registry, probe, dt.datetime(2026, 3, 29, 6, 30, tzinfo=UTC).astimezone(zone))
    spring = timesheet.compute(registry.punches_between, dt.date(2026, 3, 29), dt.date(2026, 3, 29), zone, dt.datetime(2026, 3, 30, tzinfo=UTC))
    assert [(r.first_in.strftime("%H:%M %Z"), r.last_out.strftime("%H:%M %Z"), r.worked_text) for r in spring] == [("00:30 CET", "08:30 CEST", "7:00")]
    saturday, sunday, monday = dt.date(2026, 10, 24), dt.date(2026, 10, 25), dt.date(2026, 10, 26)
    # A night shift 22:00 CEST Saturday to 06:00 CET Sunday: 8 hours on the wall clock, 9 real hours.
    attend(registry, probe, dt.datetime(2026, 10, 24, 20, 0, tzinfo=UTC).astimezone(zone))
    out = attend(registry, probe, dt.datetime(2026, 10, 25, 5, 0, tzinfo=UTC).astimezone(zone))
    assert (out.punch.direction, out.punch.clock) == (Direction.OUT, "06:00")
    # Monday 08:00-16:30 CET: a plain day after the change, its midnight at 23:00 UTC.
    attend(registry, probe, dt.datetime(2026, 10, 26, 7, 0, tzinfo=UTC).astimezone(zone))
    attend(registry, probe, dt.datetime(2026, 10, 26, 15, 30, tzinfo=UTC).astimezone(zone))
    rows = timesheet.compute(registry.punches_between, saturday, monday, zone, dt.datetime(2026, 10, 27, tzinfo=UTC))
    assert [(r.day, r.first_in.isoformat(), r.last_out.isoformat(), r.worked_text) for r in rows] == [
        (saturday, "2026-10-24T22:00:00+02:00", "2026-10-25T06:00:00+01:00", "9:00"),
        (monday, "2026-10-26T08:00:00+01:00", "2026-10-26T16:30:00+01:00", "8:30"),
    ]
    assert sunday not in {r.day for r in rows}
    assert timesheet.day_start(sunday, zone).isoformat() == "2026-10-24T22:00:00+00:00"  # Sunday starts in CEST
    assert timesheet.day_start(monday, zone).isoformat() == "2026-10-25T23:00:00+00:00"  # Monday in CET


def test_xlsx_export_read_back_cell_by_cell(registry, people, tmp_path):
    from openpyxl import load_workbook

    jolie, other, probe = people
    attend(registry, probe, at(MONDAY, 9, 2))
    attend(registry, probe, at(MONDAY, 17, 47))
    attendance.punch(registry, other.id, at(MONDAY, 8, 30), 120)  # IN, never OUT
    attendance.punch(registry, other.id, at(MONDAY + dt.timedelta(days=1), 18), 120)  # an IN 33 h later
    registry.switch_punch(registry.last_punch(other.id).id, "out")  # ... switched to an OUT: no IN before it
    rows = timesheet.compute(registry.punches_between, MONDAY, MONDAY + dt.timedelta(days=1), KST, at(MONDAY + dt.timedelta(days=3), 0))
    out = tmp_path / "attendance.xlsx"
    timesheet.write(out, rows, timesheet.Format.XLSX)
    sheet = load_workbook(out).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells == [
        list(timesheet.HEADER),
        ["P01", "Angelina Jolie", dt.datetime(2026, 11, 30), dt.datetime(2026, 11, 30, 9, 2), dt.datetime(2026, 11, 30, 17, 47), dt.timedelta(hours=8, minutes=45), 525, None],
        ["P02", "김민수", dt.datetime(2026, 11, 30), dt.datetime(2026, 11, 30, 8, 30), None, dt.timedelta(0), 0, "out"],
        ["P02", "김민수", dt.datetime(2026, 12, 1), None, dt.datetime(2026, 12, 1, 18, 0), dt.timedelta(0), 0, "in"],
    ]
    assert sheet["F2"].number_format == "[h]:mm" and sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["A3"].fill.start_color.rgb.endswith("FFE8A0") and sheet["A2"].fill.fill_type is None  # missing punches stand out
    # The CSV carries the same rows as text.
    timesheet.write(tmp_path / "a.csv", rows, timesheet.Format.CSV)
    text = (tmp_path / "a.csv").read_bytes().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1:] == [
        ["P01", "Angelina Jolie", "2026-11-30", "2026-11-30 09:02", "2026-11-30 17:47", "8:45", "525", ""],
        ["P02", "김민수", "2026-11-30", "2026-11-30 08:30", "", "0:00", "0", "out"],
        ["P02", "김민수", "2026-12-01", "", "2026-12-01 18:00", "0:00", "0", "in"],
    ]


def test_deleting_a_person_deletes_their_punches(registry, people):
    jolie, other, probe = people
    attend(registry, probe, at(MONDAY, 9))
    attendance.punch(registry, other.id, at(MONDAY, 9), 120)
    delete_person(registry, "P01")
    assert [r.external_id for r in registry.punches_between("2000", "3000")] == ["P02"]
    assert registry.db.conn.execute("SELECT count(*) FROM punches WHERE person_id = ?", (jolie.id,)).fetchone()[0] == 0


def test_a_backup_carries_the_punches_and_a_restore_merges_them(registry, people, tmp_path, registry_settings, pack, data_dir):
    from kiosk.registry import Registry

    jolie, _, probe = people
    attend(registry, probe, at(MONDAY, 9))
    attend(registry, probe, at(MONDAY, 17))
    bundle = tmp_path / "kiosk.bak"
    registry.export_backup(bundle, "a long passphrase")
    # Into an empty kiosk: the punches arrive with the person.
    other_dir = tmp_path / "other-kiosk"
    other_dir.mkdir()
    with Registry.open(dataclasses.replace(registry_settings, data_dir=other_dir), pack) as fresh:
        assert fresh.import_backup(bundle, "a long passphrase") == 2
        assert [(r.external_id, r.punch.time, r.punch.direction) for r in fresh.punches_between("2000", "3000")] == [
            ("P01", "2026-11-30T00:00:00.000000+00:00", "in"),
            ("P01", "2026-11-30T08:00:00.000000+00:00", "out"),
        ]
    # Back into this kiosk after a punch recorded since the backup: none is lost or doubled.
    attend(registry, probe, at(MONDAY + dt.timedelta(days=1), 9))
    registry.import_backup(bundle, "a long passphrase")
    assert [r.punch.direction for r in registry.punches_between("2000", "3000")] == ["in", "out", "in"]
    # A bundle whose punch is not one is refused as damaged, and nothing changes.
    from kiosk.errors import StoreError
    from kiosk.store import backup

    for bad in (("2026-11-30T09:00:00", "in"), ("2026-11-30T00:00:00+00:00", "lunch")):
        backup.write_bundle(tmp_path / "bad.bak", "a long passphrase", [backup.BackupPerson("P09", "Nobody", "active", "2026-01-01", [], None, [bad])])
        with pytest.raises(StoreError, match="damaged"):
            registry.import_backup(tmp_path / "bad.bak", "a long passphrase")
    assert len(registry.punches_between("2000", "3000")) == 3 and [p.external_id for p in registry.people()] == ["P01", "P02"]


def test_cli_identify_punch_and_export(registry, people, faces_dir, tmp_path, capsys):
    registry.close()  # the CLI opens the database itself
    photo = str(faces_dir / "deepface" / "img6.jpg")
    assert main(["identify", "--punch", photo]) == 0
    first = capsys.readouterr().out
    assert first.startswith("Angelina Jolie (id P01): IN at ")
    assert main(["identify", "--punch", "--json", photo]) == 0  # inside the cooldown
    doc = json.loads(capsys.readouterr().out)
    assert doc["punch"]["status"] == "cooldown" and doc["punch"]["direction"] == "in"
    assert main(["identify", "--punch", str(faces_dir / "deepface" / "img3.jpg")]) in (0, 1)  # P02 is enrolled too
    capsys.readouterr()
    today = dt.date.today().isoformat()
    out = tmp_path / "sheet.csv"
    assert main(["attendance", "export", "--from", today, "--to", today, "--format", "csv", "--out", str(out)]) in (0,)
    assert "person-days" in capsys.readouterr().out and "P01" in out.read_text(encoding="utf-8-sig")
    assert main(["attendance", "export", "--from", "2026-12-31", "--to", "2026-12-01", "--out", str(out)]) == 1
    assert "--to must be" in capsys.readouterr().err
    assert main(["attendance", "export", "--from", "yesterday", "--to", today, "--out", str(out)]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
