"""The people screen's looks (issue 24): list, add a look through the enroll-from-photos path, delete one.

P10 is enrolled from deepface img27.jpg; "Add a look…" opens the enroll screen for P10 in
add-look mode, img42.jpg goes through the real camera worker, and the list shows two looks
(English and Korean screenshots: ``KIOSK_SCREENSHOTS`` keeps them, else the test's folder).
"""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.flows.enroll import save, template_from_photos

WAIT_MS = 90_000


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_people_screen_lists_adds_and_deletes_looks(qtbot, registry, analyzer, make_window, person_video, faces_dir, tmp_path):
    deep = faces_dir / "deepface"
    template, _ = template_from_photos(analyzer, [deep / "img27.jpg"], registry.bands.low)
    person = save(registry, "Lee Min-jun", "P10", template)
    window = make_window(person_video("img3.jpg", frames=30), size=(1920, 1080))
    qtbot.waitUntil(lambda: window.nav.current_name in ("attract", "login", "result"), timeout=WAIT_MS)
    window.ctx.admin_signed_in = True
    window.nav.go("people")
    screen = window.nav.current
    assert screen.select_person(person.id)
    assert screen.looks_list.count() == 1 and screen.looks_list.item(0).text().startswith("Look 1 · ")
    screen.looks_list.setCurrentRow(0)
    assert not screen.delete_look_button.isEnabled()  # the last look never goes

    screen.look_label.setText("glasses")
    screen.add_look_button.click()
    enroll = window.nav.current
    assert window.nav.current_name == "enroll" and enroll.title.text() == "Add a look to Lee Min-jun"
    enroll.enroll_from_files([deep / "img42.jpg"])
    qtbot.waitUntil(lambda: enroll.photos_button.isEnabled(), timeout=WAIT_MS)
    assert enroll.pages.currentWidget() is enroll.review_page, enroll.form_message.text()
    enroll.save_button.click()
    assert enroll.flow.step == "saved", enroll.flow.status_arg
    assert sorted(x.label for x in registry.looks(person.id)) == ["", "glasses"]
    glasses = registry.looks(person.id)[1]
    assert len(registry.people()) == 1  # a look, not a new person

    window.nav.go("people")
    screen = window.nav.current
    assert screen.select_person(person.id)
    texts = [screen.looks_list.item(i).text() for i in range(screen.looks_list.count())]
    assert [t.split(" · ")[0] for t in texts] == ["Look 1", "glasses"]
    screen.looks_list.setCurrentRow(1)
    assert screen.delete_look_button.isEnabled()
    shots = _shots(tmp_path)
    window.grab().save(str(shots / "people-looks-en.png"))
    window.set_language("ko")
    assert screen.add_look_button.text() == "모습 추가…" and screen.looks_list.item(0).text().startswith("모습 1 · ")
    assert screen.delete_look_button.isEnabled()  # the chosen look stays chosen
    window.grab().save(str(shots / "people-looks-ko.png"))
    window.set_language("en")

    # Replace the chosen look only: its label stays, the first look stays.
    first = registry.looks(person.id)[0]
    screen.looks_list.setCurrentRow(1)
    screen.replace_look_button.click()
    enroll = window.nav.current
    assert enroll.title.text() == "Replace a look of Lee Min-jun"
    enroll.enroll_from_files([deep / "img45.jpg"])
    qtbot.waitUntil(lambda: enroll.photos_button.isEnabled(), timeout=WAIT_MS)
    enroll.save_button.click()
    assert enroll.flow.step == "saved", enroll.flow.status_arg
    after = registry.looks(person.id)
    assert after[0] == first and after[1].label == "glasses" and after[1].id != glasses.id

    window.nav.go("people")
    screen = window.nav.current
    assert screen.select_person(person.id)
    screen.looks_list.setCurrentRow(1)
    screen.delete_look_button.click()
    assert screen.looks_message.text() == "Look deleted." and screen.looks_list.count() == 1
    assert [x.label for x in registry.looks(person.id)] == [""]
