"""The admin sees faces (issue 15): enrollment review with used and unused pictures and why,
the people list and detail with each person's crop, the duplicate warning with both faces.
Real worker, real models, real SQLCipher, real Qt (offscreen)."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.ui.widgets.faces import PLACEHOLDER_BACK
from tests.ui.test_admin_screens import WAIT_MS, open_admin
from tests.ui.test_layout_and_idle import SIZES, label_problem, styled  # noqa: F401 - styled is a fixture

WINDOWED = (762, 960)


def shows_a_face(image_label: QLabel) -> bool:
    """A real crop, not the drawn placeholder (whose corner is the placeholder's background)."""
    pixmap = image_label.pixmap()
    return not pixmap.isNull() and pixmap.toImage().pixelColor(2, 2) != PLACEHOLDER_BACK


def captions(strip) -> list[str]:
    return [t.caption.text().replace("\u200b", "") for t in strip.tiles]


def clipped(screen) -> list[str]:
    return [f"{lab.objectName()} {lab.text()!r} {why}" for lab in screen.findChildren(QLabel) if lab.isVisibleTo(screen) and (why := label_problem(lab))]


def clipped_anywhere(qtbot, window) -> list[str]:
    """Labels cut on the showing screen at each of the layout test's window sizes, in both languages."""
    problems = []
    for lang in ("en", "ko"):
        window.set_language(lang)
        for size in SIZES:
            window.resize(*size)
            qtbot.wait(30)
            problems += [f"{size} {lang}: {p}" for p in clipped(window.nav.current)]
    window.set_language("en")
    window.resize(*WINDOWED)
    return problems


@pytest.fixture
def photos(faces_dir, tmp_path):
    """Three photos of deepface P01, one of P02 (an outlier), an unreadable file and a group photo."""
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("img1.jpg", "img2.jpg", "img4.jpg", "img3.jpg"):
        shutil.copy(faces_dir / "deepface" / name, folder / name)
    (folder / "broken.jpg").write_bytes(b"not a picture")
    shutil.copy(faces_dir / "insightface" / "t1.jpg", folder / "group.jpg")
    return [folder / n for n in ("img1.jpg", "broken.jpg", "img2.jpg", "img3.jpg", "group.jpg", "img4.jpg")]


def read_photos(qtbot, screen, files, name="Angelina Jolie", external_id="P01"):
    screen.name_edit.setText(name)
    screen.id_edit.setText(external_id)
    screen.enroll_from_files(files)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.review_page or "No usable" in screen.form_message.text(), timeout=WAIT_MS)
    assert screen.pages.currentWidget() is screen.review_page, screen.form_message.text()


def test_review_shows_used_and_unused_photos_with_why_then_the_list_shows_the_saved_face(qtbot, styled, registry, photos, person_video, make_window):
    window = make_window(person_video("img3.jpg", frames=30), size=WINDOWED)
    screen = open_admin(qtbot, window, "enroll")
    read_photos(qtbot, screen, photos)
    strip = screen.pictures_strip
    assert screen.review_title.text() == "3 good pictures used."
    assert captions(strip) == [
        "Used\nimg1.jpg",
        "Used\nimg2.jpg",
        "Used\nimg4.jpg",
        "Not used: The file cannot be read\nbroken.jpg",
        "Not used: Inconsistent pictures\nimg3.jpg",
        "Not used: More than one person\ngroup.jpg",
    ]
    assert [t.property("used") for t in strip.tiles] == ["yes"] * 3 + ["no"] * 3
    assert [shows_a_face(t.image) for t in strip.tiles] == [True, True, True, False, True, False]  # no crop without a face
    assert screen.unused_label.text() == "3 pictures not used."
    assert not clipped(screen), clipped(screen)  # the windowed default, the narrowest width
    window.set_language("ko")
    qtbot.wait(50)
    assert captions(strip)[3] == "사용 안 함: 파일을 읽을 수 없습니다\nbroken.jpg" and screen.unused_label.text() == "사용하지 않은 사진 3장."
    assert not clipped_anywhere(qtbot, window), clipped_anywhere(qtbot, window)

    screen.save_button.click()
    person = registry.people()[0]
    stored = registry.face(person.id)
    assert person.has_face and stored[:3] == b"\xff\xd8\xff"  # the best used crop, as a JPEG
    window.nav.go("people")  # still signed in
    people = window.nav.current
    qtbot.waitUntil(lambda: not people.table.item(0, 0).icon().isNull(), timeout=WAIT_MS)
    assert people.table.item(0, 0).text() == "Angelina Jolie"
    assert not people.detail.isVisibleTo(people)
    assert people.select_person(person.id)
    assert people.detail.isVisibleTo(people) and shows_a_face(people.detail_face)
    assert people.detail_text.text().startswith("Angelina Jolie\nID P01\nUpdated ")
    assert not clipped_anywhere(qtbot, window), clipped_anywhere(qtbot, window)


def test_duplicate_warning_shows_the_new_face_beside_the_enrolled_one(qtbot, styled, registry, analyzer, faces_dir, person_video, make_window):
    from kiosk.engine.aggregate import aggregate
    from kiosk.flows.faces import encode_crop

    obs = [analyzer.embed_image(faces_dir / "deepface" / n) for n in ("img1.jpg", "img2.jpg")]
    registry.enroll("Angelina Jolie", "P01", aggregate(obs, min_valid=1, outlier_cosine=0.3), face=encode_crop(obs[0].aligned))
    window = make_window(person_video("img3.jpg", frames=30), size=WINDOWED)
    screen = open_admin(qtbot, window, "enroll")
    read_photos(qtbot, screen, [faces_dir / "deepface" / "img5.jpg"], name="Someone New", external_id="N1")
    assert screen.duplicate is not None and screen.save_button.text() == "Save anyway"
    # Issue 21: the safe answer is the highlighted one, and the warning says what the score means and what saving costs.
    assert screen.save_button.property("role") != "primary" and screen.retake_button.property("role") == "primary"
    warning = screen.duplicate_label.text()
    assert f"similarity {screen.duplicate[1]:.2f}, where {window.ctx.registry.duplicate_threshold:.2f} counts as the same person" in warning
    assert "both may be told “We could not be sure it is you”" in warning
    tiles = screen.duplicate_strip.tiles
    assert screen.duplicate_strip.isVisibleTo(screen)
    assert captions(screen.duplicate_strip) == ["New: Someone New", "Enrolled: Angelina Jolie"]
    assert all(shows_a_face(t.image) for t in tiles)
    assert tiles[0].geometry().top() == tiles[1].geometry().top() and tiles[0].geometry().right() < tiles[1].geometry().left()  # side by side
    assert not clipped_anywhere(qtbot, window), clipped_anywhere(qtbot, window)
    screen.retake_button.click()  # back to the form: no stale faces on the next review
    assert screen.duplicate_strip.tiles == [] or not screen.duplicate_strip.isVisibleTo(screen)


def test_camera_enrollment_reviews_its_frames(qtbot, styled, registry, person_video, make_window, kiosk_settings):
    kiosk_settings.enroll.security = "standard"  # a video of still photos cannot turn its head
    window = make_window(person_video("img1.jpg", "img2.jpg", frames=150), size=WINDOWED)
    screen = open_admin(qtbot, window, "enroll")
    screen.name_edit.setText("Angelina Jolie")
    screen.id_edit.setText("P01")
    screen.start_capture()
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is not screen.capture_page, timeout=WAIT_MS)
    assert screen.pages.currentWidget() is screen.review_page, screen.form_message.text()
    used = [t for t in screen.pictures_strip.tiles if t.property("used") == "yes"]
    assert len(used) == screen.flow.template.frames_used >= kiosk_settings.enroll.min_valid_frames
    assert all(shows_a_face(t.image) and t.caption.text() == "Used" for t in used)
    assert not clipped(screen), clipped(screen)
    screen.save_button.click()
    assert registry.people()[0].has_face


def test_with_crops_off_nothing_is_stored_and_the_list_says_so(qtbot, registry, faces_dir, person_video, make_window, kiosk_settings):
    kiosk_settings.enroll.store_face_crops = False
    window = make_window(person_video("img3.jpg", frames=30), size=WINDOWED)
    screen = open_admin(qtbot, window, "enroll")
    read_photos(qtbot, screen, [faces_dir / "deepface" / "img1.jpg"])
    assert shows_a_face(screen.pictures_strip.tiles[0].image)  # shown for the review, never written
    screen.save_button.click()
    person = registry.people()[0]
    assert not person.has_face and registry.face(person.id) is None
    window.nav.go("people")  # still signed in
    people = window.nav.current
    assert people.select_person(person.id)
    assert not shows_a_face(people.detail_face) and people.detail_text.text().endswith("No face picture stored")


def test_a_chosen_person_leaves_the_list_two_rows_in_the_windowed_default(qtbot, styled, registry, analyzer, faces_dir, person_video, make_window):
    """At 762x960 the chosen person's panel (face, looks, sign-in) scrolls within its share of the
    page: at its full height it left the list one row, so the next person could not be seen."""
    from kiosk.engine.aggregate import aggregate

    for n, photo in enumerate(("img1.jpg", "img3.jpg", "img8.jpg", "img16.jpg")):  # four people (identities.csv)
        vector = analyzer.embed_image(faces_dir / "deepface" / photo)
        registry.enroll(f"Person {n}", f"E{n}", aggregate([vector], min_valid=1, outlier_cosine=0.3))
    window = make_window(person_video("img3.jpg", frames=30), size=WINDOWED)
    people = open_admin(qtbot, window, "people")
    assert people.select_person(registry.people()[0].id)
    qtbot.wait(50)
    assert people.person_area.isVisibleTo(people)
    row = people.table.rowHeight(0)
    assert people.table.viewport().height() >= 2 * row, (people.table.viewport().height(), row)
    assert people.looks_list.height() < 2 * 44 + 8  # one look, one row of room
    assert not clipped_anywhere(qtbot, window), clipped_anywhere(qtbot, window)
