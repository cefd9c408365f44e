"""The people screen's roster import, through the real camera worker, in English and Korean.

Three rows: two people from deepface photos, and a missing folder. The screen must
enroll the two through worker jobs (the same rules as `kiosk users import-roster`),
show the summary and the reason for the third, and list the two new people.
"""

from __future__ import annotations

import shutil

from kiosk.flows.roster import RowStatus

WAIT_MS = 90_000


def test_people_screen_imports_a_roster(qtbot, registry, make_window, person_video, faces_dir, tmp_path):
    for folder, names in (("ann", ("img1.jpg", "img2.jpg")), ("bo", ("img3.jpg", "img12.jpg"))):
        (tmp_path / folder).mkdir()
        for name in names:
            shutil.copy(faces_dir / "deepface" / name, tmp_path / folder / name)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,photos\nR1,Ann,ann\nR2,보영,bo\nR3,Gone,missing\n", encoding="utf-8")

    window = make_window(person_video("img3.jpg", frames=30), size=(1920, 1080))  # `registry`: an admin PIN is set, so no first set-up screen
    qtbot.waitUntil(lambda: window.nav.current_name in ("attract", "login", "result"), timeout=WAIT_MS)
    window.ctx.admin_signed_in = True
    window.nav.go("people")
    screen = window.nav.current
    assert screen.import_button.text() == "Import roster…"
    screen.roster.start(roster)
    assert screen.roster.isVisible() and screen.roster.stop_button.isVisible()
    qtbot.waitUntil(lambda: screen.roster.importer is not None and screen.roster.importer.finished, timeout=WAIT_MS)

    panel = screen.roster
    assert [r.status for r in panel.importer.results] == [RowStatus.ENROLLED, RowStatus.ENROLLED, RowStatus.REFUSED]
    assert panel.status.text() == "Enrolled 2, already enrolled 0, not enrolled 1, of 3 rows."
    assert panel.problems.text() == "Line 4, ID R3: photos not found: missing"
    assert panel.bar.value() == panel.bar.maximum() == 3
    assert not panel.stop_button.isVisible() and panel.close_button.isVisible()
    assert sorted(p.external_id for p in screen.people) == ["R1", "R2"]  # the list was refreshed
    window.grab().save(str(tmp_path / "people-roster-en.png"))

    window.set_language("ko")
    assert screen.import_button.text() == "명단 가져오기…"
    assert panel.status.text() == "전체 3행 중 등록 2명, 이미 등록됨 0명, 등록 안 됨 1명."
    window.grab().save(str(tmp_path / "people-roster-ko.png"))
    window.set_language("en")

    panel.start(roster)  # the same roster again: both skipped by id, nothing enrolled twice
    qtbot.waitUntil(lambda: panel.importer.finished, timeout=WAIT_MS)
    assert panel.status.text() == "Enrolled 0, already enrolled 2, not enrolled 1, of 3 rows."
    assert sorted(p.external_id for p in screen.people) == ["R1", "R2"]

    bad = tmp_path / "bad.csv"
    bad.write_text("who,what\n", encoding="utf-8")
    panel.start(bad)
    assert panel.importer is None and "no id, name, photos column" in panel.status.text()


def test_stopping_keeps_who_was_saved_and_the_same_roster_carries_on(qtbot, registry, make_window, person_video, faces_dir, tmp_path):
    people = {"S1": ("img1.jpg", "img2.jpg"), "S2": ("img3.jpg", "img12.jpg"), "S3": ("img8.jpg", "img9.jpg"), "S4": ("img13.jpg", "img14.jpg")}
    for pid, names in people.items():
        (tmp_path / pid).mkdir()
        for name in names:
            shutil.copy(faces_dir / "deepface" / name, tmp_path / pid / name)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,photos\n" + "".join(f"{pid},Person {pid},{pid}\n" for pid in people), encoding="utf-8")
    window = make_window(person_video("img3.jpg", frames=30), size=(1920, 1080))
    qtbot.waitUntil(lambda: window.nav.current_name in ("attract", "login", "result"), timeout=WAIT_MS)
    window.ctx.admin_signed_in = True
    window.nav.go("people")
    panel = window.nav.current.roster
    panel.start(roster)
    qtbot.waitUntil(lambda: len(panel.importer.results) >= 1, timeout=WAIT_MS)
    panel.stop_button.click()
    saved = len(panel.importer.results)
    assert saved < len(people) and not panel.running
    assert "Stopped. Import the same roster again to carry on." in panel.status.text()
    qtbot.wait(500)  # the photo in flight comes back and is dropped
    assert len(panel.importer.results) == saved
    window.nav.go("admin_home")  # leaving with nothing running is harmless
    window.nav.go("people")
    panel.start(roster)
    qtbot.waitUntil(lambda: panel.importer.finished, timeout=WAIT_MS)
    assert sum(r.status == RowStatus.ALREADY_ENROLLED for r in panel.importer.results) == saved
    assert sorted(p.external_id for p in registry.people()) == sorted(people)
