"""Admin screens on the real worker and database: settings with a live score, photo enrollment, audit export."""

from __future__ import annotations

import csv

from kiosk.config import load_settings

WAIT_MS = 60_000


def enroll_photos(registry, analyzer, faces_dir, names, name, external_id):
    from kiosk.engine.aggregate import aggregate

    obs = [analyzer.embed_image(faces_dir / "deepface" / n) for n in names]
    return registry.enroll(name, external_id, aggregate(obs, min_valid=1, outlier_cosine=0.3))


def open_admin(qtbot, window, name):
    qtbot.waitUntil(lambda: window.nav.current_name in ("attract", "login", "result"), timeout=WAIT_MS)
    window.ctx.admin_signed_in = True  # the PIN pad itself is tested in test_kiosk_flows
    window.nav.go(name)
    return window.nav.current


def test_settings_show_the_live_score_and_save_to_config(qtbot, registry, analyzer, faces_dir, person_video, make_window, kiosk_settings):
    enroll_photos(registry, analyzer, faces_dir, ["img1.jpg", "img2.jpg"], "Angelina Jolie", "P01")
    window = make_window(person_video("img6.jpg"))
    screen = open_admin(qtbot, window, "settings")
    assert screen.high.value() == analyzer.pack.thresholds.high  # nothing configured: the pack's
    qtbot.waitUntil(lambda: screen.score is not None, timeout=WAIT_MS)
    assert screen.score > analyzer.pack.thresholds.high  # the enrolled face in view scores as an accept
    assert screen.score_label.text() == f"Best match for the face in view: {screen.score:.2f}"
    assert not registry.audit_log(event="identify")  # tuning does not flood the audit log

    assert screen.camera.currentText() == str(window.camera_source) != kiosk_settings.camera.source  # the video in use, not "0"
    screen.idle.setValue(120)
    screen.high.setValue(0.5)
    combo = screen.profile_widgets[("enroll", "security")]
    assert combo.currentData() == "strict"  # enrollment's default
    assert "4 in 10" in screen.security_note.text() and "all 15 real head turns" in screen.security_note.text()  # measured, in words
    assert combo.findData("adaptive") >= 0 and "1 in 25 real sign-ins were asked" in screen.security_note.text()
    login = screen.profile_widgets[("login", "security")]
    assert (login.currentData(), login.currentText()) == ("auto", "Automatic (now Standard)")  # the test pack measured no band
    combo.setCurrentIndex(combo.findData("standard"))
    screen.save_button.click()
    assert not kiosk_settings.config_path.exists()  # asked first
    assert "ui.idle_timeout_s: 60 -> 120" in screen.confirm_changes.text()
    assert not screen.confirm_yes.isEnabled()  # strict -> standard weakens enrollment: "I understand" first
    screen.understand.setChecked(True)
    screen.confirm_yes.click()
    assert screen.status.text().startswith("Saved to ")
    saved = load_settings(data_dir=kiosk_settings.data_dir, environ={})
    assert (saved.ui.idle_timeout_s, saved.match.high, saved.enroll.security) == (120, 0.5, "standard")
    assert saved.camera.source == "0"  # the camera shown but not chosen here is not saved
    assert saved.match.low is None  # unchanged thresholds stay the pack's, not frozen copies
    assert window.idle.timeout_s == 120 and window.ctx.registry.bands.high == 0.5  # applied at once


def test_turning_face_pictures_off_on_the_settings_screen_deletes_them_at_once(qtbot, registry, analyzer, faces_dir, person_video, make_window, kiosk_settings):
    from kiosk.flows.faces import encode_crop

    obs = analyzer.embed_image(faces_dir / "deepface" / "img1.jpg")
    ann = registry.enroll("Angelina Jolie", "P01", registry_template(obs), face=encode_crop(obs.aligned))
    assert registry.face(ann.id) is not None
    window = make_window(person_video("img3.jpg", frames=30))
    screen = open_admin(qtbot, window, "settings")
    assert screen.store_faces.isChecked()  # the default: kept
    screen.store_faces.setChecked(False)
    screen.save_button.click()
    screen.confirm_yes.click()
    assert screen.status.text().startswith("Saved to ")
    assert load_settings(data_dir=kiosk_settings.data_dir, environ={}).enroll.store_face_crops is False
    assert window.ctx.registry.face(ann.id) is None  # gone now, not at the next start
    assert [e.detail for e in window.ctx.registry.audit_log(event="faces_deleted")] == ["1 face pictures"]
    window.ctx.registry.re_enroll(ann.id, registry_template(obs), face=encode_crop(obs.aligned))
    assert window.ctx.registry.face(ann.id) is None  # and no new one is kept


def registry_template(obs):
    from kiosk.engine.aggregate import aggregate

    return aggregate([obs], min_valid=1, outlier_cosine=0.3)


def test_settings_refuse_an_invalid_combination_and_write_nothing(qtbot, registry, person_video, make_window, kiosk_settings):
    window = make_window(person_video("img3.jpg", frames=30))
    screen = open_admin(qtbot, window, "settings")
    screen.high.setValue(0.2)
    screen.low.setValue(0.3)  # low above high
    screen.save_button.click()
    assert "match.low" in screen.status.text() and screen.status.text().startswith("Not saved")
    assert not kiosk_settings.config_path.exists()


def test_enroll_from_photo_files_runs_on_the_worker(qtbot, registry, faces_dir, person_video, make_window, tmp_path):
    window = make_window(person_video("img3.jpg", frames=30))
    screen = open_admin(qtbot, window, "enroll")
    screen.name_edit.setText("Angelina Jolie")
    screen.id_edit.setText("P01")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a picture")
    group = faces_dir / "insightface" / "t1.jpg"  # six people: which one is being enrolled?
    screen.enroll_from_files([faces_dir / "deepface" / "img1.jpg", broken, group, faces_dir / "deepface" / "img2.jpg"])
    assert screen.form_message.text() == "Reading photo 1/4…"
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.review_page or "No usable" in screen.form_message.text(), timeout=WAIT_MS)
    assert screen.pages.currentWidget() is screen.review_page, screen.form_message.text()
    assert screen.review_title.text() == "2 good pictures used."  # the broken file was skipped, not fatal
    # Each skipped photo with its reason's words from the one table (translated: never the CLI's English detail).
    assert screen.review_detail.text() == "Photos not used: broken.jpg: The file cannot be read; t1.jpg: More than one person"
    screen.save_button.click()
    assert [p.name for p in registry.people()] == ["Angelina Jolie"]


def test_enroll_from_photos_without_a_face_says_why_and_saves_nothing(qtbot, registry, faces_dir, person_video, make_window, tmp_path, caplog):
    import logging

    caplog.set_level(logging.WARNING)
    window = make_window(person_video("img3.jpg", frames=30))
    screen = open_admin(qtbot, window, "enroll")
    screen.name_edit.setText("Nobody")
    screen.id_edit.setText("X1")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    screen.enroll_from_files([empty])
    qtbot.waitUntil(lambda: screen.photos_button.isEnabled(), timeout=WAIT_MS)
    assert screen.pages.currentWidget() is screen.form_page
    assert screen.form_message.text().startswith("No usable face in the photos: ")
    assert registry.people() == []
    assert len([r for r in caplog.records if "empty.png" in r.getMessage()]) == 1  # issue 21: it was logged twice


def test_audit_log_filters_and_exports_csv(qtbot, registry, person_video, make_window, kiosk_settings):
    window = make_window(person_video("img3.jpg", frames=30))
    registry.audit("identify", score=0.12, decision="reject")
    screen = open_admin(qtbot, window, "audit")
    events = {row[1] for row in screen.rows}
    assert {"identify", "admin_set_pin"} <= events
    screen.event_filter.setCurrentIndex(screen.event_filter.findData("identify"))
    assert {row[1] for row in screen.rows} == {"identify"}
    screen.export_button.click()
    exported = sorted((kiosk_settings.data_dir / "exports").glob("audit-*.csv"))
    assert len(exported) == 1 and screen.status.text() == f"Saved to {exported[0]}"
    with exported[0].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["time", "event", "person", "score", "decision", "detail"]
    assert rows[1:] == screen.rows and all(r[1] == "identify" for r in rows[1:])


def test_people_marks_a_model_change_and_re_enrollment_clears_it(qtbot, pack, analyzer, faces_dir, person_video, make_window, kiosk_settings, registry):
    import dataclasses

    from kiosk.registry import Registry

    old_pack = dataclasses.replace(pack, name="retired-pack")  # another embedding space, as after a model change
    with Registry.open(kiosk_settings, old_pack) as old:
        enroll_photos(old, analyzer, faces_dir, ["img1.jpg"], "Angelina Jolie", "P01")
    kiosk_settings.enroll.security = "standard"  # a video of still photos cannot turn its head
    window = make_window(person_video("img1.jpg", "img2.jpg", frames=150))
    people = open_admin(qtbot, window, "people")
    assert [(p.name, p.needs_reenroll) for p in people.people] == [("Angelina Jolie", True)]
    assert people.table.item(0, 2).text() == "Needs re-enrollment"
    people.search.setText("nobody")
    assert people.people == [] and people.count_label.text() == "0 people"
    people.search.setText("jolie")
    assert people.select_person(people.people[0].id)
    people.reenroll_button.click()
    enroll = window.nav.current
    assert enroll.name == "enroll" and enroll.title.text() == "Re-enroll Angelina Jolie"
    assert enroll.name_edit.isReadOnly() and not enroll.keyboard.isVisible()
    enroll.camera_button.click()
    qtbot.waitUntil(lambda: enroll.pages.currentWidget() is not enroll.capture_page, timeout=WAIT_MS)
    assert enroll.pages.currentWidget() is enroll.review_page, enroll.form_message.text()
    enroll.save_button.click()
    enroll.done_button.click()
    assert window.nav.current_name == "people"
    assert [(p.name, p.needs_reenroll) for p in window.nav.current.people] == [("Angelina Jolie", False)]


def test_admin_home_shows_fleet_status_and_last_sync_error(qtbot, registry, person_video, make_window):
    """Read from the local database only (a kiosk whose fleet key is missing starts no sync thread)."""
    from kiosk.store import journal

    with registry.session() as db, db.transaction():
        journal.set_state(db, fleet_uuid="f-1", generation=1, id_key="00" * 32, server="postgresql://kiosk@127.0.0.1/fleet", kiosk="Lobby")
        journal.set_state(db, last_sync="2026-02-03T04:05:06.000000+00:00", last_error="cannot reach the fleet server 127.0.0.1:5432/fleet")
    window = make_window(person_video("img3.jpg", frames=30))
    screen = open_admin(qtbot, window, "admin_home")
    assert screen.fleet.isVisible()
    assert screen.fleet.text() == "Fleet: Lobby, last sync 2026-02-03 04:05:06, 0 change(s) waiting\nLast sync error: cannot reach the fleet server 127.0.0.1:5432/fleet"
    window.ctx.set_language("ko")
    try:
        assert screen.fleet.text().startswith("키오스크 그룹: Lobby") and "마지막 동기화 오류" in screen.fleet.text()
    finally:
        window.ctx.set_language("en")  # the translator is the application's, shared by later tests


def test_an_open_people_list_shows_changes_pulled_from_the_fleet_and_keeps_the_chosen_person(qtbot, registry, person_video, make_window):
    """A fleet pull (``Registry.apply_remote``, run here on a thread as the sync loop runs it) renames
    Ann and deletes Bob at another kiosk while the list is open with Cho chosen, then deletes Cho
    while a Delete confirmation for her is showing."""
    import threading

    from kiosk.store.backup import BackupPerson
    from kiosk.store.people import template_records
    from tests.store.conftest import random_vectors, template

    vectors = random_vectors(3, registry.pack.embedding_size, seed=21)
    for (name, external_id), vector in zip((("Ann", "A1"), ("Bob", "B1"), ("Cho", "C1")), vectors):
        registry.enroll(name, external_id, template(vector))
    window = make_window(person_video("img3.jpg", frames=30))
    people = open_admin(qtbot, window, "people")
    assert [p.name for p in people.people] == ["Ann", "Bob", "Cho"]
    cho = people.people[2]
    assert people.select_person(cho.id)

    def pull(changed, deleted):
        shared = window.ctx.registry
        thread = threading.Thread(target=shared.apply_remote, args=(changed, deleted))
        thread.start()
        thread.join()

    with registry.session() as db:
        ann_records = template_records(db, people.people[0].id)
    pull([BackupPerson("A1", "Ann Lee", "active", "2026-01-01T00:00:00Z", ann_records)], ["B1"])
    qtbot.waitUntil(lambda: [p.name for p in people.people] == ["Ann Lee", "Cho"], timeout=WAIT_MS)
    assert people.selected() is not None and people.selected().id == cho.id  # chosen by id: Cho moved up a row
    assert people.count_label.text() == "2 people"

    people.ask_delete()
    assert people.confirm.isVisible()
    pull([], ["C1"])
    qtbot.waitUntil(lambda: [p.name for p in people.people] == ["Ann Lee"], timeout=WAIT_MS)
    assert people.selected() is None and not people.confirm.isVisible()  # nobody left to delete by mistake
    assert not people.delete_button.isEnabled()
